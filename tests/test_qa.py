"""`coachctl qa`: every QA gap code with a fixture that has it and one that does not.

The base is the programme `coachctl init` writes (teacher-a and teacher-b coach
each other; hub-1 holds both) plus three cycles, a complete note for each pair
in each, and an observation of each coach in Autumn 2: `qa` finds nothing in
it. Each case then changes a few files to plant (or nearly plant) one gap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from coachctl.registry import CODES
from tests.conftest import PROGRAMMES, dump, invoke, write_files

TODAY = "2026-11-23"  # cycle 3 ended on Friday 2026-11-20
CYCLES = {1: ("2026-09-07", "2026-09-25"), 2: ("2026-09-28", "2026-10-16"),
          3: ("2026-11-02", "2026-11-20")}
NOTE_DAY = {1: "2026-09-17", 2: "2026-10-08", 3: "2026-11-12"}
STEPS = {1: "rt-01", 2: "rt-02", 3: "rt-03"}
PAIRS = (("teacher-a", "teacher-b"), ("teacher-b", "teacher-a"))


def note_rel(cycle: int, coach: str, coachee: str) -> str:
    return f"notes/cycle-{cycle:02d}/{coach}--{coachee}.yaml"


def note(coach: str, coachee: str, cycle: int, **changes: Any) -> dict[str, Any]:
    """A complete note with praise, modelling and rehearsal; ``key=None`` removes a key."""
    body: dict[str, Any] = {
        "coach": coach, "coachee": coachee, "cycle": cycle, "status": "complete",
        "date": NOTE_DAY[cycle], "observation": "lesson", "precise_praise": "Praise.",
        "action_step": STEPS[cycle], "step_secured": cycle < 3, "modelled": True,
        "rehearsed": True, "next_steps": "Next.", "notes": "Notes."}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def observation(coach: str, day: str = "2026-11-10", kind: str = "observation") -> dict[str, Any]:
    return {"kind": kind, "coach": coach, "by": "lead", "date": day, "mode": "live",
            "feedback": "Feedback."}


def base_files() -> dict[str, Any]:
    files: dict[str, Any] = {}
    for n, (start, end) in CYCLES.items():
        files[f"cycles/cycle-{n:02d}.yaml"] = {"number": n, "start": start, "end": end,
                                               "status": "closed" if n < 3 else "open"}
        for coach, coachee in PAIRS:
            files[note_rel(n, coach, coachee)] = note(coach, coachee, n)
    for coach, coachee in PAIRS:
        files[f"qa/2026-11-10-{coach}-observation.yaml"] = observation(coach)
        files[check_rel(coach)] = write_up_check(coach, note_rel(2, coach, coachee))
    return files


def check_rel(coach: str) -> str:
    return f"qa/2026-10-16-{coach}-write-up-check.yaml"


def write_up_check(coach: str, rel: str, by: str = "lead") -> dict[str, Any]:
    return {"kind": "write-up-check", "coach": coach, "by": by, "date": "2026-10-16",
            "note": rel}


def edit(root: Path, rel: str, change: Callable[[Any], None]) -> None:
    data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    change(data)
    (root / rel).write_text(dump(data), encoding="utf-8")


def person(data: Any, who: str) -> dict[str, Any]:
    return next(p for p in data["staff"] if p["id"] == who)


@pytest.fixture
def coached(programme: Path) -> Path:
    """The init programme with three cycles of complete notes and this half term's QA."""
    write_files(programme, base_files())
    return programme


def qa_json(root: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    res = invoke("qa", root, "--format", "json", "--today", TODAY, *args)
    assert res.exit_code in (0, 1), res.stderr
    return res.exit_code, res.json()["diagnostics"]


# --- the cases: code -> (change that plants the gap, change that nearly does) --------

Change = Callable[[Path], None]


def _files(files: dict[str, Any]) -> Change:
    return lambda root: write_files(root, files)


def _staff(who: str, **fields: Any) -> Change:
    return lambda root: edit(root, "staff.yaml", lambda d: person(d, who).update(fields))


def _settings(section: str, **fields: Any) -> Change:
    return lambda root: edit(root, "programme.yaml", lambda d: d[section].update(fields))


def _both(*changes: Change) -> Change:
    def run(root: Path) -> None:
        for change in changes:
            change(root)
    return run


def _expect(**fields: Any) -> Change:
    return lambda root: edit(root, "programme.yaml",
                             lambda d: d.setdefault("expectations", {}).update(fields))


def _by(coach: str, by: str) -> Change:
    rel = f"qa/2026-11-10-{coach}-observation.yaml"
    return _files({rel: {**observation(coach), "by": by}})


def _pairings(groups: list[dict[str, Any]]) -> Change:
    return lambda root: edit(root, "pairings.yaml", lambda d: d.update(groups=groups))


STUCK = {note_rel(n, "teacher-a", "teacher-b"): note("teacher-a", "teacher-b", n,
                                                     action_step="rt-01", step_secured=False)
         for n in CYCLES}
LEAVER_NOTES: dict[str, Any] = {note_rel(3, c, e): None for c, e in PAIRS}
LEAD_COACHES_B: list[dict[str, Any]] = [
    {"coach": "teacher-a", "coachees": ["teacher-b"], "until_cycle": 2},
    {"coach": "lead", "coachees": ["teacher-b"], "from_cycle": 3},
    {"coach": "teacher-b", "coachees": ["teacher-a"]}]

SHADOW_B = "qa/2026-09-08-teacher-b-shadowing.yaml"
OVERLOAD = [{"coach": "teacher-a", "coachees": ["teacher-b", "lead"]},
            {"coach": "teacher-b", "coachees": ["teacher-a"]}]
CASES_Q005 = _files({note_rel(2, "teacher-a", "teacher-b"): note(
    "teacher-a", "teacher-b", 2, rehearsed=False)})
MISSING_A_NOTE = _files({note_rel(3, "teacher-a", "teacher-b"): None})

CASES: dict[str, tuple[Change, Change]] = {
    "Q001": (_files({"qa/2026-11-10-teacher-b-observation.yaml": None}),
             _files({"qa/2026-11-10-teacher-b-observation.yaml": observation(
                 "teacher-b", "2026-11-03", "observation")})),
    "Q002": (_staff("teacher-b", new_coach=True),
             _both(_staff("teacher-b", new_coach=True),
                   _files({"qa/2026-09-08-teacher-b-shadowing.yaml": observation(
                       "teacher-b", "2026-09-08", "shadowing")}))),
    "Q003": (_files({note_rel(3, "teacher-a", "teacher-b"): None}),
             _files({note_rel(3, "teacher-a", "teacher-b"): note(
                 "teacher-a", "teacher-b", 3, status="missed", date=None, observation=None,
                 precise_praise=None, action_step=None, modelled=None, rehearsed=None,
                 missed_reason="Covering a colleague.")})),
    "Q004": (_files({note_rel(3, "teacher-a", "teacher-b"): {
                 "coach": "teacher-a", "coachee": "teacher-b", "cycle": 3, "status": "stub"}}),
             _files({"cycles/cycle-03.yaml": {"number": 3, "start": "2026-11-02",
                                              "end": "2026-11-27"},
                     note_rel(3, "teacher-a", "teacher-b"): {
                         "coach": "teacher-a", "coachee": "teacher-b", "cycle": 3}})),
    "Q005": (_files({note_rel(2, "teacher-a", "teacher-b"): note(
                 "teacher-a", "teacher-b", 2, rehearsed=False)}),
             _files({note_rel(2, "teacher-a", "teacher-b"): note(
                 "teacher-a", "teacher-b", 2, modelled=False)})),
    "Q006": (_files({note_rel(2, "teacher-a", "teacher-b"): note(
                 "teacher-a", "teacher-b", 2, precise_praise=None)}),
             _files({note_rel(2, "teacher-a", "teacher-b"): note(
                 "teacher-a", "teacher-b", 2, next_steps=None)})),
    "Q007": (_files(STUCK), _both(_files(STUCK), _settings("thresholds", stuck_after_cycles=4))),
    "Q008": (_both(_files(LEAVER_NOTES), _staff("teacher-a", left="2026-10-23")),
             _both(_files(LEAVER_NOTES), _staff("teacher-a", left="2026-10-23"),
                   _pairings(LEAD_COACHES_B))),
    "Q009": (_both(_pairings([{"coach": "teacher-a", "coachees": ["teacher-b", "lead"]},
                              {"coach": "teacher-b", "coachees": ["teacher-a"]}]),
                   _settings("thresholds", max_coachees_per_coach=1)),
             _both(_pairings([{"coach": "teacher-a", "coachees": ["teacher-b", "lead"]},
                              {"coach": "teacher-b", "coachees": ["teacher-a"]}]),
                   _settings("thresholds", max_coachees_per_coach=2))),
    "Q010": (_files({f"qa/2026-11-10-{c}-observation.yaml": None
                     for c in ("teacher-a", "teacher-b")}),
             _files({"qa/2026-11-10-teacher-a-observation.yaml": None,
                     "qa/2026-11-10-teacher-b-observation.yaml": observation(
                         "teacher-b", kind="write-up-check")})),
    "Q011": (_both(_by("teacher-a", "teacher-b"), _by("teacher-b", "teacher-a")),
             _by("teacher-a", "teacher-b")),
    "Q012": (_files({check_rel("teacher-b"): None}),
             _files({check_rel("teacher-b"): write_up_check(
                 "teacher-b", note_rel(1, "teacher-b", "teacher-a"), by="teacher-a")})),
    "Q013": (_files({check_rel("teacher-a"): write_up_check(
                 "teacher-a", note_rel(1, "teacher-b", "teacher-a"))}),
             _files({check_rel("teacher-a"): write_up_check(
                 "teacher-a", note_rel(1, "teacher-a", "teacher-b"))})),
    "Q014": (_both(_staff("teacher-a", new_coach=True), _staff("teacher-b", new_coach=True),
                   _files({SHADOW_B: {**observation("teacher-b", "2026-09-08", "shadowing"),
                                      "by": "teacher-a"}})),
             _both(_staff("teacher-a", new_coach=True), _staff("teacher-b", new_coach=True),
                   _files({SHADOW_B: observation("teacher-b", "2026-09-08", "shadowing")}))),
    "Q015": (_both(_settings("qa", observation_modes="both"), _files({
                 "qa/2026-10-14-teacher-b-observation.yaml": observation(
                     "teacher-b", "2026-10-14")})),
             _both(_settings("qa", observation_modes="both"), _files({
                 "qa/2026-10-14-teacher-b-observation.yaml": {**observation(
                     "teacher-b", "2026-10-14"), "mode": "video"}}))),
    "Q016": (_both(lambda root: edit(root, "programme.yaml",
                                     lambda d: d.update(curriculum_strands=["praise"])),
                   _files({"qa/2026-11-10-teacher-a-observation.yaml": {
                       **observation("teacher-a"), "focus": "ls-01"}})),
             _both(lambda root: edit(root, "programme.yaml",
                                     lambda d: d.update(curriculum_strands=["praise"])),
                   _files({"qa/2026-11-10-teacher-a-observation.yaml": {
                       **observation("teacher-a"), "focus": "pp-01"}}))),
    "X001": (_expect(feedback_per_half_term=3), _expect(feedback_per_half_term=2)),
    "X002": (_both(_expect(qa_each_coach_each_half_term=True),
                   _files({check_rel("teacher-b"): None})),
             _expect(qa_each_coach_each_half_term=True)),
    "X003": (_both(_expect(rehearsal_rate=0.9), CASES_Q005),
             _both(_expect(rehearsal_rate=0.8), CASES_Q005)),
    "X004": (_both(_pairings(OVERLOAD), _expect(max_coachees_per_coach=1)),
             _both(_pairings(OVERLOAD), _expect(max_coachees_per_coach=2))),
    "X005": (_both(_settings("thresholds", completion_target=1.0), MISSING_A_NOTE),
             MISSING_A_NOTE),
    "R008": (_files({note_rel(2, "teacher-a", "teacher-b"): note(
                 "teacher-a", "teacher-b", 2, action_step="rt-09")}),
             _files({note_rel(2, "teacher-a", "teacher-b"): note(
                 "teacher-a", "teacher-b", 2, action_step="rt-03")})),
    "R009": (_pairings([{"coach": "lead", "coachees": ["teacher-b"]},
                        {"coach": "teacher-b", "coachees": ["teacher-a"]}]),
             _both(_pairings([{"coach": "lead", "coachees": ["teacher-b"]},
                              {"coach": "teacher-b", "coachees": ["teacher-a"]}]),
                   lambda root: edit(root, "programme.yaml",
                                     lambda d: d.update(pairing_model="leader-led")))),
}

# code -> (file the gap comes from, subject)
WHERE = {
    "Q001": ("staff.yaml", "teacher-b"),
    "Q002": (note_rel(1, "teacher-b", "teacher-a"), "teacher-b"),
    "Q003": ("cycles/cycle-03.yaml", "teacher-a--teacher-b"),
    "Q004": (note_rel(3, "teacher-a", "teacher-b"), "teacher-a--teacher-b"),
    "Q005": (note_rel(2, "teacher-a", "teacher-b"), "teacher-a--teacher-b"),
    "Q006": (note_rel(2, "teacher-a", "teacher-b"), "teacher-a--teacher-b"),
    "Q007": (note_rel(3, "teacher-a", "teacher-b"), "teacher-b"),
    "Q008": ("pairings.yaml", "teacher-b"),
    "Q009": ("pairings.yaml", "teacher-a"),
    "Q010": ("pairings.yaml", "hub-1"),
    "Q011": ("pairings.yaml", "hub-1"),
    "Q012": ("staff.yaml", "teacher-b"),
    "Q013": (check_rel("teacher-a"), "teacher-a"),
    "Q014": (SHADOW_B, "teacher-b"),
    "Q015": ("staff.yaml", "teacher-b"),
    "Q016": ("qa/2026-11-10-teacher-a-observation.yaml", "teacher-a"),
    "X001": ("programme.yaml", "Autumn 1"),
    "X002": ("programme.yaml", "Autumn 1"),
    "X003": ("programme.yaml", "school"),
    "X004": ("programme.yaml", "teacher-a"),
    "X005": ("programme.yaml", "school"),
    "R008": (note_rel(2, "teacher-a", "teacher-b"), "teacher-b"),
    "R009": ("pairings.yaml", "teacher-b"),
}


def test_every_q_code_has_a_case() -> None:
    assert {c for c in CODES if c[0] in "QX"} | {"R008", "R009"} == set(CASES) == set(WHERE)


def test_base_has_no_gaps(coached: Path) -> None:
    res = invoke("qa", coached, "--today", TODAY, "--fail-on", "warning")
    assert res.exit_code == 0, res.stdout
    assert res.stdout.startswith("No problems found")
    assert res.stderr == ""


@pytest.mark.parametrize("code", sorted(CASES))
def test_gap_found(coached: Path, code: str) -> None:
    CASES[code][0](coached)
    exit_code, diags = qa_json(coached)
    mine = [d for d in diags if d["code"] == code]
    assert len(mine) == 1, diags
    d = mine[0]
    rel, subject = WHERE[code]
    assert d["path"] == f"{coached}/{rel}"
    assert d["subject"] == subject
    assert d["line"] > 0 and d["column"] > 0
    assert d["severity"] == CODES[code].severity
    assert exit_code == (1 if any(x["severity"] == "error" for x in diags) else 0)


@pytest.mark.parametrize("code", sorted(CASES))
def test_near_miss_is_not_a_gap(coached: Path, code: str) -> None:
    CASES[code][1](coached)
    _, diags = qa_json(coached)
    assert code not in {d["code"] for d in diags}, diags


def test_open_cycle_missing_note_is_not_yet_a_gap(coached: Path) -> None:
    write_files(coached, {note_rel(3, "teacher-a", "teacher-b"): None})
    res = invoke("qa", coached, "--format", "json", "--today", "2026-11-19")
    assert "Q003" not in {d["code"] for d in res.json()["diagnostics"]}
    write_files(coached, {"cycles/cycle-03.yaml": {"number": 3, "start": "2026-11-02",
                                            "end": "2026-11-20", "status": "closed"}})
    res = invoke("qa", coached, "--format", "json", "--today", "2026-11-19")
    assert "Q003" in {d["code"] for d in res.json()["diagnostics"]}


def test_half_term_follows_today(coached: Path) -> None:
    """An observation in Autumn 1 does not count for Autumn 2."""
    write_files(coached, {"qa/2026-11-10-teacher-b-observation.yaml": observation(
        "teacher-b", "2026-10-14")})
    _, diags = qa_json(coached)
    assert [d["message"] for d in diags if d["code"] == "Q001"] == [
        "coach 'teacher-b' has not been observed coaching in Autumn 2"]
    res = invoke("qa", coached, "--format", "json", "--today", "2026-10-16")
    assert [d["subject"] for d in res.json()["diagnostics"] if d["code"] == "Q001"] == [
        "teacher-a"]  # observed on 2026-11-10, after this --today


def test_fail_on(coached: Path) -> None:
    CASES["Q005"][0](coached)  # a warning only
    assert invoke("qa", coached, "--today", TODAY).exit_code == 0
    assert invoke("qa", coached, "--today", TODAY, "--fail-on", "warning").exit_code == 1
    CASES["Q003"][0](coached)  # an error
    assert invoke("qa", coached, "--today", TODAY).exit_code == 1


def test_formats_match_validate(coached: Path) -> None:
    CASES["Q005"][0](coached)
    rel = note_rel(2, "teacher-a", "teacher-b")
    concise = invoke("qa", coached, "--format", "concise", "--today", TODAY).stdout
    assert concise.splitlines() == [
        "Summary by code (count, then whom each concerns):",
        "  Q005 warning     1  note without rehearsal: teacher-a--teacher-b", "",
        f"{coached}/{rel}:11:12: Q005 teacher-a did not rehearse the step with teacher-b "
        "(cycle 2)", "1 warning in 1 of 19 files."]
    text = invoke("qa", coached, "--today", TODAY).stdout
    assert f"{coached}/{rel}:11:12: Q005 warning:" in text
    assert "rehearsed: false" not in text  # lines of notes are never echoed
    github = invoke("qa", coached, "--format", "github", "--today", TODAY).stdout
    assert github.splitlines()[3].startswith(f"::warning file={coached}/{rel},line=11,col=12,")
    assert "title=Q005 warning::" in github


def test_validation_errors_warn_but_report(coached: Path) -> None:
    write_files(coached, {"qa/broken.yaml": "kind: observation\ncoach: [\n",
                    note_rel(2, "teacher-a", "teacher-b"): note(
                        "teacher-a", "teacher-b", 2, rehearsed=False)})
    res = invoke("qa", coached, "--format", "concise", "--today", TODAY)
    assert res.stderr.strip() == (f"coachctl: warning: validate finds 1 error in {coached}; "
                                  "this covers what could be read")
    assert "Q005" in res.stdout


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "json"])
@pytest.mark.parametrize("gap", [False, True])
def test_incomplete_qa_never_says_all_is_well(coached: Path, fmt: str, gap: bool) -> None:
    """Issue 9: qa printed "No problems found" and exited 1 when validate found errors."""
    write_files(coached, {"qa/broken.yaml": "kind: observation\ncoach: [\n"})
    if gap:
        CASES["Q005"][0](coached)
    res = invoke("qa", coached, "--format", fmt, "--today", TODAY)
    assert res.exit_code == 1
    assert "No problems found" not in res.stdout
    if fmt == "json":
        summary = res.json()["summary"]
        assert summary["incomplete"] == (f"validate finds errors in {coached} (1 error); "
                                         "run `coachctl validate`")
    else:
        last = res.stdout.splitlines()[-1]
        assert last == ("1 warning in 1 of 20 files" if gap else "Nothing found in 20 files") \
            + f", but the check is incomplete: validate finds errors in {coached} (1 error); " \
            "run `coachctl validate`."


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
def test_summary_by_code_comes_first_with_counts_and_ids(coached: Path, fmt: str) -> None:
    CASES["Q005"][0](coached)
    CASES["Q003"][0](coached)
    out = invoke("qa", coached, "--format", fmt, "--today", TODAY).stdout.splitlines()
    assert out[0] == "Summary by code (count, then whom each concerns):"
    assert out[1] == ("  Q003 error       1  session note missing after its cycle ended: "
                      "teacher-a--teacher-b")
    assert out[2] == "  Q005 warning     1  note without rehearsal: teacher-a--teacher-b"
    assert out[3] == "" and "Q003" in out[4]
    doc = invoke("qa", coached, "--format", "json", "--today", TODAY).json()
    assert [(c["code"], c["count"]) for c in doc["by_code"]] == [("Q003", 1), ("Q005", 1)]
    assert doc["by_code"][1]["subjects"] == ["teacher-a--teacher-b"]
    assert "by_code" not in invoke("validate", coached, "--format", "json").json()


def test_the_summary_names_at_most_ten_then_counts_the_rest() -> None:
    from coachctl.diagnostics import make
    from coachctl.render.diagnostics import overview

    found = [make(CODES["Q007"], "stuck", "x.yaml", subject=f"t{i:02d}") for i in range(13)]
    assert overview(found)[1] == ("  Q007 warning    13  coachee stuck on one step: "
                                  + ", ".join(f"t{i:02d}" for i in range(10)) + " and 3 more")
    assert overview([]) == []


def test_usage_errors(coached: Path, tmp_path: Path) -> None:
    assert invoke("qa", coached, "--today", "23/11/2026").exit_code == 2
    assert invoke("qa", tmp_path / "nowhere").exit_code == 2
    assert invoke("qa", coached, "--fail-on", "info").exit_code == 2


def test_several_programmes(coached: Path, tmp_path: Path) -> None:
    CASES["Q005"][0](coached)
    res = invoke("qa", tmp_path, "--format", "json", "--today", TODAY)
    assert [d["code"] for d in res.json()["diagnostics"]] == ["Q005"]


# --- the example programmes: each planted imperfection (programmes/README.md) is found --

EXAMPLES = {
    "kingsmead-academy": [
        ("Q008", "pairings.yaml", "carmstrong", "'sgraham' (left"),
        ("Q004", "notes/cycle-01/bphillips--mchaudhry.yaml", "bphillips--mchaudhry", ""),
        ("Q005", "notes/cycle-02/hkhan--zhartley.yaml", "hkhan--zhartley", ""),
        ("Q003", "cycles/cycle-03.yaml", "epowell--dedwards",
         "notes/cycle-03/epowell--dedwards.yaml"),
        ("Q007", "notes/cycle-03/sward--miqbal.yaml", "miqbal", ""),
        ("Q001", "staff.yaml", "sanderson2", "Autumn 2"),
        ("Q002", "notes/cycle-01/aallen--hsharma.yaml", "aallen", "before shadowing"),
        ("Q011", "pairings.yaml", "hub-2", "only by others than its expert"),
        ("Q012", "staff.yaml", "bphillips", "write-up check"),
        ("Q013", "qa/2026-10-09-write-up-check-liqbal.yaml", "liqbal", "written by"),
        ("Q014", "qa/2026-09-03-shadowing-cakhtar.yaml", "cakhtar", "also a new coach"),
        ("Q015", "staff.yaml", "tpearson", "all live"),
        ("Q016", "qa/2026-11-05-observation-zreid.yaml", "zreid", "not rolled out"),
        ("X001", "programme.yaml", "Autumn 1", "fewer than 2 feedback"),
        ("X005", "programme.yaml", "school", "target 80%"),
    ],
    "ashby-vale-school": [
        ("Q008", "pairings.yaml", "zshaw", "'erees' (left"),
        ("Q005", "notes/cycle-01/slloyd--iharper.yaml", "slloyd--iharper", ""),
        ("Q004", "notes/cycle-02/ekennedy--usingh.yaml", "ekennedy--usingh", ""),
        ("Q003", "cycles/cycle-03.yaml", "nwright--aoconnor",
         "notes/cycle-03/nwright--aoconnor.yaml"),
        ("Q007", "notes/cycle-04/slloyd--gallen.yaml", "gallen", ""),
        ("Q001", "staff.yaml", "rhartley", "Autumn 2"),
        ("Q002", "notes/cycle-01/ekennedy--rphillips2.yaml", "ekennedy", "before shadowing"),
        ("Q016", "qa/2026-11-23-observation-rphillips.yaml", "rphillips", "not rolled out"),
        ("Q013", "qa/2026-10-09-write-up-check-eyoung.yaml", "eyoung", "written by"),
        ("Q012", "staff.yaml", "okelly", "write-up check"),
        ("X001", "programme.yaml", "Autumn 1", "fewer than 1 feedback"),
        ("X003", "programme.yaml", "school", "at least 70%"),
        ("X005", "programme.yaml", "school", "target 80%"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_imperfections_found(name: str) -> None:
    root = PROGRAMMES / name
    res = invoke("qa", root, "--format", "json", "--today", TODAY)
    assert res.exit_code == 1 and res.stderr == ""
    found = {(d["code"], d["path"], d["subject"]): d for d in res.json()["diagnostics"]}
    for code, rel, subject, words in EXAMPLES[name]:
        d = found.get((code, f"{root}/{rel}", subject))
        assert d is not None, (code, rel, subject, sorted(found))
        assert words in d["message"] and d["line"] > 0
    # each new check finds its planted gap and nothing else: the background keeps them
    new = Counter(d["code"] for d in res.json()["diagnostics"] if d["code"][:3] in ("Q01", "X00")
                  and d["code"] != "Q010")
    assert new == Counter(code for code, *_ in EXAMPLES[name] if code in new)


def test_pair_ended_before_the_coach_left_is_not_broken_by_it(coached: Path) -> None:
    """teacher-a stopped coaching teacher-b after cycle 1 and left in cycle 2: not Q008."""
    _pairings([{"coach": "teacher-a", "coachees": ["teacher-b"], "until_cycle": 1},
               {"coach": "teacher-b", "coachees": ["teacher-a"]}])(coached)
    write_files(coached, {note_rel(n, c, e): None for n in (2, 3) for c, e in PAIRS})
    _staff("teacher-a", left="2026-10-02")(coached)
    _, diags = qa_json(coached)
    assert "Q008" not in {d["code"] for d in diags}
    _staff("teacher-a", left="2026-11-04")(coached)  # left in cycle 3; the pair ended with 2
    _pairings([{"coach": "teacher-a", "coachees": ["teacher-b"], "until_cycle": 2},
               {"coach": "teacher-b", "coachees": ["teacher-a"]}])(coached)
    _, diags = qa_json(coached)
    assert "Q008" not in {d["code"] for d in diags}
    _pairings([{"coach": "teacher-a", "coachees": ["teacher-b"], "until_cycle": 3},
               {"coach": "teacher-b", "coachees": ["teacher-a"]}])(coached)
    _, diags = qa_json(coached)
    assert [d["subject"] for d in diags if d["code"] == "Q008"] == ["teacher-b"]


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "json"])
@pytest.mark.parametrize("broken", ["staff.yaml", "qa/broken.yaml", "warning only"])
def test_no_command_says_no_problems_beside_exit_1(coached: Path, fmt: str,
                                                    broken: str) -> None:
    """The class of issue 9's qa bug, over validate and note check too: whenever a check
    exits 1, its last line (or JSON summary) says why, never "No problems found"."""
    if broken == "warning only":
        CASES["Q005"][0](coached)
    else:
        write_files(coached, {broken: "kind: observation\ncoach: [\n"})
    rel = note_rel(2, "teacher-a", "teacher-b")
    runs = [("validate", coached, "--strict"), ("validate", coached, "--strict", "--quiet"),
            ("note", "check", "--strict", coached / rel),
            ("qa", coached, "--fail-on", "warning", "--today", TODAY)]
    for args in runs:
        res = invoke(*args, "--format", fmt)
        if res.exit_code != 1:
            continue
        assert "No problems found" not in res.stdout, args
        if fmt == "json":
            s = res.json()["summary"]
            assert s["errors"] or s["warnings"] or s["incomplete"], args


def test_a_check_of_a_note_validate_cannot_read_is_not_q013(coached: Path) -> None:
    """The note exists but is broken: validate reports it; qa does not say it is missing."""
    write_files(coached, {note_rel(2, "teacher-a", "teacher-b"): "coach: [teacher-a\n"})
    res = invoke("qa", coached, "--format", "json", "--today", TODAY)
    assert "Q013" not in {d["code"] for d in res.json()["diagnostics"]}
    write_files(coached, {note_rel(2, "teacher-a", "teacher-b"): None})
    res = invoke("qa", coached, "--format", "json", "--today", TODAY)
    assert "Q013" in {d["code"] for d in res.json()["diagnostics"]}


def test_an_expectation_is_located_at_its_own_line() -> None:
    """X codes point at the number the school committed to, in programme.yaml."""
    root = PROGRAMMES / "kingsmead-academy"
    lines = (root / "programme.yaml").read_text(encoding="utf-8").splitlines()
    res = invoke("qa", root, "--format", "json", "--today", TODAY)
    for d in res.json()["diagnostics"]:
        key = {"X001": "  feedback_per_half_term:", "X005": "  completion_target:"}.get(d["code"])
        if key:
            assert lines[d["line"] - 1].startswith(key), d
            assert lines[d["line"] - 1][d["column"] - 1].isdigit()  # at the number itself
