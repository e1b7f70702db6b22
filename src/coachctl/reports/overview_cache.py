"""``coachctl report``'s figures for one programme, kept in the programme's cache: an
unchanged programme's :class:`~coachctl.reports.overview.Contribution` needs no data.

A contribution holds what the report shows per cycle, department and programme (its
tallies without detail, :func:`~coachctl.reports.stats.tallies`), steps by their text and
counts: never a key per person, so a warm report over a trust decodes and sums a few small
documents. The parts are encoded as ``stats`` caches its own
(:mod:`coachctl.reports.stats_cache`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import astuple
from pathlib import Path
from typing import Any

from coachctl.reports.overview import Contribution, Overload, QaCoverage, contribution
from coachctl.reports.stats_cache import decode_part, encode_part
from coachctl.validation import Checked, Derived, check_and_derive

CACHED = "report.msgpack"
"""The programme cache's document: [first day, last day (ordinals), the contribution]."""


def programme_contribution(root: Path, display: str | None, today: dt.date, *,
                           progress: Callable[[int], None] | None = None,
                           on_total: Callable[[int], None] | None = None,
                           ) -> tuple[Checked, Contribution]:
    """Check a programme and count it for the report, from the cache when no file, none of
    this code, and nothing ``today`` is compared with has changed: then no data is loaded."""
    derived = Derived(CACHED, __name__, lambda checked, day: contribution(checked.programme, day),
                      _encode, lambda data: _decode(data, str(root)))
    return check_and_derive(root, display, today, derived, progress=progress, on_total=on_total)


def _pairs(d: dict[Any, Any]) -> list[list[Any]]:
    return [[k, v] for k, v in d.items()]


def _encode(c: Contribution) -> list[Any]:
    return [encode_part(c.by_cycle), encode_part(c.by_department), c.school, c.year,
            None if c.qa is None else list(astuple(c.qa)), _pairs(c.working),
            _pairs(c.secured), _pairs(c.secure_cycles), _pairs(c.secure_after), _pairs(c.load),
            [list(astuple(o)) for o in c.overloads], c.limit, c.target]


def _decode(data: list[Any], who: str) -> Contribution:
    (by_cycle, by_department, school, year, qa, working, secured, secure_cycles, after, load,
     overloads, limit, target) = data
    return Contribution(
        decode_part(by_cycle, who), decode_part(by_department, who), school, year,
        None if qa is None else QaCoverage(*qa), dict(working), dict(secured),
        dict(secure_cycles), dict(after), dict(load), [Overload(*o) for o in overloads],
        limit, target)
