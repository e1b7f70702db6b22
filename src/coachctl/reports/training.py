"""The next coach-training session's plan: what QA and session notes say coaches need.

"If we see a particular step needs rehearsal, we add this into the next coaching
session." For the next Teach Meet and its 20:20:20 CPL (from the schedule), this
looks at what happened since the last training record (``training/``): QA that
found a coach not yet secure in their curriculum focus, and patterns in the
coaches' session notes (no rehearsal, no precise praise, a step dropped for one
in another strand before it was secured, a coachee stuck on one step). Each
pattern points to one coaching-curriculum step (:data:`PATTERNS`). Steps are
ranked by how many coaches need them, then by how many QA found; steps of strands not
rolled out (programme.yaml ``curriculum_strands``) are never proposed.

Like every report it counts note records and QA records' ids: never a word of
what anyone wrote.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coachctl.coach_journeys import rolled_out, strand_of
from coachctl.journeys import journeys
from coachctl.programme import Programme
from coachctl.reports.journey import step_name
from coachctl.tables import Document, Section, Table
from coachctl.validation import Checked, Derived, check_and_derive

PATTERNS: dict[str, tuple[str, str]] = {
    "qa-focus-not-secured": ("", "QA found the coach not yet secure in this focus"),
    "no-rehearsal": ("rh-01", "notes without rehearsal"),
    "no-precise-praise": ("pp-01", "notes without precise praise"),
    "step-jumps-strand": ("ls-02", "a step dropped for one in another strand before it was "
                          "secured"),
    "stuck-coachee": ("ls-04", "a coachee on one step for the stuck threshold of cycles"),
}
"""Pattern -> (the coaching-curriculum step it points to, what it is). A QA finding points
to its own focus step. A step missing from the school's curriculum is not proposed."""

PRACTICE = "20 min: coaches' deliberate practice"
PARTNERS = "20+20 min: partners' feedback, scripting and rehearsal"
PART_OF_STRAND = {"praise": PRACTICE, "modelling": PRACTICE, "rehearsal": PRACTICE,
                  "conversations": PRACTICE, "leverage": PARTNERS, "step-writing": PARTNERS,
                  "scripting": PARTNERS, "follow-up": PARTNERS}
"""Which part of the 20:20:20 CPL a strand's steps fit: moves coaches practise together in
front of each other, or moves each pair applies to a real lesson in their own feedback."""


@dataclass
class Need:
    step: str
    coaches: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    """Coach id -> how many findings point them to this step."""
    from_qa: set[str] = field(default_factory=set)
    """Coaches whose QA found them not yet secure in this step."""
    patterns: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, coach: str, pattern: str) -> None:
        self.coaches[coach] += 1
        self.patterns[pattern] += 1
        if pattern == "qa-focus-not-secured":
            self.from_qa.add(coach)

    def rank_key(self, order: dict[str, int]) -> tuple[int, int, int, int]:
        """Most coaches first; then most found by QA; then most findings; then curriculum
        order (earlier strands first, as coaching itself favours them)."""
        return (-len(self.coaches), -len(self.from_qa), -sum(self.coaches.values()),
                order.get(self.step, len(order)))


@dataclass
class Plan:
    next_session: dt.date | None
    since: dt.date | None
    """The date of the last training record before today (None: from the start of the year)."""
    needs: list[Need]


def next_training_day(prog: Programme, today: dt.date) -> dt.date | None:
    """The day of the next Teach Meet (and its CPL) on or after ``today``, from the schedule."""
    from coachctl.schedule import events

    if prog.settings is None:
        return None
    days = [e.start.date() if isinstance(e.start, dt.datetime) else e.start
            for e in events(prog) if e.kind == "teach-meet"]
    return min((d for d in days if d >= today), default=None)


def last_training(prog: Programme, today: dt.date) -> dt.date | None:
    return max((t.date for _, t in prog.training if t.date < today), default=None)


def plan(prog: Programme, today: dt.date, next_session: dt.date | None = None) -> Plan:
    """What the next training session should practise, from what happened since the last
    (``next_session``: its day when the caller knows it, else found from the schedule)."""
    since = last_training(prog, today)
    curriculum = strand_of(prog)
    rolled = rolled_out(prog)
    order = {sid: i for i, sid in enumerate(curriculum)}
    needs: dict[str, Need] = {}

    def point(step: str, coach: str, pattern: str) -> None:
        person = prog.staff.get(coach)
        if person is not None and not person.active_on(today):
            return  # a leaver needs no training
        if curriculum.get(step) in rolled:
            needs.setdefault(step, Need(step)).add(coach, pattern)

    def recent(day: dt.date | None) -> bool:
        return day is not None and (since is None or day > since) and day <= today

    for _, q in prog.qa:
        if q.focus and not q.secured and recent(q.date) and q.kind != "shadowing":
            point(q.focus, q.coach, "qa-focus-not-secured")
    for n in prog.notes:
        if n.status != "complete" or not recent(n.date):
            continue
        if n.rehearsed is False:
            point(PATTERNS["no-rehearsal"][0], n.coach, "no-rehearsal")
        if not n.has_praise:
            point(PATTERNS["no-precise-praise"][0], n.coach, "no-precise-praise")
    library_strand = {s.id: strand.id for strand in (prog.library.strands if prog.library
                                                      else []) for s in strand.steps}
    limit = prog.settings.thresholds.stuck_after_cycles if prog.settings else 3
    for j in journeys(prog.notes).values():
        for before, after in zip(j.notes, j.notes[1:], strict=False):
            if (recent(after.date) and before.action_step and after.action_step
                    and not before.step_secured
                    and library_strand.get(before.action_step)
                    != library_strand.get(after.action_step)):
                point(PATTERNS["step-jumps-strand"][0], after.coach, "step-jumps-strand")
        if j.notes and recent(j.notes[-1].date) and j.cycles_on_current_step() >= limit:
            point(PATTERNS["stuck-coachee"][0], j.notes[-1].coach, "stuck-coachee")
    ranked = sorted(needs.values(), key=lambda n: n.rank_key(order))
    return Plan(next_session or next_training_day(prog, today), since, ranked)


MAX_TOP = 20
"""The most steps a plan proposes (``--top``): what the cache keeps."""


@dataclass
class Ranked:
    """One proposed step, as the plan shows it: plain data, kept in the cache."""

    step: str
    name: str | None
    part: str
    coaches: dict[str, int]
    from_qa: int
    patterns: dict[str, int]


@dataclass
class Planned:
    """What ``training plan`` shows of a programme, whatever ``--top`` and the format."""

    school: str
    next_session: dt.date | None
    since: dt.date | None
    steps: list[Ranked]


def planned(prog: Programme, today: dt.date) -> Planned:
    p = plan(prog, today)
    strands = strand_of(prog)
    return Planned(prog.settings.school if prog.settings else prog.display, p.next_session,
                   p.since, [Ranked(n.step, step_name(prog, n.step),
                                    PART_OF_STRAND.get(strands.get(n.step, ""), PRACTICE),
                                    dict(n.coaches), len(n.from_qa), dict(n.patterns))
                             for n in p.needs[:MAX_TOP]])


def _day(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


def _encode(p: Planned) -> list[Any]:
    return [p.school, p.next_session and p.next_session.toordinal(),
            p.since and p.since.toordinal(),
            [[r.step, r.name, r.part, r.coaches, r.from_qa, r.patterns] for r in p.steps]]


def _decode(data: list[Any]) -> Planned:
    school, next_session, since, steps = data
    return Planned(str(school), _day(next_session), _day(since),
                   [Ranked(str(a), None if b is None else str(b), str(c), dict(d), int(e), dict(f))
                    for a, b, c, d, e, f in steps])


CACHED = "training-plan.msgpack"
DERIVED: Derived[Planned] = Derived(CACHED, __name__, lambda c, day: planned(c.programme, day),
                                    _encode, _decode)


def plan_programme(root: Path, display: str | None, today: dt.date, *,
                   progress: Callable[[int], None] | None = None,
                   on_total: Callable[[int], None] | None = None,
                   ) -> tuple[Checked, Planned]:
    """Check a programme and plan its next training, from the cache when neither a file, nor
    this code, nor anything ``today`` is compared with has changed: then no data is loaded."""
    return check_and_derive(root, display, today, DERIVED, progress=progress,
                            on_total=on_total)


def plan_tables(prog: Programme | Planned, today: dt.date, top: int = 5, *,
                display: str = "") -> list[Table]:
    p = prog if isinstance(prog, Planned) else planned(prog, today)
    display = display or (prog.display if isinstance(prog, Programme) else p.school)
    rows: list[Sequence[Any]] = [
        [i, n.step, n.name, n.part, len(n.coaches), n.from_qa, sum(n.coaches.values()),
         ", ".join(f"{k}: {v}" for k, v in sorted(n.patterns.items())),
         ", ".join(sorted(n.coaches))]
        for i, n in enumerate(p.steps[:top], 1)]
    meta = {"programme": display, "today": today, "next_session": p.next_session,
            "since": p.since}
    return [Table("training.plan", ["rank", "step", "name", "part", "coaches", "qa_coaches",
                                    "findings", "patterns", "who"], rows,
                  title=f"Training plan for the next Teach Meet and CPL "
                        f"({p.next_session or 'none scheduled'})", meta=meta,
                  caption=f"findings since {p.since or 'the start of the year'}: coaches, "
                          "how many coaches need the step; qa_coaches, of them whose QA found "
                          "the focus not secured; findings, how many notes or QA records; "
                          "who, staff ids")]


def plan_document(prog: Programme | Planned, today: dt.date, top: int = 5) -> Document:
    """The plan as a page a lead coach hands out: step names, parts of the session, who."""
    p = prog if isinstance(prog, Planned) else planned(prog, today)
    paragraphs = [f"Next Teach Meet and coaching CPL: {p.next_session or 'none scheduled'}. "
                  f"What QA and session notes show since {p.since or 'the start of the year'}."]
    if not p.steps:
        paragraphs.append("Nothing stands out: practise the next step of the rolled-out "
                          "curriculum.")
    sections: list[Section] = []
    for i, n in enumerate(p.steps[:top], 1):
        sections.append((f"{i}. {n.name} ({n.step})", [
            f"Part of the 20:20:20: {n.part}",
            f"Coaches who need it: {len(n.coaches)} ({n.from_qa} from QA): "
            f"{', '.join(sorted(n.coaches))}",
            "Found as: " + "; ".join(f"{PATTERNS[k][1]} ({v})"
                                     for k, v in sorted(n.patterns.items()))]))
    return Document(f"Coach training plan: {p.school}", sections, paragraphs)
