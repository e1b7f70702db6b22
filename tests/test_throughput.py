"""What the trust-scale speed-ups rely on, held as behaviour: the text renderer never reads a
file whose lines it may not show, and prefetching a chunk's files opens nothing unusual."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coachctl import files
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
