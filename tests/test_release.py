"""Releases: ``--version`` from the package metadata, and the pre-commit hooks as a programme
repository pins them (``rev: vX.Y.Z``) run as pre-commit would run them.

``pre-commit try-repo`` would build the hooks' environment with pip from the network, so the
hooks are run here the way pre-commit runs an installed hook: the ``entry`` split into words,
then the ``args``, then the staged files that match ``files`` (none if ``pass_filenames`` is
false), with the repository as the working folder.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

import coachctl
from coachctl.cli import COMMANDS
from tests.conftest import REPO, copy_example

COACHCTL = Path(sys.executable).parent / "coachctl"
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(COACHCTL), *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_version_comes_from_the_package_metadata() -> None:
    for flag in ("--version", "-V"):
        res = run(flag)
        assert res.returncode == 0
        assert res.stdout == f"coachctl {version('coachctl')}\n"
    assert version("coachctl") == coachctl.__version__


def test_pyproject_reads_the_version_from_the_package() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["dynamic"] == ["version"]
    assert "version" not in project["project"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "coachctl.__version__"
    assert re.fullmatch(r"\d+\.\d+\.\d+", coachctl.__version__)


def test_readme_pins_hooks_and_installs_by_tag() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "rev: v" in readme and "@v" in readme
    ids = re.findall(r"- id: (coachctl-[a-z-]+)", readme)
    assert ids and set(ids) <= {h["id"] for h in HOOKS}


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_hook_entry_names_a_real_command_and_runs(hook: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    words = shlex.split(hook["entry"]) + list(hook.get("args", []))
    assert words[0] == "coachctl" and words[1] in COMMANDS
    assert hook["language"] == "python"   # pre-commit installs this repository with pip
    assert run(*words[1:], "--help").returncode == 0
    root = copy_example("kingsmead-academy", tmp_path / "repo")
    pattern = re.compile(hook["files"])
    staged = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    staged = [p for p in staged if pattern.search(p)][:40]
    assert staged or not hook.get("pass_filenames", True)
    files = staged if hook.get("pass_filenames", True) else []
    res = run(*words[1:], *files, cwd=root)
    assert res.returncode == 0, res.stdout + res.stderr
