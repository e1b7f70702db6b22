"""Shared fixtures: a minimal valid programme, and a way to run any command end to end."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from coachctl.cli import load_app
from coachctl.cli.fast import run as run_fast
from coachctl.scaffold import initial_files

REPO = Path(__file__).resolve().parent.parent
PROGRAMMES = REPO / "programmes"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.stdout)
        return data


def invoke(*args: str | Path) -> Result:
    """Run ``coachctl ARGS...`` as the console script would: straight from the command's
    function when the command line is plain (:mod:`coachctl.cli.fast`), else through typer."""
    argv = [str(a) for a in args]
    app = load_app(argv[0])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_fast(app, argv[1:])
    if code is not None:
        return Result(code, out.getvalue(), err.getvalue())
    assert not out.getvalue() and not err.getvalue(), "the fast path wrote, then gave up"
    return invoke_typer(*argv)


def invoke_typer(*args: str | Path) -> Result:
    """Run ``coachctl ARGS...`` through its Typer app, whatever the command line."""
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


def dump(data: Any) -> str:
    """YAML for test data, with ISO date strings written as dates (unquoted)."""
    def dates(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: dates(x) for k, x in v.items()}
        if isinstance(v, list):
            return [dates(x) for x in v]
        if isinstance(v, str) and len(v) == 10 and v[4] == v[7] == "-":
            return dt.date.fromisoformat(v)
        return v
    return yaml.safe_dump(dates(data), sort_keys=False)


def write_files(root: Path, files: dict[str, Any]) -> None:
    """Write each file: text or bytes as given, a dict dumped as YAML; ``None`` deletes it."""
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else dump(content),
                            encoding="utf-8")


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    """A fresh copy of the programme `coachctl init` writes: three staff, valid as it stands."""
    return write_programme(tmp_path / "prog")


def copy_example(name: str, dest: Path) -> Path:
    """A copy of the example programme ``name`` at ``dest``, without its cache."""
    shutil.copytree(PROGRAMMES / name, dest, ignore=shutil.ignore_patterns(".coachctl-cache"))
    return dest


def other_code(monkeypatch: pytest.MonkeyPatch, fingerprint: Any) -> None:
    """Run as a coachctl whose code differs: its sources look changed (so no remembered
    fingerprint applies) and ``fingerprint(code)`` is what this coachctl's would be."""
    from coachctl import cache, codeprint

    key, newest = codeprint.sources()
    monkeypatch.setattr(cache, "sources", lambda: (key + "-edited", newest))
    monkeypatch.setattr(cache, "fingerprint", fingerprint)
    monkeypatch.setattr(cache, "_KNOWN", {})
