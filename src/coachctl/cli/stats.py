"""``coachctl stats``: completion and coaching quality, by cycle, department, hub, coach, role."""

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
    fail,
    one_programme,
    today,
)

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


class By(StrEnum):
    cycle = "cycle"
    department = "department"
    hub = "hub"
    coach = "coach"
    role = "role"


@app.command(epilog="""\b
Examples:
  coachctl stats programmes/kingsmead-academy
  coachctl stats programmes/kingsmead-academy --by department --since 4
  coachctl stats programmes/kingsmead-academy --by coach --cycle 5 --format csv > coaches.csv
  coachctl stats programmes/kingsmead-academy --format json --today 2027-03-01
""")
def stats(
    path: ProgrammeArgument = Path("."),
    by: Annotated[By, typer.Option("--by", help="One row per cycle, department (the "
                                   "coachee's), hub (the coach's), coach or role (the "
                                   "coachee's).")] = By.cycle,
    cycle: Annotated[int | None, typer.Option("--cycle", metavar="N",
                                              help="Only cycle N.")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="N|YYYY-MM-DD",
        help="Only cycles from number N, or ending on or after a date.")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="table (rich), json "
                                             "(versioned, see docs/reports.md) or csv.")]
    = TableFormat.table,
    today_: TodayOption = None,
) -> None:
    """Completion and coaching quality, by cycle, department, hub, coach or role.

    Completion (planned, done, missed) and what completion misses: precise
    praise, modelling, rehearsal, steps from the sequence, steps secured,
    cycles on a step, drop-ins. Counts and shares only: no note text is ever
    read into a report. The last row ('all') totals every row; with a grouping
    other than cycle, 'trend' gives completion per cycle in percent. Exit 0,
    or 2 on a usage or I/O error.
    """
    import datetime as dt

    from coachctl.reports.stats import sections
    from coachctl.reports.stats import stats as compute

    day = today(today_)
    since_value: int | dt.date | None = None
    if since is not None:
        try:
            since_value = int(since) if since.isdigit() else dt.date.fromisoformat(since)
        except ValueError:
            fail(f"--since {since!r} is neither a cycle number nor a date (YYYY-MM-DD)")
    result = checked(*one_programme(path), show_progress=fmt is TableFormat.table)
    prog = result.programme
    if cycle is not None and cycle not in prog.cycles:
        fail(f"no cycle {cycle} in {prog.path('cycles/')}")
    table = compute(prog, day, by.value, cycle, since_value)
    emit_tables([table], fmt, sections(table))
