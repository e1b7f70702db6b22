"""``coachctl key init``: a person's age identity for sealed notes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import fail
from coachctl.cli.options import examples

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Your key for sealed notes.")

IdentityOption = Annotated[Path | None, typer.Option(
    "--identity", "-i", metavar="PATH",
    help="The identity file (default: $XDG_CONFIG_HOME/coachctl/identity.txt, "
         "else ~/.config/coachctl/identity.txt).")]


@app.callback()
def main() -> None:
    """Your key for sealed notes: `coachctl key init` makes it."""


@app.command(epilog=examples(
    "coachctl key init --id aosei",
    note="Without --id the line it prints leaves the id for you to fill in."))
def init(
    staff_id: Annotated[str | None, typer.Option(
        "--id", metavar="ID", help="Your staff id, to print the staff.yaml line for it.")
    ] = None,
    identity: IdentityOption = None,
) -> None:
    """Make your identity (secret key) for sealed notes, and print the public key line.

    The identity goes in your user config folder with mode 0600, never in the
    repository; an existing one is never overwritten (exit 2: the notes sealed
    to it would be lost to you). Add the printed `age_key:` line to your entry
    in staff.yaml and commit it; someone who can read your older notes then
    runs `coachctl reseal`. The file is an age identity: `age -d -i FILE` reads
    it too. Keep a backup where your school keeps secrets (docs/privacy.md).
    """
    from coachctl import keys

    path = identity or keys.default_identity()
    made = keys.init(path)
    if made is None:
        try:
            public = keys.public_of(keys.load([path])[0])
        except keys.IdentityProblem:
            fail(f"{path} already exists and is not an identity coachctl can read; "
                 "nothing written (move it away first)")
        fail(f"{path} already exists (never overwritten); its public key is {public}")
    typer.echo(f"wrote  {made.path} (mode 0600: yours only; back it up, never commit it)")
    whose = "your" if staff_id is None else f"{staff_id}'s"
    typer.echo(f"Add to {whose} entry in staff.yaml:")
    typer.echo(f"    age_key: {made.public_key}")
