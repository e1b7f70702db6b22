"""A cycle's life: planning and opening it, following its notes, closing it.

``cycle start`` decides which cycle to work on and what to write (a note stub
per pair, then the cycle file), ``cycle status`` says where each pair stands,
``cycle close`` marks a cycle done. The rules, in one place:

* The next cycle starts after the latest cycle on file ends, on or after the
  date it is opened (a cycle is never opened in the past), at the year's first
  teaching week if there is no cycle yet. Its dates come from
  :func:`coachctl.calendar.plan_cycle`.
* Without an explicit number, the latest cycle is *completed* (missing stubs
  written) while it is open and has not ended; a new cycle is opened once it
  has ended or been closed. So running ``cycle start`` twice does nothing the
  second time, and re-running an interrupted run finishes its work.
* Stubs are written first and the cycle file last: a cycle is visible only
  once all its stubs exist.
* A pair's feedback meeting, and its stub's date, is the cycle's last coaching
  day; the weeks before it are the observation window.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coachctl import models as m
from coachctl.calendar import ONE_DAY, SchoolCalendar
from coachctl.cycledates import CycleDates, as_planned, dates_of, next_cycle, plan_after
from coachctl.diagnostics import Diagnostic, Severity
from coachctl.journeys import Journey, journeys
from coachctl.layout import cycle_path, note_path, notes_folder
from coachctl.programme import Programme
from coachctl.sessions import Pairs, Session, counts, pairs_in, sessions

if TYPE_CHECKING:
    from coachctl import yamledit

MAX_CYCLE = 99
"""Cycle numbers run from 1 to 99 (two digits in file names; the format's limit)."""


# --- files --------------------------------------------------------------------------------

STUB_HEADER = """\
Session note: {coach} coaches {coachee} in cycle {cycle}{dates}.
After the feedback meeting, fill in each field and set status: complete
(or status: missed, saying why under missed_reason). Type sentences on the
lines under a `|`, indented two spaces: any words, colons, # signs, quotes and
apostrophes are fine there. Describe practice, never judge the person.
Guide: docs/for-staff.md in the coachctl documentation."""


def stub_text(cycle: CycleDates, coach: str, coachee: str, day: dt.date, step: str | None,
              observation: str | None = None) -> str:
    """A note stub: who, which cycle (its dates in the header), the planned day and the step
    to work on; every other field of the template empty, each free-text field an empty
    block under its prompt.

    The header's dates let a re-run of an interrupted ``cycle start`` open the
    cycle its stubs were planned for, whatever day it is re-run on.
    """
    from coachctl.yamlout import note_text  # only writers need it: reports stay light

    return note_text({"coach": coach, "coachee": coachee, "cycle": cycle.number,
                      "status": "stub", "date": day, "observation": observation,
                      "action_step": step, "step_secured": False},
                     stub_header(coach, coachee, cycle.number, (cycle.start, cycle.end)))


def stub_header(coach: str, coachee: str, cycle: int,
                dates: tuple[dt.date, dt.date] | None = None) -> str:
    """The comment a note starts with; a stub's carries its cycle's dates."""
    when = f" ({dates[0]} to {dates[1]})" if dates else ""
    return STUB_HEADER.format(coach=coach, coachee=coachee, cycle=cycle, dates=when)


_STUB_DATES = re.compile(rb"^# Session note: \S+ coaches \S+ in cycle (\d+) "
                         rb"\((\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)\)\.", re.MULTILINE)


def _interrupted(prog: Programme, cal: SchoolCalendar, rules: m.CycleRules, number: int,
                 after: dt.date) -> CycleDates | None:
    """The cycle an interrupted ``cycle start`` was opening: its stubs exist, its cycle file
    does not. Its dates come from the stubs' header (or, if edited away, the first plan
    from ``after`` whose feedback day is the stubs' date), so a re-run on a later day
    completes that cycle rather than planning another around the stubs."""
    stubs = [n for n in prog.notes if n.cycle == number and n.status == "stub"]
    day = next((n.date for n in stubs if n.date is not None), None)
    if day is None:
        return None
    for n in stubs[:20]:
        try:
            head = (prog.root / n.path).read_bytes()[:1024]
        except OSError:
            continue
        found = _STUB_DATES.search(head)
        if found and int(found[1]) == number:
            plan = plan_after(cal, rules, dt.date.fromisoformat(found[2].decode()))
            if plan and plan.start.isoformat() == found[2].decode() \
                    and plan.end.isoformat() == found[3].decode():
                return as_planned(number, plan)
    while (plan := plan_after(cal, rules, after)) is not None and plan.coaching_days[-1] <= day:
        if plan.coaching_days[-1] == day:
            return as_planned(number, plan)
        after = plan.start + dt.timedelta(days=7 - plan.start.weekday())
    return None


def cycle_text(cycle: m.Cycle) -> str:
    from coachctl.yamlout import dump

    return dump(m.as_dict(cycle), f"Cycle {cycle.number}, opened by `coachctl cycle start`; "
                "`coachctl cycle close` marks it closed.")


def current_step(prog: Programme, coachee: str,
                 journey_of: dict[str, Journey] | None = None) -> str | None:
    """The step a coachee works on next (None when the school has no sequence): from
    their notes, starting at their ``start_step`` if staff.yaml gives one."""
    if not prog.sequence_ids:
        return None
    if journey_of is None:
        journey_of = journeys(prog.notes)
    journey = journey_of.get(coachee, Journey(coachee))
    person = prog.staff.get(coachee)
    return journey.current_step(prog.sequence_ids, person.start_step if person else None)


# --- cycle start ----------------------------------------------------------------------------

@dataclass
class StartPlan:
    """What ``cycle start`` will do: the cycle, the files to write (cycle file last)."""

    cycle: CycleDates
    is_new: bool
    """True: open a new cycle. False: complete the missing stubs of one on file."""
    pairs: Pairs
    files: list[tuple[str, str]] = field(default_factory=list)
    """(programme-relative path, text) to write, in order; the cycle file comes last."""
    kept: list[str] = field(default_factory=list)
    """Stubs that already exist and are left alone."""
    problems: list[Diagnostic] = field(default_factory=list)
    """Errors the cross-file checks would find only once these files exist."""
    resolved: set[tuple[str, str, str]] = field(default_factory=set)
    """Errors these files put right: a stub whose cycle file an interrupted run never wrote."""

    def blocking(self, errors: Iterable[Diagnostic]) -> list[Diagnostic]:
        """The errors that forbid writing: the programme's, less those the plan resolves,
        and those the plan would bring (e.g. a coachee with two coaches in the new cycle)."""
        return [d for d in errors if _key(d) not in self.resolved] + self.problems


class CannotStart(Exception):
    """No cycle can be opened (the year is over, a number is out of order)."""


def plan_start(prog: Programme, today: dt.date, number: int | None = None) -> StartPlan | str:
    """Decide what ``cycle start`` writes; a string says why there is nothing to do."""
    assert prog.settings is not None
    rules = prog.settings.cycles
    cal = SchoolCalendar(prog.settings.calendar)
    latest = max(prog.cycles.values(), key=lambda c: c.number, default=None)
    if number is None and latest is not None and latest.status == "open" and latest.end >= today:
        number = latest.number  # still running: complete it rather than open another
    if number is not None and number in prog.cycles:
        target = dates_of(prog, number)
        if target.status == "closed":
            return f"cycle {number} is closed; nothing to do"
        is_new = False
    else:
        if number is not None and latest is not None and number < latest.number:
            raise CannotStart(f"cycle {number} would come after cycle {latest.number}; "
                              f"open cycle {latest.number + 1} or later")
        next_number = number or (latest.number + 1 if latest else 1)
        planned = (_interrupted(prog, cal, rules, next_number,
                                latest.end + ONE_DAY if latest else cal.first_day)
                   or next_cycle(prog, cal, rules, today))
        if planned is None:
            raise CannotStart(f"no room for another cycle before the school year ends "
                              f"({cal.last_day})")
        if (number or planned.number) > MAX_CYCLE:
            raise CannotStart(f"cycle {MAX_CYCLE} is the last a programme can have; "
                              "start a new programme folder for a new school year")
        target = dataclasses.replace(planned, number=number or planned.number, status="open")
        is_new = True
    pairs = pairs_in(prog, target.number, target.feedback_day)
    plan = StartPlan(target, is_new, pairs)
    journey_of = journeys(prog.notes)
    stubs: list[m.NoteRecord] = []
    for pair in pairs.pairs:
        rel = note_path(target.number, pair.coach, pair.coachee)
        if (prog.root / rel).exists():
            plan.kept.append(rel)
            continue
        step = current_step(prog, pair.coachee, journey_of)
        plan.files.append((rel, stub_text(target, pair.coach, pair.coachee,
                                          target.feedback_day, step)))
        stubs.append(m.NoteRecord(
            path=rel, coach=pair.coach, coachee=pair.coachee, cycle=target.number,
            status="stub", date=target.feedback_day, observation=None, action_step=step,
            step_secured=False, modelled=None, rehearsed=None, has_praise=False,
            has_next_steps=False))
    cycle = m.Cycle(number=target.number, start=target.start, end=target.end, status="open")
    if is_new:
        plan.files.append((cycle_path(target.number), cycle_text(cycle)))
    _check_after(prog, plan, cycle, stubs)
    return plan


def _check_after(prog: Programme, plan: StartPlan, cycle: m.Cycle,
                 stubs: list[m.NoteRecord]) -> None:
    """Run the cross-file checks as if the cycle and stubs existed; compare with now."""
    after = dataclasses.replace(
        prog, cycles={**prog.cycles, cycle.number: prog.cycles.get(cycle.number, cycle)},
        cycle_paths={cycle.number: cycle_path(cycle.number), **prog.cycle_paths},
        notes=[*prog.notes, *stubs], diagnostics=[])
    from coachctl import checks

    before = {_key(d) for d in checks.run(prog)}
    found = checks.run(after)
    plan.problems = [d for d in found if d.severity is Severity.ERROR and _key(d) not in before
                     and d.code != "Y014"]  # Y014 counts what a broken file leaves unchecked
    plan.resolved = before - {_key(d) for d in found}


def _key(d: Diagnostic) -> tuple[str, str, str]:
    return (d.code, d.path, d.message)


def write(root: Path, files: Sequence[tuple[str, str]]) -> Iterator[tuple[str, bool]]:
    """Write each file that does not exist yet, in order, yielding (path, written) as it goes.

    Raises :class:`coachctl.fsio.WriteError` (what was written, what was not) on an
    OS error; a re-run then completes the work.
    """
    from coachctl import fsio

    for path, wrote in fsio.write_all([(root / rel, text) for rel, text in files]):
        yield path.relative_to(root).as_posix(), wrote


def clean_temps(root: Path, number: int) -> list[Path]:
    """Remove what an interrupted run left in the folders a cycle's commands write to."""
    from coachctl import fsio

    return [p for folder in (root / "cycles", root / notes_folder(number))
            if folder.is_dir() for p in fsio.clean_stray_temps(folder)]


# --- cycle status -----------------------------------------------------------------------------

@dataclass
class CycleStatus:
    cycle: CycleDates
    today: dt.date
    sessions: list[Session]
    teaching_days_left: int
    """See :func:`teaching_days_left`."""

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.sessions)


def cycle_status(prog: Programme, number: int, today: dt.date) -> CycleStatus:
    """Where each session of cycle ``number`` stands (see :mod:`coachctl.sessions`)."""
    assert prog.settings is not None
    cal = SchoolCalendar(prog.settings.calendar)
    dates = dates_of(prog, number)
    return CycleStatus(dates, today, list(sessions(prog, [prog.cycles[number]])),
                       teaching_days_left(cal, dates.start, dates.end, today))


def teaching_days_left(cal: SchoolCalendar, start: dt.date, end: dt.date,
                       today: dt.date) -> int:
    """Teaching days (school days: weekdays outside holidays and closures) from ``today``,
    or the cycle's ``start`` if later, to its ``end``, both included; 0 once it has ended."""
    return sum(1 for _ in cal.teaching_days(max(today, start), end))


# --- cycle close ------------------------------------------------------------------------------

def close_edit(prog: Programme, number: int) -> yamledit.Edit:
    """The edit that marks cycle ``number`` closed (unchanged if it already is).

    Made on the parsed document (:mod:`coachctl.yamledit`), so any way of writing
    the file (flow mapping, quoted keys, CRLF, comments) comes out as it went in,
    with only the status changed. Raises :class:`coachctl.yamledit.Refused`.
    (Imported here: reports that import this module must not load the YAML reader.)
    """
    from coachctl import yamledit

    def closed(doc: dict[str, object]) -> None:
        yamledit.put(doc, "status", "closed", after=("end",))

    return yamledit.edit_file(prog.root, prog.cycle_paths[number], closed)
