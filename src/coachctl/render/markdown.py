"""Tables and diagnostics as GitHub-flavoured Markdown, for ``$GITHUB_STEP_SUMMARY``.

A heading, a summary line, then tables. Every cell goes through :func:`cell`:
control characters escaped (:func:`coachctl.render.safe.printable`), then
Markdown's own punctuation (``|``, ``*``, ``_``, ``[``, ``<``, backticks, ...)
backslash-escaped, so a name or a file name shows as typed and never splits a
row, opens a link or starts HTML. Diagnostics are listed by location, code,
severity and message only: never a source line (a note's words), never a hint.

GitHub refuses a step summary over 1 MiB, and a trust can have many thousands
of problems: a table is cut at :data:`MAX_ROWS` rows or :data:`MAX_BYTES` of
text, whichever comes first, and a last line says how many rows were left out
(``--format json`` has them all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from coachctl.diagnostics import Diagnostic, Summary
from coachctl.render.safe import printable
from coachctl.tables import Table

MAX_ROWS = 1000
"""Rows of one table shown before the rest are counted instead."""
MAX_BYTES = 400_000
"""Text of one table (UTF-8) shown before the rest are counted: two tables stay well
under GitHub's 1 MiB step-summary limit."""

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def cell(text: object) -> str:
    """``text`` as one Markdown table cell: printable, one line, punctuation escaped."""
    return _SPECIAL.sub(r"\\\1", printable(str(text)))


def table(columns: Sequence[str], rows: Iterable[Sequence[str]],
          right: Sequence[bool] | None = None) -> list[str]:
    """A GFM table (cells already text), cut at :data:`MAX_ROWS` or :data:`MAX_BYTES`
    with a line counting what was left out."""
    right = right or [False] * len(columns)
    out = ["| " + " | ".join(cell(c) for c in columns) + " |",
           "|" + "|".join("---:" if r else "---" for r in right) + "|"]
    size = shown = left = 0
    for row in rows:
        line = "| " + " | ".join(cell(v) for v in row) + " |"
        size += len(line.encode("utf-8")) + 1
        if shown >= MAX_ROWS or size > MAX_BYTES:
            left += 1
            continue
        out.append(line)
        shown += 1
    if left:
        out += ["", f"*... and {left} more row{'s' if left != 1 else ''} not shown "
                    "(`--format json` lists them all).*"]
    return out


def tables(tables_: Sequence[Table], heading: str, summary: str | None = None) -> str:
    """A page: ``# heading``, the summary line, then each table under its title."""
    from coachctl.render.tabular import cell_text, numeric_columns

    out = [f"# {cell(heading)}", ""]
    if summary:
        out += [cell(summary), ""]
    for t in tables_:
        if t.title:
            out += [f"## {cell(t.title)}", ""]
        rows = ([cell_text(v, c in t.plain) for c, v in zip(t.columns, r, strict=True)]
                for r in t.rows)
        out += table(t.columns, rows, numeric_columns(t)) if t.rows else ["*None.*"]
        if t.caption:
            out += ["", f"*{cell(t.caption)}*"]
        out.append("")
    return "\n".join(out)


def diagnostics(found: Sequence[Diagnostic], summary: Summary, heading: str,
                by_codes: Sequence[tuple[str, str, str | None, int, Sequence[str]]] = ()
                ) -> str:
    """A page of diagnostics: ``# heading``, the summary line, a table per code if
    ``by_codes`` (code, severity, title, count, subjects), then one row per problem."""
    from coachctl.render.diagnostics import OVERVIEW_IDS, where

    out = [f"# {cell(heading)}", "", cell(summary.text()), ""]
    if by_codes:
        def concerns(subjects: Sequence[str]) -> str:
            more = len(subjects) - OVERVIEW_IDS
            return ", ".join(subjects[:OVERVIEW_IDS]) + (f" and {more} more" if more > 0
                                                         else "")
        out += ["## Summary by code", ""]
        out += table(("code", "severity", "count", "title", "concerns"),
                     ((code, sev, str(n), title or "", concerns(subjects))
                      for code, sev, title, n, subjects in by_codes),
                     (False, False, True, False, False))
        out.append("")
    if found:
        out += ["## Problems", ""]
        out += table(("location", "code", "severity", "message"),
                     ((where(d), d.code, str(d.severity), d.message) for d in found))
        out.append("")
    return "\n".join(out)
