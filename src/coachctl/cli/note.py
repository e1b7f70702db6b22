"""``coachctl note new|check|seal|show|edit``: start a session note; check notes before a
commit; seal their free text, read and edit a sealed note (sealed notes: docs/privacy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    emit_diagnostics,
    fail,
    id_option,
    programme_of_file,
    programme_to_write,
    refuse_far_dates,
    today,
    writes,
)
from coachctl.cli.options import (
    DiagnosticFormats,
    OutputFormat,
    ProgrammeArgument,
    TodayOption,
    examples,
)
from coachctl.cli.sealing import IdentityOption

MAX_DROP_INS = 999
"""Drop-in notes per pair and cycle: far more than any school holds, a bound on the search."""

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Start a session note, check notes before a commit; seal, show and "
                  "edit sealed notes.")


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
    programme: ProgrammeArgument = Path("."),
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
    from coachctl.cycledates import dates_of
    from coachctl.fsio import write_new
    from coachctl.layout import note_path, notes_of_coachee
    from coachctl.loader import locate
    from coachctl.sessions import default_cycle, pairs_in
    from coachctl.validation import read_part

    coach, coachee = id_option(coach, "--coach"), id_option(coachee, "--coachee")
    root, display = programme_to_write(programme, "note new")
    notes = sorted({p.relative_to(root).as_posix()
                    for pattern in notes_of_coachee(coachee) for p in root.glob(pattern)})
    prog = read_part(root, display, only=notes)  # only what the note refers to: fast
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
    dates = dates_of(prog, number)
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
        coaches = sorted({p.coach for p in (*due.pairs, *(p for p, _ in due.left_out))
                          if p.coachee == coachee})
        fail(f"{coach} does not coach {coachee} in cycle {number} (pairings.yaml); "
             + (f"{' and '.join(coaches)} does" if coaches else f"nobody coaches {coachee} then")
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
    fmt: DiagnosticFormats = OutputFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
) -> None:
    """Check just these files and the ids they refer to (for pre-commit).

    The same diagnostics, formats and exit codes as `validate`, fast whatever
    the size of the repository: it reads the programme, staff, pairings, steps
    and cycle files, plus the files named.
    """
    from coachctl.cache import part_store
    from coachctl.diagnostics import Diagnostic, summarise

    groups: dict[tuple[Path, str], list[str]] = {}
    for f in files:
        root, display, rel = programme_of_file(f)
        groups.setdefault((root, display), []).append(rel)
    found: list[Diagnostic] = []
    for (root, display), rels in groups.items():
        # unchanged files (and those they refer to): the answer kept, without reading YAML
        # or building a record; else check them, against the rest kept from the last time
        store = part_store(root, display, rels)
        cached = store.result()
        if cached is None:
            from coachctl.validation import check_programme

            cached = check_programme(root, display, only=rels, store=store).diagnostics
        found += cached
    found.sort(key=Diagnostic.sort_key)
    summary = summarise(found, len(files))
    emit_diagnostics(found, summary, fmt, private_excerpts=True)  # the files they named
    raise typer.Exit(EXIT_PROBLEMS if summary.failed(strict) else EXIT_OK)


@app.command(epilog=examples(
    "coachctl note seal programmes/kingsmead-academy/notes/cycle-04/aosei--dclarke.yaml",
    note="Before a commit: coachctl note seal $(git diff --cached --name-only -- "
         "'*/notes/*' '*/qa/*'); as a pre-commit hook, see .pre-commit-hooks.yaml "
         "(id coachctl-note-seal)."))
def seal(
    files: Annotated[list[Path], typer.Argument(
        help="Note or QA files; they may belong to different programmes.")],
    identity: IdentityOption = None,
    today_: TodayOption = None,
) -> None:
    """Seal the free text of notes and QA records, before they are committed.

    In a programme whose programme.yaml has `sealing:`, encrypts the file's
    precise_praise, next_steps, notes, missed_reason or feedback into one age
    block (`sealed:`, at the end) for its readers: the coach, the coachee (for
    QA: the coach and who quality-assured them) and the QA readers. Each sealed
    field's lines become marker comments where it was, so every other line,
    comment and empty field stays where it was; each file is replaced atomically.
    A file with nothing in plain is left alone, so re-running changes nothing.
    Plain text added to a sealed note is merged into its block, which needs
    your identity. Files of a programme that does not seal are left alone.
    Exit 1 if a file could not be sealed (a reader without a key and
    `sealing.without_key: refuse`, a file that does not read): it is untouched.
    """
    from coachctl import fsio, yamledit
    from coachctl.cli.common import locked
    from coachctl.cli.sealing import identities
    from coachctl.seal import plan_file
    from coachctl.validation import read_part

    day = today(today_)
    ids = identities(identity, required=False)
    groups: dict[tuple[Path, str], list[str]] = {}
    for f in files:
        root, display, rel = programme_of_file(f)
        groups.setdefault((root, display), []).append(rel)
    failed = 0
    for (root, display), rels in groups.items():
        with locked(root):
            for folder in {(root / rel).parent for rel in rels}:
                fsio.clean_stray_temps(folder, recursive=False)
            prog = read_part(root, display, only=[])
            if prog.settings is None:
                fail(f"{prog.path('programme.yaml')} could not be read; run `coachctl validate`",
                     EXIT_PROBLEMS)
            for rel in rels:
                name = prog.path(rel)
                if prog.settings.sealing is None:
                    typer.echo(f"plain        {name} (programme.yaml has no sealing:)")
                    continue
                try:
                    before = (root / rel).read_bytes()
                except OSError as e:
                    fail(f"cannot read {name}: {e.strerror}")
                planned = plan_file(prog, rel, before, day, ids)
                if planned.edit is not None:
                    try:
                        yamledit.commit(root, [planned.edit])
                    except yamledit.Refused as e:
                        typer.echo(f"not sealed   {name}: {e}", err=True)
                        failed += 1
                        continue
                    typer.echo(f"sealed       {name}")
                elif planned.status in ("sealed", "no-text"):
                    typer.echo(f"{'unchanged':<12} {name} ("
                               + ("already sealed" if planned.status == "sealed"
                                  else "no free text") + ")")
                else:
                    typer.echo(f"not sealed   {name}: {planned.why}", err=True)
                    failed += 1
    raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _open(file: Path, identity: list[Path] | None) -> tuple[Path, str, bytes, bytes]:
    """A sealed file's path, relative path, bytes, and bytes with its text unsealed."""
    from coachctl.cli.sealing import cannot_open, identities
    from coachctl.seal import CannotOpen, open_file, plan_unseal, read_value

    root, _, rel = programme_of_file(file)
    try:
        before = file.read_bytes()
    except OSError as e:
        fail(f"cannot read {file}: {e.strerror}")
    value = read_value(rel, before)
    if value is None:
        fail(f"{file} does not read cleanly; `coachctl note check {file}` says why",
             EXIT_PROBLEMS)
    ids = identities(identity) if "sealed" in value else []
    try:
        fields = open_file(value, ids)
    except CannotOpen as e:
        cannot_open(file.as_posix(), str(e))
    return root, rel, before, plan_unseal(rel, before, value, fields).after or b""


@app.command(epilog=examples(
    "coachctl note show programmes/kingsmead-academy/notes/cycle-04/aosei--dclarke.yaml",
    note="With an identity kept elsewhere: --identity PATH (default: your coachctl "
         "identity from `coachctl key init`)."))
def show(
    file: Annotated[Path, typer.Argument(help="A sealed note or QA record.")],
    identity: IdentityOption = None,
) -> None:
    """Print a note with its sealed text opened, for one of its readers.

    Prints the file as it would be in plain; writes nothing. Exit 1 if your
    identity is not one of the note's readers (the note is untouched).
    """
    shown = _open(file, identity)[3]
    typer.echo(shown.decode("utf-8"), nl=False)


@app.command(epilog=examples(
    "coachctl note edit programmes/kingsmead-academy/notes/cycle-04/aosei--dclarke.yaml",
    note="The editor is $EDITOR (for example EDITOR=nano)."))
def edit(
    file: Annotated[Path, typer.Argument(help="A sealed note or QA record.")],
    identity: IdentityOption = None,
    today_: TodayOption = None,
) -> None:
    """Edit a sealed note: open it, run $EDITOR, seal it again.

    The opened note goes to a temporary file only you can read (mode 0600 in a
    private temporary folder), removed afterwards whatever happens. On saving,
    the note is sealed to its current readers and replaced atomically, unless
    someone changed it meanwhile. A note that no longer reads is not written
    (exit 1): the sealed note stays as it was.
    """
    import os
    import shlex
    import shutil
    import signal
    import subprocess
    import tempfile

    from coachctl import fsio
    from coachctl.cli.common import locked
    from coachctl.seal import plan_file, read_value
    from coachctl.validation import read_part

    root, rel, before, opened = _open(file, identity)
    editor = shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # so the temporary file is removed on `kill` too

    previous = signal.signal(signal.SIGTERM, stop)
    folder = tempfile.mkdtemp(prefix="coachctl-note-")  # mode 0700
    try:
        tmp = Path(folder) / Path(rel).name
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(opened)
        try:
            status = subprocess.run([*editor, str(tmp)], check=False).returncode
        except OSError as e:
            fail(f"cannot run the editor {editor[0]!r}: {e.strerror}; set $EDITOR")
        if status != 0:
            fail(f"the editor exited with status {status}; the note is unchanged",
                 EXIT_PROBLEMS)
        edited = tmp.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)
    if edited == opened:
        typer.echo(f"unchanged    {file.as_posix()}")
        return
    if read_value(rel, edited) is None:
        fail(f"the edited note does not read as YAML; {file.as_posix()} is unchanged",
             EXIT_PROBLEMS)
    with locked(root):
        prog = read_part(root, only=[])
        planned = plan_file(prog, rel, edited, today(today_))
        if planned.status not in ("seal", "no-text"):
            fail(f"not sealed: {planned.why}; {file.as_posix()} is unchanged", EXIT_PROBLEMS)
        after = planned.edit.after if planned.edit is not None else edited
        if not fsio.rewrite(root / rel, after or b"", before):
            fail(f"{file.as_posix()} changed while you were editing it; nothing written")
    typer.echo(f"sealed       {file.as_posix()}")
