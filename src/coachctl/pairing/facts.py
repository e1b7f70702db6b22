"""What suggestions are made from: needs and strengths, read from the programme.

:class:`Facts` gathers, for one cycle, who takes part, the pairs in force and
before, each coachee's current step (the need) and the steps each coach secured
or coached others to secure (the strengths), and the hard constraints on a pair;
:func:`next_cycle` and :func:`repair_cycle` say which cycle to suggest for.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from coachctl import models as m
from coachctl.checks.pairings import YearCycles, leaver_last_cycle
from coachctl.diagnostics import Severity
from coachctl.journeys import Journey, journeys
from coachctl.pairing.proposal import CannotSuggest
from coachctl.programme import Programme


@dataclass
class Facts:
    """What suggestions are made from, for one cycle."""

    prog: Programme
    cycle: int
    settings: m.ProgrammeSettings
    year: YearCycles
    here: set[str]
    """Staff who take part in the cycle."""
    coach_now: dict[str, str]
    """Coachee -> the coach they have in the cycle (both taking part)."""
    working: set[tuple[str, str]]
    """(coach, coachee) in force the cycle before, or now: pairs that can go on."""
    before: set[tuple[str, str]]
    """(coach, coachee) who worked together earlier (pairings or notes)."""
    journey: dict[str, Journey]
    secured_by: dict[str, dict[str, int]]
    """Person -> step -> the cycle they secured it in."""
    coached_to: dict[str, dict[str, list[int]]]
    """Coach -> step -> cycles in which a coachee of theirs secured it."""
    strand_of: dict[str, m.Strand]
    _steps: dict[str, str | None] = field(default_factory=dict)
    _strengths: dict[str, set[str]] = field(default_factory=dict)
    _strand_ids: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, prog: Programme, cycle: int) -> Facts:
        unread = [rel for rel in ("programme.yaml", "staff.yaml", "pairings.yaml")
                  if any(d.path == prog.path(rel) and d.severity is Severity.ERROR
                         for d in prog.diagnostics)]
        if prog.settings is None or prog.staff_file is None or unread:
            raise CannotSuggest(f"{', '.join(unread) or 'programme.yaml and staff.yaml'} "
                                "must read cleanly first; `coachctl validate` says why")
        year = YearCycles.of(prog)
        start = dict(year.starts).get(cycle)
        if start is None and year.starts and cycle > max(n for n, _ in year.starts):
            raise CannotSuggest(f"the year has no cycle {cycle} (its last is "
                                f"{max(n for n, _ in year.starts)})")
        here = set()
        for p in prog.staff.values():
            last = leaver_last_cycle(prog, p.id, year)
            joined = p.joined is None or start is None or p.joined <= start + dt.timedelta(6)
            if joined and (last is None or last >= cycle):
                here.add(p.id)
        coach_now = {pr.coachee: pr.coach for pr in prog.pairings.pairs(cycle)
                     if pr.coach in here and pr.coachee in here}
        working = {(pr.coach, pr.coachee) for n in (cycle - 1, cycle)
                   for pr in prog.pairings.pairs(n)}
        before = {(pr.coach, pr.coachee) for pr in prog.pairings.pairs()
                  if pr.source.from_cycle < cycle}
        before |= {(n.coach, n.coachee) for n in prog.notes
                   if n.status == "complete" and n.cycle < cycle}
        secured_by: dict[str, dict[str, int]] = defaultdict(dict)
        coached_to: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for n in sorted(prog.notes, key=lambda n: n.cycle):
            if n.status == "complete" and n.step_secured and n.action_step and n.cycle < cycle:
                secured_by[n.coachee].setdefault(n.action_step, n.cycle)
                coached_to[n.coach][n.action_step].append(n.cycle)
        strand_of = {s.id: strand for strand in (prog.library.strands if prog.library else [])
                     for s in strand.steps}
        return cls(prog, cycle, prog.settings, year, here, coach_now, working, before,
                   journeys(n for n in prog.notes if n.cycle < cycle), dict(secured_by),
                   {k: dict(v) for k, v in coached_to.items()}, strand_of)

    @property
    def capacity(self) -> int:
        return self.settings.thresholds.max_coachees_per_coach

    def person(self, who: str) -> m.StaffMember:
        return self.prog.staff[who]

    def can_coach(self, who: str) -> bool:
        """A coach (``coach: true``, not an ECT) taking part in the cycle who is not
        leaving: someone with a ``left`` date is never given a new coachee."""
        p = self.prog.staff.get(who)
        return (p is not None and who in self.here and p.coach and p.role != "ect"
                and p.left is None)

    def kept_load(self) -> dict[str, int]:
        """Coachees each coach keeps: the most they have in any cycle from this one on
        (a pair planned to begin later counts too), leavers' pairs ending with them."""
        most: dict[str, int] = defaultdict(int)
        later = sorted({self.cycle} | {n for n, _ in self.year.starts if n > self.cycle}
                       | {p.from_cycle for p in (*self.prog.pairings.groups,
                                                 *self.prog.pairings.reciprocal)
                          if p.from_cycle > self.cycle})
        for n in later:
            count: dict[str, int] = defaultdict(int)
            for pr in self.prog.pairings.pairs(n):
                end = self.last_cycle(pr.coachee)
                if pr.coach in self.here and pr.coachee in self.here and (end is None
                                                                          or end >= n):
                    count[pr.coach] += 1
            for c, k in count.items():
                most[c] = max(most[c], k)
        return most

    def last_cycle(self, who: str) -> int | None:
        """The last cycle of someone leaving later in the year (None: not leaving)."""
        return leaver_last_cycle(self.prog, who, self.year)

    def pool(self) -> list[str]:
        """Everyone who should have a coach in the cycle: the coachees of pairings.yaml,
        ECTs, and anyone it does not name yet (but the lead coach)."""
        pf = self.prog.pairings
        coachees = {pr.coachee for pr in pf.pairs()}
        named = coachees | {g.coach for g in pf.groups}
        lead = self.settings.lead_coach
        return sorted(w for w in self.here
                      if w in coachees or self.person(w).role == "ect"
                      or (w not in named and w != lead))

    def lost_a_coach(self, who: str) -> bool:
        """``who`` was coached by someone who has left and has no coach now."""
        if who in self.coach_now:
            return False
        return any(pr.coachee == who and pr.coach not in self.here
                   and leaver_last_cycle(self.prog, pr.coach, self.year) is not None
                   for pr in self.prog.pairings.pairs())

    def step(self, coachee: str) -> str | None:
        """The coachee's current step (worked out once per coachee)."""
        if coachee not in self._steps:
            seq = self.prog.sequence_ids
            j = self.journey.get(coachee, Journey(coachee))
            self._steps[coachee] = (j.current_step(seq, self.person(coachee).start_step)
                                    if seq else None)
        return self._steps[coachee]

    def strand_steps(self, strand: m.Strand) -> set[str]:
        if strand.id not in self._strand_ids:
            self._strand_ids[strand.id] = {s.id for s in strand.steps}
        return self._strand_ids[strand.id]

    def strengths(self, coach: str) -> set[str]:
        """Steps ``coach`` secured or coached someone to secure."""
        if coach not in self._strengths:
            self._strengths[coach] = (set(self.secured_by.get(coach, {}))
                                      | set(self.coached_to.get(coach, {})))
        return self._strengths[coach]

    def forbidden(self, coach: str, coachee: str) -> str | None:
        """Why ``coach`` may not coach ``coachee`` (a hard constraint), or None."""
        if coach == coachee:
            return "themselves"
        if not self.can_coach(coach):
            return "not a coach taking part in the cycle"
        p = self.person(coachee)
        if p.role == "ect" and p.mentor != coach:
            return "an ECT is coached by their mentor"
        if p.line_manager == coach:
            return "their line manager"
        return None


def next_cycle(prog: Programme, today: dt.date) -> int:
    """The next cycle to open: the first of the year not on file that starts on or after
    ``today``, else the one after the last on file."""
    year = YearCycles.of(prog)
    later = [n for n, start in year.starts if n not in prog.cycles and start >= today]
    if later:
        return min(later)
    return max(prog.cycles, default=0) + 1


def repair_cycle(prog: Programme, today: dt.date) -> int:
    """The first cycle, from the next to open on, in which someone loses a coach who left."""
    year = YearCycles.of(prog)
    first = next_cycle(prog, today)
    ends = {leaver_last_cycle(prog, p.coach, year) for p in prog.pairings.pairs()}
    return min((n + 1 for n in ends if n is not None and n + 1 >= first), default=first)
