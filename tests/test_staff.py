"""`coachctl staff show ID`: one person's journey, on the programme test_stats builds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import PROGRAMMES, invoke, write_files
from tests.test_qa import TODAY, observation
from tests.test_stats import varied  # noqa: F401  (a fixture)


def show(root: Path, who: str, *args: str) -> dict[str, dict[str, Any]]:
    res = invoke("staff", "show", who, root, "--format", "json", "--today", TODAY, *args)
    assert res.exit_code == 0, res.stderr
    doc = res.json()
    assert doc["version"] == 3
    return {t["kind"]: t for t in doc["tables"]}


def test_journey_as_coachee_and_coach(varied: Path) -> None:  # noqa: F811
    write_files(varied, {"qa/2026-09-24-teacher-b-checkin.yaml": observation(
        "teacher-b", "2026-09-24", "check-in")})
    tables = show(varied, "teacher-b")
    summary = {r["item"]: r["value"] for r in tables["staff.summary"]["rows"]}
    assert tables["staff.summary"]["staff"] == "teacher-b"
    assert summary["role"] == "ect" and summary["mentor"] == "teacher-a"
    assert summary["hubs"] == "hub-1"
    assert summary["sessions as coachee: done"] == 2
    assert summary["sessions as coachee: missed"] == 1
    assert summary["sessions as coach: done"] == 3
    assert summary["steps worked on"] == 2 and summary["steps secured"] == 1
    assert summary["QA received: observation"] == 1
    assert summary["QA received: check-in"] == 1
    assert summary["QA received: write-up-check"] == 1
    assert [(r["cycle"], r["coach"], r["session"], r["step"], r["secured"])
            for r in tables["staff.as-coachee"]["rows"]] == [
        (1, "teacher-a", "done", "rt-01", False), (2, "teacher-a", "done", "rt-01", True),
        (3, "teacher-a", "missed", None, None)]
    assert [r["coachee"] for r in tables["staff.as-coach"]["rows"]] == ["teacher-a"] * 3
    steps = {r["step"]: r for r in tables["staff.steps"]["rows"]}
    assert steps["rt-01"]["cycles"] == 2 and steps["rt-01"]["secured_in_cycle"] == 2
    assert steps["rt-01"]["name"].startswith("Stand still at the front")
    assert steps["rt-03"]["secured_in_cycle"] is None  # the lead's drop-in in cycle 3
    assert [(r["date"], r["kind"], r["by"]) for r in tables["staff.qa"]["rows"]] == [
        ("2026-09-24", "check-in", "lead"), ("2026-10-16", "write-up-check", "lead"),
        ("2026-11-10", "observation", "lead")]


def test_table_format(varied: Path) -> None:  # noqa: F811
    res = invoke("staff", "show", "teacher-a", varied, "--today", TODAY)
    assert res.exit_code == 0
    for title in ("teacher-a: summary", "teacher-a as coachee", "teacher-a as coach",
                  "steps teacher-a worked on", "QA teacher-a received as a coach"):
        assert title in res.stdout
    assert "Stand still at the front" in res.stdout


def test_unknown_person(varied: Path) -> None:  # noqa: F811
    res = invoke("staff", "show", "teacher-c", varied)
    assert res.exit_code == 2
    assert "did you mean 'teacher-a'?" in res.stderr or "did you mean 'teacher-b'?" in res.stderr
    assert invoke("staff", "show", "teacher-a", varied, "--format", "ics").exit_code == 2


def test_help() -> None:
    assert "show" in invoke("staff", "--help").stdout
    assert "Examples" in invoke("staff", "show", "--help").stdout


def test_example_missed_session() -> None:
    """kingsmead-academy plants a missed session: kfletcher with uphillips in cycle 3."""
    tables = show(PROGRAMMES / "kingsmead-academy", "kfletcher")
    assert {"cycle": 3, "coach": "uphillips", "session": "missed", "step": None,
            "secured": None} in tables["staff.as-coachee"]["rows"]


def test_unreadable_staff_file(varied: Path) -> None:  # noqa: F811
    (varied / "staff.yaml").write_text("staff: {\n", encoding="utf-8")
    res = invoke("staff", "show", "teacher-a", varied)
    assert res.exit_code == 2
    assert res.stderr.splitlines() == [
        f"coachctl: warning: validate finds 1 error in {varied}; this covers what could be read",
        f"coachctl: error: {varied}/staff.yaml could not be read; `coachctl validate` says why"]


def test_journey_as_coach_beside_journey_as_coachee(varied: Path) -> None:  # noqa: F811
    """QA records with a focus are a coach's journey through the coaching curriculum: a
    focus found secure moves the coach on to the next step of the rolled-out strands."""
    write_files(varied, {
        "qa/2026-09-24-teacher-b-observation.yaml": {
            **observation("teacher-b", "2026-09-24"), "focus": "pp-01", "secured": True},
        "qa/2026-11-10-teacher-b-observation.yaml": {
            **observation("teacher-b"), "focus": "pp-02", "secured": True}})
    tables = show(varied, "teacher-b")
    rows = {r["as"]: r for r in tables["staff.journeys"]["rows"]}
    assert rows["coach"]["current_step"] == "pp-03"
    assert rows["coach"]["secured"] == 2 and rows["coach"]["secured_steps"] == "pp-01, pp-02"
    assert rows["coachee"]["secured_steps"] == "rt-01"
    summary = {r["item"]: r["value"] for r in tables["staff.summary"]["rows"]}
    assert summary["coaching curriculum: current step"] == "pp-03"
    assert summary["coaching curriculum: steps secured"] == 2
    assert [r["secured"] for r in tables["staff.qa"]["rows"] if r["focus"]] == [True, True]
    # a strand not rolled out is skipped: with only leverage rolled out, the next step is ls-01
    (varied / "programme.yaml").write_text(
        (varied / "programme.yaml").read_text(encoding="utf-8")
        + "curriculum_strands: [leverage]\n", encoding="utf-8")
    rows = {r["as"]: r for r in show(varied, "teacher-b")["staff.journeys"]["rows"]}
    assert rows["coach"]["current_step"] == "ls-01"
    text = invoke("staff", "show", "teacher-b", varied, "--today", TODAY).stdout
    assert "journey as coach beside journey as coachee" in text


def test_every_example_coach_has_a_curriculum_journey_within_the_rolled_out_strands() -> None:
    """On the examples: each coach's current curriculum step is in a rolled-out strand (even
    the coach whose QA focus is outside them, Q016), and their secured steps are the
    focuses QA found secured."""
    import yaml

    root = PROGRAMMES / "ashby-vale-school"
    settings = yaml.safe_load((root / "programme.yaml").read_text(encoding="utf-8"))
    curriculum = yaml.safe_load((root / "steps/coaching-curriculum.yaml").read_text())
    rolled = {s["id"] for strand in curriculum["strands"]
              if strand["id"] in settings["curriculum_strands"] for s in strand["steps"]}
    staff = yaml.safe_load((root / "staff.yaml").read_text(encoding="utf-8"))["staff"]
    records = [yaml.safe_load(p.read_text()) for p in sorted((root / "qa").glob("*.yaml"))]
    coaches = [p["id"] for p in staff if p.get("coach") and not p.get("left")]
    assert len(coaches) > 5
    for who in coaches:
        rows = {r["as"]: r for r in show(root, who)["staff.journeys"]["rows"]}
        assert rows["coach"]["current_step"] in rolled, who
        secured = sorted({q["focus"] for q in records if q["coach"] == who
                          and q.get("secured") and q.get("focus") in rolled})
        assert sorted((rows["coach"]["secured_steps"] or "").split(", ") if secured else []) \
            == secured, who
