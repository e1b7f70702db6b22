"""``coachctl explain CODE``: what a diagnostic means and how to fix it (like ruff's)."""

from __future__ import annotations

from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import fail

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command(epilog="Examples:\n\n  coachctl explain S001\n\n  coachctl explain --all")
def explain(
    code: Annotated[str | None, typer.Argument(help="A code such as S001.")] = None,
    all_codes: Annotated[bool, typer.Option("--all", help="List every code.")] = False,
) -> None:
    """Describe a diagnostic code with a failing example and the fix."""
    from coachctl.registry import CODES

    if all_codes or code is None:
        for c in CODES.values():
            typer.echo(f"{c.code}  {c.severity:<7}  {c.title}")
        return
    entry = CODES.get(code.upper())
    if entry is None:
        fail(f"unknown code {code!r}; `coachctl explain --all` lists them")
    typer.echo(f"{entry.code} ({entry.severity}): {entry.title}\n")
    typer.echo(entry.explanation + "\n")
    typer.echo("Example:\n")
    typer.echo("".join(f"    {line}\n" for line in entry.example.splitlines()))
    typer.echo(f"Fix: {entry.fix}")
