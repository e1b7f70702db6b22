"""Checks on a file's bytes and text before libyaml reads it, and its line numbering.

libyaml's own answers to these are cryptic or wrong for people: tabs in
indentation (Y002) and git's merge-conflict markers (Y012) are found in the
text first. libyaml also counts NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR
as line breaks where editors do not, so positions are renumbered as an editor
counts lines.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from coachctl.diagnostics import Diagnostic, make
from coachctl.yamlsafe.safeloader import MAX_BYTES, Parsed, Span

_ODD_BREAKS = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")
"""NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR: line breaks to YAML 1.1 (and libyaml),
not to editors, which number lines by CR and LF only."""
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_EDITOR_BREAK = re.compile("\r\n|[\r\n]")


def _to_editor_lines(text: str, out: Parsed) -> None:
    """Renumber every position libyaml gave (counting NEL, LS and PS as line breaks)."""
    yaml_starts = [0, *(m.end() for m in _YAML_BREAK.finditer(text))]
    editor_starts = [0, *(m.end() for m in _EDITOR_BREAK.finditer(text))]

    def point(line: int, col: int) -> tuple[int, int]:
        if line <= 0:
            return line, col
        index = yaml_starts[min(line, len(yaml_starts)) - 1] + max(col, 1) - 1
        n = bisect.bisect_right(editor_starts, index)
        return n, index - editor_starts[n - 1] + 1

    def span(s: Span) -> Span:
        return (*point(s[0], s[1]), *point(s[2], s[3]))

    def lines_in(hint: str | None) -> str | None:
        return hint and re.sub(r"line (\d+)", lambda m: f"line {point(int(m[1]), 1)[0]}", hint)

    out.values = {p: span(s) for p, s in out.values.items()}
    out.keys = {p: span(s) for p, s in out.keys.items()}
    out.diagnostics = [replace(d.at(*span((d.line, d.col, d.end_line, d.end_col))) if d.line
                               else d, hint=lines_in(d.hint)) for d in out.diagnostics]


_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})(?: .*)?$", re.MULTILINE)


def _conflict(text: str, path: str) -> Diagnostic | None:
    """Y012: git's merge-conflict markers, at the first marker line."""
    if not re.search(r"^(?:<{7}|>{7})(?: |$)", text, re.MULTILINE):
        return None
    first = _CONFLICT.search(text)
    assert first is not None
    line = text.count("\n", 0, first.start()) + 1
    return make("Y012", "unresolved merge conflict: git left its markers (<<<<<<<, =======, "
                ">>>>>>>) in this file, with two versions of the same lines", path,
                hint="keep the lines you want from between the markers, delete the three "
                     "marker lines, check the file (`coachctl note check FILE` for a note, "
                     "`coachctl validate` for the rest), then `git add` it and finish the "
                     "merge (docs/for-staff.md)").at(line, 1)


def _tabs(text: str, path: str, diags: list[Diagnostic]) -> bool:
    """Report tabs in indentation (libyaml's own message for them is cryptic)."""
    found = False
    for n, line in enumerate(_YAML_BREAK.split(text), 1):
        stripped = line.lstrip(" \t")
        indent = line[: len(line) - len(stripped)]
        if "\t" in indent and stripped and not stripped.startswith("#"):
            diags.append(make("Y002", "tab character in indentation", path,
                              hint="indent with spaces").at(n, indent.index("\t") + 1))
            found = True
    return found


def checked_text(data: bytes, path: str, diags: list[Diagnostic]) -> str | None:
    """The file's text for libyaml, or None once ``diags`` says why it cannot be read:
    too big (Y010), not UTF-8 (Y006), merge-conflict markers (Y012), tabs (Y002)."""
    if len(data) > MAX_BYTES:
        diags.append(make("Y010", f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}",
                          path))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        diags.append(make("Y006", f"byte 0x{data[e.start]:02X} is not valid UTF-8", path,
                          hint="re-save the file as UTF-8").at(line, col))
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if ("<<<<<<<" in text or ">>>>>>>" in text) and (conflict := _conflict(text, path)):
        diags.append(conflict)
        return None
    if "\t" in text and _tabs(text, path, diags):
        return None
    return text
