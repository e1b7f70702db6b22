"""``coachctl schedule``: observation windows, feedback meetings, Teach Meets, CPL, QA windows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coachctl.cli.common import date_option, fail, one_programme, today, writes
from coachctl.cli.options import (
    OutputFormat,
    OutputOption,
    ProgrammeArgument,
    ScheduleFormats,
    TodayOption,
    examples,
)
from coachctl.cli.output import write_output

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command(epilog=examples(
    'coachctl schedule programmes/kingsmead-academy --today 2026-11-30',
    'coachctl schedule programmes/kingsmead-academy --staff aosei --format ics --output aosei.ics',
    'coachctl schedule programmes/kingsmead-academy --cycle 4 --format csv',
    'coachctl schedule programmes/kingsmead-academy --from 2027-01-01 --to 2027-02-12'))
@writes
def schedule(
    programme: ProgrammeArgument = Path("."),
    staff: Annotated[str | None, typer.Option(
        "--staff", "-s", help="Only this person's meetings, and the events everyone attends.")
    ] = None,
    cycle: Annotated[int | None, typer.Option(
        "--cycle", "-c", min=1, max=99, help="Only this cycle's events.")] = None,
    from_: Annotated[str | None, typer.Option(
        "--from", metavar="YYYY-MM-DD", help="Only events ending on or after this day.")] = None,
    to: Annotated[str | None, typer.Option(
        "--to", metavar="YYYY-MM-DD", help="Only events starting on or before this day.")] = None,
    fmt: ScheduleFormats = OutputFormat.table,
    output: OutputOption = None,
    today_: TodayOption = None,
) -> None:
    """The dates people need for the year, as a table, JSON, CSV or iCalendar.

    Each cycle's observation window, feedback meetings on the coaching day,
    Teach Meets and the 20:20:20 coaching CPL, QA windows. Cycles not opened
    yet are planned from the calendar and marked planned. The ics export has
    stable UIDs: importing it again updates events instead of duplicating them.
    The next Teach Meet (on or after --today) is titled with the training
    plan's top focus steps, a past one with the focus its training record
    (training/DATE.yaml) holds.
    """
    from coachctl import schedule as core
    from coachctl.cli.cycle import check

    start, end = date_option(from_, "--from"), date_option(to, "--to")
    if fmt is OutputFormat.table and output is not None:
        fail("--output needs --format json, csv or ics")
    prog = check(*one_programme(programme)).programme
    assert prog.settings is not None
    if staff is not None and staff not in prog.staff:
        fail(f"--staff '{staff}' is not in staff.yaml")
    from coachctl.reports.schedule import with_focus

    every = core.events(prog)
    events = with_focus(prog, every, core.select(every, prog, staff=staff, cycle=cycle,
                                                 start=start, end=end), today(today_))
    if fmt is OutputFormat.ics:
        from coachctl.render.ics import to_ics

        name = f"{prog.settings.school} coaching {prog.settings.academic_year}"
        text = to_ics(events, calendar_id=core.calendar_id(prog),
                      name=name + (f" ({staff})" if staff else ""),
                      stamp=core.stamp(prog)).decode("utf-8")
    else:
        from coachctl.render import layout, tabular
        from coachctl.reports.schedule import schedule_table

        table = schedule_table(prog, events, staff=staff, cycle=cycle, start=start, end=end)
        if fmt is OutputFormat.table:
            from coachctl.cli.common import color_enabled

            tabular.print_rich([layout.schedule(table)], color=color_enabled())
            return
        text = tabular.to_json([table]) + "\n" if fmt is OutputFormat.json \
            else tabular.to_csv(table)
    write_output(text, output, f"{len(events)} events")
