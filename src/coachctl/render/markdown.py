"""Tables and diagnostics as GitHub-flavoured Markdown, for ``$GITHUB_STEP_SUMMARY``.

A heading, a summary line, then tables. Every cell goes through :func:`cell`:
control characters escaped (:func:`coachctl.render.safe.printable`), then
Markdown's own punctuation (``|``, ``*``, ``_``, ``[``, ``<``, backticks, ...)
backslash-escaped, so a name or a file name shows as typed and never splits a
row, opens a link or starts HTML. Diagnostics are listed by location, code,
severity and message only: never a source line (a note's words), never a hint.

GitHub refuses a step summary over 1 MiB, and a trust can have many thousands
of problems or coaches: a table is cut at :data:`MAX_ROWS` rows, and a page at
:data:`MAX_BYTES` of text (every table after the cut shows its heading and the
count only), whichever comes first; a line under a cut table says how many rows
were left out (``--format json`` has them all).
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
"""Text of one page (UTF-8) before the rest of its rows are counted instead: two pages
(``stats`` and ``qa`` in one job) stay under GitHub's 1 MiB step-summary limit."""

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def cell(text: object) -> str:
    """``text`` as one Markdown table cell: printable, one line, punctuation escaped."""
    return _SPECIAL.sub(r"\\\1", printable(str(text)))


def table(columns: Sequence[str], rows: Iterable[Sequence[str]],
          right: Sequence[bool] | None = None, budget: int = MAX_BYTES) -> list[str]:
    """A GFM table (cells already text), cut at :data:`MAX_ROWS` rows or ``budget`` bytes
    with a line counting what was left out."""
    right = right or [False] * len(columns)
    out = ["| " + " | ".join(cell(c) for c in columns) + " |",
           "|" + "|".join("---:" if r else "---" for r in right) + "|"]
    size = sum(len(line.encode("utf-8")) + 1 for line in out)
    shown = left = 0
    for row in rows:
        line = "| " + " | ".join(cell(v) for v in row) + " |"
        size += len(line.encode("utf-8")) + 1
        if shown >= MAX_ROWS or size > budget:
            left += 1
            continue
        out.append(line)
        shown += 1
    if left:
        out += ["", f"*... and {left} more row{'s' if left != 1 else ''} not shown "
                    "(`--format json` lists them all).*"]
    return out


def _left(page: list[str]) -> int:
    """Bytes of :data:`MAX_BYTES` the page's lines so far leave."""
    return MAX_BYTES - sum(len(line.encode("utf-8")) + 1 for line in page)


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
        out += table(t.columns, rows, numeric_columns(t), _left(out)) if t.rows \
            else ["*None.*"]
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
                     (False, False, True, False, False), _left(out))
        out.append("")
    if found:
        out += ["## Problems", ""]
        out += table(("location", "code", "severity", "message"),
                     ((where(d), d.code, str(d.severity), d.message) for d in found),
                     budget=_left(out))
        out.append("")
    return "\n".join(out)
