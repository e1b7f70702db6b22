"""Compare two builds of coachctl on the same trust, alternately: is a change neutral?

A refactor must leave speed alone; a speed change must show its gain. Measured
separately, two builds see different machine states and their seconds are not
comparable; this script runs the base build and this one **alternately** (A B A B,
bench.py's method) on two copies of one trust (each build keeps its own cache), and
prints for each command the median of the per-pair ratios (this build / base) with
their spread. Cold rows evict both copies from the page cache before every run.

    python -m venv /tmp/base/.venv && /tmp/base/.venv/bin/pip install -e /tmp/base
    .venv/bin/python benchmarks/compare.py --base /tmp/base/.venv/bin/coachctl \\
        --trust benchmarks/out/trust-10x3-seed1 --budget 15

A ratio of 1.00x means no change; under 1 this build is faster.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import TODAY, Bench, coachctl, markdown, run


def copy_of(trust: Path, out: Path, name: str) -> Path:
    """A copy of ``trust`` for one build (made once, then reused)."""
    target = out / f"compare-{trust.name}-{name}"
    if not target.exists():
        shutil.copytree(trust, target, ignore=shutil.ignore_patterns(".coachctl-cache"))
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, help="the base build's coachctl executable")
    ap.add_argument("--trust", type=Path, required=True, help="a trust bench.py generated")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    ap.add_argument("--budget", type=float, default=15.0)
    ap.add_argument("--min-pairs", type=int, default=3)
    ap.add_argument("--max-pairs", type=int, default=41)
    args = ap.parse_args()

    a, b = copy_of(args.trust, args.out, "base"), copy_of(args.trust, args.out, "this")
    both = args.out  # cold runs evict both copies (and anything else below --out)
    base, this = [args.base], coachctl()
    today = ["--today", TODAY]
    first = sorted(p.parent for p in a.glob("*/*/programme.yaml"))[0].relative_to(a)
    note = sorted((a / first / "notes").rglob("*.yaml"))[0].relative_to(a)
    bench = Bench(args.trust, args.budget, args.min_pairs, args.max_pairs)
    print(f"{args.trust.name}: base {args.base} vs {this[0]}; ratio = this / base")

    def pair(name: str, argv: list[str], *, cold: bool = False) -> None:
        """``argv`` with ``{root}`` standing for the copy each build reads."""
        def cmd(exe: list[str], root: Path) -> list[str]:
            return [*exe, *(arg.format(root=root) for arg in argv)]
        if not cold:  # fill each build's cache first
            run(cmd(base, a), sample=False)
            run(cmd(this, b), sample=False)
        bench.pair(name, "base", cmd(base, a), cmd(this, b), None,
                   cold=both if cold else None)

    pair("validate, cold", ["validate", "--format", "concise", "{root}"], cold=True)
    pair("validate, warm", ["validate", "--format", "concise", "{root}"])
    pair("qa, cold", ["qa", *today, "{root}"], cold=True)
    pair("qa, warm", ["qa", *today, "{root}"])
    pair("stats, warm", ["stats", *today, "{root}"])
    pair("report, warm", ["report", *today, "-o", "-", "{root}"])
    pair("note check FILE", ["note", "check", f"{{root}}/{note}"])
    pair("stats, warm, one programme", ["stats", *today, f"{{root}}/{first}"])
    pair("cycle status, warm, one programme", ["cycle", "status", *today, f"{{root}}/{first}"])
    pair("coachctl --help", ["--help"])
    print("\n" + markdown(bench.rows))


if __name__ == "__main__":
    main()
