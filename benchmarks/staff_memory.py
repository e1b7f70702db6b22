"""Peak memory of `coachctl validate` against the size of staff.yaml.

    python benchmarks/staff_memory.py                   # 5,000, 20,000 and 80,000 staff
    python benchmarks/staff_memory.py --staff 5000      # one size

Writes a programme (the one `coachctl init` writes, with N generated staff) into a
temporary folder and runs `coachctl validate --no-cache` in a fresh process, once with
a clean staff.yaml and once with one error in it (the careful, located path), reporting
the file's size and the process's peak resident set (ru_maxrss of the child).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from coachctl.scaffold import initial_files


def write(root: Path, n: int, broken: bool) -> int:
    for rel, text in initial_files("Memory School", 2026).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    staff = yaml.safe_load((root / "staff.yaml").read_text())["staff"]
    for i in range(n - len(staff)):
        staff.append({"id": f"staff-{i:06d}", "name": f"Person {i}", "role": "teacher",
                      "department": ("English", "Maths", "Science", "History")[i % 4],
                      "coach": i % 3 == 0, "joined": "2020-09-01"})
    if broken:
        staff[-1]["role"] = "Teacher"
    text = yaml.safe_dump({"staff": staff}, sort_keys=False).replace("'2020-09-01'", "2020-09-01")
    (root / "staff.yaml").write_text(text, encoding="utf-8")
    return len(text.encode())


def peak(root: Path) -> tuple[int, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    res = subprocess.run([sys.executable, "-m", "coachctl", "validate", "--no-cache",
                          "--format", "concise", str(root)], capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if res.returncode not in (0, 1):
        raise SystemExit(res.stderr)
    return res.returncode, max(before, after) / 1024  # KiB -> MiB (Linux)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, action="append")
    sizes = parser.parse_args().staff or [5_000, 20_000, 80_000]
    print(f"{'staff':>8} {'file MB':>8} {'clean: peak MB':>15} {'one error: peak MB':>19}")
    for n in sizes:
        row = []
        for broken in (False, True):
            # a fresh parent process per measurement: ru_maxrss of children is a maximum
            with tempfile.TemporaryDirectory() as tmp:
                size = write(Path(tmp), n, broken)
                out = subprocess.run([sys.executable, __file__, "--one", str(n), str(broken),
                                      tmp], capture_output=True, text=True, check=True)
                row.append(float(out.stdout))
        print(f"{n:>8,} {size / 1e6:>8.1f} {row[0]:>15.0f} {row[1]:>19.0f}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        root = Path(sys.argv[4])
        write(root, int(sys.argv[2]), sys.argv[3] == "True")
        print(peak(root)[1])
    else:
        main()
