"""``coachctl report``'s figures for one programme, kept in the programme's cache: an
unchanged programme's :class:`~coachctl.reports.overview.Contribution` needs no data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import astuple, fields
from pathlib import Path
from typing import Any

from coachctl.models import Cycle, as_dict
from coachctl.reports.measures import Measures
from coachctl.reports.overview import Contribution, Overload, QaCoverage, contribution
from coachctl.reports.stats import OpenCycle, Part, _Tally
from coachctl.validation import Checked, Derived, check_and_derive

CACHED = "report.msgpack"
"""The programme cache's document: [first day, last day (ordinals), the contribution]."""


def programme_contribution(root: Path, display: str | None, today: dt.date, *,
                           progress: Callable[[int], None] | None = None,
                           on_total: Callable[[int], None] | None = None,
                           ) -> tuple[Checked, Contribution]:
    """Check a programme and count it for the report, from the cache when no file, none of
    this code, and nothing ``today`` is compared with has changed: then no data is loaded."""
    return check_and_derive(root, display, today, DERIVED, progress=progress, on_total=on_total)


def _pairs(d: dict[Any, Any]) -> list[list[Any]]:
    return [[k, v] for k, v in d.items()]


def _encode_tally(t: _Tally) -> list[list[Any]]:
    """A tally as [field, value] pairs: dicts as pairs, sets as sorted lists."""
    out = []
    for f in fields(t):
        value = getattr(t, f.name)
        if isinstance(value, Measures):
            value = value.encode()
        elif isinstance(value, dict):
            value = _pairs(value)
        elif isinstance(value, set):
            value = sorted(map(list, value))
        out.append([f.name, value])
    return out


def _decode_tally(data: list[list[Any]]) -> _Tally:
    t = _Tally()
    for name, value in data:
        current = getattr(t, name)  # AttributeError: a field this code does not have
        if isinstance(current, Measures):
            t.measures = Measures.decode(value)
        elif isinstance(current, dict):
            current.update((k, v) for k, v in value)
        elif isinstance(current, set):
            current.update(map(tuple, value))
        else:
            setattr(t, name, value)
    return t


def _encode_cycle(c: Cycle) -> list[list[Any]]:
    """A cycle's fields as [name, value, is a date] (dates as ordinals: the models take
    dates only as dates)."""
    return [[k, v.toordinal(), True] if isinstance(v, dt.date) else [k, v, False]
            for k, v in as_dict(c).items()]


def _decode_cycle(data: list[list[Any]]) -> Cycle:
    fields: dict[str, Any] = {k: dt.date.fromordinal(v) if is_date else v
                              for k, v, is_date in data}
    return Cycle(**fields)


def _encode_part(p: Part) -> list[Any]:
    return [p.display, p.name, p.cycles,
            [[k, _encode_tally(t)] for k, t in p.groups.items()], _encode_tally(p.total),
            [[o.school, _encode_cycle(o.cycle), _pairs(o.counts), o.teaching_days_left]
             for o in p.running], _pairs(p.step_names)]


def _decode_part(data: list[Any]) -> Part:
    display, name, cycles, groups, total, running, steps = data
    return Part(display, name, list(cycles), {k: _decode_tally(t) for k, t in groups},
                _decode_tally(total),
                [OpenCycle(school, _decode_cycle(cycle), dict(counts), days)
                 for school, cycle, counts, days in running], dict(steps))


def _encode(c: Contribution) -> list[Any]:
    return [_encode_part(c.by_cycle), _encode_part(c.by_department), c.school, c.year,
            None if c.qa is None else list(astuple(c.qa)), _pairs(c.working),
            _pairs(c.secured), _pairs(c.secure_cycles), _pairs(c.secure_after), _pairs(c.load),
            [list(astuple(o)) for o in c.overloads], c.limit, c.target]


def _decode(data: list[Any]) -> Contribution:
    (by_cycle, by_department, school, year, qa, working, secured, secure_cycles, after, load,
     overloads, limit, target) = data
    return Contribution(
        _decode_part(by_cycle), _decode_part(by_department), school, year,
        None if qa is None else QaCoverage(*qa), dict(working), dict(secured),
        dict(secure_cycles), dict(after), dict(load), [Overload(*o) for o in overloads],
        limit, target)


DERIVED: Derived[Contribution] = Derived(
    CACHED, __name__, lambda checked, today: contribution(checked.programme, today),
    _encode, _decode)
