"""``coachctl bulletin``: a cycle's coaching bulletin, in counts and step names."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import fail, one_programme, today, warn_if_errors
from coachctl.cli.options import (
    BulletinFormats,
    OutputFormat,
    ProgrammeArgument,
    TodayOption,
    examples,
)
from coachctl.cli.output import emit_document

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command(epilog=examples(
    'coachctl bulletin programmes/kingsmead-academy --cycle 3 --today 2026-11-23',
    'coachctl bulletin programmes/kingsmead-academy --cycle 3 --format html > bulletin.html'))
def bulletin(
    path: ProgrammeArgument = Path("."),
    cycle: Annotated[int | None, typer.Option(
        "--cycle", min=1, max=99, help="The cycle (default: the latest that has started).")]
    = None,
    fmt: BulletinFormats = OutputFormat.md,
    today_: TodayOption = None,
) -> None:
    """What a cycle achieved, for all staff: counts and step names, never a note's words.

    Completion by department, the steps most worked on and how many were
    secured, who is new to coaching, and what the next coach training will
    practise (`coachctl training plan`). Exit 0, or 2 on a usage or I/O error
    (including a cycle with no file in cycles/).
    """
    from coachctl.reports.bulletin import bulletins_of

    day = today(today_)
    root, display = one_programme(path)
    result, made = bulletins_of(root, display, day)
    warn_if_errors(result, display)
    prog = result.programme
    number = cycle if cycle is not None else made.default
    if number is None or number not in made.pages:
        fail(f"no cycle {number} in {prog.path('cycles/')}" if number else
             f"no cycle has started by {day} in {prog.display}")
    emit_document(made.pages[number], fmt)
