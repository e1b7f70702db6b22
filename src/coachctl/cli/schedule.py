"""``coachctl schedule``: observation windows, feedback meetings, Teach Meets, CPL, QA windows."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from coachctl.cli.common import date_option, examples, fail, one_programme, writes

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


class ScheduleFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    ics = "ics"


@app.command(epilog=examples(
    'coachctl schedule programmes/kingsmead-academy',
    'coachctl schedule programmes/kingsmead-academy --staff aosei --format ics --output aosei.ics',
    'coachctl schedule programmes/kingsmead-academy --cycle 4 --format csv',
    'coachctl schedule programmes/kingsmead-academy --from 2027-01-01 --to 2027-02-12'))
@writes
def schedule(
    programme: Annotated[Path, typer.Argument(
        help="The programme folder (one holding programme.yaml).")] = Path("."),
    staff: Annotated[str | None, typer.Option(
        "--staff", "-s", help="Only this person's meetings, and the events everyone attends.")
    ] = None,
    cycle: Annotated[int | None, typer.Option(
        "--cycle", "-c", min=1, max=99, help="Only this cycle's events.")] = None,
    from_: Annotated[str | None, typer.Option(
        "--from", metavar="YYYY-MM-DD", help="Only events ending on or after this day.")] = None,
    to: Annotated[str | None, typer.Option(
        "--to", metavar="YYYY-MM-DD", help="Only events starting on or before this day.")] = None,
    fmt: Annotated[ScheduleFormat, typer.Option(
        "--format", "-f", help="table, json, csv, or ics (iCalendar, for calendar apps).")
    ] = ScheduleFormat.table,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of standard output.")] = None,
) -> None:
    """The dates people need for the year, as a table, JSON, CSV or iCalendar.

    Each cycle's observation window, feedback meetings on the coaching day,
    Teach Meets and the 20:20:20 coaching CPL, QA windows. Cycles not opened
    yet are planned from the calendar and marked planned. The ics export has
    stable UIDs: importing it again updates events instead of duplicating them.
    """
    from coachctl import schedule as core
    from coachctl.cli.cycle import check

    start, end = date_option(from_, "--from"), date_option(to, "--to")
    if fmt is ScheduleFormat.table and output is not None:
        fail("--output needs --format json, csv or ics")
    prog = check(*one_programme(programme)).programme
    assert prog.settings is not None
    if staff is not None and staff not in prog.staff:
        fail(f"--staff '{staff}' is not in staff.yaml")
    events = core.select(core.events(prog), prog, staff=staff, cycle=cycle, start=start,
                         end=end)
    if fmt is ScheduleFormat.ics:
        from coachctl.render.ics import to_ics

        name = f"{prog.settings.school} coaching {prog.settings.academic_year}"
        text = to_ics(events, calendar_id=core.calendar_id(prog),
                      name=name + (f" ({staff})" if staff else ""),
                      stamp=core.stamp(prog)).decode("utf-8")
    else:
        from coachctl.render import layout, tabular
        from coachctl.reports.schedule import schedule_table

        table = schedule_table(prog, events, staff=staff, cycle=cycle, start=start, end=end)
        if fmt is ScheduleFormat.table:
            from coachctl.cli.common import color_enabled

            tabular.print_rich([layout.schedule(table)], color=color_enabled())
            return
        text = tabular.to_json([table]) + "\n" if fmt is ScheduleFormat.json \
            else tabular.to_csv(table)
    if output is None:
        typer.echo(text, nl=False)
        return
    from coachctl.fsio import replace

    replace(output, text)
    typer.echo(f"wrote {len(events)} events to {output}", err=True)
