"""``coachctl staff show ID``: one person's coaching journey, in counts and step names."""

from __future__ import annotations

import contextlib
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coachctl.cli.common import (
    ProgrammeArgument,
    TableFormat,
    TodayOption,
    checked,
    date_option,
    emit_tables,
    examples,
    fail,
    locked,
    one_programme,
    programme_to_write,
    today,
    write_edits,
)

if TYPE_CHECKING:
    from coachctl.loader import Programme

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True)


@app.callback()
def staff() -> None:
    """People in the programme: one person's journey, or someone leaving."""


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

    from coachctl.reports.journey import staff_journey

    day = today(today_)
    prog = checked(*one_programme(path), show_progress=fmt is ShowFormat.table).programme
    _known(prog, staff_id)
    emit_tables(staff_journey(prog, staff_id, day), TableFormat(fmt.value))


def _known(prog: Programme, staff_id: str) -> None:
    """Exit 2 unless ``staff_id`` is in a readable staff.yaml (with a did-you-mean)."""
    import difflib

    if prog.staff_file is None:
        fail(f"{prog.path('staff.yaml')} could not be read; `coachctl validate` says why")
    if staff_id not in prog.staff:
        close = difflib.get_close_matches(staff_id, list(prog.staff), n=1)
        fail(f"no '{staff_id}' in {prog.path('staff.yaml')}"
             + (f" (did you mean '{close[0]}'?)" if close else ""))


@app.command(epilog=examples(
    "coachctl staff leave sgraham programmes/kingsmead-academy --date 2026-12-18 --dry-run",
    "coachctl staff leave sgraham programmes/kingsmead-academy --date 2026-12-18"))
def leave(
    staff_id: Annotated[str, typer.Argument(metavar="ID", help="A staff id from staff.yaml.")],
    path: ProgrammeArgument = Path("."),
    date: Annotated[str | None, typer.Option(
        "--date", metavar="YYYY-MM-DD", help="Their last day (default: today).")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show every change as a diff; write nothing.")] = False,
    today_: TodayOption = None,
) -> None:
    """Record that someone leaves, and end their part in the programme.

    Sets `left:` in staff.yaml; ends their pairings (as coach and as coachee)
    after their last cycle, the latest starting on or before the date
    (`until_cycle`); deletes their stubs dated after it that nobody has typed
    in (a note someone wrote is never touched); lists the coachees who then
    need a coach. Comments and layout of the files are kept. Refuses (exit 1,
    nothing written) if the programme would not validate afterwards, e.g. a
    written note dated after the date. Running it again changes nothing.
    """
    from coachctl import fsio, roster, yamledit

    day = date_option(date, "--date") or today(today_)
    root, display = programme_to_write(path, "staff leave")
    with contextlib.nullcontext() if dry_run else locked(root):
        if not dry_run:  # what an interrupted run left beside staff.yaml and pairings.yaml
            fsio.clean_stray_temps(root, recursive=False)
        prog = checked(root, display, cache=not dry_run, quiet=True).programme
        _known(prog, staff_id)
        try:
            plan = roster.plan_leave(prog, staff_id, day)
        except yamledit.Refused as e:
            fail(str(e))
        last = (f"their last cycle is cycle {plan.last_cycle}" if plan.last_cycle
                else "they take part in no cycle")
        typer.echo(f"{staff_id} leaves on {day}: {last}")
        for rel in plan.kept:
            typer.echo(f"  kept (someone has written in it): {prog.path(rel)}")
        write_edits(prog, plan.edits, dry_run=dry_run, clean_after=True)
    if plan.need_a_coach:
        typer.echo(f"Need a new coach from cycle {plan.last_cycle + 1}: "
                   + ", ".join(plan.need_a_coach))
