"""``coachctl staff show ID``: one person's coaching journey, in counts and step names."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import (
    EXIT_PROBLEMS,
    checked,
    date_option,
    emit_diagnostics,
    fail,
    known_staff,
    locked,
    programme_roots,
    programme_to_write,
    progress,
    today,
    warn_if_errors,
    write_edits,
)
from coachctl.cli.options import (
    DryRunOption,
    JourneyFormats,
    OutputFormat,
    ProgrammeArgument,
    TodayOption,
    examples,
)
from coachctl.cli.output import emit_tables

if TYPE_CHECKING:
    from coachctl import staff_export
    from coachctl.programme import Programme

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True)


@app.callback()
def staff() -> None:
    """People in the programme: one person's journey, someone joining (add, import from
    the MIS), someone leaving."""


@app.command(epilog=examples(
    'coachctl staff show kfletcher programmes/kingsmead-academy',
    'coachctl staff show kfletcher programmes/kingsmead-academy --format json',
    'coachctl staff show kfletcher programmes/kingsmead-academy --format csv > kfletcher.csv',
    note="Several years of one school: name each year's folder, or a folder holding them."))
def show(
    staff_id: Annotated[str, typer.Argument(metavar="ID", help="A staff id from staff.yaml.")],
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="PROGRAMME...", help="The programme folder, or several years of one school "
        "(their folders, or a folder holding them).")] = None,
    fmt: JourneyFormats = OutputFormat.table,
    today_: TodayOption = None,
) -> None:
    """One person's coaching journey, in counts and step names.

    Their coaches and coachees cycle by cycle, the steps they worked on and
    secured (with the step's text from the library), sessions done and missed,
    and the QA they received as a coach. Never a note's text or QA feedback.
    Given several years of one school, first their journey year by year (role,
    sessions, steps, where each year began and ended), then the latest year's.
    Exit 0, or 2 on a usage or I/O error (including an unknown ID).
    """

    day = today(today_)
    roots = programme_roots(paths or [Path(".")])
    show_progress = fmt is OutputFormat.table
    if len(roots) == 1:
        from coachctl.reports.answers import staff_show

        with progress("reading", enabled=show_progress) as (advance, total):
            result, tables = staff_show(*roots[0], staff_id, day, progress=advance,
                                        on_total=total)
        if result is not None and tables is not None:  # else refused: say why, as before
            warn_if_errors(result, roots[0][1])
            emit_tables(tables, fmt)
            return
    from coachctl.reports.journey import staff_journey, staff_years

    if len(roots) == 1:
        prog = checked(*roots[0], show_progress=show_progress).programme
        known_staff(prog, staff_id)
        emit_tables(staff_journey(prog, staff_id, day), fmt)
        return
    progs = [checked(root, display, show_progress=show_progress).programme
             for root, display in roots]
    theirs = sorted((p for p in progs if staff_id in p.staff),
                    key=lambda p: (p.settings.academic_year if p.settings else "", p.display))
    if not theirs:
        known_staff(progs[-1], staff_id)
    schools = sorted({p.settings.school for p in theirs if p.settings})
    if len(schools) > 1:
        fail(f"'{staff_id}' is in programmes of {len(schools)} schools ("
             + ", ".join(schools) + "); ids belong to one school: name its folders only")
    emit_tables([staff_years(theirs, staff_id, day), *staff_journey(theirs[-1], staff_id, day)],
                fmt)


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
        known_staff(prog, staff_id)
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


def _row(name: str, role: str, department: str, joined: str | None,
         staff_id: str | None) -> staff_export.Row:
    """A person given by options, as an export row; exit 2 on a bad value."""
    from coachctl import staff_export

    mapped = staff_export.role_of(role)
    if mapped is None:
        fail(f"--role {role!r}: a role is one of {', '.join(staff_export.ROLES)} "
             "(or a job title such as 'Early Career Teacher')")
    if staff_id is not None and not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", staff_id):
        fail(f"--id {staff_id!r} is not an id (lower-case letters, digits, '.', '_', '-', "
             "starting with a letter or digit)")
    if not name.strip() or not department.strip():
        fail("--name and --department must not be empty")
    return staff_export.Row(0, " ".join(name.split()), mapped, department.strip(),
                            date_option(joined, "--joined"), staff_id)


@app.command(epilog=examples(
    'coachctl staff add programmes/kingsmead-academy --name "Rosa Lindqvist" --role ect '
    '--department Science --joined 2027-01-04 --dry-run',
    'coachctl staff add programmes/kingsmead-academy --name "Rosa Lindqvist" --role ect '
    '--department Science --joined 2027-01-04'))
def add(
    path: ProgrammeArgument = Path("."),
    name: Annotated[str, typer.Option("--name", help="Their name as the school writes it.")]
    = ...,  # type: ignore[assignment]
    role: Annotated[str, typer.Option(
        "--role", help="teacher, ect, middle-leader, senior-leader or support (a job title "
        "such as 'Head of Department' is understood).")] = ...,  # type: ignore[assignment]
    department: Annotated[str, typer.Option("--department", help="Their department.")]
    = ...,  # type: ignore[assignment]
    joined: Annotated[str | None, typer.Option(
        "--joined", metavar="YYYY-MM-DD", help="The day they start.")] = None,
    staff_id: Annotated[str | None, typer.Option(
        "--id", help="Their id (default: initial and surname, e.g. rlindqvist; a number "
        "is added if it is taken).")] = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add someone to staff.yaml.

    Their entry goes at the end of staff.yaml; comments and layout are kept.
    Adding the same person again (same name, or same --id, with the same role
    and department) changes nothing. Refuses (exit 2, nothing written) when the
    name or --id is someone else's, and (exit 1) when the programme would not
    validate afterwards. Make them a coach, or give an ECT their mentor, by
    editing their entry.
    """
    from coachctl import fsio, staffing, yamledit

    row = _row(name, role, department, joined, staff_id)
    root, display = programme_to_write(path, "staff add")
    with contextlib.nullcontext() if dry_run else locked(root):
        if not dry_run:
            fsio.clean_stray_temps(root, recursive=False)
        prog = _readable(checked(root, display, cache=not dry_run, quiet=True).programme)
        try:
            pid, edits = staffing.plan_add(prog, row)
        except ValueError as e:
            fail(str(e))
        except yamledit.Refused as e:
            fail(str(e))
        if not edits:
            typer.echo(f"{pid} is already in {prog.path('staff.yaml')}: nothing to change.")
            return
        typer.echo(f"add  {pid}  {row.name} ({row.role}, {row.department}"
                   + (f", joins {row.joined}" if row.joined else "") + ")")
        write_edits(prog, edits, dry_run=dry_run)


def _readable(prog: Programme) -> Programme:
    if prog.staff_file is None:
        fail(f"{prog.path('staff.yaml')} could not be read; `coachctl validate` says why")
    return prog


@app.command("import", epilog=examples(
    "coachctl staff import programmes/kingsmead-academy tests/fixtures/mis-staff-export.csv "
    "--dry-run",
    "coachctl staff import programmes/kingsmead-academy tests/fixtures/mis-staff-export.csv",
    "coachctl staff import programmes/kingsmead-academy tests/fixtures/mis-staff-export.csv "
    '--map "Job Title=role" --update',
    note="A mapping file (YAML) for --mapping: columns: {Post: role, Team: department}, "
         "roles: {Curriculum Champion: teacher}"))
def import_(
    path: ProgrammeArgument,
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help="The MIS staff export.")],
    maps: Annotated[list[str] | None, typer.Option(
        "--map", metavar="COLUMN=FIELD", help="Read a column as a field: id, name, "
        "first_name, last_name, role, department, joined. Repeat for each.")] = None,
    role_maps: Annotated[list[str] | None, typer.Option(
        "--map-role", metavar="TITLE=ROLE", help="Read a job title as a role. Repeat.")]
    = None,
    mapping: Annotated[Path | None, typer.Option(
        "--mapping", metavar="FILE", help="A YAML file of `columns:` and `roles:` mappings.")]
    = None,
    update: Annotated[bool, typer.Option(
        "--update", help="Also write the changes found (role, department, name) to "
        "staff.yaml; without it they are only listed.")] = False,
    dry_run: DryRunOption = False,
    today_: TodayOption = None,
) -> None:
    """Add the people of a school's MIS staff export (CSV) to staff.yaml.

    Reads a name (or forename and surname), job title, department and start
    date from the usual headings, or as mapped. Adds everyone not yet in
    staff.yaml (id: initial and surname, made unique); lists people whose role,
    department or name differs (written with --update) and people in
    staff.yaml missing from the export as possible leavers (never changed:
    `coachctl staff leave` records a leaver). Importing the same export again
    changes nothing. Any problem in the file (a missing column, a bad date, an
    unknown job title) is reported as FILE:LINE:COL and nothing is written
    (exit 1). UTF-8 with or without a byte-order mark, Excel's Windows-1252,
    and comma, semicolon or tab separators are all read.
    """
    from coachctl import fsio, staff_export, staffing, yamledit
    from coachctl.diagnostics import summarise

    day = today(today_)
    try:
        how = staff_export.parse_maps(maps or [], role_maps or [], mapping)
    except staff_export.MappingError as e:
        fail(str(e))
    root, display = programme_to_write(path, "staff import")
    try:
        rows, problems = staff_export.read_export(file, file.as_posix(), how)
    except OSError as e:
        fail(f"{file}: cannot read: {e.strerror}")
    if problems:
        emit_diagnostics(problems, summarise(problems, 1), OutputFormat.text)
        fail(f"{file} cannot be imported; nothing written", EXIT_PROBLEMS)
    with contextlib.nullcontext() if dry_run else locked(root):
        if not dry_run:
            fsio.clean_stray_temps(root, recursive=False)
        prog = _readable(checked(root, display, cache=not dry_run, quiet=True).programme)
        try:
            plan = staffing.plan_import(prog, rows, day, update=update)
        except yamledit.Refused as e:
            fail(str(e))
        typer.echo(f"{file.as_posix()}: {len(rows)} people")
        for pid, row in plan.added:
            typer.echo(f"  add  {pid}  {row.name} ({row.role}, {row.department}"
                       + (f", joined {row.joined}" if row.joined else "") + ")")
        for c in plan.changes:
            typer.echo(f"  change  {c.who}  {c.field}: {c.now} -> {c.export}"
                       + ("" if update else "  (not written: --update writes it)"))
        if plan.left_but_listed:
            typer.echo("  in the export but left (unchanged; remove `left` by hand if they "
                       "have come back): " + ", ".join(plan.left_but_listed))
        for row, who in plan.ambiguous:
            typer.echo(f"  skipped  line {row.line}: {row.name} could be any of "
                       + ", ".join(who) + " (add an id column to tell them apart)")
        for row in plan.duplicates:
            typer.echo(f"  skipped  line {row.line}: {row.name} is in the export twice")
        if plan.possible_leavers:
            typer.echo("  possible leavers (in staff.yaml, not in the export; unchanged): "
                       + ", ".join(plan.possible_leavers))
            typer.echo("  record a leaver with: coachctl staff leave ID "
                       f"{display} --date YYYY-MM-DD")
        if not any(e.changed for e in plan.edits):
            typer.echo(f"Nothing to write: {prog.path('staff.yaml')} already has everyone "
                       "in the export" + (" and their changes." if update else "."))
            return
        write_edits(prog, plan.edits, dry_run=dry_run)
