"""``coachctl year start``: next academic year's programme, in a new folder."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import (
    EXIT_PROBLEMS,
    checked,
    emit_diagnostics,
    fail,
    locked,
    programme_to_write,
)
from coachctl.cli.options import OutputFormat, ProgrammeArgument, examples

if TYPE_CHECKING:
    from coachctl.years import YearPlan

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True)


@app.callback()
def year() -> None:
    """The programme's years: start the next one from this one."""


@app.command(epilog=examples(
    "coachctl year start programmes/kingsmead-academy --to programmes/kingsmead-2027-28 "
    "--dry-run",
    "coachctl year start programmes/kingsmead-academy --to programmes/kingsmead-2027-28 "
    "--no-pairings"))
def start(
    path: ProgrammeArgument,
    to: Annotated[Path, typer.Option(
        "--to", metavar="NEW_FOLDER", help="Folder for the new programme: it must not exist, "
        "or be empty.")] = ...,  # type: ignore[assignment]
    year_: Annotated[str | None, typer.Option(
        "--year", metavar="YYYY-YY", help="The new academic year (default: the next).")]
    = None,
    no_pairings: Annotated[bool, typer.Option(
        "--no-pairings", help="Carry no pairings (hubs are still carried): pair afresh, "
        "e.g. with `coachctl pair suggest --all`.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Say what the new programme would hold; write nothing.")] = False,
) -> None:
    """Start next academic year's programme from this one, in a new folder.

    The new programme.yaml has the new year and that year's term dates in
    England's usual pattern, with its bank holidays: edit the terms and INSET
    days to your school's published dates. staff.yaml loses the leavers; new
    coaches who coached all this year are new coaches no longer; each coachee
    gets a `start_step`, the step they would work on next, so next year's
    first stubs carry on where this year ended. pairings.yaml carries the
    pairings of this year's last cycle (without leavers) from cycle 1, and the
    hubs. The step library, sequence and coaching curriculum are copied. This
    year's folder is not changed. Comments and layout carry over where they can.

    The new programme must validate (exit 1 otherwise, nothing written). It is
    built beside the target and renamed into place, so it appears whole or not
    at all. Refuses (exit 2) a target folder that holds anything else; running
    it again when the target holds exactly this changes nothing.
    """
    from coachctl import yamledit, years
    from coachctl.validation import check_programme, summary_of

    root, display = programme_to_write(path, "year start")
    target = to
    shown = to.as_posix()
    _check_target(root, target)
    with contextlib.nullcontext() if dry_run else locked(root):
        prog = checked(root, display, cache=not dry_run, quiet=True).programme
        try:
            start_year = years.parse_year(year_) if year_ is not None else None
            plan = years.plan_year(prog, start_year, pairings=not no_pairings)
        except (years.CannotPlan, yamledit.Refused) as e:
            fail(str(e))
        state = years.state_of(target, plan.files)
        if state == "done":
            typer.echo(f"{shown} already holds {plan.year}: nothing to change.")
            return
        if state == "other":
            fail(f"{shown} is not an empty folder; `coachctl year start` writes only into a "
                 "new or empty folder")
        _describe(plan, display, shown, no_pairings)
        # a dry run builds outside the target's folder: it writes nothing there
        try:
            if not dry_run:
                target.parent.mkdir(parents=True, exist_ok=True)
                years.clean_stray(target)
            build = (Path(tempfile.mkdtemp(prefix="coachctl-year-")) / target.name if dry_run
                     else years.temp_folder(target))
        except OSError as e:
            fail(f"cannot write beside {shown}: {e.strerror}")
        try:
            try:
                years.build(build, plan.files)
            except OSError as e:
                fail(f"cannot write beside {shown}: {e.strerror}; nothing written")
            result = check_programme(build, shown, cache=False)
            if result.errors:
                emit_diagnostics(result.errors, summary_of([result]), OutputFormat.concise)
                fail(f"the new programme would not validate; nothing written in {shown}",
                     EXIT_PROBLEMS)
            if dry_run:
                typer.echo(f"Dry run: {len(plan.files)} files would be written in {shown}; "
                           "nothing written.")
                return
            try:
                years.move_into_place(build, target)
            except OSError as e:
                fail(f"cannot write {shown}: {e.strerror}")
        finally:
            shutil.rmtree(build.parent if dry_run else build, ignore_errors=True)
    warnings = len(result.diagnostics)
    typer.echo(f"wrote  {shown} ({len(plan.files)} files; `coachctl validate` finds no errors"
               + (f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
               + ")")


def _check_target(root: Path, target: Path) -> None:
    """Exit 2 for a target inside a programme (this one or another)."""
    resolved = target.resolve()
    for folder in (resolved, *resolved.parents):
        if (folder / "programme.yaml").is_file() and folder != resolved:
            fail(f"{target} is inside the programme {folder}; give a folder beside it")
    if resolved == root.resolve():
        fail(f"{target} is the programme itself; give a new folder")


def _describe(plan: YearPlan, display: str, shown: str, no_pairings: bool) -> None:
    def some(ids: list[str], n: int = 10) -> str:
        return ", ".join(ids[:n]) + (f" and {len(ids) - n} more" if len(ids) > n else "")

    typer.echo(f"{plan.year} from {display} into {shown}:")
    typer.echo(f"  calendar: England's usual term dates for {plan.year}, with its bank "
               "holidays; edit the terms and INSET days in programme.yaml to your school's")
    typer.echo(f"  staff: {plan.staff}" + (f", leavers left out: {some(plan.leavers)}"
                                           if plan.leavers else ""))
    if plan.no_longer_new:
        typer.echo(f"  new coaches no longer new: {some(plan.no_longer_new)}")
    typer.echo(f"  steps: {len(plan.start_steps)} people start after the sequence's first "
               "step (start_step)" + (f"; {len(plan.finished)} secured every step and start "
                                      "again at the first" if plan.finished else ""))
    if no_pairings:
        typer.echo("  pairings: none carried (--no-pairings); pair coachees before cycle 1")
    else:
        typer.echo(f"  pairings: {plan.pairings} carried from cycle {plan.last_cycle}, from "
                   "cycle 1" + (f"; {plan.dropped_pairings} left out (with a leaver)"
                                if plan.dropped_pairings else ""))
    typer.echo(f"  hubs: {plan.hubs} carried" + (
        f"; expert left, hub dropped: {some(plan.dropped_hubs)}" if plan.dropped_hubs else ""))
    for rel in plan.rewritten:
        typer.echo(f"  {rel}: written afresh (its comments could not be carried)")
