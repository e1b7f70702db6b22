"""Gaps in the pairings and hubs: no coachee left without a coach by a leaver, no coach
over their load, each hub quality-assured by its own expert (Q008-Q011)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from coachctl.codes import Code, E, W
from coachctl.diagnostics import Diagnostic, make
from coachctl.reports.gaps.context import QA_OF_COACHING, QaContext
from coachctl.sessions import Session

Q008 = Code("Q008", E, "pair broken by a leaver and not re-paired",
            "The coachee's coach has left (staff.yaml `left`) and pairings.yaml gives the "
            "coachee no other coach in the current cycle, so their coaching has stopped.",
            "# staff.yaml: asmith left: 2026-10-23\n"
            "# pairings.yaml: only asmith coaches bjones\n",
            "End the old pairing with `until_cycle` and pair the coachee with a new coach "
            "`from_cycle` the current cycle.")


def broken_by_leaver(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q008: a coachee whose coach left has another coach in the current cycle."""
    if ctx.current is None:
        return
    prog, number = ctx.prog, ctx.current.number
    coached_now = {p.coachee for p in prog.pairings.pairs(number) if ctx.active_today(p.coach)}
    broken: dict[str, tuple[str, dt.date, tuple[str | int, ...]]] = {}
    for p in prog.pairings.pairs():
        leaver = prog.staff.get(p.coach)
        if not (leaver and leaver.left and leaver.left < ctx.today
                and p.coachee not in coached_now and ctx.active_today(p.coachee)):
            continue
        # Broken by the leaving only if the pair was still in force when the coach left.
        left_in = [c.number for c in prog.cycles.values() if c.start <= leaver.left]
        if p.source.covers(number) or (left_in and p.source.covers(max(left_in))):
            broken[p.coachee] = (p.coach, leaver.left, p.pointer)
    for coachee, (coach, left, ptr) in sorted(broken.items()):
        yield make(Q008, f"'{coachee}' lost their coach '{coach}' (left {left}) and has no "
                   f"coach in cycle {number}", prog.path("pairings.yaml"), ptr,
                   subject=coachee)


Q009 = Code("Q009", W, "coach over their load",
            "In the current cycle the coach has more coachees than "
            "`thresholds.max_coachees_per_coach` (default 4), so sessions are likely to slip.",
            "groups:\n  - {coach: asmith, coachees: [b, c, d, e, f]}\n",
            "Move a coachee to another coach from the next cycle, or raise the threshold if "
            "the school has planned for it.")


def over_load(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q009: no coach has more coachees than the threshold in the current cycle."""
    limit = ctx.thresholds.max_coachees_per_coach
    load: dict[str, list[Session]] = defaultdict(list)
    for s in ctx.current_sessions():
        load[s.coach].append(s)
    for coach, mine in sorted(load.items()):
        if len(mine) > limit:
            yield make(Q009, f"'{coach}' coaches {len(mine)} people in cycle {mine[0].cycle} "
                       f"(threshold {limit})", ctx.prog.path("pairings.yaml"),
                       mine[limit].pointer, subject=coach)


Q010 = Code("Q010", W, "hub with no QA this half term",
            "An expert coach quality-assures the coaching in their hub at least every "
            "`qa.hub_qa_each` (default half term); no coach in the hub has an observation, "
            "write-up check or check-in in the current window.",
            "# pairings.yaml: hub-1 holds asmith and cdavies\n"
            "# qa/ holds nothing for either dated in Autumn 2\n",
            "Plan the hub's QA (observations, write-up checks) and record each in qa/.")


def hub_without_qa(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q010: each hub's coaching is quality-assured in this window."""
    cadence = ctx.rules.hub_qa_each
    window = ctx.window(ctx.today, cadence)
    if window is None or ctx.current is None:
        return
    seen = {q.coach for q in ctx.qa_in_window(cadence, ("observation", "write-up-check",
                                                        "check-in"))}
    for i, hub in enumerate(ctx.prog.pairings.hubs):
        if not seen.intersection(hub.coaches):
            yield make(Q010, f"hub '{hub.id}' has had no QA in {window}",
                       ctx.prog.path("pairings.yaml"), ("hubs", i, "id"), subject=hub.id)


Q011 = Code("Q011", W, "hub QA not done by the hub's own expert",
            "Each hub's expert coach quality-assures its coaches (pairings.yaml `expert`). The "
            "hub had QA in the current `qa.hub_qa_each` window, but none of it by its expert: "
            "Q010 counts anyone's QA, this asks whether the hub's own expert saw its coaching.",
            "# pairings.yaml: hub-1 expert: lead, coaches [asmith, cdavies]\n"
            "# qa/ in Autumn 2: one observation of asmith by: bjones\n",
            "Have the hub's expert observe or check one of its coaches this half term, or make "
            "the person who does the hub's QA its expert.")


def hub_qa_not_by_expert(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q011: a hub with QA in this window has some done by its own expert."""
    cadence = ctx.rules.hub_qa_each
    window = ctx.window(ctx.today, cadence)
    if window is None or ctx.current is None:
        return
    done = ctx.qa_in_window(cadence, QA_OF_COACHING)
    for i, hub in enumerate(ctx.prog.pairings.hubs):
        mine = [q for q in done if q.coach in hub.coaches]
        if mine and not any(q.by == hub.expert for q in mine):
            yield make(Q011, f"hub '{hub.id}' had QA in {window} only by others than its "
                       f"expert '{hub.expert}' ({len(mine)} records)",
                       ctx.prog.path("pairings.yaml"), ("hubs", i, "expert"), subject=hub.id)


CODES = (Q008, Q009, Q010, Q011)
