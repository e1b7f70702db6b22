"""Time coachctl on a synthetic trust against the floors any tool reading the same files pays.

    python benchmarks/bench.py                         # 10 schools x 3 years, a few minutes
    python benchmarks/bench.py --schools 50 --years 3  # the full trust: ~380,000 files

The trust is generated once (`coachctl generate trust`, deterministic from --seed) into
benchmarks/out/ (git-ignored) and reused. Every command runs as a user would run it, in a
fresh process, on the same files. Two floors are measured in the same run:

* parse floor: one process reading every YAML file and parsing it with PyYAML's C loader;
* stat floor: one process walking the tree and stat-ing every file.

Prints a table (seconds, ratio to the relevant floor, target) and writes JSON next to the
trust. Peak memory is the largest resident set of any one process of a command (the
command or one of its workers) and, sampled, the proportional set size of its whole
process tree.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-23"
CACHE_DIR = ".coachctl-cache"


def coachctl() -> list[str]:
    exe = Path(sys.executable).with_name("coachctl")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "coachctl"]


# --- floors (run in a child process: `bench.py --floor parse|stat DIR`) --------------------

def yaml_files(root: str, stat: bool) -> list[str]:
    out: list[str] = []

    def walk(folder: str) -> None:
        with os.scandir(folder) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith("."):
                        walk(entry.path)
                elif entry.name.endswith((".yaml", ".yml")):
                    if stat:
                        entry.stat()
                    out.append(entry.path)

    walk(root)
    return out


def floor(kind: str, root: str) -> None:
    if kind == "stat":
        print(len(yaml_files(root, stat=True)))
        return
    import yaml

    n = 0
    for path in yaml_files(root, stat=False):
        with open(path, "rb") as f:
            data = f.read()
        with contextlib.suppress(yaml.YAMLError, ValueError):  # planted imperfections
            yaml.load(data, Loader=yaml.CSafeLoader)
        n += 1
    print(n)


# --- running a command and measuring it ----------------------------------------------------

@dataclass
class Run:
    seconds: float
    exit_code: int
    max_rss_mb: float
    """Largest resident set of any one process (the command or a worker)."""
    tree_pss_mb: float
    """Peak proportional set size of the command's whole process tree, sampled."""
    stdout_tail: str = ""


def _tree_pss_kb(pid: int) -> int:
    """Sum of Pss over ``pid`` and its descendants (Linux; 0 elsewhere)."""
    try:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        total, todo = 0, [pid]
        while todo:
            p = todo.pop()
            todo.extend(children.get(p, []))
            try:
                with open(f"/proc/{p}/smaps_rollup") as f:
                    for line in f:
                        if line.startswith("Pss:"):
                            total += int(line.split()[1])
                            break
            except OSError:
                continue
        return total
    except OSError:
        return 0


def run(cmd: list[str], sample: bool = True) -> Run:
    """Run ``cmd`` (output discarded but its last line kept), timing it and its memory."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = [0]
    done = threading.Event()

    def sampler() -> None:
        while not done.wait(0.25):
            peak[0] = max(peak[0], _tree_pss_kb(proc.pid))

    thread = threading.Thread(target=sampler, daemon=True)
    if sample:
        thread.start()
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this command's own rusage, workers included
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    if sample:
        thread.join()
    lines = out.decode(errors="replace").strip().splitlines()
    return Run(seconds, proc.returncode, usage.ru_maxrss / 1024, peak[0] / 1024,
               lines[-1][:120] if lines else "")


# --- the benchmark ---------------------------------------------------------------------------

@dataclass
class Row:
    name: str
    seconds: float
    floor: str
    ratio: float | None
    target: float | None
    note: str = ""
    max_rss_mb: float = 0.0
    tree_pss_mb: float = 0.0

    @property
    def met(self) -> bool | None:
        return None if self.target is None or self.ratio is None else self.ratio <= self.target


@dataclass
class Bench:
    trust: Path
    repeat: int
    rows: list[Row] = field(default_factory=list)
    floors: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, r: Run, floor: str | None, target: float | None,
            note: str = "") -> Row:
        base = self.floors.get(floor) if floor else None
        row = Row(name, r.seconds, floor or "", r.seconds / base if base else None, target,
                  note, r.max_rss_mb, r.tree_pss_mb)
        self.rows.append(row)
        met = {True: "ok", False: "MISSED", None: ""}[row.met]
        ratio = f"{row.ratio:6.2f}x" if row.ratio is not None else ""
        print(f"  {name:<38} {r.seconds:8.2f} s  {ratio:>8} {floor or '':<18} {met}",
              flush=True)
        return row

    def best(self, cmd: list[str], before: object = None) -> Run:
        """The fastest of ``repeat`` runs (warm runs are short and noisy on a shared machine)."""
        runs = []
        for _ in range(self.repeat):
            if callable(before):
                before()
            runs.append(run(cmd))
        return min(runs, key=lambda r: r.seconds)


def clear_caches(root: Path) -> None:
    for folder in root.rglob(CACHE_DIR):
        shutil.rmtree(folder, ignore_errors=True)


def ensure_trust(out: Path, schools: int, years: int, seed: int,
                 notes_per_year: int | None) -> Path:
    name = f"trust-{schools}x{years}-seed{seed}" + (f"-n{notes_per_year}" if notes_per_year
                                                     else "")
    trust = out / name
    if trust.is_dir():
        return trust
    partial = out / (name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    cmd = [*coachctl(), "generate", "trust", str(partial), "--schools", str(schools),
           "--years", str(years), "--seed", str(seed), "--today", TODAY]
    if notes_per_year:
        cmd += ["--notes-per-year", str(notes_per_year)]
    print(f"generating {name} (once; kept in {out}) ...", flush=True)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    partial.rename(trust)
    return trust


def code_fingerprint() -> str:
    """What coachctl's caches are keyed on (see coachctl.cache.fingerprint): the code of
    reading and checking, and qa's, which imports them."""
    return subprocess.run([sys.executable, "-c", "from coachctl.cache import fingerprint; "
                           "print(fingerprint('coachctl.reports.qa'))"],
                          capture_output=True, text=True).stdout


def has_command(name: str) -> bool:
    res = subprocess.run([*coachctl(), name, "--help"], capture_output=True)
    return res.returncode == 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schools", type=int, default=10)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--notes-per-year", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each warm measurement")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--json", type=Path, default=None, help="where to write results")
    ap.add_argument("--floor", nargs=2, metavar=("KIND", "DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.floor:
        floor(*args.floor)
        return

    args.out.mkdir(parents=True, exist_ok=True)
    trust = ensure_trust(args.out, args.schools, args.years, args.seed, args.notes_per_year)
    programmes = sorted(p.parent for p in trust.glob("*/*/programme.yaml"))
    one = programmes[0]
    note = sorted((one / "notes").rglob("*.yaml"))[0]
    b = Bench(trust, args.repeat)
    cc = coachctl()
    today = ["--today", TODAY]
    me = [sys.executable, str(Path(__file__).resolve())]
    code = code_fingerprint()
    files = int(run([*me, "--floor", "stat", str(trust)], sample=False).stdout_tail)
    print(f"{trust.name}: {len(programmes)} programmes, {files:,} files, "
          f"{os.cpu_count()} CPUs\n", flush=True)

    b.floors["stat floor"] = run([*me, "--floor", "stat", str(trust)], False).seconds
    b.add("stat floor (walk + stat)", Run(b.floors["stat floor"], 0, 0, 0), None, None)
    b.floors["parse floor"] = run([*me, "--floor", "parse", str(trust)]).seconds
    b.add("parse floor (read + CSafeLoader)", Run(b.floors["parse floor"], 0, 0, 0), None, None)

    validate = [*cc, "validate", "--format", "concise", str(trust)]
    clear_caches(trust)
    cold = b.add("validate, cold (no cache)", run(validate), "parse floor", 1.0)
    b.floors["validate cold"] = cold.seconds
    b.add("validate, warm (nothing changed)", b.best(validate), "stat floor", 1.5)
    original = note.read_bytes()
    edits = iter(range(10**6))
    try:
        def edit() -> None:
            note.write_bytes(original + f"# benchmark edit {next(edits)}\n".encode())

        b.add("validate, warm, one note changed", b.best(validate, before=edit), "stat floor",
              None)
    finally:
        note.write_bytes(original)
    b.add("validate --no-cache", run([*validate, "--no-cache"]), "parse floor", None)

    page = args.out / "report.html"
    reports = (("qa", [], 1.2, 2.5), ("stats", [], 1.2, 2.5),
               ("report", ["-o", str(page)], 1.2, 3.0))
    for name, extra, cold_target, warm_target in reports:
        if not has_command(name):
            print(f"  {name}: not available in this coachctl, skipped")
            continue
        cmd = [*cc, name, *today, *extra, str(trust)]
        clear_caches(trust)
        r = run(cmd)
        if r.exit_code == 2:  # takes one programme only: compare it with validate of that one
            cmd[-1] = str(one)
            b.floors["stat floor (one)"] = run([*me, "--floor", "stat", str(one)], False).seconds
            clear_caches(one)
            b.floors["validate cold (one)"] = b.add(
                "validate, cold, one programme",
                run([*cc, "validate", "--format", "concise", str(one)]), None, None).seconds
            clear_caches(one)
            b.add(f"{name}, cold, one programme", run(cmd), "validate cold (one)",
                  cold_target)
            b.add(f"{name}, warm, one programme", b.best(cmd), "stat floor (one)", warm_target)
            continue
        b.add(f"{name}, cold", r, "validate cold", cold_target)
        b.add(f"{name}, warm", b.best(cmd), "stat floor", warm_target)

    if has_command("note"):
        r = b.best([*cc, "note", "check", str(note)])
        b.add("note check FILE", r, None, None, note="target: under 0.3 s")

    b.floors["python -c pass"] = statistics.median(
        run([sys.executable, "-c", "pass"], False).seconds for _ in range(10))
    b.add("python -c pass", Run(b.floors["python -c pass"], 0, 0, 0), None, None)
    helps = [run([*cc, "--help"], False) for _ in range(10)]
    b.add("coachctl --help", min(helps, key=lambda r: r.seconds), "python -c pass", 8.0)
    b.add("coachctl validate --help", b.best([*cc, "validate", "--help"]), "python -c pass",
          None)

    stable = code == code_fingerprint()
    if not stable:
        print("\nWARNING: coachctl's reading or checking code changed during the run, which "
              "invalidates every cache: warm figures may be cold ones. Run again.")
    peak = max(b.rows, key=lambda r: max(r.max_rss_mb, r.tree_pss_mb))
    print(f"\npeak memory: {peak.max_rss_mb:.0f} MB in one process, "
          f"{peak.tree_pss_mb:.0f} MB PSS for a whole command ({peak.name}); target < 1024 MB")
    result = {
        "trust": trust.name, "programmes": len(programmes), "files": files,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "code_stable": stable, "floors": b.floors,
        "rows": [asdict(r) | {"met": r.met} for r in b.rows],
    }
    path = args.json or args.out / f"results-{trust.name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {path}")
    print("\n" + markdown(b.rows))


def markdown(rows: list[Row]) -> str:
    """The results table as docs/benchmarks.md shows it."""
    out = ["| measurement | seconds | ratio | to | target | met "
           "| peak MB (one process / tree PSS) |",
           "|---|---:|---:|---|---:|---|---:|"]
    for r in rows:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        target = f"{r.target:g}x" if r.target is not None else r.note
        met = {True: "yes", False: "**no**", None: ""}[r.met]
        mem = f"{r.max_rss_mb:.0f} / {r.tree_pss_mb:.0f}" if r.max_rss_mb else ""
        out.append(f"| {r.name} | {r.seconds:.2f} | {ratio} | {r.floor} | {target} | {met} "
                   f"| {mem} |")
    return "\n".join(out)


if __name__ == "__main__":
    main()
