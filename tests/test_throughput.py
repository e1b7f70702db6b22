"""What the trust-scale speed-ups rely on, held as behaviour: the text renderer never reads a
file whose lines it may not show, and prefetching a chunk's files opens nothing unusual."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from coachctl import cache, files, validation
from tests.conftest import copy_example, invoke


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths :func:`coachctl.files.read_regular` opens from here on."""
    seen: list[str] = []
    real = files.read_regular

    def spy(path: str) -> tuple[os.stat_result, bytes]:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(files, "read_regular", spy)
    return seen


def test_qa_text_reads_no_note_or_qa_record_for_excerpts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "k")
    first = invoke("qa", root, "--today", "2026-12-01")  # fills the cache
    assert first.exit_code == 1 and "/notes/" in first.stdout
    seen = reads(monkeypatch)
    again = invoke("qa", root, "--today", "2026-12-01")
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert not [p for p in seen if "/notes/" in p or "/qa/" in p]


def test_excerpts_of_public_files_are_still_shown(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "k")
    staff = root / "staff.yaml"
    staff.write_text(staff.read_text().replace("role: ect", "role: Teacher", 1))
    res = invoke("validate", root)
    assert res.exit_code == 1
    assert "role: Teacher" in res.stdout and "^" in res.stdout


def stats_json(root: Path, day: str, *extra: str) -> str:
    res = invoke("stats", root, "--format", "json", "--today", day, *extra)
    assert res.exit_code == 0, res.stderr
    return res.stdout


def test_warm_stats_loads_no_programme_and_answers_as_cold(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "k")
    cold = stats_json(root, "2026-12-01", "--by", "department")
    loaded: list[Path] = []
    real = validation._checked

    def spy(r: Path, *a: object, **k: object) -> validation.Checked:
        loaded.append(r)
        return real(r, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "_checked", spy)
    assert stats_json(root, "2026-12-01", "--by", "department") == cold
    assert loaded == []
    assert stats_json(root, "2026-12-01", "--by", "department", "--since", "3") != cold
    assert loaded == [root]  # other options: computed again, not the saved answer


def test_stats_from_the_cache_agree_with_a_cold_run_on_every_day(tmp_path: Path) -> None:
    """The saved tally holds only for the days it was computed to hold for: over the year,
    a warm run (the cache from the day before) answers exactly as a run without it."""
    root = copy_example("kingsmead-academy", tmp_path / "k")
    day = dt.date(2026, 9, 1)
    while day < dt.date(2027, 7, 31):
        warm = stats_json(root, day.isoformat(), "--by", "coach")
        shutil.rmtree(root / cache.DIR)
        assert warm == stats_json(root, day.isoformat(), "--by", "coach"), day
        day += dt.timedelta(days=5)


def test_a_changed_note_changes_warm_stats(tmp_path: Path) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "k")
    before = stats_json(root, "2027-07-20")
    note = next(p for p in sorted((root / "notes").rglob("*.yaml"))
                if "\nstatus: complete" in p.read_text())
    note.write_text(note.read_text().replace("\nstatus: complete", "\nstatus: missed", 1))
    after = stats_json(root, "2027-07-20")
    assert after != before
    shutil.rmtree(root / cache.DIR)
    assert stats_json(root, "2027-07-20") == after


def watch_opens(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[int]]:
    """Paths os.open is given, and the advice posix_fadvise is given, from here on."""
    opened: list[str] = []
    advised: list[int] = []
    real_open, real_advise = os.open, os.posix_fadvise

    def spy_open(path: str | bytes | os.PathLike[str], flags: int, mode: int = 0o777, *,
                 dir_fd: int | None = None) -> int:
        opened.append(os.fsdecode(path))
        return real_open(path, flags, mode, dir_fd=dir_fd)

    def spy_advise(fd: int, offset: int, length: int, advice: int) -> None:
        advised.append(advice)
        real_advise(fd, offset, length, advice)

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "posix_fadvise", spy_advise)
    return opened, advised


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="no posix_fadvise here")
def test_prefetch_never_opens_a_pipe_or_a_link_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold read asks the kernel for a chunk's files first, but only for what odd_entry let
    through: a FIFO in a note's place would block an open, a link out must not be followed."""
    root = copy_example("kingsmead-academy", tmp_path / "k")
    (tmp_path / "outside.yaml").write_text("secret: 1\n")
    fifo = root / "notes/cycle-01/zz--pipe.yaml"
    os.mkfifo(fifo)
    link = root / "cycles/cycle-09.yaml"
    os.symlink(tmp_path / "outside.yaml", link)
    opened, advised = watch_opens(monkeypatch)
    res = invoke("validate", root, "--no-cache", "--format", "concise")
    assert res.exit_code == 1
    assert "zz--pipe.yaml: P006" in res.stdout and "cycle-09.yaml: P004" in res.stdout
    assert advised.count(os.POSIX_FADV_WILLNEED) > 100  # the notes were asked for
    assert not [p for p in opened if p.endswith(("zz--pipe.yaml", "cycle-09.yaml", "outside.yaml"))]


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="no posix_fadvise here")
def test_a_warm_run_prefetches_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "k")
    cold = invoke("validate", root)
    note = next(iter(sorted((root / "notes").rglob("*.yaml"))))
    note.write_text(note.read_text() + "\n")
    _, advised = watch_opens(monkeypatch)
    assert invoke("validate", root) == cold
    assert advised == []  # one changed file is read as it is


def test_the_stat_walk_classifies_every_kind_of_entry(tmp_path: Path) -> None:
    """scan_yaml's one-lstat fast path for files still marks for a closer look (size -1)
    everything that is not a plain file, and walks a real folder whatever its name."""
    root = tmp_path / "p"
    (root / "notes/odd.yaml").mkdir(parents=True)
    (root / "notes/odd.yaml/inner.yaml").write_text("a: 1\n")
    (root / "staff.yaml").write_text("staff: []\n")
    (root / "notes/x.yml").write_text("b: 2\n")
    os.mkfifo(root / "notes/pipe.yaml")
    os.symlink(root / "staff.yaml", root / "notes/link.yaml")
    os.symlink(root / "notes", root / "linked")
    (root / ".hidden").mkdir()
    (root / ".hidden/h.yaml").write_text("c: 3\n")
    (root / "readme.txt").write_text("not yaml\n")
    walked = files.scan_yaml(root)
    size = {rel: s for rel, s, _ in walked}
    assert size == {"linked": -1, "notes/link.yaml": -1, "notes/odd.yaml/inner.yaml": 5,
                    "notes/pipe.yaml": -1, "notes/x.yml": 5, "staff.yaml": 10}
    assert [rel for rel, _, _ in walked] == sorted(size)
    assert all(m > 0 for rel, s, m in walked if s >= 0)
    unstat = {rel: s for rel, s, _ in files.scan_yaml(root, stat=False)}
    assert unstat == {rel: min(s, 0) for rel, s in size.items()}


def test_reading_a_file_takes_all_of_it_whatever_its_size_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """read_regular asks for the size fstat gives (an 8 MiB buffer per note cost more than
    the note): a file that grew since, or a read that comes short, is still read whole,
    and a file over MAX_READ gives MAX_READ bytes (so Y010 refuses it)."""
    data = bytes(range(256)) * 40
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    assert files.read_regular(str(path))[1] == data
    real_fstat, real_read = os.fstat, os.read

    def stale(fd: int) -> os.stat_result:  # as if the file had grown since it was stat-ed
        st = list(real_fstat(fd))
        st[6] = 100
        return os.stat_result(st)

    monkeypatch.setattr(os, "fstat", stale)
    assert files.read_regular(str(path))[1] == data
    monkeypatch.setattr(os, "fstat", real_fstat)
    monkeypatch.setattr(os, "read", lambda fd, n: real_read(fd, min(n, 7)))
    assert files.read_regular(str(path))[1] == data
    monkeypatch.setattr(os, "read", real_read)
    path.write_bytes(b"x" * (files.MAX_READ + 10))
    assert len(files.read_regular(str(path))[1]) == files.MAX_READ


def test_locating_a_diagnostic_keeps_every_other_field() -> None:
    """Diagnostic.at builds the located copy field by field (faster than replace): a
    field added to Diagnostic must be carried over too."""
    import dataclasses

    from coachctl.diagnostics import Diagnostic, Severity

    d = Diagnostic("Q005", Severity.WARNING, "m", "p/notes/a.yaml", 0, 0, 0, 0, "h",
                   ("rehearsed",), "asmith")
    assert d.at(3, 4) == dataclasses.replace(d, line=3, col=4, end_line=3, end_col=4,
                                             pointer=None)
    assert d.at(3, 4, 5, 6) == dataclasses.replace(d, line=3, col=4, end_line=5, end_col=6,
                                                   pointer=None)
    assert [f.name for f in dataclasses.fields(Diagnostic)] == [
        "code", "severity", "message", "path", "line", "col", "end_line", "end_col", "hint",
        "pointer", "subject"]
