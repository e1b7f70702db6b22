"""The optimal assignment: every coachee placed at once, never one at a time.

One-way pairs by :func:`scipy.optimize.linear_sum_assignment` (loaded by
:mod:`~coachctl.pairing.lsap`, without the rest of scipy.optimize) over the coaches'
free places (:func:`_assign`); under the reciprocal and hubs models, colleagues
paired to coach each other by a maximum-weight matching first
(:func:`_reciprocal`). :func:`hard_violations` checks any proposal afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from coachctl.pairing.facts import Facts
from coachctl.pairing.proposal import Mode, Proposal, Suggestion, Unplaced
from coachctl.pairing.scoring import points, score, terms
from coachctl.programme import Programme

UNPLACED_COST = 1_000_000
"""The cost of leaving a coachee without a coach: more than any set of scores wins back."""
FORBIDDEN = 10**12


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

    from coachctl.pairing.lsap import linear_sum_assignment

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
    rows, cols = linear_sum_assignment()(cost)
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
