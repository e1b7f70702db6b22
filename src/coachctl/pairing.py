"""Suggesting coaches from needs and strengths (``coachctl pair suggest``).

For a cycle N, every coachee who needs a coach gets one, chosen as an optimal
assignment, never one at a time:

* *need*: the coachee's current step and its strand (:mod:`coachctl.journeys`);
* *strength*: steps the coach secured themselves or coached others to secure,
  expert status, department (``pairing.department`` in programme.yaml);
* *hard constraints* (a pair that breaks one is never suggested): nobody coaches
  themselves; a coach is flagged ``coach: true``, is not an ECT and takes part in
  cycle N (joined, not left before it); an ECT is coached by their mentor; nobody
  is coached by their own ``line_manager``; no coach gets more than
  ``thresholds.max_coachees_per_coach`` coachees, counting those they keep;
* *soft preferences* (weights in ``pairing.weights``): keep a working pair, do
  not repeat a pair that has ended, spread the load.

The score of each (coachee, coach) pair fills a matrix whose columns are the
coaches' free places (a coach with three free places has three columns, each
dearer by the load weight), plus one "nobody" column per coachee that costs more
than any score can win back. :func:`scipy.optimize.linear_sum_assignment` then
places as many coachees as any assignment can, and among those assignments picks
the one with the highest total score. Suggestions are one-way pairs (``groups``
in pairings.yaml). docs/pairing.md gives the weights and the evidence behind them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from coachctl import models as m
from coachctl.checks.pairings import YearCycles, leaver_last_cycle
from coachctl.diagnostics import Severity
from coachctl.journeys import Journey, journeys
from coachctl.loader import Programme

Mode = Literal["need", "all", "repair"]
UNPLACED_COST = 1_000_000
"""The cost of leaving a coachee without a coach: more than any set of scores wins back."""
FORBIDDEN = 10**12


@dataclass
class Suggestion:
    coach: str
    coachee: str
    score: int
    why: list[str]
    """What the pair rests on: the need, the coach's strengths, department, load."""
    gave_up: list[str] = field(default_factory=list)
    """Soft preferences this pair does not meet."""
    mentor: bool = False
    """An ECT with their mentor."""
    partner: bool = False
    """A reciprocal pair: the coachee coaches the coach too (a second suggestion)."""
    until: int | None = None
    """The coachee's last cycle, when they are leaving later in the year."""

    @property
    def explanation(self) -> str:
        return "; ".join(self.why)


@dataclass
class Unplaced:
    coachee: str
    reason: str


@dataclass
class Proposal:
    cycle: int
    mode: Mode
    suggestions: list[Suggestion] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    kept: int = 0
    """Coachees who keep the coach they have (not re-paired)."""

    @property
    def gave_up(self) -> list[str]:
        return [f"{s.coachee}: {g}" for s in self.suggestions for g in s.gave_up]


class CannotSuggest(Exception):
    """The programme lacks what a suggestion needs (settings, staff, the cycle)."""


# --- what the programme says ---------------------------------------------------------------

@dataclass
class Facts:
    """What suggestions are made from, for one cycle."""

    prog: Programme
    cycle: int
    settings: m.Programme
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


# --- scoring ---------------------------------------------------------------------------------

TERMS: dict[str, tuple[str, int]] = {
    "secured": ("secured_step", 1), "coached": ("coached_step", 1), "strand": ("strand", 1),
    "expert": ("expert", 1), "department": ("department", 1), "keep": ("keep_pair", 1),
    "repeat": ("repeat_pair", -1),
}
"""Each term a pair can earn: the weight (``pairing.weights``) it adds, or takes off."""


def terms(f: Facts, coach: str, coachee: str) -> list[str]:
    """The :data:`TERMS` the pair earns (no text: this runs for every possible pair)."""
    out = []
    step = f.step(coachee)
    if step:
        mine, theirs = f.secured_by.get(coach, {}), f.coached_to.get(coach, {})
        if step in mine:
            out.append("secured")
        if step in theirs:
            out.append("coached")
        strand = f.strand_of.get(step)
        if (strand and step not in mine and step not in theirs
                and not f.strand_steps(strand).isdisjoint(f.strengths(coach))):
            out.append("strand")
    cp, ep = f.person(coach), f.person(coachee)
    if cp.expert_coach:
        out.append("expert")
    pref = f.settings.pairing.department
    if pref == "any" or (pref == "same") == (cp.department == ep.department):
        out.append("department")
    if (coach, coachee) in f.working:
        out.append("keep")
    elif (coach, coachee) in f.before:
        out.append("repeat")
    return out


def points(f: Facts, earned: list[str]) -> int:
    w = f.settings.pairing.weights
    return sum(getattr(w, TERMS[t][0]) * TERMS[t][1] for t in earned)


def score(f: Facts, coach: str, coachee: str, load: int) -> Suggestion:
    """The pair's score and explanation, with ``load`` coachees already the coach's."""
    earned = terms(f, coach, coachee)
    why: list[str] = []
    gave_up: list[str] = []
    step = f.step(coachee)
    strand = f.strand_of.get(step) if step else None
    if step:
        why.append(f"needs {strand.name.lower()} ({step})" if strand else f"needs {step}")
    else:
        why.append("no step to work on yet")
    if "secured" in earned:
        why.append(f"{coach} secured {step} in cycle {f.secured_by[coach][str(step)]}")
    if "coached" in earned:
        cycles = f.coached_to[coach][str(step)]
        n = len(cycles)
        why.append(f"{coach} coached {n} colleague{'s' if n != 1 else ''} to secure "
                   f"{step} (cycle {cycles[0]})")
    if "strand" in earned and strand:
        why.append(f"{coach} secured a {strand.name.lower()} step")
    cp, ep = f.person(coach), f.person(coachee)
    mentor = ep.role == "ect" and ep.mentor == coach
    if mentor:
        why.append("ECT with their mentor")
    if "expert" in earned:
        why.append("expert coach")
    why.append("same department" if cp.department == ep.department else "other department")
    if "department" not in earned:
        pref = f.settings.pairing.department
        gave_up.append(f"a coach from {'their own' if pref == 'same' else 'another'} "
                       "department")
    if "keep" in earned:
        why.append("keeps a working pair")
    if "repeat" in earned:
        gave_up.append(f"not repeating an earlier pair ({coach} coached them before)")
    w = f.settings.pairing.weights
    why.append(f"{load + 1} coachee{'s' if load else ''}")
    return Suggestion(coach, coachee, points(f, earned) - w.load * load, why, gave_up,
                      mentor=mentor)


# --- solving ---------------------------------------------------------------------------------

def suggest(prog: Programme, cycle: int, mode: Mode = "need") -> Proposal:
    """Coaches for everyone who needs one in ``cycle`` (``all``: everyone in the pool,
    afresh; ``repair``: only those whose coach has left). Raises :class:`CannotSuggest`.

    With ``all`` under the reciprocal and hubs models, colleagues who can coach are paired
    to coach each other (:func:`_reciprocal`) when that coaches as many people as
    one-way pairs would; otherwise every pair is one-way."""
    f = Facts.of(prog, cycle)
    pool = f.pool()
    load: dict[str, int] = defaultdict(int)
    if mode == "all":
        needers = pool
    else:
        pick = f.lost_a_coach if mode == "repair" else (lambda w: w not in f.coach_now)
        arranged = {pr.coachee for pr in prog.pairings.pairs()
                    if pr.source.from_cycle > cycle}  # a pair begins later: no open-ended one
        needers = [w for w in pool if pick(w) and w not in arranged]
        load.update(f.kept_load())
    proposal = Proposal(cycle, mode, kept=0 if mode == "all" else len(f.coach_now))
    if not needers:
        return proposal
    cache: dict[tuple[str, str], int | None] = {}
    both = (_reciprocal(f, needers, load, cache)
            if mode == "all" and f.settings.pairing_model != "leader-led" else None)
    if both is not None and len(both) == len(needers):
        placed = both  # everyone coached: no one-way assignment can do better
    else:
        placed = _assign(f, needers, load, cache)
        if both is not None and len(both) >= len(placed):
            placed = both
    totals: dict[str, int] = defaultdict(int, load)
    for s in placed.values():
        totals[s.coach] += 1
        s.until = f.last_cycle(s.coachee)
    coaches = sorted(c for c in f.here if f.can_coach(c))
    for who in needers:
        if who in placed:
            s = placed[who]
            s.why[-1] = f"{totals[s.coach]} coachee{'s' if totals[s.coach] != 1 else ''}"
            if s.partner:
                s.why.insert(-1, f"reciprocal: {who} coaches {s.coach} too")
            kept = next((c for c, e in f.working if e == who and c != s.coach
                         and not f.forbidden(c, who)), None)
            if kept:
                s.gave_up.append(f"keeping the working pair with {kept}")
            proposal.suggestions.append(s)
        else:
            proposal.unplaced.append(Unplaced(who, _why_not(f, who, coaches)))
    return proposal


def _allowed(f: Facts, coach: str, coachee: str,
             cache: dict[tuple[str, str], int | None]) -> int | None:
    """The pair's points, or None if a hard constraint forbids it (worked out once)."""
    key = (coachee, coach)
    if key not in cache:
        cache[key] = None if f.forbidden(coach, coachee) else points(f, terms(f, coach, coachee))
    return cache[key]


def _assign(f: Facts, needers: list[str], load: dict[str, int],
            cache: dict[tuple[str, str], int | None]) -> dict[str, Suggestion]:
    """The optimal one-way assignment of ``needers`` to coaches' free places."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    w = f.settings.pairing.weights
    coaches = sorted(c for c in f.here if f.can_coach(c))
    slots = [(c, load.get(c, 0) + k) for c in coaches
             for k in range(max(0, f.capacity - load.get(c, 0)))]
    if not needers:
        return {}
    cost = np.full((len(needers), len(slots) + len(needers)), FORBIDDEN, dtype=np.int64)
    columns: dict[str, list[int]] = defaultdict(list)
    for j, (coach, _) in enumerate(slots):
        columns[coach].append(j)
    extra = {c: np.array([w.load * slots[j][1] for j in js], dtype=np.int64)
             for c, js in columns.items()}
    for i, who in enumerate(needers):
        cost[i, len(slots) + i] = UNPLACED_COST
        for coach, js in columns.items():
            p = _allowed(f, coach, who, cache)
            if p is not None:
                cost[i, js] = extra[coach] - p
    rows, cols = linear_sum_assignment(cost)
    placed: dict[str, Suggestion] = {}
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        if c < len(slots) and cost[r][c] < FORBIDDEN:
            coach, already = slots[c]
            placed[needers[r]] = score(f, coach, needers[r], already)
    return placed


PARTNERS = 10
"""Reciprocal matching considers each person's best partners only (by score): it keeps
the matching quick for a large school at no cost in the examples measured."""


def _reciprocal(f: Facts, needers: list[str], load: dict[str, int],
                cache: dict[tuple[str, str], int | None]) -> dict[str, Suggestion] | None:
    """ECTs with their mentors, then colleagues who can coach paired to coach each other
    by a maximum-weight matching of most pairs (:func:`networkx.max_weight_matching`),
    then anyone left by the one-way assignment. None if nobody can be paired both ways."""
    import heapq

    import networkx as nx

    load = defaultdict(int, load)
    placed: dict[str, Suggestion] = {}
    for who in needers:
        mentor = f.person(who).mentor
        if (f.person(who).role == "ect" and mentor and load[mentor] < f.capacity
                and _allowed(f, mentor, who, cache) is not None):
            placed[who] = score(f, mentor, who, load[mentor])
            load[mentor] += 1
    free = [w for w in needers if w not in placed and f.can_coach(w) and load[w] < f.capacity]
    near: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for i, a in enumerate(free):
        for b in free[i + 1:]:
            ab, ba = _allowed(f, a, b, cache), _allowed(f, b, a, cache)
            if ab is not None and ba is not None:
                near[a].append((ab + ba, b))
                near[b].append((ab + ba, a))
    if not near:
        return None
    g = nx.Graph()
    offset = 1 + 2 * max(abs(x) for edges in near.values() for x, _ in edges)
    for a, edges in near.items():
        for weight, b in heapq.nlargest(PARTNERS, edges):
            g.add_edge(a, b, weight=weight + offset)  # positive: more pairs always win
    for a, b in sorted(tuple(sorted(e)) for e in nx.max_weight_matching(g, maxcardinality=True)):
        placed[a] = score(f, b, a, load[b])
        placed[b] = score(f, a, b, load[a])
        placed[a].partner = placed[b].partner = True
        load[a] += 1
        load[b] += 1
    rest = [w for w in needers if w not in placed]
    placed.update(_assign(f, rest, load, cache))
    return placed


def _why_not(f: Facts, who: str, coaches: Iterable[str]) -> str:
    p = f.person(who)
    if p.role == "ect":
        if p.mentor is None:
            return "an ECT with no mentor in staff.yaml (R014)"
        mentor = f.prog.staff.get(p.mentor)
        if mentor is not None and mentor.left is not None:
            return (f"an ECT whose mentor '{p.mentor}' leaves on {mentor.left}: record a new "
                    "mentor in staff.yaml")
        if not f.can_coach(p.mentor):
            return f"an ECT whose mentor '{p.mentor}' is not a coach taking part in the cycle"
    allowed = [c for c in coaches if not f.forbidden(c, who)]
    if not allowed:
        return "no coach taking part in the cycle is allowed to coach them"
    return (f"every coach allowed to coach them is full (max_coachees_per_coach: "
            f"{f.capacity}): {', '.join(allowed[:5])}{' ...' if len(allowed) > 5 else ''}")


# --- writing ---------------------------------------------------------------------------------

def apply(doc: dict[str, Any], proposal: Proposal) -> None:
    """Write ``proposal`` into pairings.yaml's value (plain or round-trip): with ``all``,
    pairings in force in the cycle end the cycle before (or go, if they begin in it)."""
    n = proposal.cycle
    if proposal.mode == "all":
        for key in ("groups", "reciprocal"):
            entries = doc.get(key) or []
            for i in reversed(range(len(entries))):
                e = entries[i]
                if e.get("from_cycle", 1) >= n:
                    del entries[i]
                elif e.get("until_cycle") is None or e["until_cycle"] >= n:
                    from coachctl.yamledit import put

                    put(e, "until_cycle", n - 1,
                        after=("coachees", "staff", "from_cycle"))
    by_coach: dict[tuple[str, str, int | None], list[str]] = defaultdict(list)
    both = sorted({tuple(sorted((s.coach, s.coachee))) for s in proposal.suggestions
                   if s.partner})
    if both and doc.get("reciprocal") is None:
        from coachctl.yamledit import put

        put(doc, "reciprocal", [])
    for a, b in both:
        doc["reciprocal"].append({"staff": [a, b], "from_cycle": n})
    for s in proposal.suggestions:
        if s.partner:
            continue
        reason = ("ECT coached by their mentor" if s.mentor
                  else "new coach after theirs left" if proposal.mode == "repair"
                  else "suggested by coachctl pair suggest")
        by_coach[(s.coach, reason, s.until)].append(s.coachee)
    if not by_coach:
        return
    if doc.get("groups") is None:
        from coachctl.yamledit import put

        put(doc, "groups", [])
    for (coach, reason, until), coachees in sorted(by_coach.items(),
                                                   key=lambda kv: (kv[0][:2], kv[0][2] or 0)):
        entry: dict[str, Any] = {"coach": coach, "coachees": sorted(coachees), "from_cycle": n}
        if until is not None:
            entry["until_cycle"] = until  # they leave: the pair ends with their last cycle
        entry["reason"] = reason
        doc["groups"].append(entry)


def hard_violations(prog: Programme, proposal: Proposal) -> list[str]:
    """Every hard constraint the proposal breaks (empty: none); for tests and a last check."""
    f = Facts.of(prog, proposal.cycle)
    out = []
    load: dict[str, int] = defaultdict(int)
    if proposal.mode != "all":
        load.update(f.kept_load())
    seen: set[str] = set()
    for s in proposal.suggestions:
        if why := f.forbidden(s.coach, s.coachee):
            out.append(f"{s.coach} -> {s.coachee}: {why}")
        if s.coachee in seen:
            out.append(f"{s.coachee} has two coaches")
        seen.add(s.coachee)
        load[s.coach] += 1
    out += [f"{c} has {n} coachees" for c, n in load.items() if n > f.capacity]
    return out


def next_cycle(prog: Programme, today: dt.date) -> int:
    """The next cycle to open: the first of the year not on file that starts on or after
    ``today``, else the one after the last on file."""
    year = YearCycles.of(prog)
    later = [n for n, start in year.starts if n not in prog.cycles and start >= today]
    if later:
        return min(later)
    return max(prog.cycles, default=0) + 1


def tables(proposal: Proposal) -> list[Any]:
    """The proposal as report tables (:class:`coachctl.tables.Table`)."""
    from coachctl.tables import Table

    meta = {"cycle": proposal.cycle, "mode": proposal.mode, "kept": proposal.kept,
            "suggested": len(proposal.suggestions), "unplaced": len(proposal.unplaced)}
    rows: list[Sequence[Any]] = [[s.coachee, s.coach, s.score, s.explanation,
                              "; ".join(s.gave_up) or None]
                             for s in sorted(proposal.suggestions, key=lambda s: s.coachee)]
    out = [Table("pair.suggest", ["coachee", "coach", "score", "why", "gave_up"], rows,
                 title=f"Suggested coaches from cycle {proposal.cycle} ({proposal.mode})",
                 meta=meta,
                 caption=(f"{proposal.kept} coachee(s) keep their coach; "
                          f"{len(proposal.gave_up)} soft preference(s) given up"))]
    if proposal.unplaced:
        out.append(Table("pair.unplaced", ["coachee", "reason"],
                         [[u.coachee, u.reason] for u in proposal.unplaced],
                         title="No coach can be suggested for"))
    return out


# --- pair add / pair end ---------------------------------------------------------------------

def add(doc: dict[str, Any], coach: str, coachee: str, first: int, reason: str | None) -> None:
    """Add ``coach`` -> ``coachee`` from cycle ``first`` to pairings.yaml's value, unless a
    pairing already says so."""
    from coachctl.yamledit import put

    for g in doc.get("groups") or []:
        if (g.get("coach") == coach and coachee in (g.get("coachees") or [])
                and g.get("from_cycle", 1) <= first
                and (g.get("until_cycle") is None or g["until_cycle"] >= first)):
            return
    for r in doc.get("reciprocal") or []:
        if ({coach, coachee} == set(r.get("staff") or []) and r.get("from_cycle", 1) <= first
                and (r.get("until_cycle") is None or r["until_cycle"] >= first)):
            return
    entry: dict[str, Any] = {"coach": coach, "coachees": [coachee], "from_cycle": first}
    if reason:
        entry["reason"] = reason
    if doc.get("groups") is None:
        put(doc, "groups", [])
    doc["groups"].append(entry)


def end(doc: dict[str, Any], coach: str, coachee: str, last: int, reason: str | None) -> None:
    """End every pairing in which ``coach`` coaches ``coachee`` after cycle ``last``: a
    group's other coachees carry on with the coach; a reciprocal pair ends both ways."""
    from coachctl.roster import end_pairings
    from coachctl.yamledit import put

    def say_why(entry: dict[str, Any]) -> None:
        if reason and reason not in str(entry.get("reason", "")):
            put(entry, "reason", f"{entry['reason']}; ended: {reason}" if entry.get("reason")
                else f"ended: {reason}", after=("until_cycle",))

    end_pairings(doc, coachee, last, coach=coach, on_end=say_why)


def repair_cycle(prog: Programme, today: dt.date) -> int:
    """The first cycle, from the next to open on, in which someone loses a coach who left."""
    year = YearCycles.of(prog)
    first = next_cycle(prog, today)
    ends = {leaver_last_cycle(prog, p.coach, year) for p in prog.pairings.pairs()}
    return min((n + 1 for n in ends if n is not None and n + 1 >= first), default=first)
