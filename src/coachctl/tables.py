"""What reports return, as plain values with no formatting: tables and documents.

Every report (:mod:`coachctl.reports`, pairing, hubs) returns :class:`Table`
values, or a :class:`Document` for a page to hand out; :mod:`coachctl.render`
turns them into a rich table, CSV or the versioned JSON document
(:mod:`~coachctl.render.tabular`), Markdown or HTML (:mod:`~coachctl.render.document`),
so the core never knows how a report is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


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
    caption: str | None = None
    """The units of the columns, in words, under the table on a terminal (JSON and CSV
    readers have docs/reports.md)."""


Section = tuple[str, list[str]]
"""A heading and its lines of plain text (a list)."""


@dataclass
class Document:
    """A page of plain text: a title, paragraphs, then sections of listed lines."""

    title: str
    sections: list[Section]
    paragraphs: list[str] = field(default_factory=list)
    """Shown under the title, before the sections."""


# --- tables as plain data, for a report that keeps its whole answer in the cache ---------

def encode_tables(tables: Sequence[Table]) -> list[Any] | None:
    """Tables as msgpack-able plain data (:func:`decode_tables` gives them back), or None if
    a cell is of a type the cache does not keep (then the answer is simply not kept)."""
    try:
        return [[t.kind, _plain(list(t.columns)), _plain(t.rows), t.title, _plain(t.meta),
                 list(t.plain), t.caption] for t in tables]
    except TypeError:
        return None


def decode_tables(value: list[Any]) -> list[Table]:
    """:func:`encode_tables` undone (sequences come back as lists); a malformed value raises
    TypeError, ValueError, KeyError or IndexError."""
    return [Table(str(kind), list(columns), [list(map(_unplain, row)) for row in rows],
                  title, _unplain(meta), list(plain), caption)
            for kind, columns, rows, title, meta, plain, caption in value]


def _plain(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (str, int, float, bool):
        return value
    if kind is dt.date:
        return {"d": value.toordinal()}
    if kind in (list, tuple):
        return [_plain(v) for v in value]
    if kind is dict:
        return {"m": [[_plain(k), _plain(v)] for k, v in value.items()]}
    raise TypeError(f"a {kind.__name__} is not kept in the cache")


def _unplain(value: Any) -> Any:
    if type(value) is list:
        return [_unplain(v) for v in value]
    if type(value) is dict:
        if "d" in value:
            return dt.date.fromordinal(value["d"])
        return {_unplain(k): _unplain(v) for k, v in value["m"]}
    return value
