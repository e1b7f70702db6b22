"""``coachctl cycle start|status|close``: the lead coach's weekly work on a cycle."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from coachctl.cli.common import (
    EXIT_PROBLEMS,
    DiagnosticFormat,
    TableFormat,
    TodayOption,
    checked,
    emit_diagnostics,
    emit_tables,
    fail,
    one_programme,
    today,
    writes,
)

if TYPE_CHECKING:
    import datetime as dt

    from coachctl.diagnostics import Diagnostic
    from coachctl.lifecycle import StartPlan
    from coachctl.loader import Programme
    from coachctl.validation import Checked

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Open, follow and close coaching cycles.")

ProgrammeArg = Annotated[Path, typer.Argument(
    help="The programme folder (one holding programme.yaml).")]
CycleOption = Annotated[int | None, typer.Option(
    "--cycle", "-c", min=1, max=99, help="Cycle number (default: the current cycle).")]


def refuse(errors: list[Diagnostic], prog: Programme, why: str) -> NoReturn:
    """Print the errors as `validate` does, then exit 1."""
    from coachctl.diagnostics import summarise
    from coachctl.loader import locate

    located = locate(errors, prog)
    emit_diagnostics(located, summarise(located, prog.files), DiagnosticFormat.text)
    fail(why, EXIT_PROBLEMS)


def check(root: Path, display: str, *, quiet: bool = False, cache: bool = True) -> Checked:
    """:func:`coachctl.cli.common.checked`, refusing a programme whose programme.yaml
    (and so its calendar) could not be read."""
    result = checked(root, display, cache=cache, quiet=quiet)
    if result.programme.settings is None:
        fail(f"{display}: programme.yaml could not be read", EXIT_PROBLEMS)
    return result


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """The programme's write lock; a second concurrent run exits 2 with a clear message."""
    from coachctl.fsio import Locked, lock

    try:
        with lock(root):
            yield
    except Locked as e:
        fail(f"{e}; try again when it has finished")


@app.command(epilog="""\b
Examples:
  coachctl cycle start programmes/lees-brook --dry-run
  coachctl cycle start programmes/lees-brook
  coachctl cycle start programmes/lees-brook --number 5   # open cycle 5 early
""")
@writes
def start(
    programme: ProgrammeArg = Path("."),
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
    root, display = one_programme(programme)
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


@app.command(epilog="""\b
Examples:
  coachctl cycle status programmes/lees-brook
  coachctl cycle status programmes/lees-brook --cycle 3 --format csv > cycle-3.csv
""")
def status(
    programme: ProgrammeArg = Path("."),
    cycle: CycleOption = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f",
                                              help="table, json or csv.")] = TableFormat.table,
    today_: TodayOption = None,
) -> None:
    """Where each session of a cycle stands.

    For each pair due: did the observation and feedback happen, the session's
    state (done, missed, stub, missing: the same as `stats` counts), teaching
    days left for those not done. Counts and ids only, never what a note says.
    """
    from coachctl import lifecycle
    from coachctl.render import tabular

    day = today(today_)
    prog = check(*one_programme(programme)).programme
    number = _pick_cycle(prog, cycle, day)
    st = lifecycle.cycle_status(prog, number, day)
    c, counts, total = st.cycle, st.counts, len(st.sessions)
    table = tabular.Table(
        "cycle.status",
        ("coach", "coachee", "session", "happened", "date", "action_step", "days_left"),
        [(s.coach, s.coachee, s.state, s.happened, s.note.date if s.note else None,
          s.note.action_step if s.note else None,
          None if s.state in ("done", "missed") else st.teaching_days_left)
         for s in st.sessions],
        title=f"Cycle {c.number}: {c.start} to {c.end} ({c.status}), as of {day}",
        meta={"cycle": c.number, "start": c.start, "end": c.end, "status": c.status,
              "today": day, "counts": counts,
              "completion": round(counts["done"] / total, 3) if total else None})
    emit_tables([table], fmt)
    if fmt is TableFormat.table:
        typer.echo(f"{total} sessions: " + ", ".join(f"{n} {s}" for s, n in counts.items()))


@app.command(epilog="""\b
Examples:
  coachctl cycle close programmes/lees-brook
  coachctl cycle close programmes/lees-brook --cycle 3
""")
@writes
def close(
    programme: ProgrammeArg = Path("."),
    cycle: CycleOption = None,
    today_: TodayOption = None,
) -> None:
    """Mark a cycle closed, when the lead coach says it is done.

    Lists the notes still missing or stubs. Closing a closed cycle changes
    nothing. The next `cycle start` then opens the following cycle.
    """
    from coachctl import lifecycle

    day = today(today_)
    root, display = one_programme(programme)
    with locked(root):
        prog = check(root, display).programme
        number = _pick_cycle(prog, cycle, day)
        lifecycle.clean_temps(root, number)
        try:
            changed = lifecycle.close(prog, number)
        except lifecycle.Changed as e:
            fail(str(e))
    typer.echo(f"Cycle {number} {'closed' if changed else 'was already closed'}: "
               f"{prog.path(prog.cycle_paths[number])}")
    open_rows = [s for s in lifecycle.cycle_status(prog, number, day).sessions
                 if s.state in ("stub", "missing")]
    if open_rows:
        typer.echo(f"{len(open_rows)} note(s) not written up:")
        for s in open_rows:
            typer.echo(f"  {s.state:<7}  {s.coach} coaching {s.coachee}")
