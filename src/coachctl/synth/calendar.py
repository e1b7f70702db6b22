"""A school's calendar for one year (an English year, one INSET day of its own) and its cycles."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from coachctl.calendar import ONE_DAY, CyclePlan, SchoolCalendar, english_year, plan_cycle
from coachctl.models import Calendar, Closure, CycleRules


def school_calendar(rng: random.Random, start_year: int) -> Calendar:
    """A typical English year plus one school-specific INSET day in Spring 1."""
    base = english_year(start_year)
    cal = SchoolCalendar(base)
    spring = base.terms[2]
    days = [d for d in cal.teaching_days(spring.start + 7 * ONE_DAY, spring.end)
            if d.weekday() in (0, 4)]
    extra = Closure(name="INSET day (school)", kind="inset", start=rng.choice(days))
    return replace(base, closures=sorted([*base.closures, extra], key=lambda c: c.start))


def cycle_plans(cal: SchoolCalendar, rules: CycleRules, today: dt.date) -> list[CyclePlan]:
    """Every cycle of the year that has started by ``today``, back to back."""
    plans: list[CyclePlan] = []
    after = cal.first_day
    while True:
        plan = plan_cycle(cal, after, rules.length_weeks, rules.coaching_day,
                          rules.holiday_weeks)
        if plan is None or plan.start > today:
            return plans
        plans.append(plan)
        after = plan.end + ONE_DAY
