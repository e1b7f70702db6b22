"""What every command shares: options, colour, progress, exit codes, diagnostic output."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, ParamSpec, TypeVar

import typer

from coachctl.diagnostics import Diagnostic, Summary

if TYPE_CHECKING:
    from coachctl.render.tabular import Table
    from coachctl.validation import Checked

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class DiagnosticFormat(StrEnum):
    text = "text"
    concise = "concise"
    json = "json"
    github = "github"


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


ProgrammeArgument = Annotated[Path, typer.Argument(
    help="The programme folder (one holding programme.yaml).")]
FormatOption = Annotated[DiagnosticFormat, typer.Option(
    "--format", "-f", help="text (with source excerpts), concise (one line each), "
    "json (versioned document) or github (Actions annotations).")]
TodayOption = Annotated[str | None, typer.Option(
    "--today", metavar="YYYY-MM-DD", help="Answer as if today were this date (default: today).")]


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    typer.echo(f"coachctl: error: {message}", err=True)
    raise typer.Exit(code)


P = ParamSpec("P")
R = TypeVar("R")
LISTED = 20
"""How many written / not-written files a write error names before counting the rest."""


def writes(command: Callable[P, R]) -> Callable[P, R]:
    """For every command that writes files: an I/O error becomes a clear message and exit 2.

    A :class:`coachctl.fsio.WriteError` (read-only file system, disk full, a
    file where a folder should be) is reported with the files written before
    it and those not written; any other ``OSError`` with the file it names.
    Never a traceback. Put it under ``@app.command``.
    """
    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from coachctl.fsio import WriteError

        try:
            return command(*args, **kwargs)
        except WriteError as e:
            typer.echo(f"coachctl: error: cannot write {_shown(e.path)}: {e.reason}", err=True)
            if e.note:
                typer.echo(e.note, err=True)
            else:
                for label, paths in (("written", e.written), ("not written", e.not_written)):
                    typer.echo(f"{label}: {len(paths)} file(s)" + (":" if paths else ""),
                               err=True)
                    for p in paths[:LISTED]:
                        typer.echo(f"  {_shown(p)}", err=True)
                    if len(paths) > LISTED:
                        typer.echo(f"  ... and {len(paths) - LISTED} more", err=True)
            raise typer.Exit(EXIT_USAGE) from None
        except OSError as e:
            import errno

            where = f"{_shown(Path(os.fsdecode(e.filename)))}: " if e.filename else ""
            verb = "cannot write " if e.errno in (errno.EROFS, errno.ENOSPC, errno.EDQUOT,
                                                  errno.EFBIG) else ""
            fail(f"{verb}{where}{e.strerror or e}")
    return run


def _shown(path: Path) -> str:
    """A path as short as it is clear: relative to the working folder when inside it."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def date_option(value: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option's value; exit 2 naming the option when it is not a date."""
    if value is None:
        return None
    from coachctl.calendar import EARLIEST, LATEST

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date (YYYY-MM-DD)")
    if not EARLIEST <= day <= LATEST:
        fail(f"{option} {value} is out of range ({EARLIEST} to {LATEST})")
    return day


ID = r"[a-z0-9][a-z0-9._-]*"
"""What a staff id looks like (as staff.yaml requires): safe in a path, a glob, a URL."""


def id_option(value: str, option: str) -> str:
    """An id given on the command line; exit 2 naming the option when it cannot be one."""
    import re

    if not re.fullmatch(ID, value) or len(value) > 64:
        fail(f"{option} {value!r} is not a staff id (lower-case letters, digits, '.', '_', "
             "'-')")
    return value


def today(value: str | None) -> dt.date:
    return date_option(value, "--today") or dt.date.today()


def color_enabled(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    s = stream or sys.stdout
    return bool(getattr(s, "isatty", lambda: False)())


def display_path(path: Path) -> str:
    """How to name a path in output: as the user typed it, in posix form."""
    return path.as_posix()


def programme_of_file(path: Path) -> tuple[Path, str, str]:
    """The programme a file belongs to: (root, display, the file's programme-relative path).

    The programme is named as the user typed the file (``progs/a/notes/x.yaml``
    names ``progs/a``), so diagnostics point back at the path they gave.
    """
    from coachctl.loader import find_programmes

    if not path.is_file():
        fail(f"{path}: no such file")
    found = find_programmes(path)
    if not found:
        fail(f"{path} is not inside a programme (a folder holding programme.yaml)")
    rel = path.resolve().relative_to(found[0]).as_posix()
    typed = path.as_posix()
    display = (typed[: -len(rel)].rstrip("/") or "." if typed.endswith(rel)
               else os.path.relpath(found[0]))
    return found[0], display, rel


def programme_roots(paths: list[Path]) -> list[tuple[Path, str]]:
    """Resolve command-line paths to programme folders; exit 2 when one names none."""
    from coachctl.loader import find_programmes

    roots: list[tuple[Path, str]] = []
    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or folder")
        if path.is_file():
            root, display, _ = programme_of_file(path)
            found = [(root, display)]
        else:
            found = [(root, display_path(path / root.relative_to(path)))
                     for root in find_programmes(path)]
            if not found:
                fail(f"{path}: no programme here (a programme folder holds programme.yaml)")
        roots += [(root, display) for root, display in found if all(r != root for r, _ in roots)]
    return roots


def one_programme(path: Path) -> tuple[Path, str]:
    roots = programme_roots([path])
    if len(roots) > 1:
        fail(f"{path} holds {len(roots)} programmes; name one of them")
    return roots[0]


@contextmanager
def progress(label: str, *, enabled: bool = True) -> Iterator[tuple[Callable[[int], None],
                                                                     Callable[[int], None]]]:
    """A rich progress bar on stderr when a person is watching; silent otherwise.

    Shown only when both stdout and stderr are terminals: output piped to a file
    or another program, as in CI, gets no bar. Yields ``(advance, add_total)``
    callbacks for the library core; each programme adds its file count, so a run
    over a trust counts files across programmes.
    """
    if not (enabled and sys.stdout.isatty() and sys.stderr.isatty()):
        yield (lambda n: None), (lambda n: None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield ((lambda n: bar.advance(task, n)),
               (lambda n: bar.update(task, total=(bar.tasks[task].total or 0) + n)))


def emit_diagnostics(diagnostics: list[Diagnostic], summary: Summary,
                     fmt: DiagnosticFormat, *, private_excerpts: bool = False) -> None:
    """Print diagnostics in ``fmt``. Text shows each problem's source line, except lines
    of notes and QA records unless ``private_excerpts`` (a person checking their own)."""
    from coachctl.render import diagnostics as render

    if fmt is DiagnosticFormat.json:
        typer.echo(render.as_json(diagnostics, summary))
        return
    if fmt is DiagnosticFormat.github:
        lines = render.github(diagnostics, summary)
    elif fmt is DiagnosticFormat.concise:
        lines = [*map(render.concise, diagnostics), summary.text()]
    else:
        lines = render.text(diagnostics, summary, color=color_enabled(),
                            private_excerpts=private_excerpts)
    out = sys.stdout
    for line in lines:
        out.write(line + "\n")


def checked(root: Path, display: str, *, cache: bool = True, quiet: bool = False,
            show_progress: bool = True) -> Checked:
    """Check a programme as `validate` does, for a command that then reports on it.

    Warns on stderr (unless ``quiet``) when validate finds errors: the answer
    covers only what could be read. ``cache=False`` writes nothing, not even
    .coachctl-cache/ (for dry runs).
    """
    from coachctl.validation import check_programme

    with progress("reading", enabled=show_progress) as (advance, total):
        result = check_programme(root, display, cache=cache, progress=advance, on_total=total)
    refuse_far_dates([d for d in result.errors if d.code == "R020"], result.programme.files)
    if not quiet:
        warn_if_errors(result, display)
    return result


def refuse_far_dates(far: list[Diagnostic], files: int) -> None:
    """Exit 1, printing them (located), when dates lie far outside the academic year
    (R020): no command plans or reports across the years a typo put in a file."""
    if not far:
        return
    from coachctl.diagnostics import summarise

    emit_diagnostics(far, summarise(far, files), DiagnosticFormat.text)
    fail("dates far outside the academic year; fix them first (`coachctl explain R020`)",
         EXIT_PROBLEMS)


def warn_if_errors(result: Checked, display: str) -> bool:
    """Say on stderr that validate finds errors, so the answer is partial; True if so.
    Dates far outside the academic year (R020) are not partial: exit 1 listing them."""
    refuse_far_dates([d for d in result.errors if d.code == "R020"], result.programme.files)
    n = len(result.errors)
    if n:
        typer.echo(f"coachctl: warning: validate finds {n} error{'s' if n != 1 else ''} in "
                   f"{display}; this covers what could be read", err=True)
    return n > 0


def emit_tables(tables: list[Table], fmt: TableFormat,
                terminal: list[Table] | None = None) -> None:
    """Tables as JSON, CSV (one table only) or rich; ``terminal`` is a narrower rich layout."""
    from coachctl.render import tabular

    if fmt is TableFormat.json:
        typer.echo(tabular.to_json(tables))
    elif fmt is TableFormat.csv:
        if len(tables) != 1:
            fail("--format csv writes one table; use --format json")
        typer.echo(tabular.to_csv(tables[0]), nl=False)
    else:
        tabular.print_rich(terminal or tables, color=color_enabled())
