"""``coachctl report``: one self-contained HTML page of charts for senior leaders and governors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import fail, programme_roots, progress, today, warn_if_errors
from coachctl.cli.options import ProgrammesArgument, TodayOption, examples, output_option

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

SNIFF = 4096
"""How much of an existing file is read to see whether it is a coachctl report."""


@app.command(epilog=examples(
    "coachctl report programmes/kingsmead-academy -o kingsmead.html",
    "coachctl report programmes/kingsmead-academy -o k.html --today 2026-11-23",
    "coachctl report programmes/ -o trust.html   # a trust: by school and year",
    "coachctl report programmes/ -o shared.html --anonymise",
    "coachctl report programmes/ashby-vale-school -o - > ashby.html"))
def report(
    paths: ProgrammesArgument = None,
    output: Annotated[str, output_option(
        "Required: the HTML file to write ('-' for standard output). A report written "
        "before is replaced; any other existing file is left alone (exit 2).")] = "",
    anonymise: Annotated[bool, typer.Option(
        "--anonymise", help="Name people, departments and steps by stable pseudonyms "
                            "('Coach 17', 'Department C', 'Step 12') for sharing beyond the "
                            "programme.")] = False,
    today_: TodayOption = None,
) -> None:
    """One HTML file of charts, each with its numbers in a table: completion by cycle and by
    department, coaching quality, QA this half term, steps, coach load; per school and per
    year for a trust.

    The file is self-contained: no network, no script, every style inlined, so
    it opens from an email attachment or a USB stick in any current browser and
    prints on A4. Counts and shares only: no word of a note or of QA feedback.
    Figures count ended cycles only; a cycle still running is shown apart. A
    programme that validate finds errors in is warned about and counted as far
    as it could be read, as `stats` does. Exit 0, or 2 on a usage or I/O error.
    """
    if not output:
        fail("name the HTML file to write with -o FILE (or -o - for standard output)")
    target = None if output == "-" else Path(output)
    if target is not None:
        _check_replaceable(target)

    from coachctl.render.html import render
    from coachctl.reports.overview import OverviewBuilder
    from coachctl.reports.overview import anonymise as pseudonymise
    from coachctl.reports.overview_cache import programme_contribution

    day = today(today_)
    builder = OverviewBuilder(day)
    with progress("reading") as (advance, total):
        for root, display in programme_roots(paths or [Path(".")]):
            result, found = programme_contribution(root, display, day, progress=advance,
                                                   on_total=total)
            warn_if_errors(result, display)
            builder.include(found)
    ov = builder.build()
    html = render(pseudonymise(ov) if anonymise else ov)
    if target is None:
        typer.echo(html, nl=False)
        return
    _write(target, html)
    typer.echo(f"wrote {target} ({len(html.encode()) // 1024} KB)", err=True)


def _is_report(head: bytes) -> bool:
    from coachctl.render.html import WRITTEN_BY_US

    return WRITTEN_BY_US.search(head) is not None


def _check_replaceable(target: Path) -> None:
    """Exit 2 before any work when ``target`` exists and is not a report coachctl wrote."""
    if target.is_dir():
        fail(f"{target} is a folder; name the HTML file to write")
    if target.exists():
        try:
            with target.open("rb") as f:
                head = f.read(SNIFF)
        except OSError as e:
            fail(f"cannot read {target}: {e.strerror}")
        if not _is_report(head):
            fail(f"{target} exists and is not a coachctl report; not overwriting it "
                 "(remove it, or choose another file)")


def _write(target: Path, html: str) -> None:
    """Write atomically: a new file, or replace the report that is there (and only that)."""
    from coachctl.fsio import WriteError, rewrite, write_new

    try:
        if target.exists():
            before = target.read_bytes()
            if not _is_report(before[:SNIFF]):
                fail(f"{target} is no longer a coachctl report; not overwriting it")
            done = rewrite(target, html, before)
        else:
            done = write_new(target, html)
    except WriteError as e:
        fail(f"cannot write {target}: {e.reason}")
    except OSError as e:
        fail(f"cannot write {target}: {e.strerror or e}")
    if not done:
        fail(f"{target} changed while the report was written; not overwriting it")
