"""What issue 13's measures cost cold `stats` on a trust (its limit: 10%).

Measured from outside, with no switch in coachctl:

1. *The fields*: two copies of the trust, one as generated and one whose notes lack the
   lines only the measures read (`scripted:`, `step_chosen_by:`, `observed:`); cold
   `stats` (no cache, files evicted from the page cache) on each, alternately; the CPU
   time (user + system) of the command and its workers. The ratio is what reading those
   fields and computing the measures from them costs.
2. *The computing*: one cold `stats` in this process under cProfile: the time inside
   reports/measures.py (its functions' cumulative time where called from outside it)
   as a share of the command's time in this process (the workers' parsing is not seen
   here, and cProfile inflates code made of many small calls: an upper bound).

    python benchmarks/measures_cost.py --trust COPY_OF_TRUST --work /tmp/somewhere

--work receives the two copies (reused if there); nothing is written into --trust.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import TODAY, clear_caches, evict

FIELDS = re.compile(rb"^(scripted|step_chosen_by|observed):.*\n", re.M)


def copies(trust: Path, work: Path) -> tuple[Path, Path]:
    """The trust as generated, and without the measures' note fields (made once)."""
    full, bare = work / f"{trust.name}-full", work / f"{trust.name}-bare"
    for target in (full, bare):
        if not target.exists():
            shutil.copytree(trust, target, ignore=shutil.ignore_patterns(".coachctl-cache"))
    stripped = 0
    for dirpath, _, names in os.walk(bare):
        if f"{os.sep}notes" not in dirpath:
            continue
        for name in names:
            path = Path(dirpath, name)
            if name.endswith(".yaml"):
                text = path.read_bytes()
                new = FIELDS.sub(b"", text)
                if new != text:
                    path.write_bytes(new)
                    stripped += 1
    print(f"notes stripped of the fields this time: {stripped}", flush=True)
    return full, bare


def cpu_of(cmd: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fields(full: Path, bare: Path, rounds: int) -> None:
    exe = [sys.executable, "-m", "coachctl", "stats"]
    cpu: dict[Path, list[float]] = {full: [], bare: []}
    for n in range(rounds):
        for root in (bare, full) if n % 2 else (full, bare):
            clear_caches(root)
            evict(root)
            cpu[root].append(cpu_of([*exe, str(root), "--today", TODAY, "--format", "json"]))
    ratios = [a / b for a, b in zip(cpu[full], cpu[bare], strict=True)]
    print(f"cold stats CPU, median of {rounds}: with the fields "
          f"{statistics.median(cpu[full]):.2f} s, without {statistics.median(cpu[bare]):.2f} s;"
          f" ratio {statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})",
          flush=True)


def computing(full: Path) -> None:
    from coachctl.cli import main

    clear_caches(full)
    evict(full)
    profile = cProfile.Profile()
    start = time.process_time()
    profile.enable()
    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
        main(["stats", str(full), "--today", TODAY, "--format", "json"])
    profile.disable()
    total = time.process_time() - start
    here = os.path.join("reports", "measures.py")
    inside = 0.0  # the cumulative time of calls into measures.py from outside it
    for (file, _, _), (_, _, _, _, callers) in pstats.Stats(
            profile).stats.items():  # type: ignore[attr-defined]
        if file.endswith(here):
            inside += sum(ct for caller, (_, _, _, ct) in callers.items()
                          if not caller[0].endswith(here))
    print(f"in this process (profiled): {total:.2f} s CPU, reports/measures.py {inside:.3f} s "
          f"({inside / total:.1%})", file=sys.stderr, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trust", type=Path, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    full, bare = copies(args.trust, args.work)
    fields(full, bare, args.rounds)
    computing(full)


if __name__ == "__main__":
    main()
