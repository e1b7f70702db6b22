"""Completion and coaching quality, grouped by cycle, school, department, hub, coach or role.

Completion alone is not enough (the seeds say so): beside planned / done / missed, a row
gives the share of complete notes with precise praise, modelling and rehearsal, of steps
from the school's sequence, how coachees progress (steps secured, cycles on a step), drop-ins.

Who a row belongs to: a session, note or step counts under its cycle, its coach, its
coach's hub, and its coachee's department and role. A run of cycles on one step counts
where it ends (the cycle it was secured in, or its latest). One
:class:`~coachctl.tables.Table` carries every figure, so table, JSON and CSV agree.

Only **ended** cycles are counted (:func:`~coachctl.sessions.has_ended`: closed, or ended
before today). A cycle started and not ended is still running: its stubs are sessions still
to come, not missed, so it is kept apart as an :class:`OpenCycle` (due, done so far,
teaching days left), never counted in a row, the total or the trend.

Across programmes (a trust), each programme is tallied on its own by :func:`tally` and the
parts summed by :func:`combine`: a trust never holds more than one programme's notes in
memory, and every grouping means what it does for one programme (same-named rows add up).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coachctl.journeys import journeys
from coachctl.programme import Programme
from coachctl.reports import step_runs
from coachctl.reports.measures import STEP_COLUMNS, Measures, Tracker, steps_to_secure
from coachctl.sessions import SESSION_STATES, Session, counts, has_ended, sessions, started_cycles
from coachctl.tables import Table

if TYPE_CHECKING:  # a warm run's tallies come from the cache: no record class
    from coachctl.models import Cycle

GROUPINGS = ("cycle", "school", "department", "hub", "coach", "role")
COLUMNS = ("planned", "done", "missed", "stub", "missing", "completion", "praise", "modelled",
           "rehearsed", "in_sequence", "coachees", "steps_secured", "secured_each",
           "cycles_per_step", "drop_ins",
           # issue 13, added at the end so earlier columns keep their places (docs/reports.md)
           "completion_target", "scripted", "coach_chose", "two_per_half_term",
           "days_to_feedback", "max_load", "load_limit", "coaches_over")
AVERAGES = ("secured_each", "cycles_per_step", "days_to_feedback")
OPEN_COLUMNS = ("school", "cycle", "start", "end", "due", *SESSION_STATES, "done_so_far",
                "teaching_days_left")
"""The open (running) cycles, shown apart: one row per programme and cycle."""
TOTAL = "all"
NO_HUB = "(no hub)"
UNKNOWN = "(unknown)"


@dataclass
class _Tally:
    """Running counts for one row."""

    states: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_cycle: dict[int, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    """cycle -> [planned, done], for the trend."""
    complete: int = 0
    praise: int = 0
    modelled: int = 0
    rehearsed: int = 0
    with_step: int = 0
    in_sequence: int = 0
    coachees: set[tuple[str, str]] = field(default_factory=set)
    """(programme root, coachee id): the same id in two programmes is two people."""
    runs: int = 0
    run_cycles: int = 0
    secured: int = 0
    drop_ins: int = 0
    measures: Measures = field(default_factory=Measures)
    """The measures beyond completion (issue 13): :mod:`coachctl.reports.measures`."""

    def add(self, other: _Tally) -> None:
        """Count ``other``'s sessions, notes and runs in this row too."""
        for state, n in other.states.items():
            self.states[state] += n
        for number, (planned, done) in other.by_cycle.items():
            self.by_cycle[number][0] += planned
            self.by_cycle[number][1] += done
        for name in ("complete", "praise", "modelled", "rehearsed", "with_step", "in_sequence",
                     "runs", "run_cycles", "secured", "drop_ins"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.coachees |= other.coachees
        self.measures.add(other.measures)

    def row(self, trend_cycles: list[int] | None, wide: bool = False) -> list[Any]:
        """The row's figures; with ``trend_cycles``, completion per cycle: one text cell of
        percentages, or (``wide``) one share per cycle, None where the row had no session."""
        planned = sum(self.states.values())
        done = self.states["done"]
        row: list[Any] = [
            planned, done, self.states["missed"], self.states["stub"], self.states["missing"],
            _share(done, planned), _share(self.praise, self.complete),
            _share(self.modelled, self.complete), _share(self.rehearsed, self.complete),
            _share(self.in_sequence, self.with_step), len(self.coachees), self.secured,
            _mean(self.secured, len(self.coachees)), _mean(self.run_cycles, self.runs),
            self.drop_ins, *self.measures.row(self.complete)]
        if trend_cycles is not None and wide:
            row += [_share(self.by_cycle[c][1], self.by_cycle[c][0]) if c in self.by_cycle
                    else None for c in trend_cycles]
        elif trend_cycles is not None:
            row.append(" ".join(_percent(*self.by_cycle[c]) if c in self.by_cycle else "-"
                                for c in trend_cycles))
        return row


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _mean(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


def _order(key: object) -> tuple[int, str]:
    """Cycles in number order, names alphabetically."""
    return (key, "") if isinstance(key, int) else (0, str(key))


def _percent(planned: int, done: int) -> str:
    return f"{round(100 * done / planned)}" if planned else "-"


def cycles_in_scope(prog: Programme, today: dt.date, cycle: int | None = None,
                    since: int | dt.date | None = None) -> list[Cycle]:
    """Cycles started by ``today``, optionally one cycle or those since a number or date."""
    out = started_cycles(prog, today)
    if cycle is not None:
        out = [c for c in out if c.number == cycle]
    if isinstance(since, dt.date):
        out = [c for c in out if c.end >= since]
    elif since is not None:
        out = [c for c in out if c.number >= since]
    return out


def school_of(prog: Programme) -> str:
    """A programme's row under ``--by school``: its school and academic year."""
    if prog.settings is None:
        return prog.display
    return f"{prog.settings.school} {prog.settings.academic_year}"


def _grouper(prog: Programme, by: str) -> Callable[[int, str, str], object]:
    """(cycle, coach, coachee) -> the row a session or note counts in."""
    if by == "cycle":
        return lambda cycle, coach, coachee: cycle
    if by == "school":
        school = school_of(prog)
        return lambda cycle, coach, coachee: school
    if by == "coach":
        return lambda cycle, coach, coachee: coach
    if by == "hub":
        hub_of: dict[str, str] = {}
        for h in prog.pairings.hubs:
            for coach in (*h.coaches, h.expert):
                hub_of.setdefault(coach, h.id)
        return lambda cycle, coach, coachee: hub_of.get(coach, NO_HUB)
    if by in ("department", "role"):
        def attr(cycle: int, coach: str, coachee: str) -> object:
            person = prog.staff.get(coachee)
            return getattr(person, by) if person else UNKNOWN
        return attr
    raise ValueError(f"unknown grouping {by!r}")


@dataclass(frozen=True)
class OpenCycle:
    """A cycle that has started and not ended: counted apart, never in the table."""

    school: str
    number: int
    start: dt.date
    end: dt.date
    counts: dict[str, int]
    """Sessions due by state so far (done, missed, stub, missing)."""
    teaching_days_left: int | None
    """From today to the cycle's end, both included; None without a readable calendar."""

    def row(self) -> list[Any]:
        due = sum(self.counts.values())
        return [self.school, self.number, self.start, self.end, due,
                *(self.counts[s] for s in SESSION_STATES), _share(self.counts["done"], due),
                self.teaching_days_left]


def open_cycles(prog: Programme, scope: Sequence[Cycle], today: dt.date,
                known: Sequence[Session] | None = None) -> list[OpenCycle]:
    """The cycles of ``scope`` still running on ``today``, with their sessions so far
    (``known``: as :func:`tallies` takes them)."""
    from coachctl.calendar import SchoolCalendar
    from coachctl.lifecycle import teaching_days_left

    def due(c: Cycle) -> Iterable[Session]:
        return sessions(prog, [c]) if known is None else (s for s in known if s.cycle == c.number)

    cal = SchoolCalendar(prog.settings.calendar) if prog.settings else None
    return [OpenCycle(school_of(prog), c.number, c.start, c.end, counts(due(c)),
                      teaching_days_left(cal, c.start, c.end, today) if cal else None)
            for c in scope if not has_ended(c, today)]


@dataclass
class Part:
    """One programme's tallies for a grouping, to be summed with other programmes'."""

    display: str
    name: str
    """The programme in a title: its school, or its folder when programme.yaml is unreadable."""
    cycles: list[int]
    """The cycles counted."""
    groups: dict[object, _Tally]
    total: _Tally
    running: list[OpenCycle] = field(default_factory=list)
    """Cycles started and not ended: shown apart, not in ``groups`` or ``total``."""
    step_names: dict[str, str] = field(default_factory=dict)
    """Step id -> its library wording, for the steps secured (library text, not a note's)."""


def tally(prog: Programme, today: dt.date, by: str = "cycle", cycle: int | None = None,
          since: int | dt.date | None = None) -> Part:
    """Count one programme's sessions, notes and step runs of ended cycles in the rows of
    grouping ``by``; the cycles still running are kept apart."""
    return tallies(prog, today, (by,), cycle, since)[0]


def tallies(prog: Programme, today: dt.date, groupings: Sequence[str],
            cycle: int | None = None, since: int | dt.date | None = None, *,
            detail: bool = True, known: Sequence[Session] | None = None) -> list[Part]:
    """:func:`tally` for several groupings in one pass (their parts share the total and the
    open cycles). Without ``detail``, completion and quality only (states, the trend,
    complete notes' shares, drop-ins): no coachees, step runs or measures of issue 13, so
    no per-person keys (what ``report`` shows, cheap to compute and to cache). ``known``:
    every session of the cycles started by ``today`` when the caller has them (a
    :class:`~coachctl.reports.gaps.context.QaContext`'s), not computed again."""
    started = cycles_in_scope(prog, today, cycle, since)
    scope = [c for c in started if has_ended(c, today)]
    numbers = {c.number for c in scope}
    groupers = [_grouper(prog, by) for by in groupings]
    who = str(prog.root)
    rows: list[dict[object, _Tally]] = [defaultdict(_Tally) for _ in groupings]
    for by, found in zip(groupings, rows, strict=True):
        if by == "school":
            found[school_of(prog)] = _Tally()  # a row even when nothing is planned yet
    total = _Tally()
    track = Tracker(prog, today) if detail else None

    def counted(cycle: int, coach: str, coachee: str) -> list[_Tally]:
        return [*(found[group(cycle, coach, coachee)]
                  for found, group in zip(rows, groupers, strict=True)), total]

    planned = list(sessions(prog, scope)) if known is None else \
        [s for s in known if s.cycle in numbers]
    if track:
        track.count(planned, (n for n in prog.notes
                              if n.cycle in numbers and n.status == "complete"))
    for s in planned:
        for t in counted(s.cycle, s.coach, s.coachee):
            t.states[s.state] += 1
            t.by_cycle[s.cycle][0] += 1
            t.by_cycle[s.cycle][1] += s.state == "done"
            if track:
                track.session(t.measures, s)
    sequence = set(prog.sequence_ids)
    for n in prog.notes:
        if n.cycle not in numbers:
            continue
        for t in counted(n.cycle, n.coach, n.coachee):
            t.drop_ins += n.observation == "drop-in"
            if n.status != "complete":
                continue
            t.complete += 1
            t.praise += n.has_praise
            t.modelled += n.modelled is True
            t.rehearsed += n.rehearsed is True
            if track:
                t.coachees.add((who, n.coachee))
                track.note(t.measures, n)
            if n.action_step:
                t.with_step += 1
                t.in_sequence += n.action_step in sequence
    if track:
        _count_runs(prog, numbers, counted, total)
    name = prog.settings.school if prog.settings else prog.display
    running = open_cycles(prog, started, today, known)
    steps = track.step_names(total.measures) if track else {}
    return [Part(prog.display, name, sorted(numbers), dict(found), total, running, steps)
            for found in rows]


def _count_runs(prog: Programme, numbers: set[int],
                counted: Callable[[int, str, str], list[_Tally]], total: _Tally) -> None:
    """Runs of cycles on one step, where each ends; the cycles each secured step took."""
    for journey in journeys(prog.notes).values():
        for run in step_runs(journey):
            if run.last.cycle not in numbers:
                continue
            for t in counted(run.last.cycle, run.last.coach, run.coachee):
                t.runs += 1
                t.run_cycles += len(run.cycles)
                t.secured += run.secured
            if run.secured:
                total.measures.to_secure[run.step][len(run.cycles)] += 1


def combine(parts: Sequence[Part], today: dt.date, by: str = "cycle",
            wide: bool = False) -> Table:
    """The stats table over one or more programmes: one row per group, then the total ``"all"``.

    Grouped other than by cycle, a last column ``trend`` gives completion per ended cycle
    as text ("77 80 -"); ``wide`` (for CSV) gives instead one column per cycle,
    ``completion_cycle_N``, holding shares like ``completion``.

    Rows of the same name in several programmes are summed (a department, a
    role, a cycle number); under ``school`` each programme is its own row, its
    folder added when two programmes share a school and year. Coach and hub ids
    belong to a school, so across schools they are named with it ("hub-1
    (Kingsmead Academy)"): one school's years still add up, two schools' hub-1
    do not.
    """
    clashes = Counter(k for p in parts for k in p.groups) if by == "school" else Counter()
    per_school = by in ("coach", "hub") and len({p.name for p in parts}) > 1
    tallies: dict[object, _Tally] = defaultdict(_Tally)
    total = _Tally()
    for part in parts:
        for key, t in part.groups.items():
            if per_school:
                key = f"{key} ({part.name})"
            elif clashes[key] > 1:
                key = f"{key} ({part.display})"
            tallies[key].add(t)
        total.add(part.total)

    numbers = sorted({n for p in parts for n in p.cycles})
    trend = None if by == "cycle" else numbers
    extra = [] if trend is None else \
        [f"completion_cycle_{n}" for n in trend] if wide else ["trend"]
    columns = [by, *COLUMNS, *extra]
    rows: list[Sequence[Any]] = [[key, *tallies[key].row(trend, wide)]
                                for key in sorted(tallies, key=_order)]
    rows.append([TOTAL, *total.row(trend, wide)])
    one = parts[0] if len(parts) == 1 else None
    title = f"{one.name if one else f'{len(parts)} programmes'}: coaching by {by}, ended cycles"
    running = running_table(parts)
    meta: dict[str, object] = {
        "programme": one.display if one else None, "today": today, "by": by, "cycles": numbers,
        "programmes": [p.display for p in parts],
        "open": [dict(zip(running.columns, r, strict=True)) for r in running.rows],
        "steps": [dict(zip(STEP_COLUMNS, r, strict=True)) for r in
                  steps_to_secure([p.step_names for p in parts], total.measures).rows]}
    return Table(kind=f"stats.by-{by}", columns=columns, rows=rows, title=title, meta=meta,
                 plain=AVERAGES)


def running_table(parts: Sequence[Part]) -> Table:
    """The cycles still running, one row per programme and cycle, apart from the figures."""
    schools = Counter(school for p in parts for school in {o.school for o in p.running})
    rows: list[Sequence[Any]] = [
        [f"{o.school} ({p.display})" if schools[o.school] > 1 else o.school, *o.row()[1:]]
        for p in parts for o in p.running]
    return Table("stats.open", OPEN_COLUMNS, rows,
                 title="Open cycles, still running: not counted above",
                 caption="due ... missing: sessions so far; done_so_far: done / due, not a "
                         "completion rate; teaching_days_left: school days from today to the "
                         "end, both included")


ROW_KINDS = ("group", "open", "total")
"""The first column of the stats CSV: what each row is."""


def for_csv(table: Table, totals: bool = False) -> Table:
    """The stats table for a spreadsheet: a first column ``row`` says what each row is
    (``group``; ``open``, a cycle still running, after the groups; ``total``, the ``all``
    row, last and only with ``totals``), so summing a column over the ``group`` rows gives
    the total and never doubles it. An open cycle's group cell reads ``open: cycle N`` (and
    the school over several programmes), its completion columns hold the sessions so far,
    and a last column ``teaching_days_left`` is filled for it."""
    columns = ["row", *table.columns, "teaching_days_left"]
    *groups, total = table.rows  # combine() puts the total last (a group may be named "all")
    rows: list[Sequence[Any]] = [["group", *r, None] for r in groups]
    several = len(table.meta.get("programmes") or ()) > 1
    for o in table.meta.get("open") or ():
        label = f"open: cycle {o['cycle']}" + (f" ({o['school']})" if several else "")
        row = dict.fromkeys(columns)
        row.update({"row": "open", table.columns[0]: label, "planned": o["due"],
                    "done": o["done"], "missed": o["missed"], "stub": o["stub"],
                    "missing": o["missing"], "completion": o["done_so_far"],
                    "teaching_days_left": o["teaching_days_left"]})
        rows.append(list(row.values()))
    if totals:
        rows.append(["total", *total, None])
    return Table(table.kind, columns, rows, title=table.title, meta=table.meta,
                 plain=table.plain)

