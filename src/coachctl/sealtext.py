"""The text of a sealed file: every plain field kept on the line it had.

Sealing replaces each top-level free-text field that holds words by the same
number of comment lines, where it was::

    # What the teacher did well, precisely, and what it made happen for pupils:
    # precise_praise: sealed (`coachctl note show FILE` opens it)
    # ...
    action_step: fb-04

and appends one ``sealed:`` entry (the age block) after everything else. So a
reader of the file still sees the note in the shape they wrote it, with the
prompt and a line saying where the words went; and every plain field, comment
and empty block stays on its line and column, so a diagnostic about a sealed
note points where it points in the plain note. The marker lines are comments:
the file's value is exactly what it would be with the fields taken out, and the
age block reads with the ``age`` tool as before. What the markers show beyond
the block itself is how many lines each sealed field took (the block's size
already shows roughly how long the text is).

Both directions are text edits, held by the caller to the value they must give
(:func:`coachctl.seal.plan_seal`, :func:`coachctl.seal.plan_unseal`); anything
they cannot do exactly returns None and the caller takes the careful way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from coachctl.fieldtypes import BEGIN as BEGIN
from coachctl.fieldtypes import END as END
from coachctl.fieldtypes import ENDING as ENDING
from coachctl.fieldtypes import TEXT_FIELDS

MORE = "# ..."
"""Each further line a sealed field took."""
_HEAD = re.compile(r"# (" + "|".join(TEXT_FIELDS) + r"): sealed \(")


def head(field: str) -> str:
    """The marker line that stands where a sealed field's key was."""
    return f"# {field}: sealed (`coachctl note show FILE` opens it)"


def marker_of(line: str) -> str | None:
    """The field a marker's first line stands for, if ``line`` is one."""
    match = _HEAD.match(line)
    return match[1] if match else None


def _key(line: str) -> str | None:
    """The top-level key a line starts, if it starts one."""
    if line[:1] in (" ", "\t", "\n", "#", "") or line.startswith(("---", "...")):
        return None
    return line.split(":", 1)[0].strip().strip("'\"")


def split(text: str) -> list[tuple[str | None, list[str]]]:
    """``text`` (``\\n`` line ends) as runs of lines: each top-level key with the lines
    of its value (indented or blank lines after it), and runs of other lines (None)."""
    runs: list[tuple[str | None, list[str]]] = []
    for line in text.splitlines(keepends=True):
        key = _key(line)
        if key is not None:
            runs.append((key, [line]))
        elif runs and (runs[-1][0] is None or line[:1] in (" ", "\t", "\n", "")):
            runs[-1][1].append(line)
        else:
            runs.append((None, [line]))
    return runs


def seal_text(text: str, sealing: Iterable[str], block: str) -> str:
    """``text`` with each field in ``sealing`` that it holds replaced by its marker lines
    (an earlier marker for such a field dropped: its text is sealed anew), any
    ``sealed:`` entry dropped, and ``block`` (the new entry's lines) appended."""
    runs = split(text)
    fields = set(sealing) & {key for key, _ in runs}
    out: list[str] = []
    skipping_marker = False
    for key, lines in runs:
        if key is None:
            for line in lines:
                field = marker_of(line)
                if field is not None:
                    skipping_marker = field in fields
                elif line.rstrip("\n") != MORE:
                    skipping_marker = False
                if not skipping_marker:
                    out.append(line)
            continue
        skipping_marker = False
        if key == "sealed":
            continue
        if key in fields:
            marker = [head(key), *[MORE] * (len(lines) - 1)]
            out += [f"{line}\n" for line in marker]
        else:
            out += lines
    if out and not out[-1].endswith("\n"):
        out[-1] += "\n"
    return "".join(out) + block


def marker_span(data: bytes, field: str) -> tuple[int, int, int, int] | None:
    """Where a sealed field's marker lines stand in a file's bytes, as the span its value
    had in coachctl's block layout (``field: |`` and its lines): from after the key on
    the marker's line to the start of the line after the last marker line."""
    head_ = f"# {field}: sealed (".encode()
    lines = data.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(head_):
            n = 1
            while i + n < len(lines) and lines[i + n].rstrip(b"\r") == MORE.encode():
                n += 1
            return (i + 1, len(field) + 3, i + 1 + n, 1)
    return None


def _literal(field: str, text: str) -> str:
    """``field: |`` and ``text`` as a literal block (chomping and indentation as it needs)."""
    chomp = "-" if not text.endswith("\n") else ("+" if text.endswith("\n\n") else "")
    lines = text.splitlines()
    indent = "2" if lines and lines[0][:1] in (" ", "\t") else ""
    body = "".join(f"  {line}\n" if line else "\n" for line in lines)
    return f"{field}: |{indent}{chomp}\n{body}"


def unseal_text(text: str, fields: dict[str, str]) -> str | None:
    """``text`` with each marker for a field of ``fields`` replaced by the field's text,
    where it was, and the ``sealed:`` entry dropped; None if a field has no marker."""
    out: list[str] = []
    placed: set[str] = set()
    skipping = False
    for key, lines in split(text):
        if key == "sealed":
            continue
        if key is not None:
            skipping = False
            out += lines
            continue
        for line in lines:
            field = marker_of(line)
            if field is not None and field in fields and field not in placed:
                out.append(_literal(field, fields[field]))
                placed.add(field)
                skipping = True
                continue
            if skipping and line.rstrip("\n") == MORE:
                continue
            skipping = False
            out.append(line)
    if placed != set(fields):
        return None
    return "".join(out)


def block(fields: Iterable[str], tags: Iterable[str], armored: str) -> str:
    """The ``sealed:`` entry as coachctl writes it, last in the file: which fields are
    sealed and to whom (flow lists), then ``age: |`` with the armour indented four."""
    body = "".join(f"    {line}\n" for line in armored.splitlines())
    return (f"sealed:\n  fields: [{', '.join(fields)}]\n"
            f"  readers: [{', '.join(tags)}]\n  age: |\n{body}")


_FIELD = "(?:" + "|".join(TEXT_FIELDS) + ")"
_READER = r"[a-z0-9][a-z0-9._-]*:[0-9a-f]{8}"  # an id (fieldtypes.Id), its key's fingerprint
_B64 = "[A-Za-z0-9+/]"
_BLOCK = re.compile(
    rf"sealed:\n  fields: \[((?:{_FIELD}(?:, {_FIELD})*)?)\]\n"
    rf"  readers: \[((?:{_READER}(?:, {_READER})*)?)\]\n"
    rf"  age: \|\n    {BEGIN}\n"
    rf"((?:    {_B64}{{64}}\n)*(?:    (?=[A-Za-z0-9+/=]{{1,64}}\n){_B64}*={{0,2}}\n)?)"
    rf"    {END}\n")
""":func:`block` exactly: every field one of the text fields and every reader ``ID:FP``
(plain words YAML reads as strings, nothing it could read as true, a number or a date),
the armour in lines of 64 base64 characters as age writes them."""


def sealed_tail(text: str) -> tuple[int, dict[str, Any]] | None:
    """Where the ``sealed:`` entry starts, and its value, if ``text`` ends in one exactly as
    :func:`block` writes it (``\\n`` line ends); None for anything else. The value is the
    one YAML gives those lines: two lists of plain words and the literal block's text (the
    armour lines without their indent, clipped to one final line break)."""
    start = text.rfind("\nsealed:\n") + 1
    match = _BLOCK.fullmatch(text, start) if start else None
    if match is None:
        return None
    fields, readers, body = match.groups()
    return start, {"fields": fields.split(", ") if fields else [],
                   "readers": readers.split(", ") if readers else [],
                   "age": f"{BEGIN}\n{body.replace('    ', '')}{END}\n"}
