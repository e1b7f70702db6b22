"""pair suggest without all of scipy.optimize: the compiled assignment scipy ships is
loaded on its own (coachctl.pairing.lsap) and gives what scipy.optimize's import gives,
and a whole command then never imports scipy.optimize (about 0.45 s of CPU)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from coachctl.pairing import lsap
from tests.conftest import copy_example

COMPILED = lsap.compiled()
needs_compiled = pytest.mark.skipif(COMPILED is None,
                                    reason="this scipy keeps the module elsewhere")


@needs_compiled
@settings(max_examples=300, deadline=None)
@given(st.integers(1, 8), st.integers(0, 8), st.integers(1, 4), st.randoms())
def test_the_compiled_module_assigns_as_scipy_optimize_does(
        rows: int, more: int, spread: int, rnd: object) -> None:
    import random

    assert isinstance(rnd, random.Random)
    cost = np.array([[rnd.randint(-spread, spread) for _ in range(rows + more)]
                     for _ in range(rows)], dtype=np.int64)  # small range: many ties
    assert COMPILED is not None
    got, want = COMPILED(cost), linear_sum_assignment(cost)
    assert got[0].tolist() == want[0].tolist() and got[1].tolist() == want[1].tolist()


PROBE = """\
import sys
from coachctl.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("\\nIMPORTED", "scipy.optimize" in sys.modules, file=sys.stderr)
"""


@needs_compiled
def test_pair_suggest_imports_no_scipy_optimize(tmp_path: Path) -> None:
    root = tmp_path / "ashby-vale-school"
    copy_example("ashby-vale-school", root)
    res = subprocess.run([sys.executable, "-c", PROBE, "pair", "suggest", str(root), "--all",
                          "--cycle", "5", "--format", "json"],
                         capture_output=True, text=True, timeout=120)
    assert '"pair.suggest"' in res.stdout, res.stderr
    assert res.stderr.strip().splitlines()[-1] == "IMPORTED False"
