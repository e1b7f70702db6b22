"""Dates must be in order, on teaching days, before anyone's leaving day, and within the
academic year (R005, R011, R016, R020)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from coachctl.calendar import EARLIEST, LATEST, SchoolCalendar, year_window
from coachctl.codes import Code, E
from coachctl.diagnostics import Diagnostic, Pointer, make
from coachctl.models import Cycle
from coachctl.programme import Programme

R011 = Code("R011", E, "date order",
            "An end comes before its start (a term, a closure, a cycle, or a person's "
            "joined/left dates), or cycles or terms overlap.",
            "start: 2026-11-12\nend: 2026-10-01\n", "Swap or correct the dates.")


def date_order(prog: Programme) -> Iterator[Diagnostic]:
    """R011: every end is on or after its start; terms and cycles do not overlap."""
    if prog.settings:
        path = prog.path("programme.yaml")
        terms = prog.settings.calendar.terms
        for i, t in enumerate(terms):
            if t.end < t.start:
                yield make(R011, f"term '{t.name}' ends before it starts", path,
                           ("calendar", "terms", i, "end"))
            if i and t.start <= terms[i - 1].end:
                yield make(R011, f"term '{t.name}' starts before '{terms[i - 1].name}' ends",
                           path, ("calendar", "terms", i, "start"),
                           hint="list terms in date order, without overlaps")
        for i, c in enumerate(prog.settings.calendar.closures):
            if c.end is not None and c.end < c.start:
                yield make(R011, f"closure '{c.name}' ends before it starts", path,
                           ("calendar", "closures", i, "end"))
    for i, person in enumerate(prog.staff_file.staff if prog.staff_file else []):
        if person.joined and person.left and person.left < person.joined:
            yield make(R011, f"'{person.id}' left before joining", prog.path("staff.yaml"),
                       ("staff", i, "left"))
    previous: Cycle | None = None
    for number in sorted(prog.cycles):
        cycle, path = prog.cycles[number], prog.path(prog.cycle_paths[number])
        if cycle.end < cycle.start:
            yield make(R011, f"cycle {number} ends before it starts", path, ("end",))
        if previous is not None and cycle.start <= previous.end:
            yield make(R011, f"cycle {number} starts before cycle {previous.number} ends "
                       f"({previous.end})", path, ("start",))
        previous = cycle


R016 = Code("R016", E, "cycle on a non-teaching day",
            "A cycle starts or ends in a holiday, on an INSET day or at a weekend.",
            "start: 2026-10-29   # half-term holiday\n",
            "Move the date to a teaching day (`coachctl cycle start` works dates out for you).")


def cycle_days(prog: Programme) -> Iterator[Diagnostic]:
    """R016: a cycle starts and ends on teaching days."""
    if not prog.settings:
        return
    cal = SchoolCalendar(prog.settings.calendar)
    for number in sorted(prog.cycles):
        c = prog.cycles[number]
        for key, day in (("start", c.start), ("end", c.end)):
            why = cal.why_closed(day)
            if why:
                yield make(R016, f"cycle {number} {key}s on {day}, which is {_article(why)}",
                           prog.path(prog.cycle_paths[number]), (key,))


def _article(why: str) -> str:
    return why if why.startswith(("a ", "the ", "outside", "holiday")) else f"'{why}'"


R005 = Code("R005", E, "leaver active after leaving",
            "A note or QA record dated after a person's `left` date, or a pairing still in "
            "force after their last cycle (the latest cycle, on file or planned, that starts "
            "on or before the `left` date): its `until_cycle` is missing or later. History "
            "before they left stays valid.",
            "# staff.yaml: left: 2026-10-31 (in cycle 3)\n"
            "date: 2026-11-12   # note with that coach\n"
            "# pairings.yaml: {coach: asmith, coachees: [bjones]}   # no until_cycle\n",
            "Check the date; `coachctl staff leave ID --date DATE` records a leaver, ends "
            "their pairings with `until_cycle` and lists who needs a new coach.")


def leavers(prog: Programme) -> Iterator[Diagnostic]:
    """R005: no note or QA record involves someone after their leaving day."""
    def after_leaving(who: str, day: dt.date | None) -> dt.date | None:
        person = prog.staff.get(who)
        if person and person.left and day and day > person.left:
            return person.left
        return None

    for n in prog.notes:
        for key, who in (("coach", n.coach), ("coachee", n.coachee)):
            left = after_leaving(who, n.date)
            if left:
                yield make(R005, f"{key} '{who}' left on {left}; this note is dated {n.date}",
                           prog.path(n.path), ("date",), subject=who)
    for rel, q in prog.all_qa:
        for key, who in (("coach", q.coach), ("by", q.by)):
            left = after_leaving(who, q.date)
            if left:
                yield make(R005, f"{key} '{who}' left on {left}; this record is dated {q.date}",
                           prog.path(rel), ("date",), subject=who)


R020 = Code("R020", E, "date far outside the academic year",
            "Every date of the calendar, the cycles, notes and QA records lies in the two "
            "calendar years the academic year touches (2026-01-01 to 2027-12-31 for "
            "2026-27). A date beyond them is almost always a typo (2207 for 2027), and "
            "planning around it would fill centuries with events, so commands that plan "
            "(schedule, cycle start, cycle status) refuse to until it is fixed.",
            "# programme.yaml, academic_year: 2026-27\ncalendar:\n  terms:\n"
            "    - {name: Summer 2, start: 2027-06-07, end: 2207-07-21}\n",
            "Correct the year; for a new school year, start a new programme folder.")


def year_bounds(prog: Programme) -> Iterator[Diagnostic]:
    """R020: the calendar, cycles, notes and QA records hold dates of the academic year
    (within the two calendar years it touches); no command plans beyond them."""
    if not prog.settings:
        return
    path = prog.path("programme.yaml")
    window = year_window(prog.settings.academic_year)
    if window is None:
        yield make(R020, f"academic year '{prog.settings.academic_year}' is not between "
                   f"{EARLIEST.year} and {LATEST.year - 1}", path, ("academic_year",))
        return
    first, last = window
    year = prog.settings.academic_year

    def outside(dates: Iterable[tuple[str, Pointer, dt.date | None, str]]
                ) -> Iterator[Diagnostic]:
        for where, pointer, day, what in dates:
            if day is not None and not first <= day <= last:
                yield make(R020, f"{what} is {day}, far outside the academic year {year} "
                           f"({first} to {last})", where, pointer,
                           hint="check the year: a typo here would plan across years")

    cal = prog.settings.calendar
    yield from outside(
        [(path, ("calendar", "terms", i, key), getattr(t, key), f"term '{t.name}' {key}")
         for i, t in enumerate(cal.terms) for key in ("start", "end")]
        + [(path, ("calendar", "closures", i, key), getattr(c, key),
            f"closure '{c.name}' {key}")
           for i, c in enumerate(cal.closures) for key in ("start", "end")]
        + [(prog.path(prog.cycle_paths[n]), (key,), getattr(c, key), f"cycle {n} {key}")
           for n, c in sorted(prog.cycles.items()) for key in ("start", "end")]
        + [(prog.path(n.path), ("date",), n.date, "the note's date") for n in prog.notes]
        + [(prog.path(rel), ("date",), q.date, "the record's date") for rel, q in prog.all_qa])


def far_dates(prog: Programme) -> list[Diagnostic]:
    """R020's diagnostics: dates no command should plan with (see :func:`year_bounds`)."""
    return list(year_bounds(prog))


CHECKS = (date_order, cycle_days, leavers, year_bounds)
ON_RECORDS = (leavers, year_bounds)
CODES = (R011, R016, R005, R020)
