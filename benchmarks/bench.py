"""Time coachctl on a synthetic trust against the floors any tool reading the same files pays.

    python benchmarks/bench.py                         # 10 schools x 3 years, a few minutes
    python benchmarks/bench.py --schools 50 --years 3  # the full trust: ~380,000 files
    python benchmarks/bench.py --sealed                # sealed notes against plain ones

The trust is generated once (`coachctl generate trust`, deterministic from --seed) into
benchmarks/out/ (git-ignored) and reused. Every command runs as a user would run it, in a
fresh process, on the same files, each against a floor:

* parse floor: one process reading every YAML file and parsing it with PyYAML's C loader;
* stat floor: one process walking the tree and stat-ing every file;
* python -c pass: the interpreter's own start-up (for commands a person waits on).

Floor and command run alternately (A B A B ...) for as many pairs as fit a time budget,
and each ratio is the median of the per-pair ratios, printed with its spread (min-max):
both see the same machine at the same moment. Before every cold run, of the floor or the
command, coachctl's caches are removed and the trust's files are dropped from the page
cache (``posix_fadvise(POSIX_FADV_DONTNEED)`` on each file, which needs no privileges).

Prints a table (seconds, ratio to the relevant floor with its spread, target) and writes
JSON next to the trust. Peak memory is the largest resident set of any one process of a command (the
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

# Commands run as an installed coachctl runs: with Python's bytecode cache. A shell that
# sets PYTHONDONTWRITEBYTECODE (some development containers do) would make every run
# compile coachctl's modules from source, about a third of a short command's time; the
# first, untimed run of each command writes the bytecode.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
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


# --- page cache ----------------------------------------------------------------------------

def evict(root: Path) -> int:
    """Drop every file below ``root`` from the page cache: ``posix_fadvise(DONTNEED)`` on each
    (no privileges needed; file data only: directory entries and inodes stay cached).
    The number of files evicted; -1 where the call is not available."""
    if not hasattr(os, "posix_fadvise"):
        return -1
    n = 0
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            try:
                fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                n += 1
            finally:
                os.close(fd)
    return n


# --- the benchmark ---------------------------------------------------------------------------

@dataclass
class Row:
    name: str
    seconds: float
    """Median of the command's runs."""
    floor: str
    ratio: float | None
    """Median over pairs of (command / floor), each pair run back to back."""
    target: float | None
    note: str = ""
    max_rss_mb: float = 0.0
    tree_pss_mb: float = 0.0
    low: float | None = None
    high: float | None = None
    """The spread of the per-pair ratios: min and max."""
    pairs: int = 0
    floor_seconds: float | None = None
    cache: str = ""
    """The page-cache condition of the runs: 'evicted' (cold) or 'warm'."""

    @property
    def met(self) -> bool | None:
        return None if self.target is None or self.ratio is None else self.ratio <= self.target


@dataclass
class Bench:
    trust: Path
    budget: float
    """Seconds each paired measurement may take (at least ``min_pairs`` pairs run)."""
    min_pairs: int
    max_pairs: int
    rows: list[Row] = field(default_factory=list)
    only: tuple[str, ...] = ()
    """Measure only the rows whose names contain one of these (all when empty)."""

    def wants(self, name: str) -> bool:
        return not self.only or any(part in name for part in self.only)

    def pair(self, name: str, floor_name: str, floor_cmd: list[str], cmd: list[str],
             target: float | None, *, cold: Path | None = None, before: object = None,
             note: str = "") -> None:
        """Run floor and command alternately (A B A B ...) until the budget is spent, and
        report the median of the per-pair ratios with their spread.

        With ``cold`` (a folder), every run of either starts from evicted files: coachctl's
        caches below it are removed and its files dropped from the page cache first.
        ``before`` runs before each run of the command only (an edit, say).
        """
        if not self.wants(name):
            return
        floors: list[float] = []
        runs: list[Run] = []
        started = time.perf_counter()
        while len(runs) < self.min_pairs or (
                len(runs) < self.max_pairs and time.perf_counter() - started < self.budget):
            for is_floor in (True, False):
                if cold is not None:
                    clear_caches(cold)
                    evict(cold)
                if not is_floor and callable(before):
                    before()
                if is_floor:
                    floors.append(run(floor_cmd, sample=False).seconds)
                else:
                    runs.append(run(cmd))
        ratios = [r.seconds / f for r, f in zip(runs, floors, strict=True) if f > 0]
        row = Row(name, statistics.median(r.seconds for r in runs), floor_name,
                  statistics.median(ratios) if ratios else None, target, note,
                  max(r.max_rss_mb for r in runs), max(r.tree_pss_mb for r in runs),
                  min(ratios, default=None), max(ratios, default=None), len(runs),
                  statistics.median(floors), "evicted" if cold is not None else "warm")
        self.rows.append(row)
        print("  " + line(row), flush=True)

    def alone(self, name: str, cmd: list[str], *, cold: Path | None = None,
              note: str = "") -> Row:
        """A measurement with no floor (a floor itself): the median of a few runs."""
        runs = []
        for _ in range(max(1, self.min_pairs)):
            if cold is not None:
                clear_caches(cold)
                evict(cold)
            runs.append(run(cmd, sample=False))
        row = Row(name, statistics.median(r.seconds for r in runs), "", None, None, note,
                  pairs=len(runs), cache="evicted" if cold is not None else "warm")
        self.rows.append(row)
        print("  " + line(row), flush=True)
        return row


def to(r: Row) -> str:
    """The floor a ratio is to, with the floor's median seconds in this measurement."""
    return f"{r.floor} ({r.floor_seconds:.3f} s)" if r.floor_seconds is not None else r.floor


def line(r: Row) -> str:
    met = {True: "ok", False: "MISSED", None: ""}[r.met]
    ratio = (f"{r.ratio:6.2f}x ({r.low:.2f}-{r.high:.2f})" if r.ratio is not None
             and r.low is not None and r.high is not None else "")
    target = f"<= {r.target:g}x" if r.target is not None else ""
    return (f"{r.name:<40} {r.seconds:8.3f} s  {ratio:>22} {to(r):<30} {target:<8} "
            f"{met:<6} n={r.pairs} {r.cache}")


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


def seal_on(programme: Path) -> list[str]:
    """Switch sealing on in a programme and give everyone a key; its note and QA files."""
    import re

    import pyrage

    def key(m: re.Match[str]) -> str:
        return f"{m[0]}\n  age_key: {pyrage.x25519.Identity.generate().to_public()}"
    staff = programme / "staff.yaml"
    staff.write_text(re.sub(r"^- id: \S+", key, staff.read_text(), flags=re.MULTILINE))
    with (programme / "programme.yaml").open("a") as f:
        f.write("sealing:\n  without_key: qa-readers\n")
    return sorted(map(str, [*programme.glob("notes/*/*.yaml"), *programme.glob("qa/*.yaml")]))


def ensure_sealed(trust: Path) -> Path:
    """A copy of the trust with sealing on, a public key for everyone (no identity is kept)
    and every note and QA record sealed: made once, in parallel, and reused."""
    sealed = trust.with_name(trust.name + "-sealed")
    if sealed.is_dir():
        return sealed
    partial = sealed.with_name(sealed.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    print(f"sealing a copy of {trust.name} (once) ...", flush=True)
    shutil.copytree(trust, partial, ignore=shutil.ignore_patterns(CACHE_DIR))
    def seal(files: list[str]) -> None:
        # one programme's batches one after another: `note seal` holds the programme's lock
        for i in range(0, len(files), 2000):
            subprocess.run([*coachctl(), "note", "seal", *files[i:i + 2000]], check=True,
                           stdout=subprocess.DEVNULL)
    from concurrent.futures import ThreadPoolExecutor

    programmes = sorted(p.parent for p in partial.glob("*/*/programme.yaml"))
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(seal, [seal_on(programme) for programme in programmes]))
    partial.rename(sealed)
    return sealed


def seal_300(b: Bench, one: Path, out: Path) -> None:
    """Sealing 300 filled-in notes with `note seal` (target: under 5 s), on fresh copies."""
    times = []
    for _ in range(max(1, b.min_pairs)):
        work = out / "seal-300"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(one, work, ignore=shutil.ignore_patterns(CACHE_DIR))
        notes = [p for p in seal_on(work)  # filled in: a block with words (a stub's is empty)
                 if b"precise_praise: |\n  " in Path(p).read_bytes()][:300]
        times.append(run([*coachctl(), "note", "seal", *notes], sample=False).seconds)
    row = Row(f"note seal, {len(notes)} notes", statistics.median(times), "", None, None,
              "target: under 5 s", pairs=len(times), cache="warm")
    b.rows.append(row)
    print("  " + line(row), flush=True)
    shutil.rmtree(out / "seal-300", ignore_errors=True)


def code_fingerprint() -> str:
    """What coachctl's caches are keyed on (see coachctl.cache.fingerprint): the code of
    reading and checking, and qa's, which imports them."""
    return subprocess.run([sys.executable, "-c", "from coachctl.cache import fingerprint; "
                           "print(fingerprint('coachctl.reports.qa'))"],
                          capture_output=True, text=True).stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schools", type=int, default=10)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--notes-per-year", type=int, default=None)
    ap.add_argument("--budget", type=float, default=60.0,
                    help="seconds each paired measurement may take (default 60)")
    ap.add_argument("--min-pairs", type=int, default=3,
                    help="floor/command pairs run whatever the budget (default 3)")
    ap.add_argument("--max-pairs", type=int, default=41,
                    help="at most this many pairs (default 41)")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--json", type=Path, default=None, help="where to write results")
    ap.add_argument("--sealed", action="store_true",
                    help="only compare a sealed copy of the trust with the plain one")
    ap.add_argument("--only", action="append", default=[], metavar="TEXT",
                    help="measure only the rows whose names contain TEXT (repeatable), "
                         "e.g. --only 'qa, cold' --only 'one programme'")
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
    coach = note.stem.split("--")[0]
    b = Bench(trust, args.budget, args.min_pairs, args.max_pairs, only=tuple(args.only))
    cc = coachctl()
    today = ["--today", TODAY]
    me = [sys.executable, str(Path(__file__).resolve())]
    code = code_fingerprint()
    files = int(run([*me, "--floor", "stat", str(trust)], sample=False).stdout_tail)
    evicted = evict(trust)
    print(f"{trust.name}: {len(programmes)} programmes, {files:,} files, "
          f"{os.cpu_count()} CPUs")
    print("Method: floor and command run alternately (A B A B ...) for up to "
          f"{args.budget:g} s each (at least {args.min_pairs}, at most {args.max_pairs} pairs);"
          " a ratio is the median of the per-pair ratios, (min-max) their spread.")
    print("Commands run with Python's bytecode cache on, as an installed coachctl has it "
          "(PYTHONDONTWRITEBYTECODE is cleared for them).")
    print("Cold runs ('evicted'): before each run of the floor or the command, coachctl's "
          "caches are removed and every file of the trust is dropped from the page cache with "
          "posix_fadvise(POSIX_FADV_DONTNEED) (file data only: directory entries and inodes "
          "stay cached)." if evicted >= 0 else
          "WARNING: posix_fadvise is not available here: 'cold' runs find the files in the "
          "page cache.")
    print()

    stat_floor = [*me, "--floor", "stat", str(trust)]
    parse_floor = [*me, "--floor", "parse", str(trust)]
    stat_one = [*me, "--floor", "stat", str(one)]
    python = [sys.executable, "-c", "pass"]
    b.alone("stat floor (walk + stat)", stat_floor)

    validate = [*cc, "validate", "--format", "concise", str(trust)]
    if args.sealed:
        sealed = ensure_sealed(trust)
        b.pair("validate, cold, sealed trust", "validate, cold, plain", validate,
               [*cc, "validate", "--format", "concise", str(sealed)], 1.1, cold=args.out)
        seal_300(b, one, args.out)
        print("\n" + markdown(b.rows))
        return
    b.pair("validate, cold (no cache)", "parse floor", parse_floor, validate, 0.6, cold=trust)
    if b.wants("validate, warm"):
        run(validate, sample=False)  # fill the cache
    b.pair("validate, warm (nothing changed)", "stat floor", stat_floor, validate, 1.2)
    original = note.read_bytes()
    edits = iter(range(10**6))
    try:
        def edit() -> None:
            note.write_bytes(original + f"# benchmark edit {next(edits)}\n".encode())

        b.pair("validate, warm, one note changed", "stat floor", stat_floor, validate, None,
               before=edit)
    finally:
        note.write_bytes(original)
    b.pair("validate --no-cache", "parse floor", parse_floor, [*validate, "--no-cache"], None,
           cold=trust)

    page = args.out / "report.html"
    for name, extra, cold_target, warm_target in (("qa", [], 1.2, 2.5), ("stats", [], 1.2, 2.5),
                                                  ("report", ["-o", str(page)], 1.2, 3.0)):
        cmd = [*cc, name, *today, *extra, str(trust)]
        b.pair(f"{name}, cold", "validate cold", validate, cmd, cold_target, cold=trust)
        if b.wants(f"{name}, warm"):
            run(cmd, sample=False)  # fill the cache
        b.pair(f"{name}, warm", "stat floor", stat_floor, cmd, warm_target)

    # where a person waits: start-up, against the interpreter's own
    for name, cmd in [
        ("note check FILE", [*cc, "note", "check", str(note)]),
        ("stats, warm, one programme", [*cc, "stats", *today, str(one)]),
        ("qa, warm, one programme", [*cc, "qa", *today, str(one)]),
        ("cycle status, warm, one programme", [*cc, "cycle", "status", *today, str(one)]),
        ("staff show, warm, one programme", [*cc, "staff", "show", coach, *today, str(one)]),
    ]:
        if b.wants(name):
            run(cmd, sample=False)  # fill the cache
        b.pair(name, "python -c pass", python, cmd, 9.0 if name.startswith("note") else 12.0)
    b.pair("stats, warm, one programme (stat floor)", "stat floor (one)", stat_one,
           [*cc, "stats", *today, str(one)], None)

    # issue 13's reports on one programme: cold against cold validate of that programme,
    # warm against its stat floor
    validate_one = [*cc, "validate", "--format", "concise", str(one)]
    for name, cmd in [
        ("training plan", [*cc, "training", "plan", *today, str(one)]),
        ("bulletin", [*cc, "bulletin", *today, "--format", "md", str(one)]),
    ]:
        b.pair(f"{name}, cold, one programme", "validate cold (one)", validate_one, cmd, 1.2,
               cold=one)
        if b.wants(f"{name}, warm, one programme"):
            run(cmd, sample=False)  # fill the cache
        b.pair(f"{name}, warm, one programme", "stat floor (one)", stat_one, cmd, 2.5)
    b.pair("coachctl --help", "python -c pass", python, [*cc, "--help"], 8.0)
    b.pair("coachctl validate --help", "python -c pass", python, [*cc, "validate", "--help"],
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
        "method": {"budget_s": args.budget, "min_pairs": args.min_pairs,
                   "max_pairs": args.max_pairs, "evicts_page_cache": evicted >= 0},
        "code_stable": stable,
        "rows": [asdict(r) | {"met": r.met} for r in b.rows],
    }
    path = args.json or args.out / f"results-{trust.name}{'-partial' if b.only else ''}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {path}")
    print("\n" + markdown(b.rows))


def markdown(rows: list[Row]) -> str:
    """The results table as docs/benchmarks.md shows it."""
    out = ["| measurement | seconds (median) | ratio (min-max) | to | target | met | pairs "
           "| page cache | peak MB (one process / tree PSS) |",
           "|---|---:|---:|---|---:|---|---:|---|---:|"]
    for r in rows:
        ratio = (f"{r.ratio:.2f}x ({r.low:.2f}-{r.high:.2f})" if r.ratio is not None
                 and r.low is not None and r.high is not None else "")
        target = f"{r.target:g}x" if r.target is not None else r.note
        met = {True: "yes", False: "**no**", None: ""}[r.met]
        mem = f"{r.max_rss_mb:.0f} / {r.tree_pss_mb:.0f}" if r.max_rss_mb else ""
        out.append(f"| {r.name} | {r.seconds:.3f} | {ratio} | {to(r)} | {target} | {met} "
                   f"| {r.pairs} | {r.cache} | {mem} |")
    return "\n".join(out)


if __name__ == "__main__":
    main()
