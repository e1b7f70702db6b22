"""``coachctl qa-plan``: the half term's planned QA records, one stub each.

A command of its own rather than ``qa plan``: ``coachctl qa PATH...`` takes
programme folders as its arguments (``.`` by default), so a ``plan`` word after
``qa`` could be a folder of that name, and CI and pre-commit already run ``qa``
as written.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import (
    fail,
    locked,
    programme_to_write,
    refuse,
    today,
    writes,
)
from coachctl.cli.options import (
    OutputFormat,
    ProgrammeArgument,
    TableFormats,
    TodayOption,
    examples,
)

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command(epilog=examples(
    'coachctl qa-plan programmes/kingsmead-academy --today 2026-11-02 --dry-run',
    'coachctl qa-plan programmes/kingsmead-academy --today 2026-11-02',
    'coachctl qa-plan programmes/ashby-vale-school --half-term "Spring 1" --format json'))
@writes
def qa_plan(
    programme: ProgrammeArgument = Path("."),
    half_term: Annotated[str | None, typer.Option(
        "--half-term", metavar="NAME",
        help="Plan this half term (its name in programme.yaml) rather than today's.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List every record it would write; write nothing.")] = False,
    fmt: TableFormats = OutputFormat.table,
    today_: TodayOption = None,
) -> None:
    """Write the half term's planned QA records: who quality-assures whom, and when.

    One record per QA the rules ask for, with status: planned, under qa/: each
    coach coaching in the half term observed by their hub's expert (hubs in
    pairings.yaml), or else by a QA reader (sealing.qa_readers, default the
    lead coach); the mode a coach lacks where qa.observation_modes is both; a
    new coach who has not shadowed shadows an experienced coach first. Dates
    are teaching days from today to the half term's end, each observer's
    spread so nobody has two on a day where avoidable. A coach already
    observed or planned in the half term is left alone, existing files are
    never overwritten, and a second run writes nothing. No report counts a
    planned record until it says status: done. Exit 0; 1 (nothing written)
    on a programme with errors or a plan that would not validate; 2 on a
    usage or I/O error.
    """
    from coachctl import fsio, qaplan, yamledit
    from coachctl.cli.cycle import check
    from coachctl.cli.output import emit_tables
    from coachctl.reports.qa_plan import plan_table

    day = today(today_)
    root, display = programme_to_write(programme, "qa-plan")
    def say(text: str) -> None:  # the table's lines beside it; else stderr, apart from data
        typer.echo(text, err=fmt is not OutputFormat.table)

    with contextlib.nullcontext() if dry_run else locked(root):
        checked = check(root, display, quiet=True, cache=not dry_run)
        prog = checked.programme
        if checked.errors:
            refuse(checked.errors, prog, "fix these errors first (`coachctl validate` lists "
                   "them); nothing written")
        found = qaplan.plan(prog, day, half_term)
        if isinstance(found, str):
            fail(found)
        edits = [yamledit.Edit(p.rel, b"", p.text().encode()) for p in found.planned
                 if not (root / p.rel).exists()]
        if errors := yamledit.new_errors(prog, edits, only_new=False):
            refuse(errors, prog, "the planned records would not validate; nothing written",
                   OutputFormat.concise)
        emit_tables([plan_table(prog, found)], fmt)
        if found.nobody:
            say(f"Needs attention: nobody else can QA {', '.join(found.nobody)} "
                "(add a QA reader: programme.yaml sealing.qa_readers, or a hub).")
        if dry_run:
            for e in edits:
                say(f"would write  {prog.path(e.rel)}")
            say(f"Dry run: {len(edits)} file(s) would be written; nothing written.")
            return
        written = 0
        for path, wrote in fsio.write_all([(root / e.rel, (e.after or b"").decode())
                                           for e in edits]):
            say(f"{'wrote' if wrote else 'kept '}  {prog.path(path.relative_to(root).as_posix())}")
            written += wrote
        say(f"Wrote {written} file(s)." if written else "Nothing to write: the half term's "
            "QA is already planned.")
