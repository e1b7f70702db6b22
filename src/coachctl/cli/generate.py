"""``coachctl generate``: synthetic programmes and trusts for demos, tests and benchmarks."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import fail, progress, today, writes
from coachctl.cli.options import TodayOption, examples

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Write a synthetic programme or trust (deterministic from --seed).")


class PairingModel(StrEnum):
    leader_led = "leader-led"
    reciprocal = "reciprocal"
    hubs = "hubs"


SeedOption = Annotated[int, typer.Option(help="Random seed: the same seed writes the same bytes.")]
ImperfectOption = Annotated[bool, typer.Option(
    "--imperfections/--no-imperfections",
    help="Plant the QA gaps `coachctl qa` should find (listed with --manifest) on a "
         "realistic background (sessions that do not happen, uneven coaching); "
         "--no-imperfections writes an ideal school.")]


def _summary(what: str, out: Path, files: int, notes: int) -> None:
    typer.echo(f"wrote {what} in {out.as_posix()}: {files:,} files, {notes:,} session notes")


@app.command(epilog=examples(
    "coachctl generate programme kingsmead --school 'Kingsmead Academy' --staff 80 "
    "--model hubs --seed 1 --today 2026-11-23",
    'coachctl generate programme demo --staff 40 --model leader-led --manifest',
    'coachctl generate programme typical --completion 0.45'))
@writes
def programme(
    out: Annotated[Path, typer.Argument(help="Folder to write (must not exist, or be empty).")],
    school: Annotated[str, typer.Option(help="The school's name.")] = "Synthetic School",
    staff: Annotated[int, typer.Option(help="How many staff.")] = 80,
    model: Annotated[PairingModel, typer.Option(help="Pairing model.")] = PairingModel.hubs,
    year: Annotated[int | None, typer.Option(
        help="First calendar year of the academic year (default: the one --today is in).")
    ] = None,
    seed: SeedOption = 1,
    imperfections: ImperfectOption = True,
    completion: Annotated[float | None, typer.Option(
        min=0.0, max=1.0,
        help="Share of due sessions in ended cycles that happen (default by pairing model: "
             "hubs 0.75, reciprocal 0.62, leader-led 0.48).")
    ] = None,
    manifest: Annotated[bool, typer.Option(
        "--manifest", help="List the planted QA gaps (kind, person, file).")] = False,
    today_: TodayOption = None,
) -> None:
    """Write one school's programme for a year: staff, pairings, cycles, notes and QA.

    Cycles that have started by --today are written (ended ones closed, the
    current one open with a mix of complete notes and stubs). As in real
    schools, not every session happens (missed, left a stub, or never written
    up) and coaches differ in rehearsal, modelling and precise praise. The
    result passes `coachctl validate --strict`.
    """
    from dataclasses import replace

    from coachctl.synth import GenerateError, generate_programme, profile

    realism = profile(model.value, imperfections)
    if completion is not None:
        realism = replace(realism, completion=completion)
    with progress("generating") as (advance, _total):
        try:
            result = generate_programme(out, school=school, start_year=year, staff=staff,
                                        model=model.value, today=today(today_), seed=seed,
                                        imperfections=imperfections, realism=realism,
                                        progress=advance)
        except GenerateError as e:
            fail(str(e))
    if manifest:
        for item in result.manifest:
            typer.echo(f"{item['kind']:<26} {item['person']:<14} {item['file']}")
    _summary("1 programme", out, result.files, result.notes)


@app.command(epilog=examples(
    'coachctl generate trust trust --schools 2 --years 2 --seed 1 --today 2026-11-23',
    'coachctl generate trust small-trust --schools 3 --years 1 --notes-per-year 200',
    note="The benchmark's full trust is --schools 50 --years 3 (docs/benchmarks.md)."))
@writes
def trust(
    out: Annotated[Path, typer.Argument(help="Folder to write (must not exist, or be empty).")],
    schools: Annotated[int, typer.Option(help="How many schools.")] = 50,
    years: Annotated[int, typer.Option(
        help="Academic years per school, ending with the current one.")] = 3,
    notes_per_year: Annotated[int | None, typer.Option(
        help="Session notes in a full school-year (drop-ins make up the number; "
             "default 2,450, which gives ~300,000 notes for 50 schools x 3 years).")] = None,
    seed: SeedOption = 1,
    imperfections: ImperfectOption = True,
    today_: TodayOption = None,
) -> None:
    """Write a multi-academy trust: OUT/<school>/<yyyy-yy>/ for each school and year.

    Past years are complete; the current year runs up to --today. Staff ids
    stay the same across a school's years; pairing models are mixed. Each
    school has its own completion, between 0.4 and 0.85 of due sessions.
    """
    from coachctl.synth import GenerateError, generate_trust

    with progress("generating") as (advance, total):
        try:
            result = generate_trust(out, schools=schools, years=years, seed=seed,
                                    today=today(today_), notes_per_year=notes_per_year,
                                    imperfections=imperfections, progress=advance,
                                    on_total=total)
        except GenerateError as e:
            fail(str(e))
    _summary(f"{result.programmes} programmes ({schools} schools x {years} years)", out,
             result.files, result.notes)
