"""``coachctl validate``: the check CI runs on every push."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import coachctl.cli.lite as typer
from coachctl.cli.common import EXIT_OK, EXIT_PROBLEMS, emit_diagnostics, programme_roots, progress
from coachctl.cli.options import OutputFormat, ValidateFormats, examples

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command(epilog=examples(
    'coachctl validate programmes/kingsmead-academy',
    'coachctl validate programmes/            # every programme below',
    'coachctl validate --format github .      # in GitHub Actions',
    'coachctl validate --format md programmes/ >> "$GITHUB_STEP_SUMMARY"   # the job summary',
    'coachctl validate --strict --format json programmes/ > report.json'))
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Programme folders, folders of programmes, or files inside a programme.")] = None,
    fmt: ValidateFormats = OutputFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Read every file, ignoring and not writing .coachctl-cache/.")] = False,
) -> None:
    """Check every file of one or more programmes and report every problem found.

    Reads each file safely (no tags, no duplicate keys, bounded aliases),
    checks it against the format, then checks ids, dates and pairings across
    files. --format md writes a Markdown page (location, code, severity and
    message of each problem, never a line of a file) for a CI job's summary.
    Exit 0 when clean, 1 when problems are found (warnings only with
    --strict), 2 on a usage or I/O error.
    """
    from coachctl.validation import check_programme, summary_of

    results = []
    with progress("validating", enabled=fmt is not OutputFormat.json) as (advance, total):
        for root, display in programme_roots(paths or [Path(".")]):
            results.append(check_programme(root, display, progress=advance, on_total=total,
                                           cache=not no_cache, data=False))
    diagnostics = [d for r in results for d in r.diagnostics
                   if not quiet or d.severity == "error"]
    summary = summary_of(results)
    emit_diagnostics(diagnostics, summary, fmt, heading="coachctl validate")
    raise typer.Exit(EXIT_PROBLEMS if summary.failed(strict) else EXIT_OK)
