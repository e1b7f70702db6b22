"""The one diagnostic type every check, loader and report in coachctl emits.

A diagnostic names a stable code (see :mod:`coachctl.registry`), a severity, a
message, an optional hint, and where it happened: a file and, once located,
a 1-based line and column. Checks that work on loaded data know only *which
value* is wrong (a key path such as ``("staff", 3, "mentor")``); the loader
turns that pointer into a line and column afterwards (see
:func:`coachctl.loader.locate`), so no check has to carry YAML nodes around.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from coachctl.codes import READER, Code, Severity

__all__ = ["Code", "Diagnostic", "Pointer", "Severity", "Summary", "decode_diagnostic",
           "encode_diagnostic", "make", "summarise"]

Pointer = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    path: str
    """The file, relative to the directory coachctl was pointed at, with ``/`` separators."""
    line: int = 0
    """1-based; 0 means the whole file (or not located yet)."""
    col: int = 0
    end_line: int = 0
    end_col: int = 0
    hint: str | None = None
    pointer: Pointer | None = None
    """Key path of the offending value, kept until :func:`coachctl.loader.locate` runs."""
    subject: str | None = None
    """The person, pair or record a report-level diagnostic concerns (e.g. a staff id)."""

    @property
    def located(self) -> bool:
        return self.line > 0 or self.pointer is None

    def at(self, line: int, col: int, end_line: int = 0, end_col: int = 0) -> Diagnostic:
        # every field by position: dataclasses.replace costs three times as much, and
        # locating a trust's QA gaps calls this for each of tens of thousands
        return Diagnostic(self.code, self.severity, self.message, self.path, line, col,
                          end_line or line, end_col or col, self.hint, None, self.subject)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)


def make(code: Code | str, message: str, path: str, pointer: Pointer | None = None, *,
         hint: str | None = None, subject: str | None = None,
         severity: Severity | None = None) -> Diagnostic:
    """Build a diagnostic of ``code``, whose severity is the code's unless given.

    ``code`` is the :class:`Code` a rule declares beside its check, or the id of one
    the reader declares in :mod:`coachctl.codes` (``"Y001"``): the reader cannot import
    the rules, which build on it.
    """
    if isinstance(code, str):
        code = READER[code]
    return Diagnostic(code=code.code, severity=severity or code.severity, message=message,
                      path=path, pointer=pointer, hint=hint, subject=subject)


@dataclass(frozen=True, slots=True)
class Summary:
    errors: int
    warnings: int
    files_with_problems: int
    files_checked: int
    incomplete: str | None = None
    """Why the answer covers only part of the files (e.g. ``qa`` on a programme that
    validate finds errors in): the run fails, and the summary never says all is well."""

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0) or self.incomplete is not None

    def text(self) -> str:
        if self.incomplete is not None:
            found = self._counts().rpartition(".")[0]
            if not self.errors and not self.warnings:
                found = found.replace("No problems found", "Nothing found", 1)
            return f"{found}, but the check is incomplete: {self.incomplete}."
        return self._counts()

    def _counts(self) -> str:
        if not self.errors and not self.warnings:
            plural = "" if self.files_checked == 1 else "s"
            return f"No problems found in {self.files_checked} file{plural}."
        parts = []
        if self.errors:
            parts.append(f"{self.errors} error{'s' if self.errors != 1 else ''}")
        if self.warnings:
            parts.append(f"{self.warnings} warning{'s' if self.warnings != 1 else ''}")
        return (f"{', '.join(parts)} in {self.files_with_problems} of "
                f"{self.files_checked} file{'s' if self.files_checked != 1 else ''}.")


def summarise(diagnostics: Iterable[Diagnostic], files_checked: int) -> Summary:
    errors = warnings = 0
    paths: set[str] = set()
    for d in diagnostics:
        paths.add(d.path)
        if d.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return Summary(errors, warnings, len(paths), files_checked)


# --- as plain data, for the cache ------------------------------------------------------

def encode_diagnostic(d: Diagnostic, with_path: bool) -> list[Any]:
    """A diagnostic as a plain list (msgpack writes it as an array); see
    :mod:`coachctl.cachecodec` for the records kept beside it."""
    out = [d.code, d.severity.value, d.message, d.line, d.col, d.end_line, d.end_col, d.hint,
           list(d.pointer) if d.pointer is not None else None, d.subject]
    return [*out, d.path] if with_path else out


_SEVERITY = {s.value: s for s in Severity}  # a dict lookup: an Enum call per diagnostic shows


def decode_diagnostic(t: list[Any], path: str | None = None) -> Diagnostic:
    """:func:`encode_diagnostic` undone; ``path`` when it was encoded without one."""
    code, sev, message, line, col, end_line, end_col, hint, pointer, subject = t[:10]
    return Diagnostic(code, _SEVERITY[sev], message, path if path is not None else t[10],
                      line, col, end_line, end_col, hint,
                      tuple(pointer) if pointer is not None else None, subject)
