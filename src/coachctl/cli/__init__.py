"""The command line: a tiny dispatcher in front of one Typer app per command (group).

``coachctl --help`` is printed from the static table below without importing
typer, pydantic or PyYAML, so start-up stays fast; a command's module is
imported only when that command runs. Each module listed in :data:`COMMANDS`
exposes a Typer app named ``app``. A plain command line is run straight from
the command's function (:mod:`coachctl.cli.fast`), without building the Typer
command, which would import pydantic; anything else (``--help``, an error) goes
to typer.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from coachctl import installed_version

COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("coachctl.cli.validate", "Check programme files: syntax, format, ids, dates."),
    "explain": ("coachctl.cli.explain", "Explain a diagnostic code, with an example."),
    "init": ("coachctl.cli.init", "Write a minimal programme that validates."),
    "cycle": ("coachctl.cli.cycle", "Open, follow and close coaching cycles."),
    "schedule": ("coachctl.cli.schedule", "Dates people need: windows, meetings, Teach Meets."),
    "note": ("coachctl.cli.note", "Start, check, seal, show and edit session notes."),
    "key": ("coachctl.cli.key", "Your key for sealed notes (key init)."),
    "reseal": ("coachctl.cli.reseal", "Re-encrypt sealed notes for their current readers."),
    "stats": ("coachctl.cli.stats", "Completion and quality by cycle, school, department ..."),
    "report": ("coachctl.cli.report", "One offline HTML page of charts for leaders and governors."),
    "qa": ("coachctl.cli.qa", "Quality-assurance gaps, as diagnostics CI can fail on."),
    "staff": ("coachctl.cli.staff", "One person's coaching journey (counts, never note text); "
              "someone joining (add, import) or leaving."),
    "year": ("coachctl.cli.year", "Start next academic year's programme from this one."),
    "pair": ("coachctl.cli.pair", "Add or end a pair; suggest coaches from needs and strengths."),
    "hub": ("coachctl.cli.hub", "Plan balanced expert-coach hubs."),
    "training": ("coachctl.cli.training", "Coach training: the next Teach Meet and CPL's "
                 "plan, from QA and notes."),
    "bulletin": ("coachctl.cli.bulletin", "A cycle's coaching bulletin (counts and step names), "
                 "Markdown or HTML."),
    "schema": ("coachctl.cli.schema", "JSON Schemas of the file format, for editors."),
    "generate": ("coachctl.cli.generate", "Write a synthetic programme or trust for testing."),
    "completion": ("coachctl.cli.completion", "The shell completion script: bash, zsh, fish."),
}

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


def available() -> dict[str, str]:
    """Commands whose module is installed, with their one-line help."""
    from importlib.util import find_spec

    return {name: text for name, (module, text) in COMMANDS.items() if find_spec(module)}


def load_app(name: str) -> Any:
    return importlib.import_module(COMMANDS[name][0]).app


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
    name = args[0]
    if name not in available():
        import difflib

        close = difflib.get_close_matches(name, list(available()), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        sys.stderr.write(f"coachctl: error: no command '{name}'{hint}; see `coachctl --help`\n")
        sys.exit(2)
    try:
        app = load_app(name)
        from coachctl.cli.fast import run

        code = run(app, args[1:])
        if code is not None:
            sys.exit(code)
        app(args=args[1:], prog_name=f"coachctl {name}")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
