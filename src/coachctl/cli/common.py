"""What every command shares at run time: exit codes, checking its arguments, colour,
progress, writing, diagnostic output (the options themselves: :mod:`coachctl.cli.options`)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, ParamSpec, TypeVar

import coachctl.cli.lite as typer
from coachctl.cli.options import OutputFormat
from coachctl.diagnostics import Diagnostic, Summary

if TYPE_CHECKING:
    from coachctl.fsio import WriteError
    from coachctl.programme import Programme
    from coachctl.validation import Checked
    from coachctl.yamledit import Edit

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    from coachctl.render.safe import printable

    typer.echo(f"coachctl: error: {printable(message)}", err=True)
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
        except (WriteError, OSError) as e:
            write_failed(e)
    return run


def write_failed(e: WriteError | OSError) -> NoReturn:
    """Report an I/O error of a writing command and exit 2: for a
    :class:`coachctl.fsio.WriteError`, the files written before it and those not written."""
    from coachctl.fsio import WriteError

    if isinstance(e, WriteError):
        typer.echo(f"coachctl: error: cannot write {_shown(e.path)}: {e.reason}", err=True)
        if e.note:
            typer.echo(e.note, err=True)
        else:
            for label, paths in (("written", e.written), ("not written", e.not_written)):
                typer.echo(f"{label}: {len(paths)} file(s)" + (":" if paths else ""), err=True)
                for p in paths[:LISTED]:
                    typer.echo(f"  {_shown(p)}", err=True)
                if len(paths) > LISTED:
                    typer.echo(f"  ... and {len(paths) - LISTED} more", err=True)
        raise typer.Exit(EXIT_USAGE)
    import errno

    where = f"{_shown(Path(os.fsdecode(e.filename)))}: " if e.filename else ""
    verb = "cannot write " if e.errno in (errno.EROFS, errno.ENOSPC, errno.EDQUOT,
                                          errno.EFBIG) else ""
    fail(f"{verb}{where}{e.strerror or e}")


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
    from coachctl.fieldtypes import EARLIEST, LATEST

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
    from coachctl.files import find_programmes

    if not path.is_file():
        fail(f"{path}: " + ("not a regular file (coachctl does not read a pipe, socket or "
                            "device)" if path.exists() and not path.is_dir() else "no such file"))
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
    from coachctl.files import find_programmes

    roots: list[tuple[Path, str]] = []
    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or folder")
        if path.is_file():
            root, display, _ = programme_of_file(path)
            found = [(root, display)]
        else:
            links: list[Path] = []
            found = [(root, display_path(path / root.relative_to(path)))
                     for root in find_programmes(path, links)]
            for link in links:
                typer.echo(f"coachctl: warning: {display_path(link)} is a symbolic link to a "
                           "programme; not followed (name the programme itself)", err=True)
            if not found:
                fail(f"{path}: no programme here (a programme folder holds programme.yaml)")
        roots += [(root, display) for root, display in found if all(r != root for r, _ in roots)]
    return roots


def programme_to_write(path: Path, command: str) -> tuple[Path, str]:
    """:func:`one_programme` for a command that writes: it must be named by its folder.

    A file inside a programme (``riverside/staff.yaml``) is refused (exit 2),
    naming the folder to use, rather than acted on as if the folder were meant.
    """
    if path.is_file():
        _, display, _ = programme_of_file(path)
        fail(f"{path} is a file; `coachctl {command}` takes the programme folder: "
             f"coachctl {command} {display}")
    if path.is_dir() and not (path / "programme.yaml").is_file():
        inside = next((p for p in path.resolve().parents if (p / "programme.yaml").is_file()),
                      None)
        if inside is not None:
            fail(f"{path} is a folder inside a programme; `coachctl {command}` takes the "
                 f"programme folder: coachctl {command} {os.path.relpath(inside)}")
    return one_programme(path)


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """The programme's write lock; a second concurrent run exits 2 with a clear message."""
    from coachctl.fsio import Locked, lock

    try:
        with lock(root):
            yield
    except Locked as e:
        fail(f"{e}; try again when it has finished")


def refuse(errors: list[Diagnostic], prog: Programme, why: str,
           fmt: OutputFormat = OutputFormat.text) -> NoReturn:
    """Print the errors as `validate` does, then exit 1."""
    from coachctl.diagnostics import summarise
    from coachctl.loader import locate

    located = locate(errors, prog)
    emit_diagnostics(located, summarise(located, prog.files), fmt)
    fail(why, EXIT_PROBLEMS)


def write_edits(prog: Programme, edits: list[Edit], *, dry_run: bool,
                clean_after: bool = False) -> int:
    """Write edits to a person's files (:mod:`coachctl.yamledit`); how many were made.

    Refuses (exit 1, nothing written) when the programme would have errors it does not
    have now (with ``clean_after``, any error at all). A dry run prints each change as a
    unified diff. Call under :func:`locked` unless ``dry_run``.
    """
    from coachctl import fsio, yamledit

    changed = [e for e in edits if e.changed]
    if not changed:
        typer.echo("Nothing to change: already done.")
        return 0
    if errors := yamledit.new_errors(prog, changed, only_new=not clean_after):
        refuse(errors, prog, "the programme would not validate after this change; "
               "nothing written", OutputFormat.concise)  # lines of files not yet written
    if dry_run:
        for e in changed:  # a deleted file is named, not shown: it may be a note
            if e.after is None:
                typer.echo(f"would delete  {prog.path(e.rel)}")
            else:
                typer.echo(e.diff(prog.path(e.rel)), nl=False)
        typer.echo(f"Dry run: {len(changed)} file(s) would change; nothing written.")
        return 0
    try:
        done = yamledit.commit(prog.root, changed)
    except yamledit.Refused as e:
        fail(str(e))
    except (fsio.WriteError, OSError) as e:  # read-only or full disk: what was written
        write_failed(e)
    for written in done:
        typer.echo(f"{'deleted' if written.after is None else 'updated'}  "
                   f"{prog.path(written.rel)}")
    return len(done)


def known_staff(prog: Programme, staff_id: str) -> None:
    """Exit 2 unless ``staff_id`` is in a readable staff.yaml (with a did-you-mean)."""
    import difflib

    if prog.staff_file is None:
        fail(f"{prog.path('staff.yaml')} could not be read; `coachctl validate` says why")
    if staff_id not in prog.staff:
        close = difflib.get_close_matches(staff_id, list(prog.staff), n=1)
        fail(f"no '{staff_id}' in {prog.path('staff.yaml')}"
             + (f" (did you mean '{close[0]}'?)" if close else ""))


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
                     fmt: OutputFormat, *, private_excerpts: bool = False,
                     overview: bool = False, heading: str = "coachctl") -> None:
    """Print diagnostics in ``fmt``. Text shows each problem's source line, except lines
    of notes and QA records unless ``private_excerpts`` (a person checking their own).
    ``overview``: first a summary per code (count and subjects; JSON's ``by_code``,
    Markdown's first table). ``heading``: the Markdown page's title."""
    from coachctl.render import diagnostics as render

    if fmt is OutputFormat.json:
        typer.echo(render.as_json(diagnostics, summary, by_codes=overview))
        return
    if fmt is OutputFormat.csv:  # one row per diagnostic, never a source line
        typer.echo(render.as_csv(diagnostics), nl=False)
        return
    if fmt is OutputFormat.md:  # a page for a CI job's summary, never a source line
        from dataclasses import astuple

        from coachctl.render import markdown

        codes = [astuple(c) for c in render.by_code(diagnostics)] if overview else []
        typer.echo(markdown.diagnostics(diagnostics, summary, heading, codes), nl=False)
        return
    lines: Iterable[str]
    if fmt is OutputFormat.github:
        lines = render.github(diagnostics, summary)
    elif fmt is OutputFormat.concise:
        lines = [*map(render.concise, diagnostics), summary.text()]
    else:
        lines = render.text(diagnostics, summary, color=color_enabled(),
                            private_excerpts=private_excerpts)
    out = sys.stdout
    for line in (*(render.overview(diagnostics) if overview else ()), *lines):
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

    emit_diagnostics(far, summarise(far, files), OutputFormat.text)
    fail("dates far outside the academic year; fix them first (`coachctl explain R020`)",
         EXIT_PROBLEMS)


def warn_if_errors(result: Checked, display: str) -> bool:
    """Say on stderr that validate finds errors, so the answer is partial; True if so.
    Dates far outside the academic year (R020) are not partial: exit 1 listing them."""
    refuse_far_dates([d for d in result.errors if d.code == "R020"], result.programme.files)
    n = len(result.errors)
    if n:
        from coachctl.render.safe import printable

        typer.echo(f"coachctl: warning: validate finds {n} error{'s' if n != 1 else ''} in "
                   f"{printable(display)}; this covers what could be read", err=True)
    return n > 0

