"""``coachctl cycle start|status|close``: the lead coach's weekly work on a cycle."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import (
    EXIT_PROBLEMS,
    checked,
    fail,
    locked,
    one_programme,
    programme_to_write,
    progress,
    refuse,
    today,
    warn_if_errors,
    write_edits,
    writes,
)
from coachctl.cli.options import (
    DryRunOption,
    OutputFormat,
    ProgrammeArgument,
    TableFormats,
    TodayOption,
    examples,
)
from coachctl.cli.output import emit_tables

if TYPE_CHECKING:
    import datetime as dt

    from coachctl.lifecycle import StartPlan
    from coachctl.programme import Programme
    from coachctl.validation import Checked

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Open, follow and close coaching cycles.")

CycleOption = Annotated[int | None, typer.Option(
    "--cycle", "-c", min=1, max=99, help="Cycle number (default: the current cycle).")]


def check(root: Path, display: str, *, quiet: bool = False, cache: bool = True) -> Checked:
    """:func:`coachctl.cli.common.checked`, refusing a programme whose programme.yaml
    (and so its calendar) could not be read."""
    result = checked(root, display, cache=cache, quiet=quiet)
    if result.programme.settings is None:
        fail(f"{display}: programme.yaml could not be read", EXIT_PROBLEMS)
    return result


@app.command(epilog=examples(
    'coachctl cycle start programmes/kingsmead-academy --dry-run --today 2026-11-30',
    'coachctl cycle start programmes/kingsmead-academy --today 2026-11-30',
    'coachctl cycle start programmes/kingsmead-academy --number 6 --dry-run  # cycle 6 early'))
@writes
def start(
    programme: ProgrammeArgument = Path("."),
    number: Annotated[int | None, typer.Option(
        "--number", "-n", min=1, max=99,
        help="Open (or complete) this cycle rather than the next one due.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print every file it would write; write nothing.")] = False,
    today_: TodayOption = None,
) -> None:
    """Open the next cycle: a note stub for each pair, then the cycle file.

    Dates come from the calendar (never in a holiday; a week lost to a holiday
    extends the cycle or is reported, as programme.yaml says). While the latest
    cycle is open and has not ended, this completes its missing stubs instead,
    so running it twice changes nothing and re-running an interrupted run
    finishes the job. Existing files are never overwritten. Refuses to run on a
    programme with errors (exit 1).
    """
    from coachctl import lifecycle

    day = today(today_)
    root, display = programme_to_write(programme, "cycle start")
    with contextlib.nullcontext() if dry_run else locked(root):
        checked = check(root, display, quiet=True, cache=not dry_run)
        prog, errors = checked.programme, checked.errors
        why = "fix these errors first (`coachctl validate` lists them); nothing written"
        try:
            plan = lifecycle.plan_start(prog, day, number)
        except lifecycle.CannotStart as e:
            fail(str(e), EXIT_PROBLEMS)
        if isinstance(plan, str):
            if errors:
                refuse(errors, prog, why)
            typer.echo(plan)
            return
        if blocking := plan.blocking(errors):
            refuse(blocking, prog, why if not plan.problems else
                   f"opening cycle {plan.cycle.number} would make the programme invalid; "
                   "nothing written")
        _report_plan(plan, prog)
        if dry_run:
            for rel, _ in plan.files:
                typer.echo(f"would write  {prog.path(rel)}")
            typer.echo(f"Dry run: {len(plan.files)} file(s) would be written; nothing written.")
            return
        lifecycle.clean_temps(root, plan.cycle.number)
        written = 0
        for rel, done in lifecycle.write(root, plan.files):
            typer.echo(f"{'wrote' if done else 'kept '}  {prog.path(rel)}")
            written += done
        typer.echo(f"Wrote {written} file(s)." if written else "Nothing to write.")


def _report_plan(plan: StartPlan, prog: Programme) -> None:
    assert prog.settings is not None
    rules, c = prog.settings.cycles, plan.cycle
    verb = "opening" if plan.is_new else "completing (already open)"
    typer.echo(f"Cycle {c.number}: {c.start} to {c.end}, feedback meetings on "
               f"{c.feedback_day} - {verb}")
    for monday, why in c.lost_weeks:
        effect = ("cycle extended" if rules.holiday_weeks == "extend"
                  else "counted anyway (reported)")
        typer.echo(f"  week of {monday} has no coaching day ({why}): {effect}")
    if c.truncated:
        typer.echo(f"  the school year ends before the cycle's {rules.length_weeks} weeks")
    if plan.kept:
        typer.echo(f"  {len(plan.kept)} note(s) already exist and are kept as they are")
    p = plan.pairs
    if p.uncoached or p.overloaded or p.left_out:
        typer.echo("Needs attention:")
        if p.uncoached:
            typer.echo(f"  no coach in cycle {c.number}: {', '.join(p.uncoached)}")
        for coach, n in p.overloaded:
            typer.echo(f"  '{coach}' coaches {n} people, over the limit "
                       "(thresholds.max_coachees_per_coach)")
        for pair, who in p.left_out:
            typer.echo(f"  left out: {pair.coach} coaching {pair.coachee} ('{who}' is not on "
                       f"the staff on {c.feedback_day})")


def _pick_cycle(prog: Programme, cycle: int | None, day: dt.date) -> int:
    """The cycle asked for, else the one running (or last started), else the first."""
    from coachctl.sessions import default_cycle

    number = cycle if cycle is not None else default_cycle(prog, day)
    if number is None:
        fail("no cycle on file yet; open one with `coachctl cycle start`")
    if number not in prog.cycles:
        fail(f"cycle {number} has no file in cycles/")
    return number


@app.command(epilog=examples(
    'coachctl cycle status programmes/kingsmead-academy --today 2026-11-23',
    'coachctl cycle status programmes/kingsmead-academy --cycle 3 --format csv > cycle-3.csv'))
def status(
    programme: ProgrammeArgument = Path("."),
    cycle: CycleOption = None,
    fmt: TableFormats = OutputFormat.table,
    today_: TodayOption = None,
) -> None:
    """Where each session of a cycle stands.

    For each pair due: did the observation and feedback happen, the session's
    state (done, missed, stub, missing: the same as `stats` counts), and for
    those not done or missed, teaching_days_left: school days (not weekends,
    holidays or closures) from --today to the cycle's end, both included.
    Counts and ids only, never what a note says.
    """
    from coachctl.reports.answers import cycle_status

    day = today(today_)
    root, display = one_programme(programme)
    with progress("reading") as (advance, total):
        result, found = cycle_status(root, display, cycle, day, progress=advance,
                                     on_total=total)
    if found is None:  # refused: say why, as before
        from coachctl import lifecycle
        from coachctl.reports.cycles import status_table

        prog = check(root, display).programme
        number = _pick_cycle(prog, cycle, day)
        st = lifecycle.cycle_status(prog, number, day)
        found = status_table(st, day), len(st.sessions), list(st.counts.items())
    else:
        warn_if_errors(result, display)
    table, sessions, counts = found
    emit_tables([table], fmt)
    if fmt is OutputFormat.table:
        typer.echo(f"{sessions} sessions: " + ", ".join(f"{n} {s}" for s, n in counts))


@app.command(epilog=examples(
    'coachctl cycle close programmes/kingsmead-academy --cycle 3 --dry-run',
    'coachctl cycle close programmes/kingsmead-academy --cycle 3',
    'coachctl cycle close programmes/kingsmead-academy --cycle 4 --early --today 2026-11-30'))
@writes
def close(
    programme: ProgrammeArgument = Path("."),
    cycle: CycleOption = None,
    early: Annotated[bool, typer.Option(
        "--early", help="Close a cycle before its end date.")] = False,
    dry_run: DryRunOption = False,
    today_: TodayOption = None,
) -> None:
    """Mark a cycle closed, when the lead coach says it is done.

    Changes only the cycle file's `status` (comments and layout are kept) and
    refuses a cycle that has not reached its end date unless --early. Lists
    the notes still missing or stubs. Closing a closed cycle changes nothing.
    The next `cycle start` then opens the following cycle, and `note new`
    no longer starts notes in this one.
    """
    from coachctl import lifecycle, yamledit

    day = today(today_)
    root, display = programme_to_write(programme, "cycle close")
    with contextlib.nullcontext() if dry_run else locked(root):
        prog = check(root, display, cache=not dry_run).programme
        number = _pick_cycle(prog, cycle, day)
        c = prog.cycles[number]
        if c.status == "closed":
            typer.echo(f"Cycle {number} was already closed: "
                       f"{prog.path(prog.cycle_paths[number])}")
            return
        if day < c.end and not early:
            fail(f"cycle {number} runs until {c.end}; to close it now, add --early")
        if not dry_run:
            lifecycle.clean_temps(root, number)
        try:
            edit = lifecycle.close_edit(prog, number)
        except yamledit.Refused as e:
            fail(str(e))
        if not write_edits(prog, [edit], dry_run=dry_run):
            return
    typer.echo(f"Cycle {number} closed: {prog.path(prog.cycle_paths[number])}")
    open_rows = [s for s in lifecycle.cycle_status(prog, number, day).sessions
                 if s.state in ("stub", "missing")]
    if open_rows:
        typer.echo(f"{len(open_rows)} note(s) not written up:")
        for s in open_rows:
            typer.echo(f"  {s.state:<7}  {s.coach} coaching {s.coachee}")
