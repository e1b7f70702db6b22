"""The static table of commands: each command's module and its one line of help.

Read by the dispatcher (:mod:`coachctl.cli`) for ``coachctl --help`` and by shell
completion (:mod:`coachctl.cli.completion`) without importing any command module.
"""

from __future__ import annotations

import importlib
from typing import Any

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
    "qa-plan": ("coachctl.cli.qa_plan", "Write the half term's planned QA records: who QAs "
                "whom, when."),
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

def available() -> dict[str, str]:
    """Commands whose module is installed, with their one-line help."""
    return {name: text for name, (_, text) in COMMANDS.items() if installed(name)}


def installed(name: str) -> bool:
    """Whether ``name`` is a command and its module is installed (one look-up, where
    :func:`available` looks up every command's)."""
    from importlib.util import find_spec

    return name in COMMANDS and find_spec(COMMANDS[name][0]) is not None


def load_declared(name: str) -> Any:
    """The command's app as its module declares it (:mod:`coachctl.cli.lite`): what the
    fast path runs, without importing typer."""
    return importlib.import_module(COMMANDS[name][0]).app


def load_app(name: str) -> Any:
    """The command's Typer app (typer imported): for help, errors, completion and tests."""
    from coachctl.cli.realtyper import to_typer

    return to_typer(load_declared(name))
