"""Gaps in the sessions and their notes: written up once the cycle ends, with rehearsal
and precise praise, and no coachee stuck on one step (Q003-Q007)."""

from __future__ import annotations

from collections.abc import Iterator

from coachctl.diagnostics import Diagnostic, make
from coachctl.journeys import journeys
from coachctl.reports.gaps.context import QaContext
from coachctl.sessions import Session, has_ended


def notes_missing(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q003: each planned session of an ended cycle has a note."""
    for s in _ended(ctx, "missing"):
        cycle = ctx.prog.cycles[s.cycle]
        yield make("Q003", f"cycle {s.cycle} ended on {cycle.end} with no note for "
                   f"{s.coach} coaching {s.coachee} (expected {s.path})",
                   ctx.prog.path(ctx.prog.cycle_paths[s.cycle]), ("end",), subject=s.pair)


def notes_stub(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q004: no note of an ended cycle is left a stub."""
    for s in _ended(ctx, "stub"):
        yield make("Q004", f"cycle {s.cycle} ended on {ctx.prog.cycles[s.cycle].end} "
                   "but this note is still a stub", ctx.prog.path(s.path), ("status",),
                   subject=s.pair)


def _ended(ctx: QaContext, state: str) -> Iterator[Session]:
    for s in ctx.sessions:
        if s.state == state and has_ended(ctx.prog.cycles[s.cycle], ctx.today):
            yield s


def no_rehearsal(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q005: complete notes record rehearsal."""
    for n in ctx.prog.notes:
        if n.status == "complete" and n.rehearsed is False:
            yield make("Q005", f"{n.coach} did not rehearse the step with {n.coachee} "
                       f"(cycle {n.cycle})", ctx.prog.path(n.path), ("rehearsed",),
                       subject=f"{n.coach}--{n.coachee}")


def no_praise(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q006: complete notes record precise praise."""
    for n in ctx.prog.notes:
        if n.status == "complete" and not n.has_praise:
            yield make("Q006", f"no precise praise recorded for {n.coachee} (cycle {n.cycle})",
                       ctx.prog.path(n.path), ("status",), subject=f"{n.coach}--{n.coachee}")


def stuck(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q007: no coachee still on the staff works on one step for the threshold of cycles."""
    limit = ctx.thresholds.stuck_after_cycles
    for coachee, j in sorted(journeys(ctx.prog.notes).items()):
        cycles = j.cycles_on_current_step()
        if cycles >= limit and ctx.active_today(coachee):
            last = j.notes[-1]
            yield make("Q007", f"'{coachee}' has worked on step '{j.last_step}' for {cycles} "
                       f"cycles without securing it (threshold {limit})",
                       ctx.prog.path(last.path), ("action_step",), subject=coachee)
