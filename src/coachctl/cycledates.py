"""A cycle's dates: those on file, the next one, and the rest of the year planned.

Cycle dates come from the school calendar (:func:`coachctl.calendar.plan_cycle`)
and programme.yaml's cycle rules; the cross-file checks use them as much as
``cycle start`` does, so they live apart from :mod:`coachctl.lifecycle`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coachctl import models as m
from coachctl.calendar import ONE_DAY, CyclePlan, SchoolCalendar, plan_cycle
from coachctl.programme import Programme
from coachctl.sessions import feedback_day

# --- dates ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CycleDates:
    """A cycle on file or planned: its dates and the day of its feedback meetings."""

    number: int
    start: dt.date
    end: dt.date
    feedback_day: dt.date
    status: str
    """'open' or 'closed' (on file), or 'planned' (worked out, not opened yet)."""
    lost_weeks: tuple[tuple[dt.date, str], ...] = ()
    truncated: bool = False


def dates_of(prog: Programme, number: int) -> CycleDates:
    """The dates of cycle ``number``, on file."""
    assert prog.settings is not None
    c = prog.cycles[number]
    cal = SchoolCalendar(prog.settings.calendar)
    return CycleDates(number, c.start, c.end,
                      feedback_day(cal, prog.settings.cycles, c.start, c.end), c.status)


def as_planned(number: int, plan: CyclePlan) -> CycleDates:
    return CycleDates(number, plan.start, plan.end, plan.coaching_days[-1], "planned",
                      plan.lost_weeks, plan.truncated)


def next_cycle(prog: Programme, cal: SchoolCalendar, rules: m.CycleRules,
               today: dt.date | None = None) -> CycleDates | None:
    """The cycle after the latest on file, starting no earlier than ``today`` if given."""
    latest = max(prog.cycles.values(), key=lambda c: c.number, default=None)
    after = latest.end + ONE_DAY if latest else cal.first_day
    if today is not None:
        after = max(after, today)
    plan = plan_after(cal, rules, after)
    return as_planned(latest.number + 1 if latest else 1, plan) if plan else None


def plan_after(cal: SchoolCalendar, rules: m.CycleRules, after: dt.date) -> CyclePlan | None:
    return plan_cycle(cal, after, rules.length_weeks, rules.coaching_day, rules.holiday_weeks)


def year_cycles(prog: Programme) -> list[CycleDates]:
    """Every cycle of the year: those on file, then the rest planned to the year's end.

    Planned cycles follow each other from the latest cycle on file, so the
    answer depends on the files only (not on the day it is asked).
    """
    assert prog.settings is not None
    rules = prog.settings.cycles
    cal = SchoolCalendar(prog.settings.calendar)
    out = [dates_of(prog, n) for n in sorted(prog.cycles)]
    after = out[-1].end + ONE_DAY if out else cal.first_day
    number = out[-1].number if out else 0
    while (plan := plan_after(cal, rules, after)) is not None:
        number += 1
        out.append(as_planned(number, plan))
        after = plan.end + ONE_DAY
    return out
