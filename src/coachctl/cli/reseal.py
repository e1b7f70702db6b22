"""``coachctl reseal``: re-encrypt sealed notes for the people who read them now."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import EXIT_OK, EXIT_PROBLEMS, locked, programme_to_write, today
from coachctl.cli.options import ProgrammeArgument, TodayOption, examples
from coachctl.cli.sealing import IdentityOption

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command(epilog=examples(
    "coachctl reseal programmes/kingsmead-academy --dry-run",
    note="With an identity kept elsewhere: --identity PATH (default: your coachctl identity "
         "from `coachctl key init`)."))
def reseal(
    path: ProgrammeArgument = Path("."),
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List what would change; write nothing.")] = False,
    identity: IdentityOption = None,
    today_: TodayOption = None,
) -> None:
    """Re-encrypt sealed notes and QA records for their current readers.

    After someone leaves, a QA reader changes, a pair changes or someone adds
    or replaces their key, each file whose readers differ from those it was
    sealed to is opened with your identity and sealed again to the current
    readers, one atomic replacement at a time (safe to interrupt, and to run
    again). Lists the files nobody who holds a current key can open, and those
    you cannot open: both are left untouched. Exit 1 if any file was left.
    """
    from coachctl import fsio, yamledit
    from coachctl.cli.sealing import identities
    from coachctl.seal import current_holders, plan_file, read_value
    from coachctl.validation import read_part

    day = today(today_)
    root, display = programme_to_write(path, "reseal")
    left: list[str] = []
    done = 0
    with contextlib.nullcontext() if dry_run else locked(root):
        if not dry_run:  # what an interrupted run left beside the notes
            for folder in (root / "qa", *root.glob("notes/*/")):
                fsio.clean_stray_temps(folder, recursive=False)
        prog = read_part(root, display, only=[])
        if prog.settings is None or prog.settings.sealing is None:
            typer.echo(f"{prog.path('programme.yaml')} has no sealing:; nothing to reseal")
            return
        ids = identities(identity)  # needed only where there is something to open
        rels = sorted(p.relative_to(root).as_posix()
                      for pattern in ("notes/*/*.yaml", "qa/*.yaml") for p in root.glob(pattern))
        for rel in rels:
            before = (root / rel).read_bytes()
            if b"sealed:" not in before:
                continue
            name = prog.path(rel)
            planned = plan_file(prog, rel, before, day, ids, reseal=True)
            if planned.status in ("sealed", "no-text"):
                continue
            if planned.edit is None:
                value = read_value(rel, before) or {}
                if not current_holders(prog, value, day):
                    left.append(f"no current key holder can open  {name}")
                elif planned.status == "cannot-open":
                    left.append(f"you cannot open  {name} (readers: "
                                + ", ".join(current_holders(prog, value, day)) + ")")
                else:
                    left.append(f"not resealed  {name}: {planned.why}")
                continue
            if dry_run:
                typer.echo(f"would reseal  {name}")
                done += 1
                continue
            try:
                yamledit.commit(root, [planned.edit])
            except yamledit.Refused as e:
                left.append(f"not resealed  {name}: {e}")
                continue
            typer.echo(f"resealed  {name}")
            done += 1
    for line in left:
        typer.echo(line, err=True)
    verb = "would be resealed" if dry_run else "resealed"
    typer.echo(f"{done} file(s) {verb}; {len(left)} left untouched"
               + ("; nothing written." if dry_run else "."))
    raise typer.Exit(EXIT_PROBLEMS if left else EXIT_OK)
