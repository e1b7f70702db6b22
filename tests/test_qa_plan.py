"""`coachctl qa-plan`: the half term's planned QA records, on copies of both examples."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.conftest import copy_example, invoke, write_files
from tests.test_cycle import snapshot

EXAMPLES = ("kingsmead-academy", "ashby-vale-school")
START = "2026-11-02"  # the first day of Autumn 2


def planned(root: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    res = invoke("qa-plan", root, "--today", START, "--format", "json", *args)
    assert res.exit_code == 0, res.stderr
    doc = res.json()
    (table,) = doc.get("tables", [doc])
    return list(table["rows"])


@pytest.mark.parametrize("name", EXAMPLES)
def test_writes_stubs_that_validate_and_a_second_run_writes_nothing(name: str,
                                                                    tmp_path: Path) -> None:
    root = copy_example(name, tmp_path / name)
    before = snapshot(root)
    dry = invoke("qa-plan", root, "--today", START, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert snapshot(root) == before
    would = [line.split()[-1] for line in dry.stdout.splitlines()
             if line.startswith("would write")]
    assert would
    res = invoke("qa-plan", root, "--today", START)
    assert res.exit_code == 0, res.stderr
    new = sorted(set(snapshot(root)) - set(before))
    assert [root / rel for rel in new] == sorted(Path(p) for p in would)
    assert all(before[rel] == snapshot(root)[rel] for rel in before)  # nothing overwritten
    for rel in new:
        record = yaml.safe_load((root / rel).read_text())
        assert record["status"] == "planned"
        assert rel == f"qa/{record['date']}-{record['coach']}-{record['kind']}.yaml"
        assert dt.date(2026, 11, 2) <= record["date"] <= dt.date(2026, 12, 18)
        assert record["date"].weekday() < 5
    assert invoke("validate", root).exit_code == 0
    again = invoke("qa-plan", root, "--today", START)
    assert again.exit_code == 0
    assert "Nothing to write" in again.stdout
    assert set(snapshot(root)) == set(before) | set(new)


@pytest.mark.parametrize("name", EXAMPLES)
def test_who_qas_whom(name: str, tmp_path: Path) -> None:
    root = copy_example(name, tmp_path / name)
    rows = planned(root)
    pairings = yaml.safe_load((root / "pairings.yaml").read_text())
    programme = yaml.safe_load((root / "programme.yaml").read_text())
    experts = {c: h["expert"] for h in pairings.get("hubs", []) for c in h["coaches"]}
    readers = (programme.get("sealing") or {}).get("qa_readers") or [programme["lead_coach"]]
    for row in rows:
        if row["kind"] == "observation":
            assert row["by"] == experts.get(row["coach"], row["by"])
            if row["coach"] not in experts:
                assert row["by"] in readers
        assert row["by"] != row["coach"]
    # nobody has two QA on one day while there are days to spare
    assert max(Counter((r["by"], r["date"]) for r in rows).values()) == 1


@pytest.mark.parametrize("name", EXAMPLES)
def test_planned_records_neither_hide_nor_make_a_gap(name: str, tmp_path: Path) -> None:
    """qa counts a planned record as not done: the same gaps, with the stubs written and
    their days passed, as without them."""
    plain = copy_example(name, tmp_path / "plain")
    stubbed = copy_example(name, tmp_path / "stubbed")
    assert invoke("qa-plan", stubbed, "--today", START).exit_code == 0
    for day in ("2026-11-23", "2026-12-18"):
        want = invoke("qa", plain, "--today", day, "--format", "json").json()
        got = invoke("qa", stubbed, "--today", day, "--format", "json").json()
        assert [(d["code"], d["message"]) for d in got["diagnostics"]] == \
            [(d["code"], d["message"]) for d in want["diagnostics"]]
        assert any(d["code"] == "Q001" for d in got["diagnostics"]) or day == "2026-11-23"


def test_a_done_record_counts_and_the_coach_is_not_planned_again(tmp_path: Path) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "k")
    rows = planned(root, "--dry-run")
    first = rows[0]
    rel = f"qa/{first['date']}-{first['coach']}-observation.yaml"
    write_files(root, {rel: {"kind": "observation", "coach": first["coach"],
                             "by": first["by"], "date": dt.date.fromisoformat(first["date"]),
                             "mode": "live"}})
    again = planned(root, "--dry-run")
    assert first["coach"] not in {r["coach"] for r in again if r["kind"] == "observation"}
    assert len(again) == len(rows) - 1


def test_new_coach_shadows_first_and_modes_follow_what_is_missing(tmp_path: Path) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "k")
    staff = yaml.safe_load((root / "staff.yaml").read_text())
    programme = (root / "programme.yaml").read_text()
    assert "observation_modes: both" in programme
    rows = planned(root, "--dry-run")
    video = [r for r in rows if r["mode"] == "video"]
    assert video  # coaches observed only live this year get a video observation
    # a coach newly made a new coach, who never shadowed: shadows an experienced coach
    records = [yaml.safe_load(p.read_text()) for p in (root / "qa").glob("*.yaml")]
    shadowed = {r["coach"] for r in records if r["kind"] == "shadowing"}
    coaches = {row["coach"] for row in rows}
    coach = next(p for p in staff["staff"] if p.get("coach") and not p.get("new_coach")
                 and p["id"] not in shadowed and p["id"] in coaches)
    text = (root / "staff.yaml").read_text().replace(
        f"- id: {coach['id']}\n", f"- id: {coach['id']}\n  new_coach: true\n", 1)
    (root / "staff.yaml").write_text(text)
    assert invoke("validate", root).exit_code == 0
    rows = planned(root, "--dry-run")
    shadow = [r for r in rows if r["kind"] == "shadowing" and r["coach"] == coach["id"]]
    assert len(shadow) == 1
    new = {p["id"] for p in staff["staff"] if p.get("new_coach")}
    assert shadow[0]["by"] not in new | {coach["id"]}
    mine = sorted(r["date"] for r in rows if r["by"] == shadow[0]["by"])
    assert shadow[0]["date"] == mine[0]  # first in the half term


def test_usage_errors_and_a_broken_programme(tmp_path: Path) -> None:
    root = copy_example("ashby-vale-school", tmp_path / "a")
    res = invoke("qa-plan", root, "--half-term", "Summer 9", "--today", START)
    assert res.exit_code == 2
    assert "no half term is called 'Summer 9'" in res.stderr
    res = invoke("qa-plan", root, "--half-term", "Spring 1", "--today", START, "--dry-run")
    assert res.exit_code == 0, res.stderr
    assert "would write  " in res.stdout
    assert "Spring 1" in res.stdout
    before = snapshot(root)
    write_files(root, {"qa/broken.yaml": "kind: observation\ncoach: nobody\n"})
    res = invoke("qa-plan", root, "--today", START)
    assert res.exit_code == 1
    assert "nothing written" in res.stdout + res.stderr
    assert set(snapshot(root)) == set(before) | {"qa/broken.yaml"}


def test_a_leaver_takes_their_planned_qa_after_leaving_with_them(tmp_path: Path) -> None:
    """staff leave deletes QA planned after the day with the leaver as coach or observer
    (else the records would make the programme invalid, R005, and leave refuse)."""
    root = copy_example("kingsmead-academy", tmp_path / "k")
    rows = planned(root)
    expert = Counter(r["by"] for r in rows).most_common(1)[0][0]
    leave = "2026-11-20"
    theirs = {f"qa/{r['date']}-{r['coach']}-{r['kind']}.yaml": r["date"] > leave for r in rows
              if expert in (r["by"], r["coach"])}
    assert any(theirs.values()) and not all(theirs.values())
    res = invoke("staff", "leave", expert, root, "--date", leave, "--today", START)
    assert res.exit_code == 0, res.stdout + res.stderr
    for rel, after in theirs.items():
        assert (root / rel).exists() is not after
    assert invoke("validate", root).exit_code == 0


def test_a_plan_that_would_not_validate_writes_nothing(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from coachctl import qaplan

    root = copy_example("ashby-vale-school", tmp_path / "a")
    before = snapshot(root)
    real = qaplan.PlannedQa.text
    monkeypatch.setattr(qaplan.PlannedQa, "text",
                        lambda self: real(self).replace(f"by: {self.by}\n", "by: nobody\n"))
    res = invoke("qa-plan", root, "--today", START)
    assert res.exit_code == 1
    assert "R001" in res.stdout + res.stderr and "nothing written" in res.stdout + res.stderr
    assert snapshot(root) == before


def test_nobody_is_planned_after_they_leave(tmp_path: Path) -> None:
    """A coach or observer leaving within the half term gets QA on or before that day."""
    root = copy_example("kingsmead-academy", tmp_path / "k")
    rows = planned(root, "--dry-run")
    expert = Counter(r["by"] for r in rows).most_common(1)[0][0]
    coach = max(rows, key=lambda r: r["date"])["coach"]
    leave = "2026-12-04"
    for who in sorted({expert, coach}):
        res = invoke("staff", "leave", who, root, "--date", leave, "--today", START)
        assert res.exit_code == 0, res.stdout + res.stderr
    rows = planned(root)
    assert invoke("validate", root).exit_code == 0
    assert all(r["date"] <= leave for r in rows if {expert, coach} & {r["by"], r["coach"]})
    assert coach in {r["coach"] for r in rows}


@pytest.mark.parametrize("name", EXAMPLES)
def test_a_rerun_after_an_interrupted_run_writes_what_a_clean_run_would(name: str,
                                                                         tmp_path: Path) -> None:
    clean = copy_example(name, tmp_path / "clean")
    assert invoke("qa-plan", clean, "--today", START).exit_code == 0
    want = snapshot(clean)
    part = copy_example(name, tmp_path / "part")
    for rel in sorted(set(want) - set(snapshot(part)))[::2]:  # what a killed run wrote
        (part / rel).write_bytes(want[rel])
    assert invoke("qa-plan", part, "--today", START).exit_code == 0
    assert snapshot(part) == want
