"""The README's memory promise, at the size of one school: every reading command stays far
under 150 MB (resident set of the command's process and its workers, measured by the OS).

The full trust (368,000 files) is measured by benchmarks/bench.py (docs/benchmarks.md);
this keeps the suite honest about the same bound on the example programme.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROGRAMMES

LIMIT_MB = 150
TODAY = "2026-12-01"
MEASURE = """\
import resource, subprocess, sys
code = subprocess.run([sys.executable, "-m", "coachctl", *sys.argv[1:]],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("memory") / "school"
    shutil.copytree(PROGRAMMES / "kingsmead-academy", root)
    return root


@pytest.mark.parametrize("args", [
    ["validate", "{root}"], ["stats", "{root}", "--by", "department", "--today", TODAY],
    ["qa", "{root}", "--today", TODAY], ["schedule", "{root}", "--format", "ics"],
    ["cycle", "status", "{root}", "--today", TODAY],
    ["staff", "show", "aosei", "{root}", "--today", TODAY]], ids=lambda a: a[0])
def test_commands_stay_under_the_memory_bound(school: Path, args: list[str]) -> None:
    out = subprocess.run([sys.executable, "-c", MEASURE,
                          *(a.format(root=school) for a in args)],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    code, peak_mb = map(int, out.split())
    assert code in (0, 1)
    assert peak_mb < LIMIT_MB, f"{args[0]} peaked at {peak_mb} MB"
