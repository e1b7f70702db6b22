"""Gaps in the sessions and their notes: written up once the cycle ends, with rehearsal
and precise praise, and no coachee stuck on one step (Q003-Q007)."""

from __future__ import annotations

from collections.abc import Iterator

from coachctl.codes import Code, E, W
from coachctl.diagnostics import Diagnostic, make
from coachctl.journeys import journeys
from coachctl.reports.gaps.context import QaContext
from coachctl.sessions import Session, has_ended

Q003 = Code("Q003", E, "session note missing after its cycle ended",
            "The pair was in force for the cycle and both people were on the staff throughout "
            "it, the cycle has ended (its end is past or it is closed), and no note exists: "
            "the session was neither written up nor marked missed.",
            "# cycles/cycle-02.yaml ends 2026-10-16\n"
            "# no notes/cycle-02/asmith--bjones.yaml\n",
            "Write the note up (`coachctl note new`), or record the session as "
            "`status: missed` with a reason.")


def notes_missing(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q003: each planned session of an ended cycle has a note."""
    for s in _ended(ctx, "missing"):
        cycle = ctx.prog.cycles[s.cycle]
        yield make(Q003, f"cycle {s.cycle} ended on {cycle.end} with no note for "
                   f"{s.coach} coaching {s.coachee} (expected {s.path})",
                   ctx.prog.path(ctx.prog.cycle_paths[s.cycle]), ("end",), subject=s.pair)


Q004 = Code("Q004", E, "note still a stub after its cycle ended",
            "The cycle has ended but the pair's note is still the stub `cycle start` wrote: "
            "the session happened unrecorded, or did not happen and nobody said so.",
            "# cycle 2 ended 2026-10-16\nstatus: stub\n",
            "Fill the note in and set `status: complete`, or set `status: missed`.")


def notes_stub(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q004: no note of an ended cycle is left a stub."""
    for s in _ended(ctx, "stub"):
        yield make(Q004, f"cycle {s.cycle} ended on {ctx.prog.cycles[s.cycle].end} "
                   "but this note is still a stub", ctx.prog.path(s.path), ("status",),
                   subject=s.pair)


def _ended(ctx: QaContext, state: str) -> Iterator[Session]:
    for s in ctx.sessions:
        if s.state == state and has_ended(ctx.prog.cycles[s.cycle], ctx.today):
            yield s


Q005 = Code("Q005", W, "note without rehearsal",
            "Rehearsal (deliberate practice of the action step in the feedback meeting) is "
            "what makes a step stick; a complete note records `rehearsed: false`.",
            "status: complete\nrehearsed: false\n",
            "Rehearse the step at the next meeting; coach training can practise rehearsal.")


def no_rehearsal(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q005: complete notes record rehearsal."""
    for n in ctx.prog.notes:
        if n.status == "complete" and n.rehearsed is False:
            yield make(Q005, f"{n.coach} did not rehearse the step with {n.coachee} "
                       f"(cycle {n.cycle})", ctx.prog.path(n.path), ("rehearsed",),
                       subject=f"{n.coach}--{n.coachee}")


Q006 = Code("Q006", W, "note without precise praise",
            "Feedback opens with precise praise of what went well; a complete note has no "
            "`precise_praise`.",
            "status: complete\n# no precise_praise:\n",
            "Record the precise praise given, or raise it in the coach's next QA.")


def no_praise(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q006: complete notes record precise praise."""
    for n in ctx.prog.notes:
        if n.status == "complete" and not n.has_praise:
            yield make(Q006, f"no precise praise recorded for {n.coachee} (cycle {n.cycle})",
                       ctx.prog.path(n.path), ("status",), subject=f"{n.coach}--{n.coachee}")


Q007 = Code("Q007", W, "coachee stuck on one step",
            "The coachee has worked on the same action step, unsecured, in at least "
            "`thresholds.stuck_after_cycles` cycles (default 3): the step may be too big, too "
            "vague, or not rehearsed.",
            "# cycles 2, 3 and 4: action_step: rt-02, step_secured: false\n",
            "Review the step with the coach: split it into a smaller step, model and rehearse "
            "it, or ask an expert coach to drop in.")


def stuck(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q007: no coachee still on the staff works on one step for the threshold of cycles."""
    limit = ctx.thresholds.stuck_after_cycles
    for coachee, j in sorted(journeys(ctx.prog.notes).items()):
        cycles = j.cycles_on_current_step()
        if cycles >= limit and ctx.active_today(coachee):
            last = j.notes[-1]
            yield make(Q007, f"'{coachee}' has worked on step '{j.last_step}' for {cycles} "
                       f"cycles without securing it (threshold {limit})",
                       ctx.prog.path(last.path), ("action_step",), subject=coachee)


CODES = (Q003, Q004, Q005, Q006, Q007)
