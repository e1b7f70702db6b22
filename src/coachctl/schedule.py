"""The dates people need, as events: windows, meetings, Teach Meets, CPL, QA windows.

Worked out from the programme alone (cycle files, planned cycles for the rest
of the year, pairings, the calendar), so the same files always give the same
events, and each event has a stable ``key`` a calendar export can turn into a
UID: re-exporting updates events instead of duplicating them.

Times are local school time (naive datetimes, in :data:`TZID`; :func:`local` gives the
offset); all-day events have dates and an inclusive last day.

An event concerns everyone, or the people it names: a feedback meeting its coach and
coachee (its title names them, from staff.yaml); a Teach Meet and its CPL parts the
coaches of the cycle it falls in (:attr:`Event.attendees`).

Teach Meets fall on every ``teach_meet_every``-th coaching day of the cycles
(so every cycle's feedback day when it equals the cycle length). A Teach Meet
starts at the coaching time (``meeting_minutes`` long) and the CPL session
follows in three equal parts (20:20:20 for 60 minutes). On that day a
reciprocal pair's feedback is their CPL part (partner A, the first named in
pairings.yaml, is coached in part 2, partner B in part 3); other feedback
meetings come after the CPL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from coachctl import models as m
from coachctl.calendar import ONE_DAY, SchoolCalendar
from coachctl.cycledates import CycleDates, year_cycles
from coachctl.programme import Programme
from coachctl.sessions import pairs_in

CPL_PARTS = ("coaches' deliberate practice",
             "partner A's feedback, scripting and rehearsal",
             "partner B's feedback, scripting and rehearsal")
PARTNER_PART = {0: 2, 1: 3}
"""The CPL part in which a reciprocal pair's partner (by position) gets feedback."""
TZID = "Europe/London"
"""The school's time zone: every naive time in an event is local time there."""


def local(value: dt.date) -> dt.date:
    """A naive local time made aware (with its offset on that date); a date as it is."""
    return value.replace(tzinfo=ZoneInfo(TZID)) if isinstance(value, dt.datetime) else value


@dataclass(frozen=True, slots=True)
class Event:
    key: str
    """Stable identity within the programme, e.g. ``cycle-04.feedback.asmith--bjones``."""
    kind: str
    """observation-window, feedback, teach-meet, cpl or qa-window."""
    title: str
    start: dt.date
    """A date (all-day event) or a naive local datetime."""
    end: dt.date
    """The last day (inclusive) of an all-day event, or the end time of a timed one."""
    cycle: int | None = None
    status: str | None = None
    """The cycle's status: open, closed or planned (None for events outside cycles)."""
    coach: str | None = None
    coachee: str | None = None
    attendees: tuple[str, ...] = ()
    """Staff ids the event concerns when it is not a pair's meeting (a Teach Meet's coaches)."""

    @property
    def people(self) -> tuple[str, ...]:
        """Whom the event concerns: its attendees, or its coach and coachee; none means
        everyone."""
        return self.attendees or tuple(p for p in (self.coach, self.coachee) if p)

    @property
    def everyone(self) -> bool:
        return not self.people

    def listed(self, for_person: str | None = None) -> tuple[str, ...]:
        """Whom a calendar lists for the event (its iCalendar ATTENDEEs, JSON's
        ``attendees``): :attr:`people`; in one person's calendar (``for_person``) a Teach
        Meet's coaches are that person alone: fifty coaches on every Teach Meet and CPL
        part made each of eighty calendars 400 kB."""
        if for_person is not None and self.attendees:
            return tuple(p for p in self.people if p == for_person)
        return self.people

    def sort_key(self) -> tuple[dt.datetime, str]:
        start = self.start if isinstance(self.start, dt.datetime) else \
            dt.datetime.combine(self.start, dt.time())
        return (start, self.key)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def events(prog: Programme) -> list[Event]:
    """Every event of the programme's year, in time order."""
    assert prog.settings is not None
    rules = prog.settings.cycles
    cal = SchoolCalendar(prog.settings.calendar)
    at = dt.time.fromisoformat(rules.coaching_time)
    cycles = year_cycles(prog)
    out: list[Event] = []
    meets: dict[dt.date, list[Event]] = {}
    if rules.teach_meet_every:
        days = [d for c in cycles for d in cal.weekday_dates(c.start, c.end, rules.coaching_day)]
        for n, day in enumerate(days[rules.teach_meet_every - 1::rules.teach_meet_every], 1):
            meets[day] = _teach_meet(n, dt.datetime.combine(day, at), rules.meeting_minutes,
                                     rules.cpl_minutes)
            coaches = _coaches_on(prog, cycles, day)
            meets[day] = [replace(e, attendees=coaches) for e in meets[day]]
            out.extend(meets[day])
    for c in cycles:
        out.append(_window(cal, c))
        meet = meets.get(c.feedback_day, [])
        start = meet[-1].end if meet else dt.datetime.combine(c.feedback_day, at)
        for p in pairs_in(prog, c.number, c.feedback_day).pairs:
            part, s, e = (None, start, start + dt.timedelta(minutes=rules.meeting_minutes))
            if isinstance(p.source, m.Reciprocal) and len(meet) > len(CPL_PARTS):
                part = PARTNER_PART[p.source.staff.index(p.coachee)]
                s, e = meet[part].start, meet[part].end
            title = feedback_title(prog, p.coach, p.coachee, c.number, part)
            out.append(Event(f"cycle-{c.number:02d}.feedback.{p.coach}--{p.coachee}",
                             "feedback", title, s, e, c.number, c.status, p.coach, p.coachee))
    out.extend(qa_windows(prog, cal))
    out.sort(key=Event.sort_key)
    return out


def name_of(prog: Programme, staff_id: str) -> str:
    """A person's name from staff.yaml, or their id if they are not there."""
    person = prog.staff.get(staff_id)
    return person.name if person else staff_id


def feedback_title(prog: Programme, coach: str, coachee: str, cycle: int,
                   part: int | None) -> str:
    """``Feedback: Aisha Osei with Dan Clarke (cycle 4)``: the coach, then the coachee, by
    name; on a Teach Meet day a reciprocal pair's meeting is their CPL part."""
    when = f"cycle {cycle}" + (f", CPL part {part}" if part else "")
    return f"Feedback: {name_of(prog, coach)} with {name_of(prog, coachee)} ({when})"


def _coaches_on(prog: Programme, cycles: list[CycleDates], day: dt.date) -> tuple[str, ...]:
    """The coaches a Teach Meet on ``day`` concerns: those coaching in the cycle it falls in
    (every coach on the staff that day outside a cycle)."""
    c = next((c for c in cycles if c.start <= day <= c.end), None)
    if c is not None:
        return tuple(sorted({p.coach for p in pairs_in(prog, c.number, day).pairs}))
    return tuple(sorted(i for i, s in prog.staff.items() if s.coach and s.active_on(day)))


def _window(cal: SchoolCalendar, c: CycleDates) -> Event:
    last = max(cal.teaching_days(c.start, c.feedback_day - ONE_DAY), default=c.start)
    return Event(f"cycle-{c.number:02d}.observation", "observation-window",
                 f"Cycle {c.number} observation window", c.start, last, c.number, c.status)


def _teach_meet(n: int, start: dt.datetime, minutes: int, cpl_minutes: int) -> list[Event]:
    end = start + dt.timedelta(minutes=minutes)
    out = [Event(f"teach-meet-{n:02d}", "teach-meet", f"Teach Meet {n}", start, end)]
    part, extra = divmod(cpl_minutes, len(CPL_PARTS))
    for i, what in enumerate(CPL_PARTS if cpl_minutes else (), 1):
        start, end = end, end + dt.timedelta(minutes=part + (extra if i == len(CPL_PARTS)
                                                             else 0))
        out.append(Event(f"teach-meet-{n:02d}.cpl-{i}", "cpl",
                         f"CPL {i}/{len(CPL_PARTS)}: {what}", start, end))
    return out


def qa_windows(prog: Programme, cal: SchoolCalendar) -> list[Event]:
    """One window per QA period (half term, term or year) to observe each coach coaching,
    from its first teaching day to its last."""
    assert prog.settings is not None
    spans: dict[str, tuple[dt.date, dt.date]] = {}
    for t in cal.terms:
        name = cal.period_of(t.start, prog.settings.qa.observe_each_coach) or t.name
        first, _ = spans.get(name, (t.start, t.end))
        spans[name] = (first, t.end)
    return [Event(f"qa-window.{slug(name)}", "qa-window", f"QA window ({name})",
                  next(cal.teaching_days(first, last), first),
                  max(cal.teaching_days(first, last), default=last))
            for name, (first, last) in spans.items()]


def select(found: list[Event], prog: Programme, *, staff: str | None = None,
           cycle: int | None = None, start: dt.date | None = None,
           end: dt.date | None = None) -> list[Event]:
    """Events for one person (those that concern them, :attr:`Event.people`, and everyone's
    events), cycle or date range.

    A cycle selects its own events and everyone's events that fall within its dates.
    """
    span = None
    if cycle is not None:
        c = next((c for c in year_cycles(prog) if c.number == cycle), None)
        span = (c.start, c.end) if c else None

    def day(d: dt.date) -> dt.date:
        return d.date() if isinstance(d, dt.datetime) else d

    def keep(e: Event) -> bool:
        if staff is not None and not (e.everyone or staff in e.people):
            return False
        if cycle is not None and e.cycle != cycle and not (
                e.cycle is None and span and day(e.start) <= span[1] and day(e.end) >= span[0]):
            return False
        if start is not None and day(e.end) < start:
            return False
        return end is None or day(e.start) <= end

    return [e for e in found if keep(e)]


def stamp(prog: Programme) -> dt.datetime:
    """A DTSTAMP from the data, not the clock: the latest cycle's start, or the year's.

    Exporting the same files twice gives byte-identical calendars.
    """
    assert prog.settings is not None
    starts = [c.start for c in prog.cycles.values()]
    first = min(t.start for t in prog.settings.calendar.terms)
    return dt.datetime.combine(max([first, *starts]), dt.time(), dt.UTC)


def calendar_id(prog: Programme) -> str:
    """The programme's part of every UID: school and year, not the folder it sits in."""
    assert prog.settings is not None
    return f"{slug(prog.settings.school)}.{prog.settings.academic_year}"
