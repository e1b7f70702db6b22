"""``coachctl schedule``: observation windows, feedback meetings, Teach Meets, CPL, QA windows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import coachctl.cli.lite as typer
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

if TYPE_CHECKING:
    import datetime as dt

    from coachctl.programme import Programme
    from coachctl.schedule import Event

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command(epilog=examples(
    'coachctl schedule programmes/kingsmead-academy --today 2026-11-30',
    'coachctl schedule programmes/kingsmead-academy --staff aosei --format ics --output aosei.ics',
    'coachctl schedule programmes/kingsmead-academy --per-person calendars/   # calendars/ID.ics',
    'coachctl schedule programmes/kingsmead-academy --per-person calendars/ --dry-run',
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
    per_person: Annotated[Path | None, typer.Option(
        "--per-person", metavar="DIR", show_default=False,
        help="Write one iCalendar file per member of staff into DIR, as DIR/ID.ics: the "
             "events that concern them and everyone's. Files already up to date are left "
             "alone; calendars coachctl wrote there for people who get none now (leavers, "
             "people no longer in staff.yaml) are removed.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="With --per-person: list the calendars it would write and remove; "
                          "write nothing.")] = False,
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
    Events name people (Feedback: coach with coachee); a Teach Meet and its
    CPL go to the coaches of its cycle. --per-person also removes the
    calendars it wrote into DIR for people no longer on the staff. CSV and
    JSON times are ISO 8601 with the UK offset of their date. Exit 0, or 2 on
    a usage or I/O error.
    """
    from coachctl import schedule as core
    from coachctl.cli.cycle import check

    start, end = date_option(from_, "--from"), date_option(to, "--to")
    if fmt is OutputFormat.table and output is not None:
        fail("--output needs --format json, csv or ics")
    if per_person is not None and (output is not None or staff is not None
                                   or fmt not in (OutputFormat.table, OutputFormat.ics)):
        fail("--per-person writes iCalendar files: not with --output, --staff or --format "
             + fmt.value)
    if dry_run and per_person is None:
        fail("--dry-run goes with --per-person")
    prog = check(*one_programme(programme)).programme
    assert prog.settings is not None
    if staff is not None and staff not in prog.staff:
        fail(f"--staff '{staff}' is not in staff.yaml")
    from coachctl.reports.schedule import with_focus

    found = core.events(prog)
    day = today(today_)
    if per_person is not None:
        _per_person(prog, with_focus(prog, found, found, day), per_person, cycle=cycle,
                    start=start, end=end, dry_run=dry_run)
        return
    events = with_focus(prog, found, core.select(found, prog, staff=staff, cycle=cycle,
                                                 start=start, end=end), day)
    if fmt is OutputFormat.ics:
        text = _calendar(prog, events, staff)
    else:
        from coachctl.render import layout, tabular
        from coachctl.reports.schedule import schedule_table

        table = schedule_table(prog, events, staff=staff, cycle=cycle, start=start, end=end)
        if fmt is OutputFormat.table:
            from coachctl.cli.common import color_enabled

            tabular.print_rich([layout.schedule(table)], color=color_enabled())
            return
        if fmt is OutputFormat.json:
            from coachctl.reports.schedule import for_json

            text = tabular.to_json([for_json(table, events, staff)]) + "\n"
        else:
            from coachctl.reports.schedule import with_offsets

            text = tabular.to_csv(with_offsets(table))
    write_output(text, output, f"{len(events)} events")


def _calendar(prog: Programme, events: Sequence[Event], staff: str | None) -> str:
    """The iCalendar file of ``events``, named for the school, year and person if one."""
    from coachctl import schedule as core
    from coachctl.render.ics import to_ics

    assert prog.settings is not None
    name = f"{prog.settings.school} coaching {prog.settings.academic_year}"
    if staff:
        name += f" ({core.name_of(prog, staff)})"
    return to_ics(events, calendar_id=core.calendar_id(prog), name=name, stamp=core.stamp(prog),
                  names={i: s.name for i, s in prog.staff.items()},
                  for_person=staff).decode("utf-8")


def _per_person(prog: Programme, found: list[Event], folder: Path, *, cycle: int | None,
                start: dt.date | None, end: dt.date | None, dry_run: bool) -> None:
    """DIR/ID.ics for everyone on the staff during the year (not those who left before it
    began), each written atomically, and only when its bytes change; then the calendars
    coachctl wrote there for anyone else are removed (:func:`_stale`). A re-run is a no-op."""
    import re

    from coachctl import schedule as core
    from coachctl.cli.common import ID, LISTED
    from coachctl.fsio import WriteError, remove, write_all

    assert prog.settings is not None
    if folder.exists() and not folder.is_dir():
        fail(f"--per-person {folder} exists and is not a folder")
    first = min(t.start for t in prog.settings.calendar.terms)
    files = []
    for sid, person in sorted(prog.staff.items()):
        if (person.left is not None and person.left < first) or not re.fullmatch(ID, sid):
            continue
        mine = core.select(found, prog, staff=sid, cycle=cycle, start=start, end=end)
        files.append((folder / f"{sid}.ics", _calendar(prog, mine, sid)))
    changed = [(path, text) for path, text in files if not _same(path, text)]
    stale = _stale(prog, folder, {path.stem for path, _ in files})
    if dry_run:
        for path, _ in changed:
            typer.echo(f"would write   {path}")
        for path, _ in stale:
            typer.echo(f"would remove  {path}")
        typer.echo(f"Dry run: {len(changed)} calendar(s) would be written to {folder} "
                   f"({len(files) - len(changed)} already up to date) and {len(stale)} "
                   "removed; nothing written.")
        return
    for _ in write_all(changed, overwrite=True):
        pass
    removed: list[Path] = []
    for i, (path, data) in enumerate(stale):
        try:
            if remove(path, data):  # unless someone changed it since it was read
                removed.append(path)
        except WriteError as e:  # as yamledit.commit says it: a removal is a change written
            raise WriteError(path, e.error, written=[p for p, _ in changed] + removed,
                             not_written=[p for p, _ in stale[i:]]) from e
    typer.echo(f"wrote {len(changed)} calendar{'s' if len(changed) != 1 else ''} to {folder}"
               f" ({len(files) - len(changed)} already up to date)", err=True)
    if removed:
        more = f" and {len(removed) - LISTED} more" if len(removed) > LISTED else ""
        typer.echo(f"removed {len(removed)} calendar{'s' if len(removed) != 1 else ''} of "
                   "people no longer on the staff: "
                   + ", ".join(p.name for p in removed[:LISTED]) + more, err=True)


def _stale(prog: Programme, folder: Path, keep: set[str]) -> list[tuple[Path, bytes]]:
    """The calendars coachctl wrote in ``folder`` for ids not in ``keep``, with their bytes:
    each DIR/ID.ics a regular file that :func:`coachctl.render.ics.person_calendar`
    recognises as this school's calendar for ID (any year's: ``year start`` drops the
    leavers). A file a person put there, a link, another school's calendar stay."""
    import re
    import stat

    from coachctl.cli.common import ID
    from coachctl.render.ics import person_calendar

    assert prog.settings is not None
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.ics")):
        if path.stem in keep or not re.fullmatch(ID, path.stem):
            continue
        try:
            if not stat.S_ISREG(path.lstat().st_mode):
                continue
            data = path.read_bytes()
        except OSError:  # what cannot be read cannot be recognised: left alone
            continue
        if person_calendar(data, school=prog.settings.school, staff_id=path.stem):
            out.append((path, data))
    return out


def _same(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except FileNotFoundError:
        return False
