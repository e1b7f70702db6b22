"""Gaps in the QA of coaches: observed, shadowing first, write-ups checked, in both
modes, on a rolled-out strand (Q001, Q002, Q012-Q016)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from coachctl.diagnostics import Diagnostic, make
from coachctl.reports.gaps.context import QaContext
from coachctl.sessions import has_ended


def coach_not_observed(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q001: each coach coaching now is observed coaching in this window."""
    window = ctx.window(ctx.today, ctx.rules.observe_each_coach)
    if window is None:
        return
    observed = {q.coach for q in ctx.qa_in_window(ctx.rules.observe_each_coach, ("observation",))}
    for coach in sorted({s.coach for s in ctx.current_sessions()} - observed):
        path, ptr = ctx.staff_pointer(coach)
        yield make("Q001", f"coach '{coach}' has not been observed coaching in {window}",
                   path, ptr, subject=coach)


def coached_before_shadowing(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q002: a new coach's first note is not dated before they first shadowed."""
    if not ctx.rules.shadow_before_coaching:
        return
    new = {p.id for p in ctx.prog.staff.values() if p.new_coach}
    shadowed: dict[str, dt.date] = {}
    for _, q in ctx.prog.qa:
        if q.kind == "shadowing" and q.coach in new:
            shadowed[q.coach] = min(q.date, shadowed.get(q.coach, q.date))
    first: dict[str, tuple[dt.date, str]] = {}
    for n in ctx.prog.notes:
        if n.coach in new and n.status == "complete" and n.date is not None:
            first[n.coach] = min((n.date, n.path), first.get(n.coach, (n.date, n.path)))
    for coach, (day, rel) in sorted(first.items()):
        since = shadowed.get(coach)
        if since is None or day < since:
            why = f"before shadowing on {since}" if since else "and has no shadowing record"
            yield make("Q002", f"new coach '{coach}' coached on {day} {why}",
                       ctx.prog.path(rel), ("coach",), subject=coach)


def write_ups_never_checked(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q012: a coach with complete notes in ended cycles has had a write-up checked."""
    ended = {n for n, c in ctx.prog.cycles.items() if has_ended(c, ctx.today)}
    wrote: dict[str, int] = defaultdict(int)
    for n in ctx.prog.notes:
        if n.status == "complete" and n.cycle in ended:
            wrote[n.coach] += 1
    checked = {q.coach for _, q in ctx.prog.qa
               if q.kind == "write-up-check" and q.date <= ctx.today}
    for coach in sorted(set(wrote) - checked):
        if ctx.active_today(coach):
            path, ptr = ctx.staff_pointer(coach)
            yield make("Q012", f"none of the {wrote[coach]} notes '{coach}' wrote in ended "
                       "cycles has had a write-up check", path, ptr, subject=coach)


def check_names_no_note(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q013: a write-up check's ``note`` names an existing note written by that coach."""
    by_path = {n.path: n for n in ctx.prog.notes}
    unread = set(ctx.prog.unread)  # a note validate could not read: validate reports it
    for rel, q in ctx.prog.qa:
        if q.kind != "write-up-check" or q.note in unread:
            continue
        target = by_path.get(q.note) if q.note else None
        if target is None:
            why = f"names no note ('{q.note}' does not exist)" if q.note else "names no note"
        elif target.coach != q.coach:
            why = f"names a note written by '{target.coach}', not by '{q.coach}'"
        else:
            continue
        yield make("Q013", f"write-up check of '{q.coach}' on {q.date} {why}",
                   ctx.prog.path(rel), ("note",) if q.note else ("kind",), subject=q.coach)


def new_shadows_new(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q014: a new coach shadows an experienced coach, not another new one."""
    new = {p.id for p in ctx.prog.staff.values() if p.new_coach}
    for rel, q in ctx.prog.qa:
        if q.kind == "shadowing" and q.coach in new and q.by in new:
            yield make("Q014", f"new coach '{q.coach}' shadowed '{q.by}', also a new coach, "
                       f"on {q.date}", ctx.prog.path(rel), ("by",), subject=q.coach)


def one_mode_only(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q015: where both modes are asked for, a coach observed twice or more has had both."""
    if ctx.rules.observation_modes != "both":
        return
    modes: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for q in ctx.qa_in_window("year", ("observation",)):
        count[q.coach] += 1
        modes[q.coach].add(q.mode or "unrecorded")
    for coach in sorted(count):
        if count[coach] >= 2 and not {"live", "video"} <= modes[coach] \
                and ctx.active_today(coach):
            path, ptr = ctx.staff_pointer(coach)
            only = ", ".join(sorted(modes[coach]))
            yield make("Q015", f"'{coach}' has been observed {count[coach]} times this year, "
                       f"all {only}: programme.yaml asks for live and video", path, ptr,
                       subject=coach)


def focus_not_rolled_out(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q016: a QA focus is a step of a curriculum strand that is rolled out."""
    from coachctl.coach_journeys import rolled_out, strand_of

    strands, rolled = strand_of(ctx.prog), rolled_out(ctx.prog)
    for rel, q in ctx.prog.qa:
        strand = strands.get(q.focus) if q.focus else None
        if strand is not None and strand not in rolled:
            yield make("Q016", f"QA focus '{q.focus}' is in strand '{strand}', which "
                       "programme.yaml's curriculum_strands has not rolled out",
                       ctx.prog.path(rel), ("focus",), subject=q.coach)
