"""The committed example programmes validate clean and are exactly what the generator writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coachctl.synth import generate_programme
from tests.conftest import PROGRAMMES, invoke

EXAMPLES = {
    "kingsmead-academy": {"school": "Kingsmead Academy", "staff": 80, "model": "hubs",
                          "seed": 1},
    "ashby-vale-school": {"school": "Ashby Vale School", "staff": 45, "model": "leader-led",
                          "seed": 2},
}
TODAY = dt.date(2026, 11, 23)


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
