"""Pairings make sense for the programme's model and its leavers (R005, R006, R009, R013,
R014, R015)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from coachctl.checks.dates import R005
from coachctl.codes import Code, E, W
from coachctl.diagnostics import Diagnostic, Pointer, make
from coachctl.models import Group, Reciprocal
from coachctl.programme import Programme


@dataclass(frozen=True, slots=True)
class YearCycles:
    """The year's cycles by number and start: those on file, then those planned."""

    starts: tuple[tuple[int, dt.date], ...]

    @classmethod
    def of(cls, prog: Programme) -> YearCycles:
        if prog.settings is None:
            return cls(tuple(sorted((n, c.start) for n, c in prog.cycles.items())))
        from coachctl.cycledates import year_cycles

        return cls(tuple((c.number, c.start) for c in year_cycles(prog)))

    def last_for(self, left: dt.date) -> int:
        """The last cycle of someone who leaves on ``left``: the latest cycle that starts
        on or before it (0 if none does). Its feedback meeting may fall after they go,
        so the pairing may run to it but no further."""
        return max((n for n, start in self.starts if start <= left), default=0)

    def after(self, last: int) -> list[int]:
        return [n for n, _ in self.starts if n > last]


def leaver_last_cycle(prog: Programme, who: str, cycles: YearCycles) -> int | None:
    """The last cycle ``who`` takes part in, or None if they have not left."""
    person = prog.staff.get(who)
    if person is None or person.left is None:
        return None
    return cycles.last_for(person.left)


R006 = Code("R006", E, "self-coaching",
            "A person is paired with, or wrote a note about, themselves.",
            "coach: asmith\ncoachee: asmith\n", "Fix the coach or the coachee.")


def self_coaching(prog: Programme) -> Iterator[Diagnostic]:
    """R006: nobody is paired with, or writes a note about, themselves."""
    reported = set()
    for pair in prog.pairings.pairs():
        if pair.coach == pair.coachee and pair.pointer[:2] not in reported:
            reported.add(pair.pointer[:2])
            yield make(R006, f"'{pair.coach}' is paired with themselves",
                       prog.path("pairings.yaml"), pair.pointer, subject=pair.coach)
    for n in prog.notes:
        if n.coach == n.coachee:
            yield make(R006, f"'{n.coach}' is both coach and coachee", prog.path(n.path),
                       ("coachee",), subject=n.coach)


def _cycles(prog: Programme) -> list[int]:
    """Cycle numbers to test pairings in: every cycle on file, or the first if none."""
    known = set(prog.cycles)
    for p in (*prog.pairings.groups, *prog.pairings.reciprocal):
        known.add(p.from_cycle)
    return sorted(known)


def leavers(prog: Programme) -> Iterator[Diagnostic]:
    """R005: no pairing is in force after the last cycle of someone in it who has left."""
    if not any(p.left for p in prog.staff.values()):
        return
    year = YearCycles.of(prog)
    spans: list[tuple[Pointer, Group | Reciprocal, list[Pointer], list[str]]]
    spans = [(("groups", i), g, [("coach",), *(("coachees", j) for j in range(len(g.coachees)))],
              [g.coach, *g.coachees]) for i, g in enumerate(prog.pairings.groups)]
    spans += [(("reciprocal", i), r, [("staff", 0), ("staff", 1)], list(r.staff))
              for i, r in enumerate(prog.pairings.reciprocal)]
    for where, span, pointers, people in spans:
        for ptr, who in zip(pointers, people, strict=True):
            last = leaver_last_cycle(prog, who, year)
            if last is None:
                continue
            later = [n for n in year.after(last) if span.covers(n)]
            if later:
                left = prog.staff[who].left
                fix = (f"end it with 'until_cycle: {last}'" if last >= span.from_cycle
                       else "take them out of it")
                yield make(R005, f"'{who}' left on {left} (cycle {last}) but this pairing "
                           f"is in force in cycle {later[0]}", prog.path("pairings.yaml"),
                           (*where, *ptr), subject=who,
                           hint=f"{fix}; `coachctl staff leave {who} --date {left}` does it "
                                "and lists who then needs a coach")


R015 = Code("R015", E, "coachee has two coaches",
            "Pairings give one coachee more than one coach in the same cycle. A coach who "
            "has left by then (after their last cycle, see R005) does not count.",
            "groups:\n  - {coach: asmith, coachees: [bjones]}\n"
            "  - {coach: cdavies, coachees: [bjones]}\n",
            "End one pairing with `until_cycle`, or start the new one with `from_cycle`.")


def one_coach_each(prog: Programme) -> Iterator[Diagnostic]:
    """R015: in any one cycle each coachee has one coach (a coach who has left by then
    does not count)."""
    reported: set[tuple[str, str]] = set()
    year = YearCycles.of(prog) if any(p.left for p in prog.staff.values()) else None
    for cycle in _cycles(prog):
        coaches: dict[str, list[str]] = defaultdict(list)
        for pair in prog.pairings.pairs(cycle):
            last = leaver_last_cycle(prog, pair.coach, year) if year else None
            if last is not None and cycle > last:
                continue
            coaches[pair.coachee].append(pair.coach)
            if len(set(coaches[pair.coachee])) > 1 and (pair.coachee, pair.coach) not in reported:
                reported.add((pair.coachee, pair.coach))
                first = coaches[pair.coachee][0]
                yield make(R015, f"'{pair.coachee}' has two coaches in cycle {cycle}: "
                           f"'{first}' and '{pair.coach}'", prog.path("pairings.yaml"),
                           pair.pointer, subject=pair.coachee,
                           hint="end one pairing with until_cycle, or begin the other later")


R014 = Code("R014", W, "ECT without a mentor",
            "Every early-career teacher has a statutory mentor; the `mentor` key is missing or "
            "names someone who has left.", "role: ect\n# no mentor:\n",
            "Add `mentor: ID` to the ECT's entry in staff.yaml.")


R009 = Code("R009", W, "ECT not paired with their mentor",
            "Under reciprocal pairs the programme expects each early-career teacher to be "
            "coached by their mentor.",
            "# staff.yaml: bjones is an ect with mentor: asmith\n"
            "# pairings.yaml pairs bjones with cdavies\n",
            "Pair the ECT with their mentor, or record why not in the pairing's `reason`.")


def mentors(prog: Programme) -> Iterator[Diagnostic]:
    """R014: every ECT has a mentor on the staff who has not left.

    R009: under reciprocal pairs (and hubs) an ECT is coached by their mentor.
    """
    if prog.staff_file is None:
        return
    expect_mentor_pairs = bool(prog.settings and prog.settings.pairing_model != "leader-led")
    coach_of: dict[str, set[str]] = defaultdict(set)
    pointer_of: dict[str, tuple[str | int, ...]] = {}
    for pair in prog.pairings.pairs():
        if pair.source.reason is None:  # a pairing that gives its reason is a decision, not a slip
            coach_of[pair.coachee].add(pair.coach)
            pointer_of.setdefault(pair.coachee, pair.pointer)
    for i, person in enumerate(prog.staff_file.staff):
        if person.role != "ect" or person.left:
            continue
        mentor = prog.staff.get(person.mentor) if person.mentor else None
        if person.mentor is None or (mentor is not None and mentor.left):
            why = ("has no mentor" if person.mentor is None
                   else f"has a mentor who has left ('{person.mentor}')")
            yield make(R014, f"ECT '{person.id}' {why}",
                       prog.path("staff.yaml"), ("staff", i), subject=person.id)
        elif (expect_mentor_pairs and person.id in coach_of
              and person.mentor not in coach_of[person.id]):
            yield make(R009, f"ECT '{person.id}' is not coached by their mentor "
                       f"'{person.mentor}'", prog.path("pairings.yaml"), pointer_of[person.id],
                       subject=person.id)


R013 = Code("R013", W, "pairing names someone who is not a coach",
            "Under leader-led coaching only staff flagged `coach: true` coach; a hub's expert "
            "must be flagged `expert_coach: true`.",
            "# staff.yaml: cdavies has coach: false\ncoach: cdavies\n",
            "Flag the person as a coach in staff.yaml, or fix the pairing.")


def coach_flags(prog: Programme) -> Iterator[Diagnostic]:
    """R013: leader-led coaches are flagged coach: true; hub experts expert_coach: true."""
    if prog.staff_file is None or prog.settings is None:
        return
    if prog.settings.pairing_model == "leader-led":
        for i, g in enumerate(prog.pairings.groups):
            person = prog.staff.get(g.coach)
            if person is not None and not person.coach:
                yield make(R013, f"'{g.coach}' coaches but is not flagged 'coach: true'",
                           prog.path("pairings.yaml"), ("groups", i, "coach"), subject=g.coach)
    for i, h in enumerate(prog.pairings.hubs):
        person = prog.staff.get(h.expert)
        if person is not None and not person.expert_coach:
            yield make(R013, f"hub expert '{h.expert}' is not flagged 'expert_coach: true'",
                       prog.path("pairings.yaml"), ("hubs", i, "expert"), subject=h.expert)


CHECKS = (self_coaching, leavers, one_coach_each, mentors, coach_flags)
ON_RECORDS = (self_coaching,)
CODES = (R006, R015, R014, R009, R013)
