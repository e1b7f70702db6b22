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
    import networkx as nx

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
    n, k = len(coaches), len(hubs)
    g: Any = nx.DiGraph()
    g.add_node("s", demand=-n)
    g.add_node("t", demand=n)
    for i in range(k):
        g.add_edge(("hub", i), "t", capacity=n // k, weight=0)
        g.add_edge(("hub", i), ("extra", i), capacity=1, weight=EXTRA)
        g.add_edge(("extra", i), "t", capacity=1, weight=0)
    depts = {c: f.person(c).department for c in coaches}
    for c in coaches:
        g.add_edge("s", ("c", c), capacity=1, weight=0)
        for i, h in enumerate(hubs):
            if h.expert == c:
                continue
            keep = not fresh and current.get(c) == h.id
            g.add_edge(("c", c), ("d", depts[c], i), capacity=1, weight=-KEEP if keep else 0)
    for d in sorted(set(depts.values())):  # a fixed order: the same plan in every process
        same = sum(1 for c in coaches if depts[c] == d)
        for i in range(k):
            for j in range(same):
                g.add_edge(("d", d, i), ("dj", d, i, j), capacity=1, weight=j * SPREAD)
                g.add_edge(("dj", d, i, j), ("hub", i), capacity=1, weight=0)
    flow = nx.min_cost_flow(g)
    for c in coaches:
        for (_, d, i), units in flow[("c", c)].items():
            if units:
                h = hubs[i]
                h.coaches.append(c)
                stay = current.get(c) == h.id
                if not stay:
                    out.moved.append(c)
                reasons = ["stays in their hub" if stay else
                           (f"moves from {current[c]}" if c in current else "joins a hub")]
                if f.person(h.expert).department != d:
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
