"""The school calendar: which days are teaching days, which half term a day is in.

Built from ``programme.yaml``'s ``calendar``: teaching happens on weekdays
inside a term, except on closures (INSET days, bank holidays). Holidays are
the gaps between terms, so a school types its term dates once and every
command (checks, ``cycle start``, ``schedule``, QA windows) agrees on them.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coachctl.fieldtypes import EARLIEST as EARLIEST  # with the other field constraints
from coachctl.fieldtypes import LATEST as LATEST
from coachctl.fieldtypes import WEEKDAYS, Weekday

if TYPE_CHECKING:  # what reads a calendar needs not build the record classes
    from coachctl.models import Calendar, Term

ONE_DAY = dt.timedelta(days=1)


def year_window(academic_year: str) -> tuple[dt.date, dt.date] | None:
    """The dates a programme's files may hold: the two calendar years its academic year
    touches ('2026-27': 2026-01-01 to 2027-12-31); None if the year is implausible.

    Everything a command plans (cycles, schedules, QA windows) lies in this
    window, so a typo such as a term ending in 2207 is an error (R020) instead
    of centuries of planned events.
    """
    try:
        first = int(academic_year[:4])
    except ValueError:
        return None
    if not EARLIEST.year <= first < LATEST.year:
        return None
    return dt.date(first, 1, 1), dt.date(first + 1, 12, 31)


@dataclass(frozen=True, slots=True)
class Holiday:
    name: str
    start: dt.date
    end: dt.date


def term_group(term: Term) -> str:
    """'Autumn 1' and 'Autumn 2' are both in the 'Autumn' term."""
    head, _, tail = term.name.rpartition(" ")
    return head if head and tail.isdigit() else term.name


class SchoolCalendar:
    def __init__(self, calendar: Calendar) -> None:
        self.terms = sorted(calendar.terms, key=lambda t: t.start)
        self._starts = [t.start for t in self.terms]
        self.closed: dict[dt.date, str] = {}
        for c in calendar.closures:
            day = c.start
            while day <= c.last:
                self.closed[day] = c.name
                day += ONE_DAY

    @property
    def first_day(self) -> dt.date:
        return self.terms[0].start

    @property
    def last_day(self) -> dt.date:
        return self.terms[-1].end

    def term_of(self, day: dt.date) -> Term | None:
        """The half term ``day`` falls in, or None in a holiday or outside the year."""
        i = bisect_right(self._starts, day) - 1
        if i >= 0 and day <= self.terms[i].end:
            return self.terms[i]
        return None

    def period_of(self, day: dt.date, cadence: str) -> str | None:
        """The QA window ('half-term', 'term' or 'year') a day belongs to, by name."""
        term = self.term_of(day)
        if term is None:
            i = bisect_right(self._starts, day) - 1  # a holiday counts with the term before it
            if i < 0 or day > self.last_day:
                return None
            term = self.terms[i]
        if cadence == "half-term":
            return term.name
        if cadence == "term":
            return term_group(term)
        return "year"

    def why_closed(self, day: dt.date) -> str | None:
        """None on a teaching day; otherwise what the day is (weekend, holiday, INSET ...)."""
        if day.weekday() >= 5:
            return "a weekend"
        if day in self.closed:
            return self.closed[day]
        if self.term_of(day) is None:
            for h in self.holidays():
                if h.start <= day <= h.end:
                    return h.name
            return "outside the school year"
        return None

    def is_teaching_day(self, day: dt.date) -> bool:
        return self.why_closed(day) is None

    def holidays(self) -> list[Holiday]:
        """The gaps between consecutive terms, named after the term they follow."""
        out = []
        for before, after in zip(self.terms, self.terms[1:], strict=False):
            if after.start - before.end > ONE_DAY:
                out.append(Holiday(f"holiday after {before.name}", before.end + ONE_DAY,
                                   after.start - ONE_DAY))
        return out

    def teaching_days(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """Teaching days from start to end; only the terms' days are visited, so the cost
        is bounded by the calendar, and no date arithmetic can overflow."""
        first, last = max(start, self.first_day), min(end, self.last_day)
        for n in range(first.toordinal(), last.toordinal() + 1):
            day = dt.date.fromordinal(n)
            if self.is_teaching_day(day):
                yield day

    def weekday_dates(self, start: dt.date, end: dt.date, weekday: Weekday) -> list[dt.date]:
        """Teaching days between start and end that fall on ``weekday`` (e.g. coaching day)."""
        target = WEEKDAYS.index(weekday)
        return [d for d in self.teaching_days(start, end) if d.weekday() == target]


# --- planning a cycle -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CyclePlan:
    """Dates for one cycle, worked out from the calendar and the programme's cycle rules."""

    start: dt.date
    end: dt.date
    coaching_days: tuple[dt.date, ...]
    """The coaching day of each week that has one (feedback meetings happen on these)."""
    lost_weeks: tuple[tuple[dt.date, str], ...]
    """(Monday, why) for each week inside the cycle with no coaching day: holiday, INSET ..."""
    truncated: bool = False
    """The school year ended before the cycle had all its weeks."""


def plan_cycle(cal: SchoolCalendar, after: dt.date, length_weeks: int, coaching_day: Weekday,
               holiday_weeks: str = "extend") -> CyclePlan | None:
    """The next cycle starting on or after ``after``; None if the year has no room left.

    A cycle never starts in a holiday: it starts on the first teaching day of
    the first week, on or after ``after``, whose coaching day is a teaching day.
    A week whose coaching day is lost (holiday, INSET, bank holiday) is
    skipped and the cycle extended (``extend``), or counted anyway and reported
    (``report``). The cycle ends on the last teaching day of its last week.
    """
    target = WEEKDAYS.index(coaching_day)
    if not EARLIEST <= after <= LATEST:
        return None
    monday = after - dt.timedelta(days=after.weekday())
    while True:  # find the first week with a usable coaching day
        day = monday + dt.timedelta(days=target)
        if monday > min(cal.last_day, LATEST):
            return None
        if day >= after and cal.is_teaching_day(day):
            break
        monday += dt.timedelta(days=7)
    start = next(d for d in cal.teaching_days(max(monday, after), day))
    coaching: list[dt.date] = []
    lost: list[tuple[dt.date, str]] = []
    weeks = 0
    last_monday = monday
    while weeks < length_weeks and monday <= min(cal.last_day, LATEST):
        day = monday + dt.timedelta(days=target)
        why = cal.why_closed(day)
        if why is None:
            coaching.append(day)
            weeks += 1
            last_monday = monday
        else:
            lost.append((monday, why))
            if holiday_weeks == "report":
                weeks += 1
                last_monday = monday
        monday += dt.timedelta(days=7)
    end = max(cal.teaching_days(last_monday, last_monday + dt.timedelta(days=4)), default=None)
    if end is None:  # the last counted week had no teaching at all (report mode)
        end = coaching[-1]
    return CyclePlan(start, end, tuple(coaching), tuple(lost), truncated=weeks < length_weeks)


# --- a typical English school year ------------------------------------------------------

def easter(year: int) -> dt.date:
    """Easter Sunday (Gregorian; the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    month, day = divmod(h + ll - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _weekday_from(day: dt.date) -> dt.date:
    return day if day.weekday() < 5 else _on_or_after(day, 0)


def _last(year: int, month: int, weekday: int) -> dt.date:
    end = dt.date(year + month // 12, month % 12 + 1, 1) - ONE_DAY
    return end - dt.timedelta(days=(end.weekday() - weekday) % 7)


def english_year(start_year: int) -> Calendar:
    """Term dates shaped like a typical English local authority's for ``start_year``-``+1``.

    Six half terms, five INSET days and the bank holidays that fall in term
    (:func:`english_bank_holidays`).
    A school edits the result to its own published dates; ``init`` and the
    example generator start from it.
    """
    from coachctl.models import Calendar, Closure, Term

    mon, fri, y1 = 0, 4, start_year + 1
    week = dt.timedelta(days=7)
    a1 = _weekday_from(dt.date(start_year, 9, 1))
    oct_break = _last(start_year, 10, mon)
    a2 = oct_break + week
    a2_end = _on_or_after(dt.date(start_year, 12, 14), fri)
    s1 = _weekday_from(dt.date(y1, 1, 4))
    feb_break = _on_or_after(dt.date(y1, 2, 12), mon)
    easter_day = easter(y1)
    s2_end = easter_day - dt.timedelta(days=3)  # Maundy Thursday
    su1 = easter_day + dt.timedelta(days=15)  # two weeks' holiday
    whit = _last(y1, 5, mon)
    su2_end = _on_or_after(dt.date(y1, 7, 16), 2)  # a Wednesday around 20 July
    terms = [
        Term(name="Autumn 1", start=a1, end=oct_break - dt.timedelta(days=3)),
        Term(name="Autumn 2", start=a2, end=a2_end),
        Term(name="Spring 1", start=s1, end=feb_break - dt.timedelta(days=3)),
        Term(name="Spring 2", start=feb_break + week, end=s2_end),
        Term(name="Summer 1", start=su1, end=whit - dt.timedelta(days=3)),
        Term(name="Summer 2", start=whit + week, end=su2_end),
    ]
    a1_second = a1 + ONE_DAY if a1.weekday() < 4 else a1 + dt.timedelta(days=3)
    closures = [
        Closure(name="INSET day", kind="inset", start=a1, end=a1_second),
        Closure(name="INSET day", kind="inset", start=s1),
        Closure(name="INSET day", kind="inset", start=whit + week),
        Closure(name="INSET day", kind="inset", start=su2_end),
    ]
    teaching = SchoolCalendar(Calendar(terms=terms, closures=closures))
    closures += [Closure(name=name, kind="bank-holiday", start=day)
                 for day, name in english_bank_holidays(a1, su2_end)
                 if teaching.is_teaching_day(day)]
    return Calendar(terms=terms, closures=sorted(closures, key=lambda c: c.start))


def english_bank_holidays(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """England's bank holidays from ``first`` to ``last``, with their names, in date order.

    From the ``holidays`` library (``GB``, subdivision ``ENG``), which follows the
    proclamations: moved and extra days such as VE Day 2020 (8 May, not 4 May), the
    2022 state funeral and the 2023 coronation are in it.
    """
    import holidays

    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first.year, last.year + 1))
    return sorted((day, str(name)) for day, name in days.items() if first <= day <= last)
