"""The command line: a tiny dispatcher in front of one Typer app per command (group).

``coachctl --help`` is printed from the static table of commands
(:mod:`coachctl.cli.commands`) without importing typer, pydantic or PyYAML, so
start-up stays fast; a command's module is imported only when that command
runs, and exposes its app named ``app``, declared with :mod:`coachctl.cli.lite`
(typer's names, typer not imported). A plain command line is run straight from
the command's function (:mod:`coachctl.cli.fast`), without importing typer or
building the Typer command, which would import pydantic; anything else
(``--help``, an error) goes to the Typer app built from the same declarations
(:mod:`coachctl.cli.realtyper`).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

from coachctl import installed_version
from coachctl.cli.commands import COMMANDS, available, installed, load_app, load_declared

__all__ = ["COMMANDS", "HELP", "available", "installed", "load_app", "load_declared", "main"]

HELP = """\
Usage: coachctl [--version] COMMAND [ARGS]...

  Run a school's instructional-coaching programme from YAML files kept in git.
  Point a command at a programme folder (one holding programme.yaml) or at a
  folder of programmes. `coachctl COMMAND --help` says more about each.

Commands:
{commands}

Examples:
  coachctl validate programmes/kingsmead-academy
  coachctl validate --format github programmes/
  coachctl explain S001
  coachctl cycle start programmes/kingsmead-academy --dry-run --today 2026-11-30

Exit codes: 0 no problems, 1 problems found, 2 usage or I/O error.
"""


def collect_rarely() -> None:
    """Run the cycle collector rarely. Reading a programme makes millions of small objects
    that are never cycles, and at Python's default thresholds the collector walked the
    survivors again and again: on the 50-school trust a quarter of cold ``qa``'s CPU in
    the parent, a sixth of cold ``validate``'s (docs/benchmarks.md, "The cycle
    collector"). Young cycles are still collected; memory did not change. mypy sets its
    thresholds for the same reason. Forked reading workers inherit this."""
    gc.set_threshold(200_000, 30, 30)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if argv is None and "_COACHCTL_COMPLETE" in os.environ:  # the shell completion script
        from coachctl.cli.completion import main as complete

        complete()
    if not args or args[0] in ("-h", "--help", "help"):
        width = max(map(len, COMMANDS))
        rows = "\n".join(f"  {n:<{width}}  {t}" for n, t in available().items())
        sys.stdout.write(HELP.format(commands=rows))
        sys.exit(0 if args else 2)
    if args[0] in ("-V", "--version"):
        sys.stdout.write(f"coachctl {installed_version()}\n")
        sys.exit(0)
    collect_rarely()
    name = args[0]
    if not installed(name):
        import difflib

        close = difflib.get_close_matches(name, list(available()), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        sys.stderr.write(f"coachctl: error: no command '{name}'{hint}; see `coachctl --help`\n")
        sys.exit(2)
    try:
        app = load_declared(name)
        from coachctl.cli.fast import run

        code = run(app, args[1:])
        if code is not None:
            sys.exit(code)
        from coachctl.cli.realtyper import to_typer

        to_typer(app)(args=args[1:], prog_name=f"coachctl {name}")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
