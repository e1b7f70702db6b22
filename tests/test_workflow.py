"""docs/github-actions.yml works as written: its steps run, in order, as GitHub's runner runs
them (``bash -e -o pipefail``, the workflow's ``env``, ``$GITHUB_OUTPUT`` and
``$GITHUB_STEP_SUMMARY`` files), in a repository holding a copy of an example programme.
The install step is replaced by this environment's coachctl (it is on the PATH); the
``uses:`` steps are checked for what they are given."""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

import coachctl
from tests.conftest import REPO, copy_example

WORKFLOW = REPO / "docs/github-actions.yml"
BIN = Path(sys.executable).parent


def steps() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(doc[True]) == {"push", "pull_request"}  # PyYAML reads the key `on` as true
    (job,) = doc["jobs"].values()
    return doc["env"], job["steps"]


def test_the_workflow_uses_the_actions_it_needs() -> None:
    env, found = steps()
    uses = [s["uses"].split("@")[0] for s in found if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/cache"]
    assert env["COACHCTL_TAG"].startswith("v")
    install = next(s["run"] for s in found if "pip install" in s.get("run", ""))
    assert "git+${COACHCTL_REPO}@${COACHCTL_TAG}" in install
    cache = next(s["with"] for s in found if s.get("uses", "").startswith("actions/cache"))
    assert "steps.coachctl.outputs.version" in cache["key"] and "hashFiles(" in cache["key"]


def test_every_run_step_works_as_written(tmp_path: Path) -> None:
    env, found = steps()
    repo = tmp_path / "repo"
    copy_example("kingsmead-academy", repo / "kingsmead-academy")
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    output.touch()
    summary.touch()
    run_env = {**os.environ, **env, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
               "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
               "CI": "true", "GITHUB_ACTIONS": "true"}
    ran = []
    for step in found:
        if "run" not in step or "pip install" in step["run"]:
            continue
        res = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c",
                              step["run"]], cwd=repo, env=run_env, capture_output=True,
                             text=True, timeout=600)
        assert res.returncode == 0, (step.get("name"), res.stdout, res.stderr)
        assert "Traceback" not in res.stderr
        ran.append(step.get("name"))
    assert ran == ["coachctl's version (for the cache key)", "Validate", "Summary"]
    assert output.read_text(encoding="utf-8") == f"version={coachctl.__version__}\n"
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# ") and "## Summary by code" in text and "| Q00" in text
    from tests.test_markdown_csv import assert_well_formed

    stats, qa = text.split("\n# coachctl qa\n")
    assert_well_formed(stats) and assert_well_formed("# coachctl qa\n" + qa)
    assert "completion" in stats
    cache = next(s["with"]["path"] for s in found if "actions/cache" in s.get("uses", ""))
    made = [p.relative_to(repo).as_posix() for p in repo.rglob(".coachctl-cache")]
    assert made and all(fnmatch.fnmatch(p, cache) for p in made)


def test_the_readme_shows_the_workflow_as_it_is() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"```yaml\n{WORKFLOW.read_text(encoding='utf-8')}```" in readme


def test_the_validate_step_fails_the_job_with_annotations(tmp_path: Path) -> None:
    _, found = steps()
    validate = next(s["run"] for s in found if s.get("name") == "Validate")
    repo = tmp_path / "repo"
    root = copy_example("ashby-vale-school", repo / "ashby-vale-school")
    note = sorted((root / "notes").rglob("*.yaml"))[0]
    note.write_text(note.read_text(encoding="utf-8") + "rehearse: true\n", encoding="utf-8")
    res = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c",
                          validate], cwd=repo, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"})
    rel = note.relative_to(repo).as_posix()
    assert res.returncode == 1 and f"::error file={rel},line=" in res.stdout, res.stdout
