"""The schedule's next Teach Meet and CPL carry the training plan's focus (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from coachctl.reports import training
from tests.conftest import PROGRAMMES, invoke
from tests.test_training import PLANTED

TODAY = "2026-11-23"  # the next Teach Meet is on 2026-11-26; the last was 2026-11-05


def titles(name: str, *args: str) -> dict[str, str]:
    res = invoke("schedule", PROGRAMMES / name, "--today", TODAY, "--format", "json", *args)
    assert res.exit_code == 0, res.stderr
    return {r["start"][:10] + " " + r["kind"] + " " + r["event"][:9]: r["event"]
            for r in res.json()["rows"] if r["kind"] in ("teach-meet", "cpl")}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_the_next_cpl_names_the_planted_step_and_past_ones_their_record(name: str) -> None:
    step = PLANTED[name][0]
    shown = titles(name, "--from", "2026-11-01", "--to", "2026-12-20")
    nxt = [t for k, t in shown.items() if k.startswith("2026-11-26")]
    meet = next(t for t in nxt if t.startswith("Teach Meet"))
    assert meet.split(": ", 1)[1].split(", ")[0].endswith(f"({step})")  # ranked first
    assert any(t.startswith("CPL 1/3") and f"({step})" in t for t in nxt)
    assert all("(" not in t or "partner" in t for t in nxt if "CPL 2/3" in t or "CPL 3/3" in t)
    recorded = next(t for k, t in shown.items() if k.startswith("2026-11-05 teach-meet"))
    ids = yaml.safe_load((PROGRAMMES / name / "training" / "2026-11-05.yaml").read_text())[
        "focus"]
    assert [part.rsplit("(", 1)[1].rstrip(")") for part in
            recorded.split(": ", 1)[1].split(", ")] == ids
    later = [t for k, t in shown.items() if k.startswith("2026-12") and "teach-meet" in k]
    assert later and all(":" not in t for t in later)  # no plan yet for later meetings


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_table_json_and_ics_agree(name: str) -> None:
    step = PLANTED[name][0]
    meet = next(t for k, t in titles(name).items()
                if k.startswith("2026-11-26") and t.startswith("Teach Meet"))
    table = invoke("schedule", PROGRAMMES / name, "--today", TODAY, "--from", "2026-11-26",
                   "--to", "2026-11-26")
    assert f"({step})" in table.stdout
    ics = invoke("schedule", PROGRAMMES / name, "--today", TODAY, "--format", "ics")
    unfolded = ics.stdout.replace("\r\n ", "").replace("\\,", ",")
    assert f"SUMMARY:{meet}\r\n" in unfolded


def test_the_plan_is_computed_only_when_the_next_meeting_is_shown(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = training.plan

    def counted(*a: Any, **k: Any) -> training.Plan:
        calls.append(a)
        return real(*a, **k)

    monkeypatch.setattr(training, "plan", counted)
    name = "kingsmead-academy"
    for args in (("--staff", "aosei", "--cycle", "2"), ("--from", "2027-01-04")):
        assert invoke("schedule", PROGRAMMES / name, "--today", TODAY, *args).exit_code == 0
    assert calls == []
    assert invoke("schedule", PROGRAMMES / name, "--today", TODAY).exit_code == 0
    assert len(calls) == 1
