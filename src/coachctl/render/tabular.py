"""Rows of figures rendered as a rich table, CSV or versioned JSON.

Every report builds a :class:`Table` (plain values, no formatting) and hands
it here, so all reports share one look, one CSV dialect and one JSON shape:
``{"version": 1, "kind": ..., "columns": [...], "rows": [{...}], ...}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

JSON_VERSION = 1


@dataclass
class Table:
    kind: str
    """Stable name of the report, e.g. 'stats.by-cycle'; the JSON 'kind'."""
    columns: Sequence[str]
    rows: list[Sequence[Any]]
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    """Extra JSON fields (filters used, totals); shown as a caption in tables."""
    plain: Sequence[str] = ()
    """Columns whose floats are plain numbers (averages), not shares shown as percentages."""


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _cell(value: Any, plain: bool = False) -> str:
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
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if v is None else _plain(v) for v in row])
    return buf.getvalue()


def print_rich(tables: Sequence[Table], *, color: bool) -> None:
    """Rich tables on stdout; colour only when ``color`` (a TTY without NO_COLOR)."""
    import sys

    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable

    # On a terminal rich fits tables to its width; piped, nothing is cut short.
    width = None if sys.stdout.isatty() else 10_000
    console = Console(no_color=not color, highlight=False, soft_wrap=False,
                      force_terminal=color or None, width=width)
    for t in tables:
        rt = RichTable(title=t.title, box=box.SIMPLE_HEAD, title_justify="left")
        for i, col in enumerate(t.columns):
            numeric = any(isinstance(r[i], int | float) and not isinstance(r[i], bool)
                          for r in t.rows)
            rt.add_column(col, justify="right" if numeric else "left")
        for row in t.rows:
            rt.add_row(*(_cell(v, c in t.plain) for c, v in zip(t.columns, row, strict=True)))
        console.print(rt)
