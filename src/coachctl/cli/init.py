"""``coachctl init DIR``: start a programme from a small example that validates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import fail, today, writes
from coachctl.cli.options import TodayOption, examples

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command(epilog=examples("coachctl init oakfield --school 'Oakfield School'"))
@writes
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the programme in.")],
    school: Annotated[str, typer.Option(help="The school's name.")] = "Our School",
    year: Annotated[int | None, typer.Option(
        help="First calendar year of the academic year (2026 for 2026-27).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List files, write none.")] = False,
    today_: TodayOption = None,
) -> None:
    """Write programme.yaml, staff, pairings and steps for a new programme.

    Also the JSON Schemas of its files (schemas/) and VS Code settings mapping them
    to the files (.vscode/settings.json), so an editor completes and checks as you
    type. Existing files are never overwritten: running init twice changes nothing,
    and settings already there are kept, with the lines to add printed. Edit the
    term dates in programme.yaml to your school's published dates.
    """
    from coachctl.editors import SETTINGS, editor_files, settings_snippet
    from coachctl.fsio import write_all
    from coachctl.scaffold import academic_start_year, initial_files

    if directory.exists() and not directory.is_dir():
        fail(f"{directory} exists and is not a folder")
    start = year if year is not None else academic_start_year(today(today_))
    written = {**initial_files(school, start), **editor_files()}
    files = [(directory / rel, text) for rel, text in written.items()]
    if dry_run:
        for target, _ in files:
            typer.echo(f"would write {target}" if not target.exists() else f"exists    {target}")
        return
    for target, wrote in write_all(files):
        typer.echo(f"wrote  {target}" if wrote else f"kept   {target} (already exists)")
        if not wrote and target == directory / SETTINGS:
            typer.echo(f"       for the schemas, add inside its braces:\n{settings_snippet()}")
