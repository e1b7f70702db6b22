"""Planning expert-coach hubs (``coachctl hub plan``).

Every coach taking part in a cycle is placed in the hub of one expert coach, who
quality-assures their coaching. The plan is a minimum-cost flow
(:func:`networkx.min_cost_flow`) from coaches to hubs:

* *balance*: each hub holds ``n // k`` coaches, and ``n % k`` of them one more (a
  place beyond ``n // k`` costs :data:`EXTRA`, so only as many are used as must be);
* *an expert is never in their own hub*: there is no arc from an expert to it;
* *departments spread*: the i-th coach of one department in a hub costs
  ``(i - 1) * SPREAD`` more, so a hub mixes departments where it can;
* *continuity*: a coach staying in their current hub saves :data:`KEEP`, unless
  the plan is ``fresh``.

The network is kept small (:func:`_solve`): coaches alike in cost (one department, one
current hub, not an expert) are one supply node, and a department's places in a hub
stop at the most a hub holds, so a 200-staff school's network has a third of the arcs
one node per coach and per place would need, and solves ten times faster. The least
cost is the same; among equally cheap plans it may pick another
(tests/test_hub_optimal.py holds the cost against the one-node-per-coach network).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from coachctl.pairing import CannotSuggest, Facts
from coachctl.programme import Programme

EXTRA = 1_000
KEEP = 10
SPREAD = 3


@dataclass
class PlannedHub:
    id: str
    name: str
    expert: str
    coaches: list[str] = field(default_factory=list)
    why: dict[str, str] = field(default_factory=dict)


@dataclass
class HubPlan:
    cycle: int
    hubs: list[PlannedHub]
    moved: list[str] = field(default_factory=list)
    unplaced: list[tuple[str, str]] = field(default_factory=list)


def plan(prog: Programme, cycle: int, *, fresh: bool = False) -> HubPlan:
    """Balanced hubs for ``cycle``. Raises :class:`coachctl.pairing.CannotSuggest`."""
    f = Facts.of(prog, cycle)
    experts = sorted(w for w in f.here if f.person(w).expert_coach)
    if not experts:
        raise CannotSuggest("no expert coach (expert_coach: true) takes part in the cycle")
    coaches = sorted(w for w in f.here if f.can_coach(w))
    current: dict[str, str] = {}
    hubs: list[PlannedHub] = []
    for old in prog.pairings.hubs:
        for c in old.coaches:
            current.setdefault(c, old.id)
        if old.expert in experts and all(x.expert != old.expert for x in hubs):
            hubs.append(PlannedHub(old.id, old.name, old.expert))
    ids = {h.id for h in prog.pairings.hubs}
    for e in experts:
        if all(h.expert != e for h in hubs):
            hid = f"hub-{e}"
            while hid in ids:
                hid += "-2"
            hubs.append(PlannedHub(hid, f"{f.person(e).name}'s hub", e))
    out = HubPlan(cycle, hubs)
    if len(hubs) == 1:
        lonely = hubs[0].expert
        if lonely in coaches:
            coaches.remove(lonely)
            out.unplaced.append((lonely, "the only expert coach cannot be in their own hub"))
    depts = {c: f.person(c).department for c in coaches}
    keep = {} if fresh else current
    for c, i in _solve(coaches, depts, keep, hubs):
        h = hubs[i]
        h.coaches.append(c)
        stay = current.get(c) == h.id
        if not stay:
            out.moved.append(c)
        reasons = ["stays in their hub" if stay else
                   (f"moves from {current[c]}" if c in current else "joins a hub")]
        if f.person(h.expert).department != depts[c]:
            reasons.append("other department from the expert")
        if c in experts:
            reasons.append("an expert, quality-assured in another expert's hub")
        h.why[c] = "; ".join(reasons)
    for h in hubs:
        mix = Counter(depts[c] for c in h.coaches)
        h.why["_"] = (f"{len(h.coaches)} coaches from {len(mix)} departments"
                      + (f" (most from one: {max(mix.values())})" if mix else ""))
    return out


def apply(doc: dict[str, Any], hub_plan: HubPlan) -> None:
    """Write the plan into pairings.yaml's value (plain or round-trip): planned hubs get
    their coaches, keeping the order of those who stay; hubs not in the plan go."""
    from coachctl.yamledit import put

    if doc.get("hubs") is None:
        put(doc, "hubs", [])
    entries = doc["hubs"]
    planned = {h.id: h for h in hub_plan.hubs}
    for i in reversed(range(len(entries))):
        if entries[i].get("id") not in planned:
            del entries[i]
    seen = defaultdict(bool)
    for e in entries:
        h = planned[e["id"]]
        seen[h.id] = True
        if e.get("expert") != h.expert:
            e["expert"] = h.expert
        coaches = e["coaches"]
        for j in reversed(range(len(coaches))):
            if coaches[j] not in h.coaches:
                del coaches[j]
        coaches.extend(c for c in h.coaches if c not in list(coaches))
    for h in hub_plan.hubs:
        if not seen[h.id]:
            entries.append({"id": h.id, "name": h.name, "expert": h.expert,
                            "coaches": list(h.coaches)})


def tables(hub_plan: HubPlan) -> list[Any]:
    from coachctl.tables import Table

    rows: list[Sequence[Any]] = [[h.id, h.expert, c, h.why[c]]
                                 for h in hub_plan.hubs for c in h.coaches]
    out = [Table("hub.plan", ["hub", "expert", "coach", "why"], rows,
                 title=f"Hubs from cycle {hub_plan.cycle}",
                 meta={"cycle": hub_plan.cycle, "moved": len(hub_plan.moved),
                       "sizes": {h.id: len(h.coaches) for h in hub_plan.hubs}},
                 caption="; ".join(f"{h.id}: {h.why['_']}" for h in hub_plan.hubs))]
    if hub_plan.unplaced:
        out.append(Table("hub.unplaced", ["coach", "reason"],
                         [list(u) for u in hub_plan.unplaced], title="Not in a hub"))
    return out


def _solve(coaches: list[str], depts: dict[str, str], keep: dict[str, str],
           hubs: list[PlannedHub]) -> list[tuple[str, int]]:
    """(coach, hub index) for every coach, in ``coaches``' order: a minimum-cost flow in
    which coaches alike in cost (same department, same current hub, not an expert) are
    one supply node, so the network stays small whatever the school's size."""
    import networkx as nx

    n, k = len(coaches), len(hubs)
    index = {h.id: i for i, h in enumerate(hubs)}
    own = {h.expert: i for i, h in enumerate(hubs)}
    alike: dict[tuple[str, int | None], list[str]] = defaultdict(list)
    for c in coaches:
        if c not in own:
            alike[(depts[c], index.get(keep.get(c, "")))].append(c)
    g: Any = nx.MultiDiGraph()
    g.add_node("t", demand=n)
    pool: dict[str, int] = defaultdict(int)
    for (d, i), group in alike.items():
        if i is None:
            pool[d] += len(group)
            continue
        g.add_node(("k", d, i), demand=-len(group))
        g.add_edge(("k", d, i), ("d", d, i), capacity=len(group), weight=-KEEP)
        g.add_edge(("k", d, i), ("p", d), capacity=len(group), weight=0)
    for c in coaches:
        if c in own:
            g.add_node(("x", c), demand=-1)
            stay = index.get(keep.get(c, ""))
            for i in range(k):
                if i != own[c]:
                    g.add_edge(("x", c), ("d", depts[c], i), capacity=1,
                               weight=-KEEP if i == stay else 0)
    places = n // k + 1  # the most a hub holds, and so the most of one department
    for d in sorted(set(depts.values())):  # a fixed order: the same plan in every process
        g.add_node(("p", d), demand=-pool[d])
        same = sum(1 for c in coaches if depts[c] == d)
        for i in range(k):
            g.add_edge(("p", d), ("d", d, i), capacity=n, weight=0)
            for j in range(min(same, places)):
                g.add_edge(("d", d, i), ("hub", i), capacity=1, weight=j * SPREAD)
    for i in range(k):
        g.add_edge(("hub", i), "t", capacity=n // k, weight=0)
        g.add_edge(("hub", i), "t", capacity=1, weight=EXTRA)
    flow = nx.min_cost_flow(g)
    where: dict[str, int] = {}
    for (d, i), group in alike.items():
        if i is not None:
            stay = sum(flow[("k", d, i)].get(("d", d, i), {}).values())
            where.update((c, i) for c in group[:stay])
    for c in coaches:
        if c in own:
            where[c] = next(i for (_, _, i), units in flow[("x", c)].items()
                            if sum(units.values()))
    for d in sorted(pool.keys() | {d for d, _ in alike}):
        movers = [c for c in coaches if depts[c] == d and c not in own and c not in where]
        slots = [i for (_, _, i), units in sorted(flow[("p", d)].items())
                 for _ in range(sum(units.values()))]
        where.update(zip(movers, slots, strict=True))
    return [(c, where[c]) for c in coaches]
