"""Diagnostics as text (with source excerpts), concise lines, JSON or GitHub annotations.

The JSON document is versioned (``"version": 1``); its shape is documented in
docs/format.md and only ever grows.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from coachctl import __version__
from coachctl.diagnostics import Diagnostic, Summary
from coachctl.render.safe import printable

JSON_VERSION = 1
_RED, _YELLOW, _BOLD, _DIM, _CYAN, _RESET = ("\033[31m", "\033[33m", "\033[1m", "\033[2m",
                                             "\033[36m", "\033[0m")


OVERVIEW_IDS = 10
"""How many subjects a code's overview line names before "and N more" (JSON names all)."""


@dataclass(frozen=True, slots=True)
class CodeCount:
    """One code's line of the summary: how many, and whom they concern."""

    code: str
    severity: str
    title: str | None
    count: int
    subjects: list[str]
    """The diagnostics' distinct subjects (staff ids, pairs, hubs), sorted; never a message."""


def by_code(diagnostics: Iterable[Diagnostic]) -> list[CodeCount]:
    """Per code, in code order: its severity and title, how many, and whom they concern."""
    from coachctl.registry import CODES

    found: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        found.setdefault(d.code, []).append(d)
    return [CodeCount(code, str(ds[0].severity), CODES[code].title if code in CODES else None,
                      len(ds), sorted({d.subject for d in ds if d.subject}))
            for code, ds in sorted(found.items())]


def overview(diagnostics: Iterable[Diagnostic]) -> list[str]:
    """Lines summing up ``diagnostics`` per code, to print before them; none if none."""
    lines = []
    for c in by_code(diagnostics):
        shown = ", ".join(c.subjects[:OVERVIEW_IDS])
        if len(c.subjects) > OVERVIEW_IDS:
            shown += f" and {len(c.subjects) - OVERVIEW_IDS} more"
        lines.append(printable(f"  {c.code} {c.severity:<7} {c.count:>5}  {c.title}"
                               + (f": {shown}" if shown else "")))
    return ["Summary by code (count, then whom each concerns):", *lines, ""] if lines else []


def where(d: Diagnostic) -> str:
    """``path:line:col``, ``path:line`` or ``path``: positions are 1-based or left out.

    A diagnostic about a whole file (empty, missing, unreadable) or about a person
    rather than a line has no position: it is never shown as line 0 or column 0.
    """
    if d.line < 1:
        return d.path
    return f"{d.path}:{d.line}:{d.col}" if d.col >= 1 else f"{d.path}:{d.line}"


def concise(d: Diagnostic) -> str:
    """``path:line:col: CODE message`` - the line editors and grep understand; one line
    whatever the file is called (a newline in its name is shown as ``\\n``)."""
    return printable(f"{where(d)}: {d.code} {d.message}")


class _Sources:
    """Reads each file's lines once, for excerpts; a file whose lines may not be shown
    yields nothing.

    A line is shown only from a regular file (never through a symbolic link, never a pipe)
    that is a known non-private kind by both name and content
    (:func:`coachctl.privacy.excerpt_allowed`), unless ``private_ok`` (a person checking
    the files they named) - and even then never through a link.
    """

    def __init__(self, private_ok: bool = False) -> None:
        self._lines: dict[str, list[str]] = {}
        self.private_ok = private_ok

    def _read(self, path: str) -> list[str]:
        from coachctl.files import read_regular
        from coachctl.privacy import excerpt_allowed, excerpt_path_allowed

        if not (self.private_ok or excerpt_path_allowed(path)):
            return []  # never shown, so never read (qa points at thousands of notes)
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return []
            _, data = read_regular(path)
        except OSError:
            return []
        if not (self.private_ok or excerpt_allowed(path, data)):
            return []
        return data.decode("utf-8", errors="replace").splitlines()

    def line(self, path: str, n: int) -> str | None:
        if path not in self._lines:
            self._lines[path] = self._read(path)
        lines = self._lines[path]
        return lines[n - 1] if 0 < n <= len(lines) else None


def text(diagnostics: Iterable[Diagnostic], summary: Summary, *, color: bool,
         private_excerpts: bool = False) -> Iterable[str]:
    """Human-readable output: each problem, the source line underlined, a hint; a summary.

    Lines of notes and QA records are echoed only with ``private_excerpts``.
    """
    def c(code: str, s: str) -> str:
        return f"{code}{s}{_RESET}" if color else s

    sources = _Sources(private_excerpts)
    for d in diagnostics:
        sev = c(_RED if d.severity == "error" else _YELLOW, d.severity)
        yield (f"{c(_BOLD, printable(f'{where(d)}:'))} {c(_BOLD, d.code)} "
               f"{sev}: {printable(d.message)}")
        src = sources.line(d.path, d.line) if d.line >= 1 and d.col >= 1 else None
        if src is not None:
            src = printable(src.replace("\t", " "))
            width = max(1, (d.end_col - d.col) if d.end_line == d.line and d.end_col > d.col
                        else len(src.rstrip()) - d.col + 1)
            gutter = f"{d.line:>5} | "
            yield c(_DIM, gutter) + src
            yield " " * len(gutter) + " " * (d.col - 1) + c(_RED if d.severity == "error"
                                                            else _YELLOW, "^" * max(1, width))
        if d.hint:
            yield f"      {c(_CYAN, 'hint:')} {printable(d.hint)}"
    yield c(_BOLD, summary.text())


def as_json(diagnostics: list[Diagnostic], summary: Summary, *, by_codes: bool = False) -> str:
    doc = {
        "version": JSON_VERSION,
        "tool": "coachctl",
        "coachctl_version": __version__,
        "summary": {"errors": summary.errors, "warnings": summary.warnings,
                    "files_with_problems": summary.files_with_problems,
                    "files_checked": summary.files_checked,
                    "incomplete": summary.incomplete},
        "diagnostics": [diagnostic_dict(d) for d in diagnostics],
    }
    if by_codes:
        doc["by_code"] = [asdict(c) for c in by_code(diagnostics)]
    return json.dumps(doc, indent=2, ensure_ascii=False)


def diagnostic_dict(d: Diagnostic) -> dict[str, object]:
    """One diagnostic in the JSON document: positions 1-based, or null when there is none."""
    line = d.line if d.line >= 1 else None
    col = d.col if line and d.col >= 1 else None
    end_line = d.end_line if line and d.end_line >= 1 else None
    end_col = d.end_col if end_line and d.end_col >= 1 else None
    return {"code": d.code, "severity": str(d.severity), "message": d.message, "hint": d.hint,
            "path": d.path, "line": line, "column": col, "end_line": end_line,
            "end_column": end_col, "subject": d.subject}


CSV_COLUMNS = ("path", "line", "col", "code", "severity", "subject", "message")


def as_csv(diagnostics: Iterable[Diagnostic]) -> str:
    """One row per diagnostic (:data:`CSV_COLUMNS`): positions 1-based or empty, every text
    cell through :func:`coachctl.render.safe.csv_cell`; never a source line or a hint."""
    import csv
    import io

    from coachctl.render.safe import csv_cell

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for d in diagnostics:
        row = diagnostic_dict(d)
        writer.writerow([csv_cell(v) for v in (row["path"], row["line"], row["column"], d.code,
                                               str(d.severity), d.subject, d.message)])
    return buf.getvalue()


def _escape_data(s: str) -> str:
    """GitHub's encoding of newlines and ``%``; any other control character escaped."""
    return printable(s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: Iterable[Diagnostic], summary: Summary) -> Iterable[str]:
    """GitHub Actions workflow commands; the exit code, not these, fails the job."""
    for d in diagnostics:
        props = [f"file={_escape_prop(d.path)}"]
        if d.line >= 1:
            props.append(f"line={d.line}")
            if d.col >= 1:
                props.append(f"col={d.col}")
            if d.end_line >= 1:
                props.append(f"endLine={d.end_line}")
                if d.end_col >= 1:
                    props.append(f"endColumn={d.end_col}")
        props.append(f"title={_escape_prop(f'{d.code} {d.severity}')}")
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        yield f"::{d.severity} {','.join(props)}::{_escape_data(message)}"
    yield summary.text()
