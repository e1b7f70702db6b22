"""`coachctl training plan`, training records, and the coach-development loop on the examples.

The examples plant a training need (programmes/README.md): several coaches observed
since the last training record not yet secure in one curriculum step. The plan for
the next Teach Meet ranks that step first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import PROGRAMMES, copy_example, invoke, write_files
from tests.test_qa import TODAY

PLANTED = {"kingsmead-academy": ("rh-01", 9), "ashby-vale-school": ("ws-01", 3)}


def plan_json(root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    res = invoke("training", "plan", root, "--format", "json", "--today", TODAY, *args)
    assert res.exit_code == 0, res.stderr
    doc = res.json()
    (table,) = doc.get("tables", [doc])
    return table  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_the_planted_training_need_ranks_first(name: str) -> None:
    step, coaches = PLANTED[name]
    table = plan_json(PROGRAMMES / name)
    assert table["next_session"] == "2026-11-26"  # the schedule's next Teach Meet
    assert table["since"] == "2026-11-05"  # the last training record
    first = table["rows"][0]
    assert first["rank"] == 1 and first["step"] == step
    assert first["qa_coaches"] >= coaches
    assert first["part"].startswith("20")
    assert len(first["who"].split(", ")) == first["coaches"]


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_strands_not_rolled_out_are_never_proposed(name: str) -> None:
    root = PROGRAMMES / name
    settings = yaml.safe_load((root / "programme.yaml").read_text(encoding="utf-8"))
    curriculum = yaml.safe_load((root / "steps/coaching-curriculum.yaml").read_text())
    allowed = {s["id"] for strand in curriculum["strands"]
               if strand["id"] in settings["curriculum_strands"] for s in strand["steps"]}
    rows = plan_json(root, "--top", "20")["rows"]
    assert rows and {r["step"] for r in rows} <= allowed


def test_markdown_is_a_page_to_hand_out() -> None:
    res = invoke("training", "plan", PROGRAMMES / "kingsmead-academy", "--format", "md",
                 "--today", TODAY)
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0] == "# Coach training plan: Kingsmead Academy"
    assert "Next Teach Meet and coaching CPL: 2026-11-26" in res.stdout
    assert lines[next(i for i, x in enumerate(lines) if x.startswith("## 1."))].endswith(
        "(rh-01)")
    assert "- Part of the 20:20:20: 20 min: coaches' deliberate practice" in lines


def test_table_and_usage_errors(tmp_path: Path) -> None:
    res = invoke("training", "plan", PROGRAMMES / "ashby-vale-school", "--today", TODAY)
    assert res.exit_code == 0 and "Training plan for the next Teach Meet" in res.stdout
    assert invoke("training", "plan", tmp_path / "nowhere").exit_code == 2
    assert invoke("training", "plan", PROGRAMMES / "ashby-vale-school", "--format",
                  "pdf").exit_code == 2


def test_only_findings_since_the_last_training_record_count(programme: Path) -> None:
    """A QA finding before the last training record was practised there; one after it
    is what the next session needs. A coach secure in the focus needs nothing."""
    def obs(coach: str, day: str, focus: str, secured: bool = False) -> dict[str, object]:
        return {"kind": "observation", "coach": coach, "by": "lead", "date": day,
                "mode": "live", "focus": focus, "secured": secured}
    write_files(programme, {
        "qa/2026-10-01-a.yaml": obs("teacher-a", "2026-10-01", "pp-02"),
        "training/2026-10-08.yaml": {"date": "2026-10-08", "focus": ["pp-02"],
                                     "attended": ["teacher-a", "teacher-b"]},
        "qa/2026-11-10-a.yaml": obs("teacher-a", "2026-11-10", "md-01"),
        "qa/2026-11-10-b.yaml": obs("teacher-b", "2026-11-10", "md-01"),
        "qa/2026-11-11-b.yaml": obs("teacher-b", "2026-11-11", "pp-03", secured=True)})
    assert invoke("validate", "--strict", programme).exit_code == 0
    table = plan_json(programme)
    assert table["since"] == "2026-10-08"
    assert [(r["step"], r["coaches"], r["who"]) for r in table["rows"]] == [
        ("md-01", 2, "teacher-a, teacher-b")]
    # before the training record, pp-02 was the need
    early = plan_json(programme, "--today", "2026-10-05")  # a later --today wins in typer
    assert [r["step"] for r in early["rows"]] == ["pp-02"]


def test_a_training_record_is_checked_like_any_file(programme: Path) -> None:
    write_files(programme, {"training/2026-10-08.yaml": "date: 2026-10-08\nfocus: []\n"
                                                       "attended: [teacher-a]\nmood: good\n"})
    res = invoke("validate", "--format", "json", programme)
    assert res.exit_code == 1
    found = {(d["code"], d["line"]) for d in res.json()["diagnostics"]}
    assert ("S001", 4) in found  # the unknown key, at its line
    assert any(code.startswith("S") and line == 2 for code, line in found)  # an empty focus


def test_the_privacy_marker_stays_out_of_the_plan(tmp_path: Path) -> None:
    root = tmp_path / "school"
    copy_example("kingsmead-academy", root)
    from tests.test_privacy import MARKER, plant

    plant(root)
    for fmt in ("table", "json", "md"):
        res = invoke("training", "plan", root, "--format", fmt, "--today", TODAY)
        assert res.exit_code == 0 and MARKER not in res.stdout + res.stderr


def test_a_training_record_names_known_steps_and_people(programme: Path) -> None:
    write_files(programme, {"training/2026-10-08.yaml": "date: 2026-10-08\n"
                            "focus: [pp-01, pp-99]\nattended: [teacher-a, nobody]\n"})
    res = invoke("validate", "--format", "json", programme)
    assert res.exit_code == 1
    found = {(d["code"], d["line"], d["column"]) for d in res.json()["diagnostics"]}
    assert ("R002", 2, 16) in found  # pp-99
    assert any(code == "R001" and line == 3 for code, line, _ in found)  # nobody


@pytest.mark.parametrize("fmt", ["table", "json", "md"])
def test_a_warm_plan_comes_from_the_cache_and_reads_the_same(tmp_path: Path, fmt: str) -> None:
    """The plan is cached per programme (reports/training.py DERIVED): a second run loads
    no programme data and prints byte for byte what the first printed."""
    import datetime as dt

    from coachctl.reports.training import plan_programme
    from tests.test_cache import age

    root = copy_example("kingsmead-academy", tmp_path / "k")
    age(root)  # files older than the cache's 2 s window for edits in the same clock tick
    args = ("training", "plan", str(root), "--today", TODAY, "--format", fmt)
    cold = invoke(*args)
    warm = invoke(*args)
    assert cold.exit_code == warm.exit_code == 0
    assert (warm.stdout, warm.stderr) == (cold.stdout, cold.stderr)
    checked, planned = plan_programme(root, str(root), dt.date.fromisoformat(TODAY))
    assert checked.programme.staff == {} and planned.steps  # from the cache: nothing loaded
    (root / "qa" / "extra.yaml").write_text("not: [valid")  # any change misses
    checked, _ = plan_programme(root, str(root), dt.date.fromisoformat(TODAY))
    assert checked.programme.staff


def test_the_cached_plan_holds_for_the_days_it_was_computed_for(tmp_path: Path) -> None:
    """A day read from the cache is a day the plan cannot differ on: day by day over six
    weeks, what the cache gives against what the files give."""
    import datetime as dt

    from coachctl.reports.training import plan_programme, planned
    from coachctl.validation import check_programme
    from tests.test_cache import age

    root = copy_example("kingsmead-academy", tmp_path / "k")
    age(root)
    prog = check_programme(root, "k", cache=False).programme
    day = dt.date.fromisoformat(TODAY) - dt.timedelta(days=21)
    hits = 0
    for _ in range(42):
        day += dt.timedelta(days=1)
        checked, got = plan_programme(root, "k", day)
        hits += checked.programme.staff == {}
        assert got == planned(prog, day), day
    assert hits > 0
