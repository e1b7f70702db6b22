"""What a coachctl command imports before it works: `python -X importtime`, summarised.

    python benchmarks/importtime.py -- stats programmes/kingsmead-academy --today 2026-12-01
    python benchmarks/importtime.py --runs 9 --top 12 -- note check path/to/note.yaml

Runs the command ``--runs`` times in fresh interpreters (after one run to fill its cache,
unless ``--cold``) and prints, per module, the smallest cumulative and self time seen
(the least disturbed by other work on the machine): the top-level imports by cumulative
time, the modules by self time, and how many modules were imported in all. Use
``--pythonpath`` to measure another checkout's ``src`` with the same interpreter.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict

LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def importtime(cmd: list[str], env: dict[str, str]) -> list[tuple[str, int, int, int]]:
    """(module, self us, cumulative us, depth) for one run of ``coachctl CMD``."""
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "coachctl", *cmd],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    return [(m[4], int(m[1]), int(m[2]), len(m[3]) // 2)
            for m in map(LINE.match, res.stderr.splitlines()) if m]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--cold", action="store_true", help="do not run the command once first")
    ap.add_argument("--pythonpath", default=None, help="put this first on PYTHONPATH")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = [a for a in args.command if a != "--"] if args.command[:1] == ["--"] else args.command
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached, not compiled
    if args.pythonpath:
        env["PYTHONPATH"] = args.pythonpath + os.pathsep + env.get("PYTHONPATH", "")
    if not args.cold:
        importtime(cmd, env)
    cumulative: dict[str, int] = defaultdict(lambda: 10**12)
    own: dict[str, int] = defaultdict(lambda: 10**12)
    depth: dict[str, int] = {}
    for _ in range(args.runs):
        for name, self_us, cum_us, d in importtime(cmd, env):
            cumulative[name] = min(cumulative[name], cum_us)
            own[name] = min(own[name], self_us)
            depth.setdefault(name, d)
    top = sorted((n for n in cumulative if depth[n] == 0), key=lambda n: -cumulative[n])
    total = sum(cumulative[n] for n in top)
    print(f"`coachctl {' '.join(cmd)}`: {len(cumulative)} modules, "
          f"{total / 1000:.1f} ms of imports (min of {args.runs} runs)")
    print("\ntop-level imports, by cumulative time:")
    for n in top[:args.top]:
        print(f"  {cumulative[n] / 1000:7.1f} ms  {n}")
    print("\nmodules by self time:")
    for n in sorted(own, key=lambda n: -own[n])[:args.top]:
        print(f"  {own[n] / 1000:7.1f} ms  {n}")
    heavy = [m for m in ("pydantic", "yaml", "typer", "typer._adapters", "rich.console")
             if m in cumulative]
    print(f"\nof pydantic, yaml, typer, typer._adapters and rich.console, it imports: "
          f"{', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
