"""What reports return, as plain values with no formatting: tables and documents.

Every report (:mod:`coachctl.reports`, pairing, hubs) returns :class:`Table`
values, or a :class:`Document` for a page to hand out; :mod:`coachctl.render`
turns them into a rich table, CSV or the versioned JSON document
(:mod:`~coachctl.render.tabular`), Markdown or HTML (:mod:`~coachctl.render.document`),
so the core never knows how a report is shown.
"""

from __future__ import annotations

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
