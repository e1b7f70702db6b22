"""Editing a person's YAML (coachctl.yamledit) and the writers built on it: only the
intended change, comments and layout kept, refusals that write nothing."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from coachctl import yamledit
from tests.conftest import invoke
from tests.test_cycle import build, snapshot, start, write_cycle

# --- the core: one file ----------------------------------------------------------------


def _set(key: str, value: Any) -> yamledit.Change:
    return lambda doc: yamledit.put(doc, key, value)


def test_edit_changes_one_value_and_keeps_everything_else() -> None:
    before = (b"# A cycle, typed by hand\r\nnumber: 4   # the fourth\r\n\r\n"
              b"start: 2026-11-09\r\nend: '2026-11-27'\r\n'status': \"open\"  # still on\r\n")
    before = before.replace(b"'2026-11-27'", b"2026-11-27")
    e = yamledit.edit("cycles/cycle-04.yaml", before, _set("status", "closed"))
    assert e.after == before.replace(b'"open"  # still on', b'"closed" # still on')


def test_edit_keeps_indentation_and_puts_a_new_key_inside_its_entry() -> None:
    before = (b"# Staff\nstaff:\n  - id: ann   # our deputy\n    name: \"Ann A\"\n    "
              b"joined: 2020-09-01\n\n  - id: bob\n    name: Bob B\n    role: teacher\n\n"
              b"# end of staff\n")

    def leave(doc: dict[str, Any]) -> None:
        yamledit.put(doc["staff"][0], "left", dt.date(2026, 11, 20), after=("joined",))
        yamledit.put(doc["staff"][1], "left", dt.date(2026, 11, 20))

    after = yamledit.edit("staff.yaml", before, leave).after
    assert after is not None
    assert after.decode() == (
        "# Staff\nstaff:\n  - id: ann   # our deputy\n    name: \"Ann A\"\n    "
        "joined: 2020-09-01\n    left: 2026-11-20\n\n  - id: bob\n    name: Bob B\n    "
        "role: teacher\n    left: 2026-11-20\n\n# end of staff\n")


def test_no_change_is_not_an_edit() -> None:
    before = b"number: 4\nstatus: closed\n"
    e = yamledit.edit("cycles/cycle-04.yaml", before, _set("status", "closed"))
    assert not e.changed and e.after == before


@pytest.mark.parametrize("before", [
    b"number: 4\nstatus: [open\n",  # does not parse
    b"number: 4\nnumber: 5\nstatus: open\n",  # duplicate key
    b"- a\n- b\n",  # not a mapping
])
def test_a_file_that_does_not_read_cleanly_is_refused(before: bytes) -> None:
    with pytest.raises(yamledit.Refused):
        yamledit.edit("cycles/cycle-04.yaml", before, _set("status", "closed"))


def test_an_edit_that_would_lose_a_comment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamledit, "_keep_header", lambda old, new: new.replace("# two\n", ""))
    with pytest.raises(yamledit.Refused, match="comment"):
        yamledit.edit("cycles/cycle-04.yaml", b"# one\nnumber: 4\n# two\nstatus: open\n",
                      _set("status", "closed"))


def test_an_edit_that_would_change_more_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = yamledit._keep_header
    monkeypatch.setattr(yamledit, "_keep_header",
                        lambda old, new: real(old, new).replace("number: 4", "number: 5"))
    with pytest.raises(yamledit.Refused, match="more than intended"):
        yamledit.edit("cycles/cycle-04.yaml", b"number: 4\nstatus: open\n",
                      _set("status", "closed"))


# --- cycle close: every way a person might have written the cycle file ------------------

SHAPES = {
    "block": "number: 1\nstart: 2026-09-03\nend: 2026-09-23\nstatus: open\n",
    "flow": "# cycle one\n{number: 1, start: 2026-09-03, end: 2026-09-23, status: open}  # x\n",
    "quoted key": '"number": 1\n"start": 2026-09-03\n"end": 2026-09-23\n"status": open\n',
    "space before colon": "number : 1\nstart : 2026-09-03\nend : 2026-09-23\nstatus : open\n",
    "quoted value": "number: 1\nstart: 2026-09-03\nend: 2026-09-23\nstatus: 'open' # on\n",
    "no status": "# opened by hand\nnumber: 1\nstart: 2026-09-03\nend: 2026-09-23\n\n# end\n",
    "crlf": "# Cycle 1\r\nnumber: 1   # first\r\nstart: 2026-09-03\r\n\r\n# dates\r\n"
            "end: 2026-09-23\r\nstatus: open\r\n",
    "comments everywhere": "# top\n\nnumber: 1  # n\n# before start\nstart: 2026-09-03\n"
                           "end: 2026-09-23  # a Wednesday\nstatus: open  # until the end\n"
                           "# bottom\n",
}


def _comments(text: str) -> list[str]:
    return [line[line.index("#"):] for line in text.splitlines() if "#" in line]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_close_edits_only_the_status_whatever_the_shape(tmp_path: Path, shape: str) -> None:
    root = build(tmp_path / "p")
    path = root / "cycles/cycle-01.yaml"
    path.parent.mkdir()
    path.write_bytes(SHAPES[shape].encode())
    before = snapshot(root)
    dry = invoke("cycle", "close", root, "--cycle", "1", "--today", "2026-09-24", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "+" in dry.stdout and "nothing written" in dry.stdout
    assert snapshot(root) == before
    res = invoke("cycle", "close", root, "--cycle", "1", "--today", "2026-09-24")
    assert res.exit_code == 0, res.stderr
    assert "Cycle 1 closed" in res.stdout
    text = path.read_bytes().decode()
    value = yaml.safe_load(text)
    assert value == {"number": 1, "start": dt.date(2026, 9, 3), "end": dt.date(2026, 9, 23),
                     "status": "closed"}
    old = SHAPES[shape]
    assert [c.split("#", 1)[1].strip() for c in _comments(text)] == \
        [c.split("#", 1)[1].strip() for c in _comments(old)]
    assert ("\r\n" in text) == ("\r\n" in old)
    if "\r\n" in old:
        assert "\n" not in text.replace("\r\n", "")
    changed = [line for line in text.splitlines() if line not in old.splitlines()]
    assert len(changed) == 1 and "closed" in changed[0]
    v = invoke("validate", "--strict", root)
    assert v.exit_code == 0, v.stdout
    again = invoke("cycle", "close", root, "--cycle", "1", "--today", "2026-09-24")
    assert again.exit_code == 0 and "already closed" in again.stdout
    assert path.read_bytes().decode() == text


def test_close_refuses_a_cycle_before_its_end_unless_early(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    write_cycle(root, 1, "2026-09-03", "2026-09-23", status="open")
    before = snapshot(root)
    res = invoke("cycle", "close", root, "--cycle", "1", "--today", "2026-09-10")
    assert res.exit_code == 2 and "runs until 2026-09-23" in res.stderr
    assert "--early" in res.stderr
    assert snapshot(root) == before
    ok = invoke("cycle", "close", root, "--cycle", "1", "--today", "2026-09-10", "--early")
    assert ok.exit_code == 0 and "Cycle 1 closed" in ok.stdout


def test_close_refuses_a_cycle_file_that_is_not_clean(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    write_cycle(root, 1, "2026-09-03", "2026-09-23", status="open")
    path = root / "cycles/cycle-01.yaml"
    path.write_text(path.read_text() + "status: open\n")  # a duplicate key
    before = snapshot(root)
    res = invoke("cycle", "close", root, "--cycle", "1", "--today", "2026-09-24")
    assert res.exit_code in (1, 2) and "Traceback" not in res.stderr
    assert snapshot(root) == before


# --- writers honour the umask -------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_written_files_honour_the_umask(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        root = build(tmp_path / "p")
        assert start(root, "2026-09-01").exit_code == 0
        wanted = 0o666 & ~mask
        cycle = root / "cycles/cycle-01.yaml"
        assert _mode(cycle) == wanted
        assert _mode(root / "notes/cycle-01/t01--t02.yaml") == wanted
        assert invoke("note", "new", root, "--coach", "t03", "--coachee", "t02", "--drop-in",
                      "--today", "2026-09-09").exit_code == 0
        assert _mode(root / "notes/cycle-01/t03--t02-dropin-1.yaml") == wanted
        assert invoke("init", tmp_path / "fresh").exit_code == 0
        assert _mode(tmp_path / "fresh/programme.yaml") == wanted
        assert invoke("schema", "--output", tmp_path / "schemas").exit_code == 0
        assert all(_mode(p) == wanted for p in (tmp_path / "schemas").iterdir())
        os.chmod(cycle, 0o640)  # an edit keeps the file's own permissions, as an editor does
        assert invoke("cycle", "close", root, "--today", "2026-09-24").exit_code == 0
        assert _mode(cycle) == 0o640
    finally:
        os.umask(old)


# --- a file where a programme folder is meant -------------------------------------------

WRITERS = [  # {P}: where the programme goes
    ("cycle", "start", "{P}", "--today", "2026-09-01"),
    ("cycle", "close", "{P}", "--today", "2026-09-24"),
    ("note", "new", "{P}", "--coach", "t01", "--coachee", "t02", "--today", "2026-09-10"),
    ("staff", "leave", "t01", "{P}", "--date", "2026-09-10"),
]


@pytest.mark.parametrize("argv", WRITERS, ids=lambda a: " ".join(a[:2]))
@pytest.mark.parametrize("file", ["staff.yaml", "cycles/cycle-01.yaml", "cycles"])
def test_every_writer_refuses_a_file_for_the_programme(tmp_path: Path, argv: tuple[str, ...],
                                                       file: str) -> None:
    root = build(tmp_path / "p")
    write_cycle(root, 1, "2026-09-03", "2026-09-23", status="open")
    before = snapshot(root)
    group, command, *rest = argv
    res = invoke(group, command, *(root / file if a == "{P}" else a for a in rest))
    assert res.exit_code == 2, res.stdout
    assert "is a f" in res.stderr  # a file, or a folder inside the programme
    assert f"coachctl {group} {command} " in res.stderr
    assert Path(res.stderr.split(f"coachctl {group} {command} ")[1].strip()).resolve() == root
    assert snapshot(root) == before


def test_the_refusal_names_the_folder_as_typed(tmp_path: Path) -> None:
    build(tmp_path / "riverside")
    res = subprocess.run([sys.executable, "-m", "coachctl", "cycle", "start",
                          "riverside/staff.yaml", "--today", "2026-09-01"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 2
    assert "coachctl cycle start riverside" in res.stderr
    assert not (tmp_path / "riverside/cycles").exists()


# --- the whole programme ------------------------------------------------------------------

def test_new_errors_checks_the_programme_with_the_new_content(tmp_path: Path) -> None:
    from coachctl.loader import load

    root = build(tmp_path / "p")
    write_cycle(root, 1, "2026-09-03", "2026-09-23", status="open")
    prog = load(root)
    fine = yamledit.edit_file(root, "cycles/cycle-01.yaml", _set("status", "closed"))
    assert yamledit.new_errors(prog, [fine]) == []
    bad = yamledit.edit_file(root, "cycles/cycle-01.yaml", _set("end", dt.date(2026, 9, 1)))
    found = yamledit.new_errors(prog, [bad])
    assert ("R011", 3) in [(d.code, d.line) for d in found]  # located in the new content
    assert yamledit.preview(prog, [bad]).cycles[1].end == dt.date(2026, 9, 1)
    assert (root / "cycles/cycle-01.yaml").read_text().count("2026-09-23") == 1  # unwritten


def test_commit_writes_nothing_over_a_file_changed_meanwhile(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    write_cycle(root, 1, "2026-09-03", "2026-09-23", status="open")
    e = yamledit.edit_file(root, "cycles/cycle-01.yaml", _set("status", "closed"))
    path = root / "cycles/cycle-01.yaml"
    path.write_text(path.read_text() + "# someone typed this meanwhile\n")
    with pytest.raises(yamledit.Refused, match="changed while"):
        yamledit.commit(root, [e])
    assert path.read_text().endswith("# someone typed this meanwhile\n")
