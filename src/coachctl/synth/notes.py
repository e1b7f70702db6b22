"""Session notes (notes/cycle-NN/) and drop-ins: which sessions happen, and how they are written up.

:func:`choose_gaps` plants the session gaps (a missed session, a missing note,
no rehearsal, a stub left in a closed cycle, a coachee stuck on a step) on
plain teachers nobody else needs; :class:`SessionNotes` then goes through each
cycle's pairs: whether the session happened follows the coach's rates (the
realism profile), drop-ins come on top, and each note is filled in along the
coachee's journey through the school's sequence.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from coachctl.calendar import CyclePlan
from coachctl.journeys import Journey
from coachctl.layout import note_path
from coachctl.models import NoteRecord, PairingsFile
from coachctl.synth.pairings import Pairings
from coachctl.synth.realism import IDEAL
from coachctl.synth.session_style import SessionStyle
from coachctl.synth.staff import Person
from coachctl.synth.year import Year

# What coaches write in their notes (all made up).
PRAISE = (
    "You waited for silence before giving the instruction,",
    "Your cold call reached six students in the first ten minutes,",
    "The model on the visualiser was clear and worked step by step,",
    "Your entry routine had every student working within a minute,",
    "You narrated the positive and the room settled quickly,",
    "Your hinge question showed who had misunderstood,",
    "You checked for understanding before releasing independent practice,",
    "Your transitions between tasks were brisk and calm,",
    "The worked example faded well into independent work,",
    "You used wait time after every question,",
)
PRAISE_END = (
    "and the class followed it straight away.",
    "which kept every student thinking.",
    "so the task started without questions.",
    "and you returned to the students who hesitated.",
    "which made the lesson feel purposeful.",
    "and the follow-up questions went deeper.",
)
NEXT_STEPS = (
    "Script the routine word for word and practise it before Monday.",
    "Rehearse the instruction twice with the coach at the next meeting.",
    "Plan three cold-call questions for each lesson this week.",
    "Use the step in period one every day and note how long it takes.",
    "Film two minutes of the routine and watch it back together.",
    "Visit a colleague who does this well and borrow their script.",
)
NOTE_TEXT = (
    "Year 7 lesson, period 2. Feedback meeting on the coaching afternoon.",
    "Year 9 set 3. Coachee chose to focus on the start of the lesson.",
    "Year 10 practical. Rehearsed twice, the second time with a distraction.",
    "Year 8 lesson after lunch. Agreed to revisit at the Teach Meet.",
    "Year 11 revision lesson. Modelled the step, then swapped roles.",
    "Sixth-form class. Short meeting; follow-up drop-in planned.",
)
VAGUE_NEXT_STEPS = (
    "Work on your questioning.",
    "Keep building relationships with the class.",
    "Think about behaviour management.",
    "Try to get more students involved.",
)
MISSED_REASONS = (
    "Coach covering an absent colleague.",
    "Coachee on a school trip on the coaching afternoon.",
    "Mock exams took the observation slot.",
    "Coaching afternoon given over to parents' evening.",
    "Coachee off sick in the observation week.",
    "Meeting cancelled for a whole-staff briefing.",
)


@dataclass
class Gaps:
    """The session gaps planted in closed cycles, on coachees the background leaves alone."""

    sessions: dict[tuple[int, str], str] = field(default_factory=dict)
    """The gap's kind by (cycle, coachee): missed, missing, no-rehearsal, stub-in-closed-cycle."""
    stuck: tuple[str, int] | None = None
    """A coachee who secures no step from that cycle on."""
    planted: set[str] = field(default_factory=set)
    """Coachees who carry a planted gap: every other session of theirs goes well."""


def choose_gaps(y: Year) -> Gaps:
    """Which closed-cycle sessions carry a planted gap (none without imperfections)."""
    closed = [i for i, p in enumerate(y.plans, 1) if p.end < y.today]
    gaps = Gaps()
    if not (y.imperfect and closed):
        return gaps
    # plain teachers can carry a planted gap without breaking other rules
    pool = [p for p in y.staff if p.role == "teacher" and p.id not in y.busy
            and not p.expert and p.left is None]
    y.rng.shuffle(pool)
    threshold = y.thresholds.stuck_after_cycles
    if len(closed) >= threshold and pool:
        who = pool.pop()
        gaps.stuck = (who.id, max(1, len(closed) - threshold))
        y.busy.add(who.id)
        gaps.planted.add(who.id)
    for kind in ("missed", "missing", "no-rehearsal", "stub-in-closed-cycle"):
        if pool:
            who = pool.pop()
            gaps.sessions[(y.rng.choice(closed), who.id)] = kind
            y.busy.add(who.id)
            gaps.planted.add(who.id)
    return gaps


@dataclass(frozen=True)
class Due:
    """A note to write: a pair's session in a cycle (``main``), or a drop-in."""

    coach: str
    coachee: str
    cycle: int
    status: str
    date: dt.date
    rel: str
    main: bool
    rehearsed: bool | None
    """Decided in advance (the planted no-rehearsal gap), else by the coach's rates."""
    spared: bool
    """Written up as an ideal coach would (a coachee who carries a planted gap)."""


@dataclass
class Notes:
    """What a year's notes leave for QA (and for next year, the journeys)."""

    complete: dict[int, list[tuple[str, str, dt.date]]] = field(
        default_factory=lambda: defaultdict(list))
    """Complete notes by cycle: (coach, file, date)."""
    first_note: dict[str, dt.date] = field(default_factory=dict)
    """Each coach's first complete note."""
    journeys: dict[str, Journey] = field(default_factory=dict)


class SessionNotes:
    """Generates notes/: each pair's session in each cycle started by today, and drop-ins.

    New coaches coach only after they have shadowed (but for the planted late
    shadow). In ended cycles sessions happen at the coach's completion rate;
    the rest are missed, left a stub or never written. Within a cycle each
    coachee's stubs come first (they carry the step current when the cycle
    opened, as ``cycle start`` writes them), then their notes by date.
    """

    def __init__(self, y: Year, p: Pairings) -> None:
        self.y, self.p = y, p
        self.notes = Notes()

    def run(self) -> Notes:
        y = self.y
        pf = self.p.file()
        self.gaps = choose_gaps(y)
        self.rates = y.realism.coaches(y.rng, self.p.coach_ids)
        self.drop_ins = DropIns(y, self.p)
        self.style = SessionStyle(y, self.p.coach_ids)
        for number, plan in enumerate(y.plans, 1):
            for due in self.cycle(pf, number, plan).values():
                due.sort(key=lambda n: (n.status != "stub", n.date, n.rel))
                for n in due:
                    self.write_note(n)
        if self.gaps.stuck:
            who = self.gaps.stuck[0]
            y.plant("stuck-coachee", self.notes.journeys[who].notes[-1].path, who)
        return self.notes

    def cycle(self, pf: PairingsFile, number: int, plan: CyclePlan) -> dict[str, list[Due]]:
        """The notes due in one cycle, by coachee, planting the session gaps."""
        y, late, gaps = self.y, self.p.late_shadow, self.gaps
        closed = plan.end < y.today
        due: dict[str, list[Due]] = defaultdict(list)
        for pair in pf.pairs(number):
            coach, coachee = y.by_id[pair.coach], y.by_id[pair.coachee]
            days = [d for d in plan.coaching_days if coach.active(d) and coachee.active(d)
                    and (not y.new_coach(pair.coach) or pair.coach == late
                         or d > y.shadow_day)]
            if not days:
                continue
            rel = note_path(number, pair.coach, pair.coachee)
            gap = gaps.sessions.get((number, pair.coachee))
            spared = pair.coachee in gaps.planted or (  # the first note comes early
                pair.coach == late and number == 1)
            day = y.rng.choice(days)
            if gap is not None and gap != "no-rehearsal":
                status = {"missed": "missed", "missing": "missing",
                          "stub-in-closed-cycle": "stub"}[gap]
                y.plant({"missed": "missed-session", "missing": "missing-note"}
                        .get(gap, gap), rel, pair.coachee)
            else:
                status = self.session(pair.coach, closed, day, spared)
            if status != "missing":
                due[pair.coachee].append(Due(
                    pair.coach, pair.coachee, number, status, day, rel, main=True,
                    rehearsed=False if gap == "no-rehearsal" else None, spared=spared))
            if gap == "no-rehearsal":
                y.plant("no-rehearsal", rel, pair.coachee)
            if gap is None or status == "complete":
                due[pair.coachee] += self.drop_ins(number, plan, pair.coach, coachee,
                                                   status == "complete", spared)
        return due

    def session(self, coach: str, closed: bool, day: dt.date, spared: bool) -> str:
        """How a session went: complete, or (it did not happen) missed, stub or missing.

        In the open cycle a session not yet written up (or still to come) is a stub.
        A coachee who carries a planted gap (``spared``) has every session.
        """
        y = self.y
        if y.rng.random() < (IDEAL if spared else self.rates[coach]).completion:
            return "complete" if closed or day <= y.today else "stub"
        if not closed:
            return "stub"
        fate = y.rng.random()
        return ("missing" if fate < y.realism.missing
                else "missed" if fate < y.realism.missing + y.realism.missed else "stub")

    def write_note(self, n: Due) -> None:
        """Fill a note in along the coachee's journey (journeys.py) and write it.

        A step worked on for two cycles is secured at the next complete note, so
        only the planted coachee gets stuck; the coach's rates decide the rest.
        """
        y, notes = self.y, self.notes
        rng, sequence, coachee, number = y.rng, y.s.sequence, n.coachee, n.cycle
        j = notes.journeys.get(coachee)
        if j is None:
            j = notes.journeys[coachee] = Journey(coachee)
        step = (j.current_step(sequence) if j.notes else y.by_id[coachee].carry) or sequence[0]
        note: dict[str, Any] = {"coach": n.coach, "coachee": coachee, "cycle": number,
                                "status": n.status, "date": n.date}
        if n.status == "missed":
            note["missed_reason"] = rng.choice(MISSED_REASONS)
        elif n.status == "stub":
            note.update(observation=None, precise_praise=None, action_step=step,
                        step_secured=False, modelled=None, rehearsed=None, next_steps=None,
                        notes=None)
        else:
            rates = IDEAL if n.spared else self.rates[n.coach]
            if n.main and j.notes and rng.random() < rates.jumps:
                others = [s for s in sequence if s != step and s not in j.secured]
                step = rng.choice(others) if others else step
            secured = False
            stuck = self.gaps.stuck
            if not (stuck is not None and stuck[0] == coachee and number >= stuck[1]):
                secured = _cycles_on(j, step, number) >= 2 or (n.main and rng.random() < 0.4)
            observation = "lesson" if n.main and rng.random() < 0.85 else "drop-in"
            modelled = rng.random() < rates.modelling
            rehearsed = n.rehearsed if n.rehearsed is not None else \
                rng.random() < rates.rehearsal
            praise = (f"{rng.choice(PRAISE)} {rng.choice(PRAISE_END)}"
                      if rng.random() < rates.praise else None)
            next_steps = rng.choice(VAGUE_NEXT_STEPS if rng.random() < rates.vague
                                    else NEXT_STEPS)
            note.update(observation=observation, precise_praise=praise, action_step=step,
                        step_secured=secured, modelled=modelled, rehearsed=rehearsed,
                        next_steps=next_steps, notes=rng.choice(NOTE_TEXT))
            self.style.fill(note, rates, n.main, n.rel)
            j.notes.append(NoteRecord(
                path=n.rel, coach=n.coach, coachee=coachee, cycle=number, status=n.status,
                date=n.date, observation=observation, action_step=step, step_secured=secured,
                modelled=modelled, rehearsed=rehearsed, has_praise=praise is not None,
                has_next_steps=True))
            first = notes.first_note.get(n.coach)
            notes.first_note[n.coach] = min(first, n.date) if first else n.date
            notes.complete[number].append((n.coach, n.rel, n.date))
        y.write(n.rel, y.note_yaml(note))
        y.out.notes += 1


class DropIns:
    """Generates drop-ins: short visits to a coachee's lessons on top of the sessions.

    The realism profile's ``drop_ins`` is the expected number per due session
    (a trust tops its notes up to ``notes_per_year`` with them). A QA coach or
    the coachee's own coach drops in; their own coach only if the session
    happened, since a complete note by the paired coach would count as the session.
    """

    def __init__(self, y: Year, p: Pairings) -> None:
        self.y, self.qa_team = y, p.qa_team

    def __call__(self, number: int, plan: CyclePlan, paired: str, coachee: Person,
                 happened: bool, spared: bool) -> list[Due]:
        """The drop-ins to ``coachee``'s lessons in cycle ``number``."""
        y = self.y
        rng, rate = y.rng, y.realism.drop_ins
        count = int(rate) + (rng.random() < rate - int(rate))
        if not count:
            return []
        days = [d for d in y.cal.teaching_days(plan.start, min(plan.end, y.today))
                if coachee.active(d) and d > y.shadow_day]
        if not days:
            return []
        out: list[Due] = []
        seen: dict[str, int] = defaultdict(int)
        for _ in range(count):
            coach = paired if happened and rng.random() < 0.5 else rng.choice(self.qa_team).id
            day = rng.choice(days)
            if coach == coachee.id or not y.by_id[coach].active(day):
                coach = paired  # the coach drops in instead
            if (coach == paired and not happened) or not y.by_id[coach].active(day):
                continue
            seen[coach] += 1
            rel = f"notes/cycle-{number:02d}/{coach}--{coachee.id}-dropin-{seen[coach]}.yaml"
            out.append(Due(coach, coachee.id, number, "complete", day, rel, main=False,
                           rehearsed=None, spared=spared))
        return out


def _cycles_on(j: Journey, step: str, cycle: int) -> int:
    """Cycles ``step`` will have been worked on, counting ``cycle``, if not secured now."""
    if j.last_step != step:
        return 1
    return j.cycles_on_current_step() + (0 if j.notes[-1].cycle == cycle else 1)
