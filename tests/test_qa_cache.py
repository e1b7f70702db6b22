"""`coachctl qa` from the cache: output byte-identical to a cold run, no data loaded on a hit,
and every change that could alter a gap (a note, programme.yaml, the day, qa's code) noticed."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from coachctl import cache, codeprint, reading, validation
from coachctl.datewatch import WatchedDate
from coachctl.reports import qa as qa_report
from tests.conftest import Result, invoke, other_code, write_files
from tests.test_cache import age
from tests.test_qa import CASES, TODAY, coached, edit, note, note_rel

__all__ = ["coached"]  # the fixture, used by name


def run(root: Path, today: str = TODAY, fmt: str = "concise") -> Result:
    return invoke("qa", root, "--format", fmt, "--today", today)


def cold(root: Path, today: str = TODAY, fmt: str = "concise") -> Result:
    shutil.rmtree(root / cache.DIR, ignore_errors=True)
    return run(root, today, fmt)


def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Programmes whose gaps are computed (not taken from the cache) from here on."""
    calls: list[str] = []
    real = validation._checked

    def spy(root: Path, *args: object, **kw: object) -> validation.Checked:
        calls.append(root.name)
        return real(root, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "_checked", spy)
    return calls


def forbid_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kw: object) -> None:
        raise AssertionError("the programme's data was loaded")

    monkeypatch.setattr(validation, "load", boom)
    monkeypatch.setattr(reading, "read_chunk", boom)


@pytest.fixture
def gappy(coached: Path) -> Path:
    """Gaps of several kinds, located in several files, a reused validate finding (R009) and
    a validate error (S001), which qa warns about on stderr."""
    for code in ("Q001", "Q002", "Q005", "R009"):
        CASES[code][0](coached)
    write_files(coached, {note_rel(1, "teacher-b", "teacher-a"): note(
        "teacher-b", "teacher-a", 1, colour="red")})
    return coached


@pytest.mark.parametrize("fmt", ["concise", "text", "json", "github"])
def test_warm_is_byte_identical_to_cold_and_loads_nothing(
        gappy: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    age(gappy)
    first = cold(gappy, fmt=fmt)
    assert first.exit_code == 1 and "validate finds 1 error" in first.stderr
    assert (gappy / cache.DIR / qa_report.CACHED).is_file()
    forbid_loading(monkeypatch)
    warm = run(gappy, fmt=fmt)
    assert (warm.stdout, warm.stderr, warm.exit_code) == (first.stdout, first.stderr, 1)
    if fmt == "concise":
        for code in ("Q001", "Q002", "Q005", "R009"):
            assert f" {code} " in warm.stdout
        assert ":0:0:" not in warm.stdout  # every gap located


def test_changed_note_is_noticed(gappy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = cold(gappy).stdout
    assert " Q006 " not in before
    write_files(gappy, {note_rel(1, "teacher-a", "teacher-b"): note(
        "teacher-a", "teacher-b", 1, precise_praise=None)})
    calls = computed(monkeypatch)
    after = run(gappy).stdout
    assert calls and " Q006 " in after
    assert after == cold(gappy).stdout


def test_changed_programme_yaml_is_noticed(coached: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    CASES["Q007"][0](coached)
    assert " Q007 " in cold(coached).stdout
    edit(coached, "programme.yaml", lambda d: d["thresholds"].update(stuck_after_cycles=4))
    calls = computed(monkeypatch)
    after = run(coached).stdout
    assert calls and " Q007 " not in after
    assert after == cold(coached).stdout


def test_another_day_hits_until_today_crosses_a_date_qa_depends_on(
        gappy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold(gappy)  # Monday 2026-11-23, Autumn 2, cycle 3 (the last) ended on the 20th
    calls = computed(monkeypatch)
    assert run(gappy, "2026-12-04").stdout == cold(gappy, "2026-12-04").stdout
    calls.clear()
    for day in ("2026-11-23", "2026-12-01", "2026-11-21"):  # the same half term, after cycle 3
        assert run(gappy, day).stdout == run(gappy, "2026-12-04").stdout
    assert calls == []
    for day, what in (("2026-11-19", "cycle 3 not yet ended"),
                      ("2027-01-06", "a new half term, Spring 1"),
                      ("2026-10-16", "Autumn 1, cycle 2 the current one")):
        calls.clear()
        warm = run(gappy, day)
        assert calls == ["prog"], what
        assert warm.stdout == cold(gappy, day).stdout, what
    assert " Q001 " in run(gappy, "2027-01-06").stdout  # nobody observed yet in Spring 1


def test_a_change_to_qa_code_recomputes_gaps_but_reads_no_file(
        gappy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    age(gappy)
    first = cold(gappy)
    real = codeprint.fingerprint
    other_code(monkeypatch, lambda code=codeprint.CHECKING: (
        real(code) + "-edited" if code == qa_report.__name__ else real(code)))
    calls = computed(monkeypatch)
    monkeypatch.setattr(cache.Store, "_confirm", lambda *a: pytest.fail("a file was read"))
    monkeypatch.setattr(reading, "read_chunk", lambda *a: pytest.fail("a file was parsed"))
    assert run(gappy).stdout == first.stdout
    assert calls == ["prog"]
    calls.clear()
    assert run(gappy).stdout == first.stdout  # saved again under the new code
    assert calls == []


@pytest.mark.parametrize("damage", [b"", b"\x93\xa8coachctl", b"not msgpack at all"])
def test_damaged_qa_cache_is_ignored(gappy: Path, damage: bytes) -> None:
    first = cold(gappy)
    (gappy / cache.DIR / qa_report.CACHED).write_bytes(damage)
    assert run(gappy).stdout == first.stdout
    assert run(gappy).stdout == first.stdout


def test_gaps_are_the_same_on_every_day_of_their_span(coached: Path) -> None:
    """The span a cached answer is reused over never holds a day on which qa answers otherwise."""
    for code in ("Q001", "Q002", "Q008"):
        CASES[code][0](coached)
    checked = validation.check_programme(coached, "prog", cache=False)
    first, last = dt.date(2026, 8, 1), dt.date(2027, 9, 1)
    days = [first + dt.timedelta(n) for n in range((last - first).days)]
    answers = {d: qa_report.find_gaps(checked, d) for d in days}
    spans = set()
    for d in days:
        watched = WatchedDate.of(d)
        assert qa_report.find_gaps(checked, watched) == answers[d]
        lo, hi = watched.span
        spans.add((lo, hi))
        for other in days:
            if lo <= other.toordinal() <= hi:
                assert answers[other] == answers[d], (d, other)
    assert len({tuple(a) for a in answers.values()}) > 3  # the answer does change with the day
    assert len(spans) < len(days) / 5  # and most days share their answer with many others


def test_no_private_text_is_copied_into_the_qa_cache(coached: Path) -> None:
    write_files(coached, {note_rel(2, "teacher-a", "teacher-b"): note(
        "teacher-a", "teacher-b", 2, rehearsed=False, precise_praise="SECRET-PRAISE",
        next_steps="SECRET-NEXT")})
    edit(coached, "qa/2026-11-10-teacher-a-observation.yaml",
         lambda d: d.update(feedback="SECRET-FEEDBACK"))
    assert " Q005 " in cold(coached).stdout
    stored = (coached / cache.DIR / qa_report.CACHED).read_bytes()
    assert b"Q005" in stored and b"SECRET" not in stored


def test_qa_code_fingerprint_covers_every_module_qa_imports() -> None:
    import sys

    sources = {p.resolve() for p in codeprint._sources(qa_report.__name__)}
    used = {Path(str(mod.__file__)).resolve() for name, mod in sys.modules.items()
            if name.startswith("coachctl.") and getattr(mod, "__file__", None)
            and name in _imported_by(qa_report)}
    assert used and used <= sources
    assert any(p.name == "sessions.py" for p in sources)


def _imported_by(module: object) -> set[str]:
    """Names of the coachctl modules a module uses directly (its globals' home modules)."""
    import inspect

    out = set()
    for value in vars(module).values():
        home = value.__name__ if inspect.ismodule(value) else getattr(value, "__module__", None)
        if isinstance(home, str) and home.startswith("coachctl."):
            out.add(home)
    return out
