"""``coachctl hub plan``: balanced expert-coach hubs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import today
from coachctl.cli.options import (
    DryRunOption,
    OutputFormat,
    ProgrammeArgument,
    ReadFormats,
    TodayOption,
    examples,
)
from coachctl.cli.pair import ApplyOption, propose_and_write

if TYPE_CHECKING:
    from coachctl import hubs
    from coachctl.programme import Programme

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True)


@app.callback()
def hub() -> None:
    """Expert-coach hubs: who quality-assures whose coaching."""


@app.command(epilog=examples(
    'coachctl hub plan programmes/kingsmead-academy --today 2026-11-30',
    'coachctl hub plan programmes/kingsmead-academy --fresh --apply --dry-run'))
def plan(
    path: ProgrammeArgument = Path("."),
    apply: ApplyOption = False,
    dry_run: DryRunOption = False,
    keep: Annotated[bool, typer.Option("--keep/--fresh", help="Keep coaches in their "
                                       "current hub where balance allows (default), or "
                                       "plan afresh.")] = True,
    cycle: Annotated[int | None, typer.Option("--cycle", metavar="N", help="The cycle the "
                                              "hubs are for (default: the next to open).")]
    = None,
    fmt: ReadFormats = OutputFormat.table,
    today_: TodayOption = None,
) -> None:
    """Assign every coach to an expert coach's hub, in balanced hubs.

    Sizes within one of each other, departments spread, an expert never in
    their own hub, and coaches kept in their current hub unless --fresh
    (docs/pairing.md). Each placement is explained. --apply writes the hubs to
    pairings.yaml (comments kept, refused if it would not validate); a re-run
    changes nothing.
    """
    from coachctl import hubs, pairing

    def propose(prog: Programme) -> hubs.HubPlan:
        n = cycle if cycle is not None else pairing.next_cycle(prog, today(today_))
        return hubs.plan(prog, n, fresh=not keep)

    propose_and_write(path, "hub plan", apply=apply, dry_run=dry_run, fmt=fmt,
                      propose=propose, tables=hubs.tables, change=hubs.apply)
