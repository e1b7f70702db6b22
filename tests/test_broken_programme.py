"""Every command answers a programme whose shared files are broken without a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import PROGRAMMES, invoke

BROKEN = {"syntax": b"format: 1\nschool: [\n", "empty": b"", "wrong root": b"- 1\n"}
SHARED = ("programme.yaml", "staff.yaml", "pairings.yaml", "steps/sequence.yaml")


def commands(root: Path) -> list[tuple[str, ...]]:
    note = next((root / "notes" / "cycle-01").iterdir())
    return [
        ("validate", str(root)),
        ("cycle", "start", str(root), "--today", "2026-11-30", "--dry-run"),
        ("cycle", "status", str(root), "--today", "2026-11-30"),
        ("stats", str(root), "--today", "2026-11-30"),
        ("stats", str(root), "--today", "2026-11-30", "--format", "json"),
        ("qa", str(root), "--today", "2026-11-30"),
        ("staff", "show", "nwhitfield", str(root), "--today", "2026-11-30"),
        ("schedule", str(root)),
        ("note", "new", str(root), "--coach", "erees", "--coachee", "nwhitfield", "--dry-run"),
        ("note", "check", str(note)),
    ]


@pytest.mark.parametrize("shared", SHARED)
@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_commands_survive_a_broken_shared_file(tmp_path: Path, shared: str, kind: str) -> None:
    root = tmp_path / "school"
    shutil.copytree(PROGRAMMES / "ashby-vale-school", root)
    (root / shared).write_bytes(BROKEN[kind])
    before = sorted(p.relative_to(root) for p in root.rglob("*")
                    if ".coachctl-cache" not in p.parts)
    for argv in commands(root):
        res = invoke(*argv)  # raises (fails the test) on any uncaught exception
        assert res.exit_code in (0, 1, 2), argv
        if argv[0] in ("validate", "qa"):
            assert res.exit_code == 1, (argv, res.stdout)
    after = sorted(p.relative_to(root) for p in root.rglob("*")
                   if ".coachctl-cache" not in p.parts)
    assert before == after  # dry runs and reports wrote nothing
