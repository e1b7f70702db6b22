"""The synthetic generator: deterministic, valid, and planting exactly the gaps it reports."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from coachctl import synth
from coachctl.calendar import SchoolCalendar
from coachctl.journeys import journeys
from coachctl.lifecycle import stub_header
from coachctl.programme import Programme
from coachctl.sessions import Session, sessions
from coachctl.synth.output import NoteYaml
from coachctl.validation import check_programme
from coachctl.yamlout import note_text
from tests.conftest import invoke

TODAY = dt.date(2026, 11, 23)
KINDS = {"leaver", "missed-session", "missing-note", "no-rehearsal", "stub-in-closed-cycle",
         "stuck-coachee", "coach-not-observed", "coached-before-shadowing"}
QA_KINDS = {"write-ups-never-checked", "write-up-check-names-another-note",
            "focus-not-rolled-out", "new-shadows-new", "one-mode-only", "hub-qa-not-by-expert",
            "training-need", "directive-drift", "late-feedback"}
"""Planted where the school's set-up allows: hubs, two new coaches, both modes asked for,
two coaches free of other plants (the session fields, issue 13)."""


PLANTED_ON_A_COACHEE = ("missed-session", "missing-note", "no-rehearsal",
                        "stub-in-closed-cycle", "stuck-coachee")


def ended_sessions(prog: Programme) -> list[Session]:
    return list(sessions(prog, [c for c in prog.cycles.values() if c.status == "closed"]))


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module", params=["hubs", "leader-led", "reciprocal"])
def generated(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, synth.Generated, Programme]:
    root = tmp_path_factory.mktemp("gen") / request.param
    result = synth.generate_programme(root, school="Test Academy", start_year=2026, staff=30,
                                      model=request.param, today=TODAY, seed=7)
    checked = check_programme(root)
    assert [d.code for d in checked.diagnostics] == []
    return root, result, checked.programme


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    args = {"school": "S", "staff": 25, "model": "hubs", "today": TODAY}
    synth.generate_programme(tmp_path / "a", seed=3, **args)  # type: ignore[arg-type]
    synth.generate_programme(tmp_path / "b", seed=3, **args)  # type: ignore[arg-type]
    synth.generate_programme(tmp_path / "c", seed=4, **args)  # type: ignore[arg-type]
    a, b, c = (files_of(tmp_path / x) for x in "abc")
    assert a == b
    assert a != c


def test_programme_validates_and_plants_every_gap(generated: tuple[Path, synth.Generated,
                                                                  Programme]) -> None:
    _root, result, prog = generated
    kinds = {m["kind"] for m in result.manifest}
    assert kinds >= KINDS and kinds - KINDS <= QA_KINDS
    assert {"write-ups-never-checked", "write-up-check-names-another-note",
            "focus-not-rolled-out"} <= kinds
    if prog.pairings.hubs:
        assert {"hub-qa-not-by-expert", "one-mode-only"} <= kinds
    assert result.notes == len(prog.notes)
    assert prog.settings is not None
    assert [c.status for c in prog.cycles.values()] == ["closed"] * 3 + ["open"]
    statuses = Counter(n.status for n in prog.notes if n.cycle == 4)
    assert statuses["stub"] and statuses["complete"]
    assert any(n.path.endswith("-dropin-1.yaml") for n in prog.notes)


def test_each_planted_gap_is_where_the_manifest_says(generated: tuple[Path, synth.Generated,
                                                                     Programme]) -> None:
    root, result, prog = generated
    notes = {n.path: n for n in prog.notes}
    plants = {m["kind"]: m for m in result.manifest}
    assert notes[plants["missed-session"]["file"]].status == "missed"
    assert yaml.safe_load((root / plants["missed-session"]["file"]).read_text())["missed_reason"]
    assert not (root / plants["missing-note"]["file"]).exists()
    assert notes[plants["no-rehearsal"]["file"]].rehearsed is False
    stub = notes[plants["stub-in-closed-cycle"]["file"]]
    assert stub.status == "stub" and prog.cycles[stub.cycle].status == "closed"
    stuck = plants["stuck-coachee"]["person"]
    journey = journeys(prog.notes)[stuck]
    assert prog.settings is not None  # for the type checker: the generated settings read
    assert journey.cycles_on_current_step() >= prog.settings.thresholds.stuck_after_cycles
    assert journey.notes[-1].path == plants["stuck-coachee"]["file"]

    leaver = prog.staff[plants["leaver"]["person"]]
    assert leaver.left is not None and leaver.left < TODAY
    assert all(n.date <= leaver.left for n in prog.notes
               if leaver.id in (n.coach, n.coachee) and n.date)
    assert not [p for p in prog.pairings.pairs(4) if leaver.id in (p.coach, p.coachee)], \
        "the leaver's pairings end with their last cycle (as `staff leave` ends them)"
    broken = [p.coachee for p in prog.pairings.pairs() if p.coach == leaver.id]
    assert broken, "the leaver coached someone"
    for coachee in broken:  # ... who stays unpaired (not re-paired to anyone else)
        assert not [p for p in prog.pairings.pairs(4) if p.coachee == coachee]

    cal = SchoolCalendar(prog.settings.calendar)
    half_term = cal.period_of(TODAY, "half-term")
    unobserved = plants["coach-not-observed"]["person"]
    observed = {q.coach for _, q in prog.qa
                if q.kind == "observation" and cal.period_of(q.date, "half-term") == half_term}
    assert unobserved not in observed
    assert prog.staff[unobserved].coach and len(observed) > 5

    drift, slow = plants["directive-drift"]["person"], plants["late-feedback"]["person"]
    chose = Counter(n.step_chosen_by for n in prog.notes if n.status == "complete")
    assert chose["coach"] < chose["together"] + chose["coachee"]  # a minority, but ...
    assert {n.step_chosen_by for n in prog.notes if n.coach == drift
            and n.status == "complete"} == {"coach"}  # ... this coach tells, every time
    gaps = [(n.date - n.observed).days for n in prog.notes
            if n.status == "complete" and n.observed and n.date]
    assert gaps and min(gaps) >= 0 and sorted(gaps)[len(gaps) // 2] <= 3
    assert max((n.date - n.observed).days for n in prog.notes
               if n.coach == slow and n.observed and n.date) >= 8

    late = plants["coached-before-shadowing"]
    shadow = dict(prog.qa)[late["file"]]
    first = min(n.date for n in prog.notes if n.coach == late["person"] and n.date
                and n.status == "complete")
    assert shadow.kind == "shadowing" and first < shadow.date


def test_background_follows_the_realism_profile(
        generated: tuple[Path, synth.Generated, Programme]) -> None:
    _root, result, prog = generated
    assert prog.settings is not None
    profile = result.profiles[""]
    assert profile == synth.PROFILES[prog.settings.pairing_model]
    spared = {m["person"] for m in result.manifest if m["kind"] in PLANTED_ON_A_COACHEE}
    ended = [s for s in ended_sessions(prog) if s.coachee not in spared]
    states = Counter(s.state for s in ended)
    assert states["missed"] and states["stub"] and states["missing"]
    assert abs(states["done"] / len(ended) - profile.completion) < 0.15
    complete = [n for n in prog.notes if n.status == "complete" and n.coachee not in spared]
    rehearsed = sum(bool(n.rehearsed) for n in complete) / len(complete)
    assert abs(rehearsed - profile.rehearsal) < 0.15  # a few coaches: a wide margin
    assert 0 < sum(not n.has_praise for n in complete) < len(complete) * 0.2
    assert any(not n.modelled for n in complete)
    jumped = [b for j in journeys(prog.notes).values() for a, b in pairwise(j.notes)
              if a.action_step != b.action_step and a.action_step not in j.secured]
    assert jumped, "some coaches move on before a step is secure"


def test_planted_people_carry_only_their_gap(
        generated: tuple[Path, synth.Generated, Programme]) -> None:
    _root, result, prog = generated
    planted = {m["person"]: m["file"] for m in result.manifest
               if m["kind"] in PLANTED_ON_A_COACHEE}
    assert len(planted) == len(PLANTED_ON_A_COACHEE)
    theirs = [s for s in ended_sessions(prog) if s.coachee in planted]
    assert theirs
    for s in theirs:
        assert s.state == "done" or s.path == planted[s.coachee], s
    for n in prog.notes:
        if n.coachee in planted and n.status == "complete" and n.path != planted[n.coachee]:
            assert n.rehearsed and n.has_praise, n.path


def test_other_new_coaches_shadow_first(generated: tuple[Path, synth.Generated,
                                                         Programme]) -> None:
    _root, result, prog = generated
    late = {m["person"] for m in result.manifest if m["kind"] == "coached-before-shadowing"}
    new = [p.id for p in prog.staff.values() if p.new_coach and p.id not in late]
    assert new
    shadowed = {q.coach: q.date for _, q in prog.qa if q.kind == "shadowing"}
    for pid in new:
        coached = [n.date for n in prog.notes if n.coach == pid and n.status == "complete"
                   and n.date]
        assert all(shadowed[pid] < d for d in coached)


def test_notes_follow_the_journey_and_stubs_carry_the_current_step(
        generated: tuple[Path, synth.Generated, Programme]) -> None:
    _root, result, prog = generated
    assert prog.sequence is not None
    seq = prog.sequence_ids
    stuck = {m["person"] for m in result.manifest if m["kind"] == "stuck-coachee"}
    for coachee, journey in journeys(prog.notes).items():
        if coachee not in stuck:
            assert journey.cycles_on_current_step() < 3
    secured = [len(j.secured) for j in journeys(prog.notes).values()]
    assert max(secured) >= 1
    stubs = [n for n in prog.notes if n.status == "stub"]
    assert {n.cycle for n in stubs} > {max(prog.cycles)}  # ended cycles keep stubs too
    for n in stubs:  # the step current when the cycle opened, as `cycle start` writes it
        before = [x for x in prog.notes if x.coachee == n.coachee and x.cycle < n.cycle]
        done = journeys(before)
        assert n.action_step == (done[n.coachee].current_step(seq) if n.coachee in done
                                 else seq[0])
    for n in prog.notes:
        if n.status == "complete":
            assert n.action_step in seq and n.has_next_steps


def test_pairings_change_mid_year_and_respect_loads(
        generated: tuple[Path, synth.Generated, Programme]) -> None:
    _root, _result, prog = generated
    spans = [*prog.pairings.groups, *prog.pairings.reciprocal]
    assert any(s.until_cycle for s in spans) and any(s.from_cycle > 1 for s in spans)
    for cycle in prog.cycles:
        load: dict[str, int] = defaultdict(int)
        for p in prog.pairings.pairs(cycle):
            load[p.coach] += 1
        assert max(load.values()) <= 4
    if prog.settings and prog.settings.pairing_model == "hubs":
        assert all(len(h.coaches) >= 3 for h in prog.pairings.hubs)
        assert all(prog.staff[h.expert].expert_coach for h in prog.pairings.hubs)


def test_without_imperfections_nothing_is_planted(tmp_path: Path) -> None:
    result = synth.generate_programme(tmp_path / "p", school="S", staff=20, model="reciprocal",
                                      today=TODAY, seed=2, imperfections=False)
    assert result.manifest == []
    prog = check_programme(tmp_path / "p").programme
    assert all(p.left is None for p in prog.staff.values())
    closed = [n for n in prog.notes if prog.cycles[n.cycle].status == "closed"]
    assert {n.status for n in closed} == {"complete"} and all(n.rehearsed for n in closed)
    assert all(n.has_praise for n in closed)
    assert {s.state for s in ended_sessions(prog)} == {"done"}


def test_a_past_year_is_complete_and_closed(tmp_path: Path) -> None:
    synth.generate_programme(tmp_path / "p", school="S", start_year=2024, staff=14,
                             model="leader-led", today=TODAY, seed=5)
    checked = check_programme(tmp_path / "p")
    assert checked.diagnostics == []
    cycles = checked.programme.cycles
    assert len(cycles) >= 10 and {c.status for c in cycles.values()} == {"closed"}


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(synth.GenerateError):
        synth.generate_programme(tmp_path, school="S", staff=20, today=TODAY)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_fast_note_yaml_matches_the_template_writer() -> None:
    fast = NoteYaml()
    note = {"coach": "asmith", "coachee": "no", "cycle": 3, "status": "complete",
            "date": dt.date(2026, 10, 1), "observation": None, "precise_praise": "x: y " * 30,
            "action_step": "rt-01", "step_secured": True, "modelled": False}
    header = stub_header("asmith", "no", 3)
    assert fast(note) == note_text(note, header) == fast(note)
    assert yaml.safe_load(fast(note))["precise_praise"] == "x: y " * 30 + "\n"
    assert yaml.safe_load(fast(note))["coachee"] == "no"  # quoted, not read as false


def test_small_trust_validates_with_stable_ids(tmp_path: Path) -> None:
    out = tmp_path / "trust"
    result = synth.generate_trust(out, schools=2, years=2, seed=1, today=TODAY,
                                  notes_per_year=300, staff=(20, 24))
    assert result.programmes == 4
    schools = sorted(p.name for p in out.iterdir())
    assert len(schools) == 2
    assert sorted(p.name for p in (out / schools[0]).iterdir()) == ["2025-26", "2026-27"]
    staff = {}
    for year in ("2025-26", "2026-27"):
        checked = check_programme(out / schools[0] / year)
        assert checked.diagnostics == []
        staff[year] = {p.id: p.name for p in checked.programme.staff.values()}
    same = staff["2025-26"].keys() & staff["2026-27"].keys()
    assert len(same) > 15 and all(staff["2025-26"][i] == staff["2026-27"][i] for i in same)
    assert result.notes == sum(1 for _ in out.rglob("notes/*/*.yaml"))


def test_trust_schools_differ_in_completion_but_keep_their_size(tmp_path: Path) -> None:
    """Each school draws its completion; drop-ins keep a full year near notes_per_year."""
    out = tmp_path / "trust"
    result = synth.generate_trust(out, schools=4, years=2, seed=2, today=TODAY,
                                  notes_per_year=300, staff=(20, 24))
    assert len(result.profiles) == 4 * 2
    completion = {k: p.completion for k, p in result.profiles.items()}
    assert all(0.4 <= c <= 0.85 for c in completion.values())
    assert max(completion.values()) - min(completion.values()) > 0.1
    for folder in (k for k in result.profiles if k.endswith("2025-26")):
        notes = sum(1 for _ in (out / folder).rglob("notes/*/*.yaml"))
        assert 240 < notes < 360, (folder, notes)
        done = Counter(s.state for s in ended_sessions(check_programme(out / folder).programme))
        assert done["done"] < sum(done.values())


def test_cli_programme_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    res = invoke("generate", "programme", out, "--school", "Demo School", "--staff", "20",
                 "--model", "leader-led", "--seed", "3", "--today", "2026-11-23", "--manifest")
    assert res.exit_code == 0, res.stderr
    assert "stuck-coachee" in res.stdout
    assert res.stdout.splitlines()[-1].startswith(f"wrote 1 programme in {out.as_posix()}: ")
    assert invoke("validate", "--strict", out).exit_code == 0
    low = tmp_path / "low"
    res = invoke("generate", "programme", low, "--school", "Demo School", "--staff", "20",
                 "--model", "leader-led", "--seed", "3", "--today", "2026-11-23",
                 "--completion", "0.2")
    assert res.exit_code == 0, res.stderr
    done = {root: Counter(s.state for s in ended_sessions(check_programme(root).programme))
            for root in (out, low)}
    assert done[low]["done"] < done[out]["done"]
    assert invoke("generate", "programme", tmp_path / "y", "--completion", "1.5").exit_code == 2
    again = invoke("generate", "programme", out, "--today", "2026-11-23")
    assert again.exit_code == 2 and "not an empty folder" in again.stderr
    bad = invoke("generate", "programme", tmp_path / "x", "--model", "pyramid")
    assert bad.exit_code == 2


def test_cli_trust_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "trust"
    res = invoke("generate", "trust", out, "--schools", "1", "--years", "1",
                 "--notes-per-year", "100", "--today", "2026-11-23")
    assert res.exit_code == 0, res.stderr
    assert "1 programmes (1 schools x 1 years)" in res.stdout
    assert invoke("validate", "--strict", out).exit_code == 0
    assert invoke("generate", "trust", tmp_path / "t2", "--schools", "0").exit_code == 2


def test_completion_help_names_each_profile() -> None:
    text = " ".join(invoke("generate", "programme", "--help").stdout.split())
    for model, profile in synth.PROFILES.items():
        assert f"{model} {profile.completion}" in text
