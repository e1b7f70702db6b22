"""Units and values say what they are (issue 9): every terminal table says its units under it,
`cycle status` counts teaching days by that name, and CSV booleans read as the table's."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from tests.conftest import copy_example, invoke

TODAY = "2026-11-23"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("units") / "ashby"
    copy_example("ashby-vale-school", root)
    return root


@pytest.mark.parametrize(("args", "units"), [
    (("stats", "--by", "role"), ["planned ... missing: sessions", "% of complete notes",
                                 "steps per coachee", "cycles, on average",
                                 "completion of each ended cycle, in %, in cycle order: 1 2 3",
                                 "teaching_days_left: school days"]),
    (("stats",), ["planned ... missing: sessions", "cycles, on average"]),
    (("cycle", "status"), ["teaching_days_left: school days (no weekends, holidays or "
                           "closures) from 2026-11-23 to 2026-11-27, both included"]),
    (("staff", "show", "gallen"), ["sessions: pairs due in the cycles started by 2026-11-23",
                                   "secured: yes or no", "cycles: how many cycles on the step",
                                   "by: the staff id"]),
    (("schedule",), ["when: a window's first and last days, both included",
                     "school time (Europe/London)"]),
])
def test_every_terminal_table_says_its_units(example: Path, args: tuple[str, ...],
                                             units: list[str]) -> None:
    res = invoke(*args, example, *(("--today", TODAY) if args[0] != "schedule" else ()))
    assert res.exit_code == 0, res.stderr
    for unit in units:
        assert unit in res.stdout, unit


def test_cycle_status_counts_teaching_days_and_booleans_read_alike(example: Path) -> None:
    args = ("cycle", "status", example, "--today", TODAY)
    doc = invoke(*args, "--format", "json").json()
    assert "teaching_days_left" in doc["columns"] and "days_left" not in doc["columns"]
    rows = list(csv.DictReader(io.StringIO(invoke(*args, "--format", "csv").stdout)))
    table = invoke(*args).stdout
    for j, c in zip(doc["rows"], rows, strict=True):
        assert c["happened"] == ("yes" if j["happened"] else "no")
        left = j["teaching_days_left"]
        assert c["teaching_days_left"] == ("" if left is None else str(left))
    assert {r["happened"] for r in rows} == {"yes", "no"}
    assert " yes " in table and " no " in table
    # Monday of the cycle's last week: five school days, today and Friday included
    assert {r["teaching_days_left"] for r in rows if r["session"] == "stub"} == {"5"}


def test_english_bank_holidays_follow_the_proclamations() -> None:
    """Moved and extra bank holidays come from the `holidays` library, not a rule of thumb."""
    from coachctl.calendar import english_bank_holidays, english_year

    def days(year: int) -> set[dt.date]:
        return {d for d, _ in english_bank_holidays(dt.date(year, 1, 1), dt.date(year, 12, 31))}

    assert dt.date(2020, 5, 8) in days(2020) and dt.date(2020, 5, 4) not in days(2020)
    assert dt.date(2022, 9, 19) in days(2022)  # the state funeral
    assert dt.date(2023, 5, 8) in days(2023)  # the coronation
    closed = {c.start for c in english_year(2022).closures if c.kind == "bank-holiday"}
    assert {dt.date(2022, 9, 19), dt.date(2023, 5, 1), dt.date(2023, 5, 8)} <= closed
    closed = {c.start for c in english_year(2019).closures if c.kind == "bank-holiday"}
    assert dt.date(2020, 5, 8) in closed and dt.date(2020, 5, 4) not in closed
