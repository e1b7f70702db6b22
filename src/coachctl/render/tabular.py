"""Rows of figures rendered as a rich table, CSV or versioned JSON.

Every report builds a :class:`coachctl.tables.Table` (plain values, no
formatting) and hands it here, so all reports share one look, one CSV dialect,
one way of keeping names safe (:mod:`coachctl.render.safe`) and one JSON shape:
``{"version": 3, "kind": ..., "columns": [...], "rows": [{...}], ...}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from coachctl.render.safe import csv_cell, printable
from coachctl.tables import Table

JSON_VERSION = 3
"""3: schedule times carry their UK offset, with ``all_day`` and ``attendees``; 2: stats
counts ended cycles only and adds ``open``; cycle status says ``teaching_days_left``
(docs/reports.md, "JSON versions")."""


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def cell_text(value: Any, plain: bool = False) -> str:
    """A value as a table shows it: ``-`` for null, shares as percentages (unless
    ``plain``), yes/no, ISO dates."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.0%}" if 0 <= value <= 1 and not plain else f"{value:.1f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(_plain(value))


def to_json(tables: Sequence[Table]) -> str:
    """One document for one or more tables; rows are objects keyed by column."""
    def one(t: Table) -> dict[str, Any]:
        return {"kind": t.kind, "title": t.title, "columns": list(t.columns),
                "rows": [{c: _plain(v) for c, v in zip(t.columns, r, strict=True)}
                         for r in t.rows], **{k: _plain(v) for k, v in t.meta.items()}}
    import json

    doc: dict[str, Any] = {"version": JSON_VERSION, "tool": "coachctl"}
    if len(tables) == 1:
        doc.update(one(tables[0]))
    else:
        doc["tables"] = [one(t) for t in tables]
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str)


def to_csv(table: Table) -> str:
    """The table as CSV, every cell through :func:`coachctl.render.safe.csv_cell`: empty for
    null, yes/no as the table shows booleans, formula-like text neutralised."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([csv_cell(v) for v in row])
    return buf.getvalue()


def to_csv_stacked(tables: Sequence[Table]) -> str:
    """Several tables as one CSV a spreadsheet or pandas reads as one sheet: a first
    column ``table`` (each table's kind), then every table's columns in the order they
    first appear; a row fills its own table's columns and leaves the others empty."""
    columns: list[str] = []
    for t in tables:
        columns += [c for c in t.columns if c not in columns]
    rows: list[Sequence[Any]] = [
        [t.kind, *(dict(zip(t.columns, r, strict=True)).get(c) for c in columns)]
        for t in tables for r in t.rows]
    return to_csv(Table("stacked", ["table", *columns], rows))


def numeric_columns(table: Table) -> list[bool]:
    """Per column: does it hold a number (shown right-aligned)?"""
    return [any(isinstance(r[i], int | float) and not isinstance(r[i], bool) for r in table.rows)
            for i in range(len(table.columns))]


def print_rich(tables: Sequence[Table], *, color: bool) -> None:
    """Rich tables on stdout; colour only when ``color`` (a TTY without NO_COLOR)."""
    import sys

    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    # On a terminal rich fits tables to its width; piped, nothing is cut short. Every cell,
    # title and caption is a Text; the only strings rich reads are the column names
    # (identifiers, no ':name:' emoji codes), so emoji=False changes no byte and spares
    # importing rich's table of emoji (~1.6 ms).
    width = None if sys.stdout.isatty() else 10_000
    console = Console(no_color=not color, highlight=False, soft_wrap=False, emoji=False,
                      force_terminal=color or None, width=width)
    for t in tables:
        # Text, not markup: a name like '[link=...]' is shown as typed, escapes escaped.
        rt = RichTable(title=Text(printable(t.title)) if t.title else None,
                       box=box.SIMPLE_HEAD, title_justify="left")
        for col, numeric in zip(t.columns, numeric_columns(t), strict=True):
            rt.add_column(col, justify="right" if numeric else "left")
        for row in t.rows:
            rt.add_row(*(Text(printable(cell_text(v, c in t.plain)))
                         for c, v in zip(t.columns, row, strict=True)))
        console.print(rt)
        if t.caption:  # a line of its own: not wrapped to a narrow table's width
            console.print(Text(f"  {printable(t.caption)}"))
