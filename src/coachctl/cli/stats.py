"""``coachctl stats``: completion and coaching quality of one programme or a trust's, by group."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import coachctl.cli.lite as typer
from coachctl.cli.common import fail, programme_roots, progress, today, warn_if_errors
from coachctl.cli.options import (
    OutputFormat,
    ProgrammesArgument,
    StatsFormats,
    TodayOption,
    examples,
)
from coachctl.cli.output import emit_tables

if TYPE_CHECKING:
    from coachctl.tables import Table

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


class By(StrEnum):
    cycle = "cycle"
    school = "school"
    department = "department"
    hub = "hub"
    coach = "coach"
    role = "role"


@app.command(epilog=examples(
    'coachctl stats programmes/kingsmead-academy',
    'coachctl stats programmes/kingsmead-academy --by department --since 4',
    'coachctl stats programmes/kingsmead-academy --by coach --cycle 3 --format csv > coaches.csv',
    'coachctl stats programmes/kingsmead-academy --format json --today 2027-03-01',
    'coachctl stats programmes/ --by school                 # a trust, one row per school',
    'coachctl stats programmes/ --by department --format csv > departments.csv',
    'coachctl stats programmes/ --by school --format csv --totals > schools.csv',
    'coachctl stats programmes/ --format md >> "$GITHUB_STEP_SUMMARY"   # a CI job summary'))
def stats(
    paths: ProgrammesArgument = None,
    by: Annotated[By, typer.Option("--by", help="One row per cycle, school (programme.yaml's "
                                   "school and academic year), department (the coachee's), "
                                   "hub (the coach's), coach or role (the coachee's). Over "
                                   "several programmes, rows of the same name add up: cycle "
                                   "N of every school, so compare cycles within one academic "
                                   "year.")] = By.cycle,
    cycle: Annotated[int | None, typer.Option("--cycle", metavar="N",
                                              help="Only cycle N.")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="N|YYYY-MM-DD",
        help="Only cycles from number N, or ending on or after a date.")] = None,
    fmt: StatsFormats = OutputFormat.table,
    totals: Annotated[bool, typer.Option(
        "--totals", help="CSV: add the total row, marked 'total' in the first column "
        "(table, JSON and Markdown always show it).")] = False,
    today_: TodayOption = None,
) -> None:
    """Completion and coaching quality, by cycle, school, department, hub, coach or role.

    Completion (planned, done, missed) and what completion misses: precise
    praise, modelling, rehearsal, steps from the sequence, steps secured,
    cycles on a step, drop-ins; scripting, the steps the coach alone chose,
    coachees with two or more sessions a half term, days from observation to
    feedback, coach load against the limit, completion against the target,
    and cycles to secure each step. Counts and shares only: no note text is ever
    read into a report. Every figure counts ended cycles only (closed, or
    ended before --today); a cycle still running is shown apart, labelled
    open, with its sessions due, done so far and teaching days left. The
    'all' row totals every row; with a grouping other than cycle, 'trend'
    gives completion per ended cycle in percent.

    CSV is for spreadsheets and pandas: a first column `row` says what each
    row is (group, open, or total with --totals: no total row by default, so
    summing a column never doubles it), and the trend is one column per
    cycle (completion_cycle_N, a share). --format md writes the tables as a
    Markdown page, e.g. for a CI job's summary. Given a
    trust (a folder of programmes), every programme is counted, with --today,
    --cycle and --since applied to each; a programme that validate finds errors
    in is warned about and counted as far as it could be read. Exit 0, or 2 on
    a usage or I/O error.
    """
    import datetime as dt

    from coachctl.render.layout import stats_sections
    from coachctl.reports.measures import steps_table
    from coachctl.reports.stats import combine, for_csv, running_table
    from coachctl.reports.stats_cache import stats_part

    day = today(today_)
    since_value: int | dt.date | None = None
    if since is not None:
        try:
            since_value = int(since) if since.isdigit() else dt.date.fromisoformat(since)
        except ValueError:
            fail(f"--since {since!r} is neither a cycle number nor a date (YYYY-MM-DD)")
    parts = []
    cycle_found = cycle is None
    with progress("reading", enabled=fmt is OutputFormat.table) as (advance, total):
        for root, display in programme_roots(paths or [Path(".")]):
            result, part, has_cycle = stats_part(root, display, day, by.value, cycle,
                                                 since_value, progress=advance, on_total=total)
            warn_if_errors(result, display)
            prog = result.programme
            cycle_found |= has_cycle
            parts.append(part)
    if not cycle_found:
        where = prog.path("cycles/") if len(parts) == 1 else f"any of {len(parts)} programmes"
        fail(f"no cycle {cycle} in {where}")
    table = combine(parts, day, by.value, wide=fmt is OutputFormat.csv)
    running = running_table(parts)
    if fmt is OutputFormat.csv:
        emit_tables([for_csv(table, totals)], fmt)
    else:
        steps = steps_table(table)
        emit_tables([table], fmt, [*stats_sections(table), *([steps] if steps.rows else []),
                                   *([running] if running.rows else [])],
                    heading=table.title or "coachctl stats",
                    summary=_summary_line(table, running.rows))


def _summary_line(table: Table, running: list[Any]) -> str:
    """The Markdown page's line under its heading: what is counted and what is not."""
    cycles = table.meta.get("cycles") or []
    ended = f"{len(cycles)} ended cycle{'s' if len(cycles) != 1 else ''}"
    total = dict(zip(table.columns, table.rows[-1], strict=True))
    done = f"{total['done']} of {total['planned']} sessions done"
    still = f"; {len(running)} cycle{'s' if len(running) != 1 else ''} still running, " \
        "shown apart" if running else ""
    return f"{ended} counted: {done}{still}."
