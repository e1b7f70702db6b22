"""One programme's stats tally, kept in its cache so a warm ``stats`` over a trust loads no
notes: :func:`stats_part` gives what :func:`~coachctl.reports.stats.tally` would, from
``.coachctl-cache/stats-by-<grouping>.msgpack`` while no file, no code of the report, and
no comparison of ``today`` with the programme's dates has changed (see
:func:`~coachctl.validation.check_and_derive`). The document holds counts, ids, cycle
numbers and dates only: never a note's text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coachctl.reports.measures import Measures
from coachctl.reports.stats import OpenCycle, Part, _Tally, tally
from coachctl.validation import Checked, Derived, check_and_derive

_COUNTS = ("complete", "praise", "modelled", "rehearsed", "with_step", "in_sequence", "runs",
           "run_cycles", "secured", "drop_ins")


def _encode_tally(t: _Tally) -> list[Any]:
    return [list(t.states.items()), [[c, p, d] for c, (p, d) in t.by_cycle.items()],
            [getattr(t, name) for name in _COUNTS], sorted(coachee for _, coachee in t.coachees),
            t.measures.encode()]


def _decode_tally(value: list[Any], who: str) -> _Tally:
    """A tally as saved, its people keyed on this programme's root ``who`` as it is now
    (the folder may have moved since: a CI runner restores the cache into a new clone)."""
    states, by_cycle, counts, coachees, measures = value
    t = _Tally(**dict(zip(_COUNTS, counts, strict=True)))
    t.measures = Measures.decode(measures)
    t.measures.due = {(who, b, c): v for (_, b, c), v in t.measures.due.items()}
    t.measures.loads = {(who, b, c): v for (_, b, c), v in t.measures.loads.items()}
    t.states.update((str(state), int(n)) for state, n in states)
    for c, p, d in by_cycle:
        t.by_cycle[c] = [p, d]
    t.coachees = {(who, str(coachee)) for coachee in coachees}
    return t


def encode_part(part: Part) -> list[Any]:
    """A :class:`Part` as plain data: :func:`decode_part` gives it back."""
    return [part.display, part.name, part.cycles,
            [[k, _encode_tally(t)] for k, t in part.groups.items()], _encode_tally(part.total),
            [[o.school, o.number, o.start.toordinal(), o.end.toordinal(), list(o.counts.items()),
              o.teaching_days_left]
             for o in part.running], list(part.step_names.items())]


def decode_part(value: list[Any], who: str) -> Part:
    """A :class:`Part` as :func:`encode_part` wrote it, for the programme at ``who``."""
    display, name, cycles, groups, total, running, names = value
    return Part(display, name, list(cycles), {k: _decode_tally(t, who) for k, t in groups},
                _decode_tally(total, who),
                [OpenCycle(school, number, dt.date.fromordinal(start), dt.date.fromordinal(end),
                           dict(counts), days)
                 for school, number, start, end, counts, days in running], dict(names))


def _encode(found: tuple[Part, bool], key: list[Any]) -> list[Any]:
    part, has_cycle = found
    return [key, has_cycle, *encode_part(part)]


def _decoder(key: list[Any], who: str) -> Callable[[Any], tuple[Part, bool]]:
    def decode(value: Any) -> tuple[Part, bool]:
        saved, has_cycle, *part = value
        if saved != key:
            raise ValueError("saved for other options")
        return decode_part(part, who), bool(has_cycle)
    return decode


def stats_part(root: Path, display: str | None, today: dt.date, by: str, cycle: int | None,
               since: int | dt.date | None, *, progress: Callable[[int], None] | None = None,
               on_total: Callable[[int], None] | None = None) -> tuple[Checked, Part, bool]:
    """A programme checked, its :class:`Part` for these options, and whether it has cycle
    ``cycle`` (any, without one): from the cache when nothing they depend on changed."""
    key = [by, cycle, since.toordinal() if isinstance(since, dt.date) else since,
           isinstance(since, dt.date)]

    def compute(checked: Checked, day: dt.date) -> tuple[Part, bool]:
        prog = checked.programme
        return tally(prog, day, by, cycle, since), cycle is None or cycle in prog.cycles

    derived = Derived(f"stats-by-{by}.msgpack", __name__, compute,
                      lambda found: _encode(found, key), _decoder(key, str(root)))
    checked, (part, has_cycle) = check_and_derive(root, display, today, derived,
                                                  progress=progress, on_total=on_total)
    return checked, part, has_cycle
