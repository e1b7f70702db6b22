"""``coachctl staff show ID``: one person's coaching journey, in counts and step names."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from coachctl.cli.common import (
    ProgrammeArgument,
    TableFormat,
    TodayOption,
    checked,
    emit_tables,
    examples,
    fail,
    one_programme,
    today,
)

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True)


@app.callback()
def staff() -> None:
    """People in the programme (more subcommands may join `show`)."""


class ShowFormat(StrEnum):
    table = TableFormat.table.value
    json = TableFormat.json.value


@app.command(epilog=examples(
    'coachctl staff show kfletcher programmes/kingsmead-academy',
    'coachctl staff show kfletcher programmes/kingsmead-academy --format json'))
def show(
    staff_id: Annotated[str, typer.Argument(metavar="ID", help="A staff id from staff.yaml.")],
    path: ProgrammeArgument = Path("."),
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="table (rich) or json "
                                            "(versioned, see docs/reports.md).")]
    = ShowFormat.table,
    today_: TodayOption = None,
) -> None:
    """One person's coaching journey, in counts and step names.

    Their coaches and coachees cycle by cycle, the steps they worked on and
    secured (with the step's text from the library), sessions done and missed,
    and the QA they received as a coach. Never a note's text or QA feedback.
    Exit 0, or 2 on a usage or I/O error (including an unknown ID).
    """
    import difflib

    from coachctl.reports.journey import staff_journey

    day = today(today_)
    prog = checked(*one_programme(path), show_progress=fmt is ShowFormat.table).programme
    if prog.staff_file is None:
        fail(f"{prog.path('staff.yaml')} could not be read; `coachctl validate` says why")
    if staff_id not in prog.staff:
        close = difflib.get_close_matches(staff_id, list(prog.staff), n=1)
        fail(f"no '{staff_id}' in {prog.path('staff.yaml')}"
             + (f" (did you mean '{close[0]}'?)" if close else ""))
    emit_tables(staff_journey(prog, staff_id, day), TableFormat(fmt.value))
