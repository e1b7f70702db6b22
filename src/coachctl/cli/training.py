"""``coachctl training plan``: what the next Teach Meet and coaching CPL should practise."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import one_programme, progress, today, warn_if_errors
from coachctl.cli.options import (
    OutputFormat,
    PlanFormats,
    ProgrammeArgument,
    TodayOption,
    examples,
)
from coachctl.cli.output import emit_document, emit_tables

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True)


@app.callback()
def training() -> None:
    """Coach training: the plan for the next Teach Meet and CPL, from QA and notes."""


@app.command(epilog=examples(
    'coachctl training plan programmes/kingsmead-academy --today 2026-11-23',
    'coachctl training plan programmes/kingsmead-academy --format md > plan.md',
    'coachctl training plan programmes/ashby-vale-school --format json'))
def plan(
    path: ProgrammeArgument = Path("."),
    fmt: PlanFormats = OutputFormat.table,
    top: Annotated[int, typer.Option("--top", min=1, max=20,
                                     help="How many steps to propose.")] = 5,
    today_: TodayOption = None,
) -> None:
    """The coaching-curriculum steps the next Teach Meet and CPL should practise.

    From what happened since the last training record (training/): QA that
    found a coach not yet secure in their focus, and session notes without
    rehearsal or precise praise, with a step dropped for one in another strand
    before it was secured, or with a coachee stuck on one step. Steps are
    ranked by how many coaches need them, then by how many of them QA found
    not yet secure; each says which part of the 20:20:20 it fits and who
    needs it (staff ids and counts, never what anyone wrote). Strands not
    rolled out (programme.yaml curriculum_strands) are not proposed. Exit 0,
    or 2 on a usage or I/O error.
    """
    from coachctl.reports.training import plan_document, plan_programme, plan_tables

    day = today(today_)
    root, display = one_programme(path)
    with progress("reading", enabled=fmt is OutputFormat.table) as (advance, total):
        result, planned = plan_programme(root, display, day, progress=advance, on_total=total)
    warn_if_errors(result, display)
    if fmt is OutputFormat.md:
        emit_document(plan_document(planned, day, top), fmt)
    else:
        emit_tables(plan_tables(planned, day, top, display=result.programme.display), fmt)
