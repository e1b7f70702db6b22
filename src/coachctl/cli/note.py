"""``coachctl note new|check``: start a session note; check notes before a commit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coachctl.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    DiagnosticFormat,
    FormatOption,
    TodayOption,
    emit_diagnostics,
    examples,
    fail,
    id_option,
    programme_of_file,
    programme_to_write,
    refuse_far_dates,
    today,
    writes,
)

MAX_DROP_INS = 999
"""Drop-in notes per pair and cycle: far more than any school holds, a bound on the search."""

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Start a session note, or check notes before a commit.")


@app.command(epilog=examples(
    'coachctl note new programmes/kingsmead-academy --coach aosei --coachee dclarke '
    '--cycle 4 --dry-run',
    'coachctl note new programmes/kingsmead-academy --coach aosei --coachee dclarke '
    '--today 2026-11-23',
    'coachctl note new programmes/kingsmead-academy --coach sward --coachee dclarke --drop-in'))
@writes
def new(
    coach: Annotated[str, typer.Option("--coach", help="The coach's staff id.")],
    coachee: Annotated[str, typer.Option("--coachee", help="The coachee's staff id.")],
    programme: Annotated[Path, typer.Argument(
        help="The programme folder (one holding programme.yaml).")] = Path("."),
    cycle: Annotated[int | None, typer.Option(
        "--cycle", "-c", min=1, max=99, help="Cycle number (default: the current cycle).")
    ] = None,
    drop_in: Annotated[bool, typer.Option(
        "--drop-in", help="A drop-in by any colleague: a new COACH--COACHEE-dropin-N.yaml, "
        "dated today.")] = False,
    unpaired: Annotated[bool, typer.Option(
        "--unpaired", help="Write it even though pairings.yaml does not pair them in "
        "that cycle.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say where; write nothing.")
                       ] = False,
    today_: TodayOption = None,
) -> None:
    """Start a session note from the template, where it belongs.

    Writes notes/cycle-NN/COACH--COACHEE.yaml, prefilled with the date of the
    cycle's feedback meetings and the coachee's current action step. An
    existing note is never touched: the command says where it is. With
    --drop-in, each run starts a further note for the pair (-dropin-1, -dropin-2,
    ...), dated today when today is in the cycle. Refuses (exit 2) a cycle that
    is closed, and a pair that pairings.yaml does not pair in the cycle unless
    --drop-in or --unpaired.
    """
    from coachctl import lifecycle
    from coachctl.checks.dates import far_dates
    from coachctl.checks.notes import note_path
    from coachctl.fsio import write_new
    from coachctl.loader import load, locate
    from coachctl.sessions import default_cycle, pairs_in

    coach, coachee = id_option(coach, "--coach"), id_option(coachee, "--coachee")
    root, display = programme_to_write(programme, "note new")
    notes = sorted({p.relative_to(root).as_posix()
                    for pattern in (f"*--{coachee}.yaml", f"*--{coachee}-*.yaml")
                    for p in root.glob(f"notes/cycle-*/{pattern}")})
    prog = load(root, display, only=notes)  # only what the note refers to: fast at any size
    if prog.settings is None:
        fail(f"{prog.path('programme.yaml')} could not be read; run `coachctl validate`",
             EXIT_PROBLEMS)
    for who, role in ((coach, "--coach"), (coachee, "--coachee")):
        if who not in prog.staff:
            fail(f"{role} '{who}' is not in {prog.path('staff.yaml')}")
    refuse_far_dates(locate(far_dates(prog), prog), prog.files)
    day_of_run = today(today_)
    number = cycle if cycle is not None else default_cycle(prog, day_of_run)
    if number is None or number not in prog.cycles:
        fail(f"cycle {number or 1} has no file in cycles/; open it with `coachctl cycle start`")
    dates = lifecycle.dates_of(prog, number)
    if dates.status == "closed":
        fail(f"cycle {number} is closed ({prog.path(prog.cycle_paths[number])}); "
             "notes are not started in a closed cycle (an existing one can still be "
             "filled in)")
    day = dates.feedback_day
    if drop_in:
        day = day_of_run if dates.start <= day_of_run <= dates.end else day
    elif (root / note_path(number, coach, coachee)).exists():
        typer.echo(f"exists       {prog.path(note_path(number, coach, coachee))} "
                   "(fill it in there)")
        return
    due = pairs_in(prog, number, day)
    if not (drop_in or unpaired) and all((p.coach, p.coachee) != (coach, coachee)
                                         for p in due.pairs):
        who = sorted({p.coach for p in (*due.pairs, *(p for p, _ in due.left_out))
                      if p.coachee == coachee})
        fail(f"{coach} does not coach {coachee} in cycle {number} (pairings.yaml); "
             + (f"{' and '.join(who)} does" if who else f"nobody coaches {coachee} then")
             + ". For a drop-in use --drop-in; to write it anyway, --unpaired")
    text = lifecycle.stub_text(dates, coach, coachee, day,
                               lifecycle.current_step(prog, coachee),
                               "drop-in" if drop_in else None)
    # A drop-in takes the first free number: write_new links the file into place only if
    # the name is free, so two runs at once each get their own note (never the other's).
    for k in range(1, MAX_DROP_INS + 1) if drop_in else (None,):
        rel = note_path(number, coach, coachee, f"dropin-{k}" if k else None)
        target = prog.path(rel)
        if drop_in and (root / rel).exists():
            continue  # taken (a quick look; the write below is what decides)
        if dry_run and not (root / rel).exists():
            typer.echo(f"would write  {target}")
            return
        if not dry_run and write_new(root / rel, text):
            typer.echo(f"wrote        {target}")
            return
        if not drop_in:
            typer.echo(f"exists       {target} (fill it in there)")
            return
    fail(f"{coach} and {coachee} already have {MAX_DROP_INS} drop-in notes in cycle {number}")


@app.command(epilog=examples(
    'coachctl note check programmes/kingsmead-academy/notes/cycle-04/aosei--dclarke.yaml',
    'coachctl note check --format concise programmes/kingsmead-academy/notes/cycle-04/*.yaml',
    note="Before a commit, name the notes you changed (`git diff --cached --name-only`); "
         "as a pre-commit hook: see .pre-commit-hooks.yaml (id coachctl-note-check). How "
         "to fill a note in, and what the messages mean: docs/for-staff.md."))
def check(
    files: Annotated[list[Path], typer.Argument(
        help="Note (or QA) files; they may belong to different programmes.")],
    fmt: FormatOption = DiagnosticFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
) -> None:
    """Check just these files and the ids they refer to (for pre-commit).

    The same diagnostics, formats and exit codes as `validate`, fast whatever
    the size of the repository: it reads the programme, staff, pairings, steps
    and cycle files, plus the files named.
    """
    from coachctl.diagnostics import Diagnostic, summarise
    from coachctl.validation import check_programme

    groups: dict[tuple[Path, str], list[str]] = {}
    for f in files:
        root, display, rel = programme_of_file(f)
        groups.setdefault((root, display), []).append(rel)
    found: list[Diagnostic] = []
    for (root, display), rels in groups.items():
        found += check_programme(root, display, only=rels).diagnostics
    found.sort(key=Diagnostic.sort_key)
    summary = summarise(found, len(files))
    emit_diagnostics(found, summary, fmt, private_excerpts=True)  # the files they named
    raise typer.Exit(EXIT_PROBLEMS if summary.failed(strict) else EXIT_OK)
