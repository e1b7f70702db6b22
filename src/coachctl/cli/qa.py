"""``coachctl qa``: quality-assurance gaps as diagnostics, in validate's formats, for CI."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    emit_diagnostics,
    programme_roots,
    progress,
    today,
    warn_if_errors,
)
from coachctl.cli.options import (
    GapFormats,
    OutputFormat,
    ProgrammesArgument,
    TodayOption,
    examples,
)

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


class FailOn(StrEnum):
    warning = "warning"
    error = "error"


@app.command(epilog=examples(
    'coachctl qa programmes/kingsmead-academy',
    'coachctl qa programmes/ --format github            # in GitHub Actions',
    'coachctl qa programmes/ --format md >> "$GITHUB_STEP_SUMMARY"',
    'coachctl qa programmes/kingsmead-academy --format csv > gaps.csv',
    'coachctl qa programmes/kingsmead-academy --fail-on warning --today 2026-12-18',
    'coachctl explain Q003                              # what a gap means'))
def qa(
    paths: ProgrammesArgument = None,
    fmt: GapFormats = OutputFormat.text,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 on any gap of this severity or worse.")] = FailOn.error,
    today_: TodayOption = None,
) -> None:
    """Find quality-assurance gaps, as diagnostics CI can fail on.

    Coaches not observed this half term, new coaches who coached before
    shadowing, notes missing or still stubs after a cycle ended, notes without
    rehearsal or precise praise, steps outside the sequence (R008), stuck
    coachees, pairs broken by a leaver, coaches over their load, ECTs not with
    their mentor (R009), hubs without QA or without their expert's, write-ups
    never checked, new coaches shadowing new coaches, one observation mode
    only, QA focus outside the rolled-out curriculum; and the school's own
    programme.yaml `expectations` and completion target (X codes).

    Prints first a summary per code (how many, and which people, pairs or
    hubs), then each gap; --format md as a Markdown page for a CI job's
    summary, --format csv one row per gap (path, line, col, code, severity,
    subject, message). Thresholds and QA windows come from programme.yaml;
    "this half term" is the one that the --today date falls in. Messages name
    people, pairs, dates and step ids, never note text. Exit 0 when no gap
    reaches --fail-on, 1 when one does or when `validate` finds errors (the
    answer would be incomplete, and the last line says so), 2 on a usage or
    I/O error.
    """
    import dataclasses

    from coachctl.diagnostics import summarise
    from coachctl.reports.qa import qa_programme

    day = today(today_)
    found = []
    files = 0
    unreadable: list[str] = []
    terminal = fmt in (OutputFormat.text, OutputFormat.concise, OutputFormat.github)
    with progress("checking", enabled=terminal) as (advance, total):
        for root, display in programme_roots(paths or [Path(".")]):
            checked, gaps = qa_programme(root, display, day, progress=advance, on_total=total)
            if warn_if_errors(checked, display):
                n = len(checked.errors)
                unreadable.append(f"{display} ({n} error{'s' if n != 1 else ''})")
            found += gaps
            files += checked.programme.files
            del checked  # not held while the next programme loads (its notes, for the GC)
    summary = summarise(found, files)
    if unreadable:
        summary = dataclasses.replace(summary, incomplete=(
            f"validate finds errors in {', '.join(unreadable)}; run `coachctl validate`"))
    emit_diagnostics(found, summary, fmt, overview=True, heading="coachctl qa")
    failed = summary.failed(strict=fail_on is FailOn.warning)
    raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_OK)
