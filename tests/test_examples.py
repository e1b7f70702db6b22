"""The committed example programmes validate clean, are exactly what the generator writes,
and complete as many sessions as real schools do (a strong one and a stretched one)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coachctl.synth import PROFILES, generate_programme
from tests.conftest import PROGRAMMES, invoke

EXAMPLES = {
    "kingsmead-academy": {"school": "Kingsmead Academy", "staff": 80, "model": "hubs",
                          "seed": 1},
    "ashby-vale-school": {"school": "Ashby Vale School", "staff": 45, "model": "leader-led",
                          "seed": 2},
}
TODAY = dt.date(2026, 11, 23)
BACKGROUND = {"kingsmead-academy": {"completion": (0.75, 0.80), "rehearsed": (0.80, 0.90)},
              "ashby-vale-school": {"completion": (0.50, 0.55), "rehearsed": (0.60, 0.70)}}
"""Completion in the ended cycles and rehearsal: a strong school, and one short of time."""


def committed(root: Path) -> dict[str, bytes]:
    """The example's files as git would see them (the local cache folder is ignored)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".coachctl-cache" not in p.relative_to(root).parts}


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_validates_strictly(name: str) -> None:
    res = invoke("validate", "--strict", "--format", "concise", PROGRAMMES / name)
    assert res.exit_code == 0, res.stdout
    assert res.stdout.startswith("No problems found")


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_matches_a_fresh_regeneration(name: str, tmp_path: Path) -> None:
    result = generate_programme(tmp_path / name, start_year=2026, today=TODAY,
                                **EXAMPLES[name])  # type: ignore[arg-type]
    fresh, ours = committed(tmp_path / name), committed(PROGRAMMES / name)
    assert sorted(fresh) == sorted(ours), "regenerate the example (see programmes/README.md)"
    changed = [rel for rel in fresh if fresh[rel] != ours[rel]]
    assert changed == [], "regenerate the example (see programmes/README.md)"
    readme = (PROGRAMMES / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"### {name}", 1)[1].split("###", 1)[0]
    for item in result.manifest:
        assert f"| {item['kind']} | `{item['person']}` | `{item['file']}" in section
    assert section.count("\n| ") - 1 == len(result.manifest)  # less the header row


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_completion_is_realistic_and_in_the_readme(name: str) -> None:
    res = invoke("stats", PROGRAMMES / name, "--format", "json", "--today", TODAY.isoformat())
    assert res.exit_code == 0, res.stderr
    rows = {r["cycle"]: r for r in res.json()["rows"]}
    ended = [rows[c] for c in (1, 2, 3)]
    planned, done = sum(r["planned"] for r in ended), sum(r["done"] for r in ended)
    low, high = BACKGROUND[name]["completion"]
    assert low <= done / planned <= high
    low, high = BACKGROUND[name]["rehearsed"]
    assert low <= rows["all"]["rehearsed"] <= high
    assert rows["all"]["praise"] < 1
    for state in ("missed", "stub", "missing"):  # more than the one planted of each
        assert sum(r[state] for r in ended) > 1, state
    readme = (PROGRAMMES / "README.md").read_text(encoding="utf-8")
    profile = PROFILES[str(EXAMPLES[name]["model"])]
    assert (f"{profile.completion}, {profile.rehearsal}, {profile.praise}, "
            f"{profile.modelling} |") in readme.split(f"| `{name}` |", 1)[1]
    each = ", ".join(f"{round(100 * r['done'] / r['planned'])}%" for r in ended)
    assert (f"| `{name}` | {done} / {planned} | {round(100 * done / planned)}% ({each}) | "
            + ", ".join(str(sum(r[s] for r in ended)) for s in ("missed", "stub", "missing"))
            + f" | {round(100 * rows['all']['rehearsed'])}% | "
            f"{round(100 * rows['all']['praise'])}% |") in readme
