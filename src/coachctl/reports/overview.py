"""The figures of ``coachctl report``: one programme's or a trust's coaching, as plain data.

Everything here is counts and shares, computed from the checked programmes
the way every report is (note records, never a note's text; QA records' kinds
and dates, never their feedback). Completion and quality come from
:mod:`coachctl.reports.stats` (its tallies and its table, so the report and
``coachctl stats`` always agree); QA coverage from :mod:`coachctl.reports.qa`'s
:class:`~coachctl.reports.gaps.context.QaContext` (the window ``today`` falls in, the
coaches coaching now); steps from :func:`~coachctl.reports.step_runs`.

A trust is read one programme at a time (:meth:`OverviewBuilder.add`), so it
never holds more than one programme's notes in memory. ``--anonymise`` is
:func:`anonymise`: the same figures with people, departments and steps named
by stable pseudonyms.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from coachctl.journeys import journeys
from coachctl.programme import Programme
from coachctl.reports import step_runs
from coachctl.reports.gaps.context import QaContext
from coachctl.reports.journey import step_name
from coachctl.reports.stats import (
    TOTAL,
    Part,
    combine,
    running_table,
    school_of,
    tallies,
)
from coachctl.tables import Table

TOP_STEPS = 12
"""The steps shown: the most worked on and secured; the table says how many more there are."""
HUB_QA_KINDS = ("observation", "write-up-check", "check-in")
"""QA records that count as a hub's coaching being quality-assured (as Q010 counts them)."""


@dataclass(frozen=True)
class Group:
    """Completion and quality of one row: a cycle, school, year or department."""

    label: str
    planned: int
    done: int
    completion: float | None
    praise: float | None
    modelled: float | None
    rehearsed: float | None
    in_sequence: float | None


@dataclass(frozen=True)
class Running:
    """A cycle still running on ``today``: sessions due so far, never a completion rate."""

    school: str
    cycle: int
    start: dt.date
    end: dt.date
    due: int
    done: int
    teaching_days_left: int | None


@dataclass(frozen=True)
class HeatRow:
    """One department's completion (a share, or None when nothing was planned) per cycle."""

    department: str
    cells: tuple[float | None, ...]


@dataclass(frozen=True)
class QaCoverage:
    """One programme's QA in the window ``today`` falls in: counts only."""

    school: str
    window: str | None
    coaches: int
    """Coaches with a session in the current cycle."""
    observed: int
    """Of those, observed coaching in the window (Q001 counts the others)."""
    hubs: int
    hubs_assured: int
    """Hubs with an observation, write-up check or check-in in the window (Q010)."""
    records: int
    """QA records dated in the window, up to today."""


@dataclass(frozen=True)
class StepFigures:
    """One step: coachees working on it now, runs that secured it, cycles those runs took."""

    step: str
    working: int
    secured: int
    cycles_to_secure: float | None


@dataclass(frozen=True)
class Overload:
    coach: str
    school: str
    coachees: int
    limit: int


@dataclass
class Overview:
    """Every figure of the report, names resolved (or pseudonymised), ready to render."""

    title: str
    today: dt.date
    programmes: list[str]
    """Each programme's school and academic year (never its folder: the page travels)."""
    cycles: list[int]
    target: float | None
    trend: list[Group]
    total: Group
    running: list[Running]
    heat: list[HeatRow]
    schools: list[Group]
    years: list[Group]
    qa: list[QaCoverage]
    steps: list[StepFigures]
    more_steps: int
    secure_after: dict[int, int]
    """Cycles a secured run took -> how many runs."""
    load: dict[int, int]
    """Coachees per coach in the current cycle -> how many coaches."""
    overloads: list[Overload]
    limit: int | None
    """max_coachees_per_coach, when every programme sets the same; else None."""
    anonymised: bool = False
    steps_secured: int = 0
    cycles_to_secure: float | None = None
    """Cycles a secured step took, on average."""

    @property
    def trust(self) -> bool:
        return len(self.programmes) > 1


def _rows(table: Table) -> list[dict[str, Any]]:
    return [dict(zip(table.columns, r, strict=True)) for r in table.rows]


def _group(label: object, row: dict[str, Any]) -> Group:
    return Group(str(label), row["planned"], row["done"], row["completion"], row["praise"],
                 row["modelled"], row["rehearsed"], row["in_sequence"])


def _regrouped(parts: Sequence[Part], key: Callable[[int], str], today: dt.date) -> list[Group]:
    """Rows of programmes summed under ``key(i)`` (i: the programme's place), by stats'
    own :func:`combine` (rows of the same name add up)."""
    keyed = [replace(p, groups={key(i): p.total}, running=[]) for i, p in enumerate(parts)]
    return [_group(r["department"], r) for r in _rows(combine(keyed, today, "department"))
            if r["department"] != TOTAL]


@dataclass
class Contribution:
    """What the report keeps of one programme: its tallies and counts, never its notes."""

    by_cycle: Part
    by_department: Part
    school: str
    year: str
    qa: QaCoverage | None
    """None for a programme whose school year does not contain today."""
    working: dict[str, int]
    """Step (its text) -> coachees working on it now; the same for secured and its cycles."""
    secured: dict[str, int]
    secure_cycles: dict[str, int]
    secure_after: dict[int, int]
    load: dict[int, int]
    overloads: list[Overload]
    limit: int | None
    target: float | None


def contribution(prog: Programme, today: dt.date) -> Contribution:
    """Count one checked programme for the report: what it shows per cycle, department and
    programme, never per person (so a trust's cached contributions stay small)."""
    ctx = QaContext.of(prog, today)
    part, by_department = tallies(prog, today, ("cycle", "department"), detail=False,
                                  known=ctx.sessions)
    label = school_of(prog)
    # A past school year has no QA window, no current cycle, nobody on a step now.
    now = ctx.window(today, "year") is not None
    working, secured, secure_cycles, secure_after = _steps(prog, set(part.cycles), ctx, now)
    load, overloads = _load(prog, ctx, label) if now else ({}, [])
    return Contribution(
        part, by_department,
        prog.settings.school if prog.settings else prog.display,
        prog.settings.academic_year if prog.settings else "?",
        _qa(ctx, label) if now else None, working, secured, secure_cycles, secure_after,
        load, overloads, ctx.thresholds.max_coachees_per_coach if now else None,
        prog.settings.thresholds.completion_target if prog.settings else None)


def _qa(ctx: QaContext, label: str) -> QaCoverage:
    coaching = {s.coach for s in ctx.current_sessions()}
    cadence = ctx.rules.observe_each_coach
    observed = {q.coach for q in ctx.qa_in_window(cadence, ("observation",))}
    assured = {q.coach for q in ctx.qa_in_window(ctx.rules.hub_qa_each, HUB_QA_KINDS)}
    window = ctx.window(ctx.today, cadence)
    records = [q for _, q in ctx.prog.qa if q.date <= ctx.today
               and window is not None and ctx.window(q.date, cadence) == window]
    hubs = ctx.prog.pairings.hubs
    return QaCoverage(label, window, len(coaching), len(coaching & observed), len(hubs),
                      sum(bool(assured & set(h.coaches)) for h in hubs), len(records))


def _steps(prog: Programme, ended: set[int], ctx: QaContext, now: bool,
           ) -> tuple[dict[str, int], dict[str, int], dict[str, int], dict[int, int]]:
    """(working, secured, cycles of the secured runs) by step text; secured runs by cycles.

    Steps are counted by their text: a trust's schools may number the same step
    differently, or give one id to different steps in their own libraries."""
    working: Counter[str] = Counter()
    secured: Counter[str] = Counter()
    cycles: Counter[str] = Counter()
    after: Counter[int] = Counter()
    titles: dict[str, str] = {}
    for coachee, journey in journeys(prog.notes).items():
        runs = step_runs(journey)
        for run in runs:
            title = titles.get(run.step)
            if title is None:
                title = titles[run.step] = step_name(prog, run.step) or run.step
            if run.secured and run.last.cycle in ended:
                secured[title] += 1
                cycles[title] += len(run.cycles)
                after[len(run.cycles)] += 1
        if now and runs and not runs[-1].secured and ctx.active_today(coachee):
            working[titles[runs[-1].step]] += 1
    return dict(working), dict(secured), dict(cycles), dict(after)


def _load(prog: Programme, ctx: QaContext, label: str) -> tuple[dict[int, int], list[Overload]]:
    """Coaches by their number of coachees in the current cycle; those over the limit."""
    limit = ctx.thresholds.max_coachees_per_coach
    per_coach = Counter(s.coach for s in ctx.current_sessions())
    over = []
    for coach, n in sorted(per_coach.items()):
        if n > limit:
            person = prog.staff.get(coach)
            over.append(Overload(person.name if person else coach, label, n, limit))
    return dict(Counter(per_coach.values())), over


@dataclass
class OverviewBuilder:
    """Adds programmes one at a time, then :meth:`build` the overview."""

    today: dt.date
    by_cycle: list[Part] = field(default_factory=list)
    by_department: list[Part] = field(default_factory=list)
    schools: list[tuple[str, str]] = field(default_factory=list)
    """(school, academic year) of each programme added, in order."""
    qa: list[QaCoverage] = field(default_factory=list)
    working: Counter[str] = field(default_factory=Counter)
    secured: Counter[str] = field(default_factory=Counter)
    secure_cycles: Counter[str] = field(default_factory=Counter)
    secure_after: Counter[int] = field(default_factory=Counter)
    load: Counter[int] = field(default_factory=Counter)
    overloads: list[Overload] = field(default_factory=list)
    limits: set[int] = field(default_factory=set)
    targets: set[float] = field(default_factory=set)

    def add(self, prog: Programme) -> None:
        """Count one checked programme; keeps its tallies, never its notes."""
        self.include(contribution(prog, self.today))

    def include(self, c: Contribution) -> None:
        """Add one programme's contribution (computed, or from the cache)."""
        self.by_cycle.append(c.by_cycle)
        self.by_department.append(c.by_department)
        self.schools.append((c.school, c.year))
        if c.qa is not None:
            self.qa.append(c.qa)
        for mine, theirs in ((self.working, c.working), (self.secured, c.secured),
                             (self.secure_cycles, c.secure_cycles)):
            mine.update(theirs)
        self.secure_after.update(c.secure_after)
        self.load.update(c.load)
        self.overloads += c.overloads
        if c.limit is not None:
            self.limits.add(c.limit)
        if c.target is not None:
            self.targets.add(c.target)

    def build(self) -> Overview:
        today, parts = self.today, self.by_cycle
        if not parts:
            raise ValueError("no programme added")
        by_cycle = _rows(combine(parts, today, "cycle"))
        trend = [_group(f"Cycle {r['cycle']}", r) for r in by_cycle if r["cycle"] != TOTAL]
        total = _group(TOTAL, by_cycle[-1])
        table = combine(self.by_department, today, "department")
        cycles = [int(c) for c in table.meta["cycles"]]
        heat = [HeatRow(str(r["department"]), tuple(
                    None if cell == "-" else int(cell) / 100 for cell in r["trend"].split()))
                for r in _rows(table) if r["department"] != TOTAL]
        running = [Running(school=r[0], cycle=r[1], start=r[2], end=r[3], due=r[4], done=r[5],
                           teaching_days_left=r[-1]) for r in running_table(parts).rows]
        rank = sorted(set(self.working) | set(self.secured),
                      key=lambda s: (-(self.working[s] + self.secured[s]), s))
        steps = [StepFigures(s, self.working[s], self.secured[s],
                             round(self.secure_cycles[s] / self.secured[s], 1)
                             if self.secured[s] else None) for s in rank[:TOP_STEPS]]
        one = parts[0] if len(parts) == 1 else None
        trust = one is None
        names = [s for s, _ in self.schools]
        secured_runs = sum(self.secured.values())
        return Overview(
            title=one.name if one else f"{len(set(names))} schools, {len(parts)} programmes",
            today=today, programmes=[f"{s} {y}" for s, y in self.schools], cycles=cycles,
            target=next(iter(self.targets)) if len(self.targets) == 1 else None,
            trend=trend, total=total, running=running, heat=heat,
            schools=_regrouped(parts, lambda i: names[i], today) if trust else [],
            years=_regrouped(parts, lambda i: self.schools[i][1], today) if trust else [],
            qa=self.qa, steps=steps, more_steps=max(0, len(rank) - TOP_STEPS),
            secure_after=dict(sorted(self.secure_after.items())),
            load=dict(sorted(self.load.items())), overloads=self.overloads,
            limit=next(iter(self.limits)) if len(self.limits) == 1 else None,
            steps_secured=secured_runs,
            cycles_to_secure=round(sum(self.secure_cycles.values()) / secured_runs, 1)
            if secured_runs else None)


def overview(progs: Iterable[Programme], today: dt.date) -> Overview:
    """The overview of programmes already loaded (for tests and small inputs)."""
    builder = OverviewBuilder(today)
    for prog in progs:
        builder.add(prog)
    return builder.build()


class Pseudonyms:
    """Stable pseudonyms: the names of one kind numbered in the order of a keyed hash.

    The key is derived from every name being replaced, so the same input gives
    the same pseudonyms on every run, while the numbering says nothing of the
    names' alphabetical order and cannot be rebuilt from one name alone.
    """

    def __init__(self, kinds: dict[str, Iterable[str]]) -> None:
        everything = sorted({f"{k}\0{n}" for k, names in kinds.items() for n in names})
        key = hashlib.blake2b("\n".join(everything).encode(), digest_size=32).digest()
        self._names: dict[tuple[str, str], str] = {}
        for kind, names in kinds.items():
            order = sorted(set(names), key=lambda n: hashlib.blake2b(
                n.encode(), key=key, person=kind.encode()[:16]).digest())
            for i, name in enumerate(order, 1):
                self._names[kind, name] = f"{kind} {_letters(i) if kind == 'Department' else i}"

    def __call__(self, kind: str, name: str) -> str:
        return self._names[kind, name]


def _letters(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA: spreadsheet-style column letters."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("A") + r) + out
    return out


def anonymise(ov: Overview) -> Overview:
    """The same overview with coaches, departments and steps named by stable pseudonyms."""
    alias = Pseudonyms({"Coach": [o.coach for o in ov.overloads],
                        "Department": [h.department for h in ov.heat],
                        "Step": [s.step for s in ov.steps]})
    return replace(
        ov, anonymised=True,
        heat=sorted((replace(h, department=alias("Department", h.department)) for h in ov.heat),
                    key=lambda h: (len(h.department), h.department)),
        steps=[replace(s, step=alias("Step", s.step)) for s in ov.steps],
        overloads=[replace(o, coach=alias("Coach", o.coach)) for o in ov.overloads])
