"""hub plan is optimal: its plan costs exactly what the straightforward minimum-cost flow
(one node per coach and per place, as docs/pairing.md states the rules) finds, over
generated programmes, the examples and a generated 200-staff school.

hubs.py solves a smaller network (coaches alike in cost merged); among equally good
plans it may pick another than the straightforward network would, so what is held is
the cost, the rules and that every coach is placed, not one particular plan."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachctl import hubs
from coachctl import models as m
from coachctl.pairing import CannotSuggest, Facts
from coachctl.programme import Programme
from coachctl.validation import check_programme
from tests.conftest import PROGRAMMES
from tests.test_pairing import programmes


def current_hubs(prog: Programme) -> dict[str, str]:
    """Coach -> the first hub pairings.yaml lists them in."""
    current: dict[str, str] = {}
    for old in prog.pairings.hubs:
        for c in old.coaches:
            current.setdefault(c, old.id)
    return current


def reference_cost(prog: Programme, cycle: int, fresh: bool) -> int:
    """The least cost of any plan: a minimum-cost flow with one node per coach, per
    (department, hub) and per place of a department in a hub."""
    f = Facts.of(prog, cycle)
    plan = hubs.plan(prog, cycle, fresh=fresh)
    coaches = sorted(c for h in plan.hubs for c in h.coaches)
    ids = [h.id for h in plan.hubs]
    experts = [h.expert for h in plan.hubs]
    current = current_hubs(prog)
    n, k = len(coaches), len(ids)
    g: Any = nx.DiGraph()
    g.add_node("s", demand=-n)
    g.add_node("t", demand=n)
    for i in range(k):
        g.add_edge(("hub", i), "t", capacity=n // k, weight=0)
        g.add_edge(("hub", i), ("extra", i), capacity=1, weight=hubs.EXTRA)
        g.add_edge(("extra", i), "t", capacity=1, weight=0)
    depts = {c: f.person(c).department for c in coaches}
    for c in coaches:
        g.add_edge("s", ("c", c), capacity=1, weight=0)
        for i in range(k):
            if experts[i] != c:
                keep = not fresh and current.get(c) == ids[i]
                g.add_edge(("c", c), ("d", depts[c], i), capacity=1,
                           weight=-hubs.KEEP if keep else 0)
    for d in set(depts.values()):
        same = sum(1 for c in coaches if depts[c] == d)
        for i in range(k):
            for j in range(same):
                g.add_edge(("d", d, i), ("dj", d, i, j), capacity=1, weight=j * hubs.SPREAD)
                g.add_edge(("dj", d, i, j), ("hub", i), capacity=1, weight=0)
    return int(nx.cost_of_flow(g, nx.min_cost_flow(g)))


def cost(prog: Programme, plan: hubs.HubPlan, fresh: bool) -> int:
    """What a plan costs by the rules: a place beyond n // k, each further coach of one
    department in a hub, less each coach kept in their hub."""
    current = current_hubs(prog)
    n = sum(len(h.coaches) for h in plan.hubs)
    total = 0
    for h in plan.hubs:
        total += hubs.EXTRA * max(0, len(h.coaches) - n // len(plan.hubs))
        for same in Counter(prog.staff[c].department for c in h.coaches).values():
            total += hubs.SPREAD * same * (same - 1) // 2
        if not fresh:
            total -= hubs.KEEP * sum(current.get(c) == h.id for c in h.coaches)
    return total


def check(prog: Programme, cycle: int, fresh: bool) -> None:
    plan = hubs.plan(prog, cycle, fresh=fresh)
    f = Facts.of(prog, cycle)
    placed = [c for h in plan.hubs for c in h.coaches]
    unplaced = [c for c, _ in plan.unplaced]
    assert sorted(placed + unplaced) == sorted(c for c in f.here if f.can_coach(c))
    assert len(placed) == len(set(placed))
    assert all(h.expert not in h.coaches for h in plan.hubs)
    assert all(set(h.why) == {*h.coaches, "_"} for h in plan.hubs)
    assert cost(prog, plan, fresh) == reference_cost(prog, cycle, fresh)


@st.composite
def with_hubs(draw: st.DrawFn) -> Programme:
    """A generated programme whose coaches already sit in hubs of its experts."""
    prog = draw(programmes())
    experts = sorted(p.id for p in prog.staff.values() if p.expert_coach and p.coach)
    coaches = sorted(p.id for p in prog.staff.values() if p.coach)
    old: list[m.Hub] = []
    for e in experts:
        members = [c for c in coaches if c != e and draw(st.booleans())]
        if members:
            old.append(m.Hub(id=f"hub-{e}", name=f"{e}'s hub", expert=e, coaches=members))
    return dataclasses.replace(prog, pairings=m.PairingsFile(groups=prog.pairings.groups,
                                                             hubs=old))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_hubs(), st.booleans())
def test_a_hub_plan_costs_no_more_than_any_plan(prog: Programme, fresh: bool) -> None:
    try:
        check(prog, 1, fresh)
    except CannotSuggest:  # only when no expert takes part in the cycle
        f = Facts.of(prog, 1)
        assert not any(f.person(w).expert_coach for w in f.here)


@pytest.mark.parametrize("fresh", [False, True])
@pytest.mark.parametrize("name", ["kingsmead-academy", "ashby-vale-school"])
def test_the_examples_hub_plans_are_optimal(name: str, fresh: bool) -> None:
    root = PROGRAMMES / name
    check(check_programme(root, str(root), cache=False).programme, 5, fresh)


def test_a_200_staff_schools_hub_plan_is_optimal(tmp_path: Path) -> None:
    from tests.conftest import invoke

    root = tmp_path / "school"
    made = invoke("generate", "programme", root, "--staff", "200", "--model", "hubs",
                  "--seed", "7")
    assert made.exit_code == 0, made.stdout
    prog = check_programme(root, str(root), cache=False).programme
    for fresh in (False, True):
        check(prog, 1, fresh)
