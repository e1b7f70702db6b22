"""``coachctl schema``: JSON Schemas of the file format for editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import fail, writes
from coachctl.cli.options import examples

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command(epilog=examples(
    'coachctl schema note                      # print the schema of a session note',
    'coachctl schema --output schemas/         # write one file per kind',
    note="Then, as the first line of a note, for yaml-language-server (VS Code's YAML "
         "extension):\n\n  # yaml-language-server: $schema=../../schemas/note.json"))
@writes
def schema(
    name: Annotated[str | None, typer.Argument(
        help="programme, staff, pairings, library, coaching-curriculum, sequence, cycle, "
             "note or qa.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write every schema into this folder as NAME.json.")] = None,
) -> None:
    """Print (or write) draft-07 JSON Schemas of the file format, for editor completion.

    Schemas catch a file's shape as you type; ids, dates and pairings across
    files still need `coachctl validate`. Existing schema files are replaced
    atomically; anything else in the folder is left alone.
    """
    from coachctl.schemas import kinds, schema_json

    if output is not None:
        from coachctl.fsio import write_all

        if output.exists() and not output.is_dir():
            fail(f"--output {output} exists and is not a folder")
        files = [(output / f"{kind}.json", schema_json(kind)) for kind in kinds()]
        for target, _ in write_all(files, overwrite=True):
            typer.echo(f"wrote {target}")
        return
    if name is None or name not in kinds():
        fail(f"name one of: {', '.join(kinds())}")
    typer.echo(schema_json(name), nl=False)
