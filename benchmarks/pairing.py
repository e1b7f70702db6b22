"""Quick timing of `coachctl pair suggest --all` and `hub plan` on one generated school.

    python benchmarks/pairing.py              # 200 staff, every model
    python benchmarks/pairing.py --staff 400

Generates a school per pairing model into OUT/pairing-STAFF-MODEL/ (--out, by default
benchmarks/out, git-ignored; reused), then times, best of --repeat:

* solve: `coachctl.pairing.suggest(prog, 1, "all")` and `coachctl.hubs.plan(prog, 1)` in
  this process, on the programme as read, with scipy and networkx already imported (the
  target: under 1 s for 200 staff);
* command: `coachctl pair suggest --all --cycle 1 --format json` in a fresh process, with
  a warm cache: start-up, imports, reading the programme, solving and printing.

    python benchmarks/pairing.py --trust DIR  # a generated trust (`coachctl generate trust`)

runs `coachctl pair suggest --all` (the next cycle from --today) on the latest year of
every school in DIR, one process after another as a lead coach would, and prints the CPU
time (user + system) of all of them: the first pass reads each programme cold (and fills
its cache), the next passes warm. DIR is written to (the cache): use a copy.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def best(repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out",
                        help="where the generated schools go (default benchmarks/out)")
    parser.add_argument("--trust", type=Path, help="time every school of this trust")
    parser.add_argument("--today", default="2026-11-23", help="with --trust (bench.py's day)")
    args = parser.parse_args()
    if args.trust:
        trust(args.trust, args.repeat, args.today)
        return

    import networkx  # noqa: F401
    import scipy.optimize  # noqa: F401

    from coachctl import hubs, pairing
    from coachctl.validation import check_programme

    exe = [sys.executable, "-m", "coachctl"]
    print(f"{'model':<12} {'coachees':>8} {'solve s':>8} {'hubs s':>8} {'command s':>10}")
    for model in ("leader-led", "reciprocal", "hubs"):
        root = args.out / f"pairing-{args.staff}-{model}"
        if not root.exists():
            subprocess.run([*exe, "generate", "programme", str(root), "--staff",
                            str(args.staff), "--model", model, "--seed", "7"],
                           check=True, capture_output=True)
        prog = check_programme(root, str(root)).programme
        proposal = pairing.suggest(prog, 1, "all")
        assert pairing.hard_violations(prog, proposal) == []
        solve = best(args.repeat, lambda prog=prog: pairing.suggest(prog, 1, "all"))
        experts = any(p.expert_coach for p in prog.staff.values())
        hub = (best(args.repeat, lambda prog=prog: hubs.plan(prog, 1)) if experts
               else float("nan"))
        command = best(args.repeat, lambda root=root: subprocess.run(
            [*exe, "pair", "suggest", str(root), "--all", "--cycle", "1", "--format", "json"],
            capture_output=True))
        print(f"{model:<12} {len(proposal.suggestions):>8} {solve:>8.3f} {hub:>8.3f} "
              f"{command:>10.3f}")


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def trust(root: Path, repeat: int, today: str) -> None:
    """`pair suggest --all` on the latest year of every school: wall and CPU seconds per pass."""
    latest = [max(p for p in school.iterdir() if p.is_dir() and not p.name.startswith("."))
              for school in sorted(root.iterdir()) if school.is_dir()]
    exe = [sys.executable, "-m", "coachctl", "pair", "suggest"]
    for n in range(repeat + 1):
        before, began, worst = children_cpu(), time.perf_counter(), (0.0, "")
        for prog in latest:
            start = children_cpu()
            subprocess.run([*exe, str(prog), "--all", "--today", today, "--format", "json"],
                           capture_output=True, check=False)
            worst = max(worst, (children_cpu() - start, prog.parent.name))
        print(f"{'cold' if n == 0 else 'warm'}: {len(latest)} schools, "
              f"{time.perf_counter() - began:.1f} s wall, {children_cpu() - before:.1f} s CPU "
              f"(slowest {worst[1]}: {worst[0]:.2f} s)",
              flush=True)


if __name__ == "__main__":
    main()
