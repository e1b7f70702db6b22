"""``coachctl pair add|end|suggest``: pairings.yaml without hand edits."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import coachctl.cli.lite as typer
from coachctl.cli.common import (
    EXIT_PROBLEMS,
    checked,
    fail,
    known_staff,
    locked,
    one_programme,
    programme_to_write,
    today,
    write_edits,
)
from coachctl.cli.options import (
    DryRunOption,
    OutputFormat,
    ProgrammeArgument,
    ReadFormats,
    TodayOption,
    examples,
)
from coachctl.cli.output import emit_tables

if TYPE_CHECKING:
    from coachctl.programme import Programme

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True)

CoachOption = Annotated[str, typer.Option("--coach", metavar="ID", help="The coach's staff id.")]
CoacheeOption = Annotated[str, typer.Option("--coachee", metavar="ID",
                                            help="The coachee's staff id.")]
ReasonOption = Annotated[str | None, typer.Option(
    "--reason", help="Why (written to pairings.yaml; not a place for notes about a person).")]


@app.callback()
def pair() -> None:
    """Pairs of coach and coachee: add one, end one, or have them suggested."""


def _edit_pairings(path: Path, command: str, dry_run: bool,
                   plan: Callable[[Programme], Callable[[dict[str, Any]], None]]) -> None:
    """Load the programme, let ``plan(prog)`` return pairings.yaml's change, write it."""
    from coachctl import fsio, yamledit

    root, display = programme_to_write(path, command)
    with contextlib.nullcontext() if dry_run else locked(root):
        if not dry_run:
            fsio.clean_stray_temps(root, recursive=False)
        prog = checked(root, display, cache=not dry_run, quiet=True).programme
        change = plan(prog)
        try:
            edit = yamledit.edit_file(root, "pairings.yaml", change)
        except yamledit.Refused as e:
            fail(str(e))
        write_edits(prog, [edit], dry_run=dry_run)


def _cycle(prog: Programme, given: int | None, today_: str | None, option: str) -> int:
    from coachctl import pairing

    if given is not None:
        if given < 1:
            fail(f"{option} must be 1 or more")
        return given
    return pairing.next_cycle(prog, today(today_))


@app.command(epilog=examples(
    'coachctl pair add programmes/kingsmead-academy --coach aosei --coachee dclarke --dry-run',
    'coachctl pair add programmes/kingsmead-academy --coach aosei --coachee dclarke '
    '--from-cycle 5 --reason "new coach after a leaver"'))
def add(path: ProgrammeArgument, coach: CoachOption, coachee: CoacheeOption,
        from_cycle: Annotated[int | None, typer.Option(
            "--from-cycle", metavar="N", help="First cycle of the pair (default: the next "
            "cycle to open after --today).")] = None,
        reason: ReasonOption = None, dry_run: DryRunOption = False,
        today_: TodayOption = None) -> None:
    """Add a pair to pairings.yaml (`groups`), from a cycle on.

    Refuses (exit 1, nothing written) when the programme would not validate
    afterwards, e.g. the coachee already has a coach in that cycle (end that
    pair first). Comments and layout are kept; running it again changes nothing.
    """
    from coachctl import pairing

    def plan(prog: Programme) -> Callable[[dict[str, Any]], None]:
        for who in (coach, coachee):
            known_staff(prog, who)
        n = _cycle(prog, from_cycle, today_, "--from-cycle")
        return lambda doc: pairing.add(doc, coach, coachee, n, reason)

    _edit_pairings(path, "pair add", dry_run, plan)


@app.command(epilog=examples(
    'coachctl pair end programmes/kingsmead-academy --coach cnowak --coachee mparry --dry-run',
    'coachctl pair end programmes/kingsmead-academy --coach cnowak --coachee mparry '
    '--until-cycle 4 --reason "mentor changed"'))
def end(path: ProgrammeArgument, coach: CoachOption, coachee: CoacheeOption,
        until_cycle: Annotated[int | None, typer.Option(
            "--until-cycle", metavar="N", help="Last cycle of the pair (default: the cycle "
            "before the next to open after --today).")] = None,
        reason: ReasonOption = None, dry_run: DryRunOption = False,
        today_: TodayOption = None) -> None:
    """End a pair after a cycle (`until_cycle`).

    A group with other coachees is split: they carry on with the coach. A
    reciprocal pair ends both ways. A pair that would begin after the cycle is
    removed. Exit 2 if the coach does not coach the coachee after that cycle
    and never did; running it again changes nothing.
    """
    from coachctl import pairing

    def plan(prog: Programme) -> Callable[[dict[str, Any]], None]:
        for who in (coach, coachee):
            known_staff(prog, who)
        n = (until_cycle if until_cycle is not None
             else _cycle(prog, None, today_, "--until-cycle") - 1)
        if n < 0:
            fail("--until-cycle must be 0 or more")
        if not any(p.coach == coach and p.coachee == coachee for p in prog.pairings.pairs()):
            fail(f"'{coach}' does not coach '{coachee}' in {prog.path('pairings.yaml')}")
        return lambda doc: pairing.end(doc, coach, coachee, n, reason)

    _edit_pairings(path, "pair end", dry_run, plan)


ApplyOption = Annotated[bool, typer.Option("--apply", help="Write it to pairings.yaml.")]


def propose_and_write(path: Path, command: str, *, apply: bool, dry_run: bool,
                      fmt: OutputFormat, propose: Callable[[Programme], Any],
                      tables: Callable[[Any], list[Any]],
                      change: Callable[[dict[str, Any], Any], None]) -> Any:
    """Read the programme, ``propose(prog)``, print ``tables(proposal)``, and with
    ``apply`` write ``change(doc, proposal)`` to pairings.yaml (a diff with ``dry_run``).

    ``propose`` raises :class:`coachctl.pairing.CannotSuggest` for exit 2."""
    from coachctl import pairing, yamledit

    if dry_run and not apply:
        fail("--dry-run goes with --apply (without --apply nothing is written anyway)")
    if apply and fmt is OutputFormat.json:
        fail("--format json is for reading a proposal; --apply prints what it writes")
    root, display = programme_to_write(path, command) if apply else one_programme(path)
    writing = apply and not dry_run
    with locked(root) if writing else contextlib.nullcontext():
        if writing:  # what an interrupted run left beside pairings.yaml
            from coachctl import fsio

            fsio.clean_stray_temps(root, recursive=False)
        prog = checked(root, display, cache=writing, quiet=apply,
                       show_progress=fmt is OutputFormat.table).programme
        try:
            proposal = propose(prog)
        except pairing.CannotSuggest as e:
            fail(str(e))
        emit_tables(tables(proposal), fmt)
        if apply:
            try:
                edit = yamledit.edit_file(root, "pairings.yaml",
                                          lambda doc: change(doc, proposal))
            except yamledit.Refused as e:
                fail(str(e))
            write_edits(prog, [edit], dry_run=dry_run)
    return proposal


@app.command(epilog=examples(
    'coachctl pair suggest programmes/kingsmead-academy --today 2026-11-30',
    'coachctl pair suggest programmes/kingsmead-academy --repair --cycle 5 --apply --dry-run',
    'coachctl pair suggest programmes/kingsmead-academy --all --cycle 1 --format json'))
def suggest(
    path: ProgrammeArgument,
    all_: Annotated[bool, typer.Option("--all", help="A fresh pairing of everyone (the "
                                       "start of a year): pairs in force end first.")] = False,
    repair: Annotated[bool, typer.Option("--repair", help="Only those whose coach has left; "
                                         "nobody else's pair is touched.")] = False,
    apply: ApplyOption = False,
    dry_run: DryRunOption = False,
    cycle: Annotated[int | None, typer.Option(
        "--cycle", metavar="N", help="The cycle the pairs begin in (default: the next to "
        "open after --today; with --repair, the first after a leaver's last cycle).")] = None,
    fmt: ReadFormats = OutputFormat.table,
    today_: TodayOption = None,
) -> None:
    """Suggest a coach for every coachee who needs one, from needs and strengths.

    An optimal assignment (docs/pairing.md): hard constraints are never broken
    (the programme's coaches, max_coachees_per_coach, never self, ECTs with
    their mentor, never their line manager, nobody leaving before the cycle);
    soft preferences and weights come from programme.yaml `pairing:`. Each
    suggestion explains itself and says which preferences it gave up. With
    --apply the pairs are written to pairings.yaml (refused, nothing written,
    if the programme would not validate). Exit 1 when someone is left without
    a coach, 0 otherwise.
    """
    from coachctl import pairing

    if all_ and repair:
        fail("--all and --repair ask for different things; give one")
    mode: pairing.Mode = "all" if all_ else "repair" if repair else "need"

    def propose(prog: Programme) -> pairing.Proposal:
        n = (pairing.repair_cycle(prog, today(today_)) if repair and cycle is None
             else _cycle(prog, cycle, today_, "--cycle"))
        return pairing.suggest(prog, n, mode)

    proposal = propose_and_write(path, "pair suggest", apply=apply, dry_run=dry_run, fmt=fmt,
                                 propose=propose, tables=pairing.tables, change=pairing.apply)
    if proposal.unplaced:
        raise typer.Exit(EXIT_PROBLEMS)
