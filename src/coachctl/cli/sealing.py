"""What the commands that seal share: identities, and writing planned files safely."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import coachctl.cli.lite as typer
from coachctl.cli.common import EXIT_PROBLEMS, fail

IdentityOption = Annotated[list[Path] | None, typer.Option(
    "--identity", "-i", metavar="PATH",
    help="An age identity file (repeatable; default: the one `coachctl key init` made).")]


def identities(paths: list[Path] | None, *, required: bool = True) -> list[Any]:
    """The identities to open sealed blocks with; exit 2 with a clear message if they
    cannot be read (none and not ``required``: an empty list)."""
    from coachctl import keys

    if not paths and not required and not keys.default_identity().exists():
        return []
    try:
        return keys.load(paths or None)
    except keys.IdentityProblem as e:
        fail(str(e))


def cannot_open(display: str, why: str) -> None:
    typer.echo(f"cannot open  {display}: {why} (ask a reader to run `coachctl reseal`)",
               err=True)
    raise typer.Exit(EXIT_PROBLEMS)
