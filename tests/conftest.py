"""Shared fixtures: a minimal valid programme, and a way to run any command end to end."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coachctl.cli import load_app
from coachctl.scaffold import initial_files

REPO = Path(__file__).resolve().parent.parent
PROGRAMMES = REPO / "programmes"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> dict:  # type: ignore[type-arg]
        return json.loads(self.stdout)


def invoke(*args: str | Path) -> Result:
    """Run ``coachctl ARGS...`` through its Typer app, as the console script would."""
    argv = [str(a) for a in args]
    runner = CliRunner()
    res = runner.invoke(load_app(argv[0]), argv[1:], prog_name=f"coachctl {argv[0]}",
                        catch_exceptions=False)
    return Result(res.exit_code, res.stdout, res.stderr)


def write_programme(root: Path, start_year: int = 2026) -> Path:
    for rel, text in initial_files("Test School", start_year).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    """A fresh copy of the programme `coachctl init` writes: three staff, valid as it stands."""
    return write_programme(tmp_path / "prog")
