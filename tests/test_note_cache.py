"""`note check` keeps its answer (issue 15): notes unchanged since the last check, with the
files they refer to, are answered from the programme's cache; a changed note is checked
with the rules that can report on a note, against what the cache kept of the rest.

Every answer must be the one the full check gives: every rule, every file read, no cache
(:func:`reference`, what `note check` did before), on the examples, on every failing
fixture of tests/test_codes.py, and after an edit to the note, to staff.yaml or to its
cycle's file; in every format, cold and warm.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from coachctl import checks
from coachctl.cache import DIR, PART
from coachctl.diagnostics import Diagnostic
from coachctl.loader import load, locate
from coachctl.validation import check_programme
from tests.conftest import copy_example, invoke
from tests.test_codes import FIXTURES, base, plant

FORMATS = ("text", "concise", "json", "github")


def reference(root: Path, rels: list[str]) -> list[Diagnostic]:
    """What `note check` answered before it kept anything: every rule, every file read."""
    prog = load(root, None, only=rels)
    named = {prog.path(rel) for rel in rels}
    found = locate([d for d in prog.diagnostics + checks.run(prog, named) if d.path in named],
                   prog)
    return sorted(found, key=Diagnostic.sort_key)


def cold_and_warm(root: Path, rels: list[str]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The answer with nothing kept (checked, then kept), and the answer kept."""
    shutil.rmtree(root / DIR, ignore_errors=True)
    cold = check_programme(root, only=rels).diagnostics
    assert (root / DIR / PART[1]).is_file() or not _plain(root, rels)
    return cold, check_programme(root, only=rels).diagnostics


def _plain(root: Path, rels: list[str]) -> bool:
    """Whether every file read is a regular file (else nothing is kept: see Store.result)."""
    from coachctl.files import part_files

    return all(os.path.isfile(root / rel) and not os.path.islink(root / rel)
               for rel in part_files(root, rels))


def records(root: Path) -> list[str]:
    """Every file under notes/ and qa/ (links, pipes and all), programme-relative."""
    found = []
    for folder in ("notes", "qa"):
        for top, dirs, files in os.walk(root / folder):
            found += [Path(top, f).relative_to(root).as_posix() for f in files + [
                d for d in dirs if os.path.islink(Path(top, d))]]
    return sorted(found)


def age(root: Path, seconds: int = 86_400) -> None:
    """Every file's mtime a day back: a kept answer is then trusted on the stat alone
    (files modified just before it was kept are confirmed by their digests)."""
    when = os.stat(root / "programme.yaml").st_mtime - seconds
    for top, _, files in os.walk(root):
        for f in files:
            path = Path(top, f)
            if not path.is_symlink() and path.is_file():
                os.utime(path, (when, when))


def named_sets(root: Path, where: str | None = None) -> Iterator[list[str]]:
    every = records(root)
    yield from ([rel] for rel in every)
    yield every
    if where is not None and os.path.lexists(root / where):
        yield [where]


@pytest.mark.parametrize("code", sorted(FIXTURES))
def test_the_kept_answer_is_the_full_checks_on_every_fixture(programme: Path,
                                                            code: str) -> None:
    root = base(programme)
    where = plant(root, code)
    for aged in (False, True):
        if aged:
            age(root)
        for rels in named_sets(root, where):
            expected = reference(root, rels)
            assert cold_and_warm(root, rels) == (expected, expected), (code, rels, aged)


def _note_check(root: Path, files: list[Path], fmt: str) -> tuple[int, str, str]:
    res = invoke("note", "check", "--format", fmt, *files)
    return res.exit_code, res.stdout, res.stderr


@pytest.mark.parametrize("code", sorted(FIXTURES))
def test_note_check_prints_what_it_printed_on_every_fixture(
        programme: Path, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Byte for byte, each format: the full check (every rule, nothing kept) first, then
    the same files with nothing kept, then kept."""
    root = base(programme)
    where = plant(root, code)
    named = [root / rel for rel in dict.fromkeys([*records(root), where])
             if (root / rel).is_file() and not (root / rel).is_symlink()]
    if not named:
        return
    for fmt in FORMATS:
        with monkeypatch.context() as m:
            m.setattr(checks, "record_checks", checks.all_checks)
            shutil.rmtree(root / DIR, ignore_errors=True)
            full = _note_check(root, named, fmt)
        shutil.rmtree(root / DIR, ignore_errors=True)
        assert _note_check(root, named, fmt) == full, (code, fmt)
        assert (root / DIR / PART[1]).is_file()
        assert _note_check(root, named, fmt) == full, (code, fmt, "kept")


@pytest.mark.parametrize("example", ["ashby-vale-school", "kingsmead-academy"])
def test_the_kept_answer_is_the_full_checks_on_the_examples(tmp_path: Path,
                                                           example: str) -> None:
    root = copy_example(example, tmp_path / example)
    every = records(root)
    found = reference(root, every)
    age(root)
    assert cold_and_warm(root, every) == (found, found)
    with_problems = sorted({d.path.removeprefix(f"{root.as_posix()}/") for d in found})
    for rels in ([rel] for rel in [*with_problems, *every[::50], every[-1]]):
        expected = reference(root, rels)
        assert cold_and_warm(root, rels) == (expected, expected), rels
        text = invoke("note", "check", *(root / rel for rel in rels))
        assert invoke("note", "check", *(root / rel for rel in rels)).stdout == text.stdout


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def test_an_edit_to_the_note_staff_or_cycle_is_never_answered_from_before(
        tmp_path: Path) -> None:
    """Kept, then each file the answer depends on changed in turn: the answer follows."""
    root = copy_example("kingsmead-academy", tmp_path / "k")
    rel = "notes/cycle-04/aosei--dclarke.yaml"
    note, staff, cycle = root / rel, root / "staff.yaml", root / "cycles/cycle-04.yaml"
    originals = {p: p.read_bytes() for p in (note, staff, cycle)}
    age(root)

    def answer() -> list[Diagnostic]:
        first = check_programme(root, only=[rel]).diagnostics
        assert check_programme(root, only=[rel]).diagnostics == first  # kept: the same
        assert first == reference(root, [rel])
        return first

    clean = answer()
    assert clean == []
    edits = [
        (note, "rehearsed: true", "rehearsed: maybe", "S003"),
        (note, "coach: aosei", "coach: aoxei", "R001"),  # the same size
        (staff, "- id: dclarke", "- id: dclarkf", "R001"),
        (cycle, "start: ", "start: 2027-01-04\nold_start: ", "Y014"),
        (cycle, "end: 2026-11-27", "end: 2026-11-11", "R007"),
    ]
    for path, old, new, code in edits:
        assert answer() == clean
        _edit(path, old, new)
        assert code in {d.code for d in answer()}, code
        path.write_bytes(originals[path])
        os.utime(path, (os.stat(path).st_mtime - 86_400,) * 2)  # the old bytes, a new mtime
        assert answer() == clean
    os.utime(note)  # touched, not changed: confirmed by its digest, and still the same
    assert answer() == clean
    staff.unlink()  # a file the answer depends on, gone (the coachee is then unknown)
    assert answer() == reference(root, [rel])


def test_only_the_rules_that_can_report_on_a_record_run_for_one() -> None:
    """record_checks: a part of all_checks, in its order (the order of equal diagnostics)."""
    every, some = checks.all_checks(), checks.record_checks()
    assert set(some) < set(every)
    assert [c for c in every if c in some] == list(some)
