"""Sealed notes (issue 16): free text encrypted with age to the note's readers only.

Identities are generated for the test; the `age` command-line tool, which coachctl
did not write, opens what coachctl sealed. On a copy of each example with every
note sealed, every report prints what it prints for the plain programme.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pyrage
import pytest
import yaml

from coachctl import keys, models, seal
from tests.conftest import PROGRAMMES, copy_example, invoke
from tests.sealing import give_keys, sealed_copy, switch_on, texts

EXAMPLES = ("kingsmead-academy", "ashby-vale-school")
TODAY = "2026-11-23"
NOTE = "notes/cycle-02/aallen--hsharma.yaml"  # kingsmead: hub with expert jhussain
PRAISE = "Your entry routine had every student working within a minute"


@pytest.fixture(scope="module", params=EXAMPLES)
def sealed(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    return sealed_copy(request.param, tmp_path_factory.mktemp("sealed"))


@pytest.fixture(scope="module")
def kingsmead(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    return sealed_copy("kingsmead-academy", tmp_path_factory.mktemp("kingsmead"))


def fields_of(path: Path, identity: Path) -> dict[str, str]:
    block = yaml.safe_load(path.read_text())["sealed"]["age"]
    return seal.decrypt(block, keys.load([identity]))


def test_every_note_is_sealed_and_nothing_is_left_plain(
        sealed: tuple[Path, dict[str, Path]]) -> None:
    root, _ = sealed
    for path in texts(root):
        data = yaml.safe_load(path.read_text())
        # no words left in plain (a stub's empty blocks hold none)
        assert not {k for k, v in data.items() if v} & set(models.TEXT_FIELDS), path
    res = invoke("validate", "--strict", root)
    assert res.exit_code == 0, res.stdout


def test_read_by_coach_coachee_and_qa_readers_only(
        kingsmead: tuple[Path, dict[str, Path]]) -> None:
    root, ids = kingsmead
    path = root / NOTE
    data = yaml.safe_load(path.read_text())
    readers = sorted(t.split(":")[0] for t in data["sealed"]["readers"])
    assert readers == ["aallen", "cparry", "hsharma", "jhussain"]  # coach, coachee, lead, expert
    for who in readers:
        res = invoke("note", "show", path, "--identity", ids[who])
        assert res.exit_code == 0, (who, res.stderr)
        assert PRAISE in res.stdout and "sealed" not in res.stdout
        assert fields_of(path, ids[who])["precise_praise"].startswith(PRAISE)
    for colleague in ("nsharma", "hsaunders"):
        res = invoke("note", "show", path, "--identity", ids[colleague])
        assert res.exit_code == 1
        assert PRAISE not in res.stdout + res.stderr
        with pytest.raises(seal.CannotOpen):
            fields_of(path, ids[colleague])


@pytest.mark.skipif(shutil.which("age") is None,
                    reason="the age command-line tool is not installed (.ci/run installs it)")
def test_the_age_tool_opens_a_sealed_note(kingsmead: tuple[Path, dict[str, Path]],
                                          tmp_path: Path) -> None:
    root, ids = kingsmead
    block = tmp_path / "note.age"
    block.write_text(yaml.safe_load((root / NOTE).read_text())["sealed"]["age"])
    out = subprocess.run(["age", "--decrypt", "--identity", str(ids["hsharma"]), str(block)],
                         capture_output=True, check=True)
    assert json.loads(out.stdout)["precise_praise"].startswith(PRAISE)
    wrong = subprocess.run(["age", "--decrypt", "--identity", str(ids["nsharma"]), str(block)],
                           capture_output=True)
    assert wrong.returncode != 0


def _reports(who: str) -> list[list[str]]:
    runs: list[list[str]] = []
    for fmt in ("table", "json", "csv"):
        runs += [["stats", "P", "--format", fmt], ["cycle", "status", "P", "--format", fmt]]
        runs += [["stats", "P", "--format", fmt, "--by", by] for by in ("hub", "coach")]
    runs += [["schedule", "P", "--format", f] for f in ("table", "json", "csv", "ics")]
    runs += [["staff", "show", who, "P", "--format", f] for f in ("table", "json")]
    for fmt in ("text", "concise", "json", "github"):
        runs += [["qa", "P", "--format", fmt], ["validate", "P", "--format", fmt]]
    runs += [["validate", "--strict", "P"], ["report", "P", "-o", "-"]]
    runs += [["training", "plan", "P", "--format", f] for f in ("table", "json", "md")]
    runs += [["bulletin", "P", "--format", f, *c] for f in ("md", "html")
             for c in ([], ["--cycle", "2"])]
    return runs


def _run(root: Path, args: list[str]) -> tuple[int, str, str]:
    cwd = os.getcwd()
    os.chdir(root.parent)
    try:
        res = invoke(*[root.name if a == "P" else a for a in args], "--today", TODAY)
    finally:
        os.chdir(cwd)
    return res.exit_code, res.stdout, res.stderr


def test_reports_are_the_same_as_for_the_plain_programme(
        sealed: tuple[Path, dict[str, Path]], tmp_path: Path) -> None:
    """Byte for byte, every report and every format: a sealed note keeps each plain
    field on its line, so even diagnostics located in notes are the same. The plain
    programme has the same staff.yaml (a public key is a fact about a person, not
    sealing); what differs is `sealing:` in programme.yaml and every note sealed."""
    root, _ = sealed
    plain = tmp_path / root.name
    copy_example(root.name, plain)
    shutil.copy(root / "staff.yaml", plain / "staff.yaml")
    assert any(b"sealed:" in p.read_bytes() for p in texts(root))
    who = yaml.safe_load((plain / "programme.yaml").read_text())["lead_coach"]
    located = 0
    for args in _reports(who):
        a, b = _run(plain, args), _run(root, args)
        assert a == b, args
        located += len(re.findall(r"(?:notes|qa)/[\w./-]+\.yaml:\d+", a[1]))
    assert located > 0  # diagnostics inside notes and QA records were compared too


def test_validate_flags_a_plaintext_note(kingsmead: tuple[Path, dict[str, Path]],
                                         tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(kingsmead[0], root, ignore=shutil.ignore_patterns(".coachctl-cache"))
    path = root / NOTE
    path.write_text(path.read_text() + "next_steps: PLAIN-MARKER-1 rehearse the entry\n")
    res = invoke("validate", "--format", "json", root)
    assert res.exit_code == 1
    found = [d for d in res.json()["diagnostics"] if d["code"] == "R023"]
    assert [(d["path"], d["severity"]) for d in found] == [(f"{root.as_posix()}/{NOTE}",
                                                            "error")]
    assert found[0]["line"] == len(path.read_text().splitlines())
    assert "PLAIN-MARKER-1" not in res.stdout
    # sealing it again folds the plain text into the block, for a reader
    res = invoke("note", "seal", path, "--identity", kingsmead[1]["aallen"])
    assert res.exit_code == 0, res.stderr
    assert "PLAIN-MARKER-1" not in path.read_text()
    assert fields_of(path, kingsmead[1]["cparry"])["next_steps"].startswith("PLAIN-MARKER-1")
    assert invoke("validate", root).exit_code == 0


def test_reseal_after_a_leaver_locks_them_out(tmp_path: Path) -> None:
    """The hub expert jhussain leaves: notes sealed afterwards, and every older note once
    resealed, are closed to their key; the others still read them."""
    root, ids = sealed_copy("kingsmead-academy", tmp_path, seal=False)
    older = root / NOTE
    assert invoke("note", "seal", older).exit_code == 0
    staff = root / "staff.yaml"
    staff.write_text(staff.read_text().replace("- id: jhussain\n",
                                               "- id: jhussain\n  left: 2026-11-20\n"))
    later = root / "notes/cycle-04/aallen--hsharma.yaml"
    shutil.copy(older, later)
    later.write_text(older.read_text().replace("cycle: 2", "cycle: 4"))
    assert "jhussain" in later.read_text()
    res = invoke("reseal", root, "--dry-run", "--identity", ids["cparry"], "--today", TODAY)
    assert res.exit_code == 0, res.stderr
    assert "would reseal" in res.stdout and "nothing written" in res.stdout
    assert "jhussain" in older.read_text()
    res = invoke("reseal", root, "--identity", ids["cparry"], "--today", TODAY)
    assert res.exit_code == 0, res.stderr
    for path in (older, later):
        assert "jhussain" not in path.read_text()
        with pytest.raises(seal.CannotOpen):
            fields_of(path, ids["jhussain"])
        assert fields_of(path, ids["hsharma"])["precise_praise"].startswith(PRAISE)
    fresh = root / "notes/cycle-02/briley--oiqbal.yaml"
    assert invoke("note", "seal", fresh, "--today", TODAY).exit_code == 0
    assert "jhussain" not in fresh.read_text()
    again = invoke("reseal", root, "--identity", ids["cparry"], "--today", TODAY)
    assert again.exit_code == 0 and "0 file(s) resealed" in again.stdout  # idempotent


def test_reseal_lists_what_it_cannot_open(tmp_path: Path) -> None:
    root, ids = sealed_copy("kingsmead-academy", tmp_path, seal=False)
    path = root / NOTE
    assert invoke("note", "seal", path).exit_code == 0
    before = path.read_bytes()
    staff = root / "staff.yaml"
    programme = root / "programme.yaml"  # nsharma becomes a QA reader, and cannot open it
    programme.write_text(programme.read_text() + "  qa_readers: [nsharma, cparry]\n")
    res = invoke("reseal", root, "--identity", ids["nsharma"], "--today", TODAY)
    assert res.exit_code == 1
    assert f"you cannot open  {root.as_posix()}/{NOTE}" in res.stderr
    assert path.read_bytes() == before  # a wrong key never touches a note
    for who in ("aallen", "hsharma", "cparry", "jhussain"):  # all four get new keys
        new = pyrage.x25519.Identity.generate().to_public()
        staff.write_text(re.sub(rf"(- id: {who}\n(?:  .*\n)*?  age_key:) \S+", rf"\1 {new}",
                                staff.read_text()))
    codes = {d["code"] for d in invoke("validate", "-f", "json", root).json()["diagnostics"]}
    assert codes == {"R023"}  # the other notes, not sealed in this test
    res = invoke("reseal", root, "--identity", ids["nsharma"], "--today", TODAY)
    assert "no current key holder can open" in res.stderr
    assert path.read_bytes() == before


def test_a_person_without_a_key(tmp_path: Path) -> None:
    root = tmp_path / "p"
    copy_example("kingsmead-academy", root)
    ids = give_keys(root, tmp_path / "keys", only={"aallen", "cparry", "jhussain"})
    switch_on(root, "  without_key: refuse\n")
    path = root / NOTE
    before = path.read_bytes()
    res = invoke("note", "seal", path)
    assert res.exit_code == 1
    assert "hsharma has no age_key in staff.yaml" in res.stderr
    assert path.read_bytes() == before
    res = invoke("validate", "--format", "json", root)
    assert any(d["code"] == "R024" and d["subject"] == "hsharma"
               for d in res.json()["diagnostics"])
    programme = root / "programme.yaml"
    programme.write_text(programme.read_text().replace("without_key: refuse",
                                                       "without_key: qa-readers"))
    assert invoke("note", "seal", path).exit_code == 0
    readers = yaml.safe_load(path.read_text())["sealed"]["readers"]
    assert sorted(r.split(":")[0] for r in readers) == ["aallen", "cparry", "jhussain"]
    assert fields_of(path, ids["cparry"])["precise_praise"].startswith(PRAISE)


def test_seal_keeps_comments_and_plain_fields(kingsmead: tuple[Path, dict[str, Path]],
                                             tmp_path: Path) -> None:
    root, ids = sealed_copy("kingsmead-academy", tmp_path, seal=False)
    path = root / NOTE
    original = path.read_text()
    path.write_text("# written after the meeting\n" + original.replace(
        "rehearsed: true", "rehearsed: true  # twice"))
    assert invoke("note", "seal", path).exit_code == 0
    text = path.read_text()
    assert text.startswith("# written after the meeting\n") and "# twice" in text
    assert invoke("note", "seal", path).stdout.startswith("unchanged")  # idempotent
    shown = invoke("note", "show", path, "-i", ids["aallen"]).stdout
    assert shown == "# written after the meeting\n" + original.replace(
        "rehearsed: true", "rehearsed: true  # twice")  # the note as it was written


def test_a_sealed_note_keeps_every_plain_line_where_it_was(tmp_path: Path) -> None:
    """Each sealed field's lines become marker comments in its place, so a teacher sees
    the note's shape, prompts and empty blocks still there, and every plain line keeps
    its number; the block goes last."""
    root, ids = sealed_copy("kingsmead-academy", tmp_path, seal=False)
    path = root / NOTE
    original = path.read_text().splitlines()
    assert invoke("note", "seal", path).exit_code == 0
    sealed_lines = path.read_text().splitlines()
    for number, line in enumerate(original):
        field = line.split(":")[0]
        if field in ("precise_praise", "next_steps", "notes"):
            assert sealed_lines[number] == f"# {field}: sealed (`coachctl note show FILE` opens it)"
        elif not line.startswith("  "):
            assert sealed_lines[number] == line, number
        else:  # a line of sealed text
            assert sealed_lines[number] == "# ..."
    assert sealed_lines[len(original)] == "sealed:"
    assert "missed_reason: |" in sealed_lines  # still empty, still there to fill in
    # resealing for a new reader rewrites the block only
    programme = root / "programme.yaml"
    programme.write_text(programme.read_text() + "  qa_readers: [cparry, nsharma]\n")
    assert invoke("reseal", root, "-i", ids["aallen"], "--today", TODAY).exit_code == 0
    assert path.read_text().splitlines()[:len(original)] == sealed_lines[:len(original)]
    assert fields_of(path, ids["nsharma"])["precise_praise"].startswith(PRAISE)


def test_seal_in_a_plain_programme_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(PROGRAMMES / "kingsmead-academy", root)
    before = (root / NOTE).read_bytes()
    res = invoke("note", "seal", root / NOTE)
    assert res.exit_code == 0 and "no sealing:" in res.stdout
    assert (root / NOTE).read_bytes() == before


EDITOR = """\
import sys, os, stat
path = sys.argv[1]
mode = stat.S_IMODE(os.stat(path).st_mode), stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode)
open(os.environ["SEEN"], "w").write(f"{path} {mode[0]:o} {mode[1]:o}")
text = open(path).read()
if os.environ.get("FAIL"):
    sys.exit(3)
open(path, "w").write(text.replace("Film two minutes", "Film three minutes"))
"""


def test_note_edit_reseals_and_leaves_no_plain_copy(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root, ids = sealed_copy("kingsmead-academy", tmp_path, seal=False)
    path = root / NOTE
    assert invoke("note", "seal", path).exit_code == 0
    editor = tmp_path / "editor.py"
    editor.write_text(EDITOR)
    seen = tmp_path / "seen"
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("SEEN", str(seen))
    monkeypatch.setenv("FAIL", "1")
    before = path.read_bytes()
    res = invoke("note", "edit", path, "-i", ids["hsharma"])
    assert res.exit_code == 1 and path.read_bytes() == before
    tmp, mode, folder_mode = seen.read_text().split()
    assert (mode, folder_mode) == ("600", "700")
    assert not Path(tmp).exists() and not Path(tmp).parent.exists()
    monkeypatch.delenv("FAIL")
    res = invoke("note", "edit", path, "-i", ids["hsharma"])
    assert res.exit_code == 0, res.stderr
    assert not Path(seen.read_text().split()[0]).parent.exists()
    assert "Film three minutes" not in path.read_text()
    assert fields_of(path, ids["cparry"])["next_steps"].startswith("Film three minutes")
    res = invoke("note", "edit", path, "-i", ids["nsharma"])  # not a reader
    assert res.exit_code == 1


def test_key_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    res = invoke("key", "init", "--id", "aallen")
    assert res.exit_code == 0, res.stderr
    path = tmp_path / "config/coachctl/identity.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    line = res.stdout.splitlines()[-1].strip()
    assert line.startswith("age_key: age1")
    public = line.split()[1]
    assert keys.public_of(keys.load([path])[0]) == public
    text = path.read_text()
    again = invoke("key", "init")
    assert again.exit_code == 2 and public in again.stderr
    assert path.read_text() == text  # never overwritten
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert keys.default_identity() == tmp_path / "home/.config/coachctl/identity.txt"


def test_a_missing_or_broken_identity_is_a_clear_error(
        kingsmead: tuple[Path, dict[str, Path]], tmp_path: Path) -> None:
    root, _ = kingsmead
    res = invoke("note", "show", root / NOTE, "-i", tmp_path / "none.txt")
    assert res.exit_code == 2 and "cannot read the identity file" in res.stderr
    bad = tmp_path / "bad.txt"
    bad.write_text("not a key\n")
    res = invoke("reseal", root, "-i", bad, "--dry-run")
    assert res.exit_code == 2 and "holds no age identity" in res.stderr


def test_files_the_quick_edit_cannot_prove_go_the_careful_way(tmp_path: Path) -> None:
    """A CRLF note is sealed and stays CRLF; a ` #` typed in a sentence is text and is
    sealed with it; a comment on a free-text field's own line cannot be kept (it goes
    with the text), so the note is refused, untouched."""
    root, ids = sealed_copy("kingsmead-academy", tmp_path, seal=False)
    path = root / NOTE
    original = path.read_text()
    path.write_bytes(original.replace("\n", "\r\n").encode())
    assert invoke("note", "seal", path).exit_code == 0
    sealed_text = path.read_bytes().decode()
    assert "\r\n" in sealed_text and "\n" not in sealed_text.replace("\r\n", "")
    assert fields_of(path, ids["aallen"])["precise_praise"].startswith(PRAISE)
    path.write_text(original.replace("back together.", "back together.  # see me"))
    assert invoke("note", "seal", path).exit_code == 0
    assert fields_of(path, ids["aallen"])["next_steps"].endswith("together.  # see me\n")
    path.write_text(original.replace("next_steps: |", "next_steps: |  # see me"))
    before = path.read_bytes()
    res = invoke("note", "seal", path)
    assert res.exit_code == 1 and "comment" in res.stderr
    assert path.read_bytes() == before


def test_note_edit_killed_removes_its_plain_copy(tmp_path: Path) -> None:
    """`note edit` stopped (SIGTERM) while the editor is open: the note is untouched and
    the temporary plain copy is gone."""
    root, ids = sealed_copy("kingsmead-academy", tmp_path, seal=False)
    path = root / NOTE
    assert invoke("note", "seal", path).exit_code == 0
    before = path.read_bytes()
    editor = tmp_path / "editor.py"
    editor.write_text("import os, signal, sys, time\n"
                      "open(os.environ['SEEN'], 'w').write(sys.argv[1])\n"
                      "os.kill(os.getppid(), signal.SIGTERM)\ntime.sleep(5)\n")
    seen = tmp_path / "seen"
    env = {**os.environ, "EDITOR": f"{sys.executable} {editor}", "SEEN": str(seen)}
    env.pop("VISUAL", None)
    proc = subprocess.run([sys.executable, "-m", "coachctl", "note", "edit", str(path),
                           "-i", str(ids["aallen"])], env=env, capture_output=True,
                          timeout=60)
    assert proc.returncode != 0
    assert b"Traceback" not in proc.stderr
    assert not Path(seen.read_text()).parent.exists()
    assert path.read_bytes() == before


def test_pre_commit_seal_hook_runs_before_the_check() -> None:
    from tests.conftest import REPO

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    ids = [h["id"] for h in hooks]
    assert ids.index("coachctl-note-seal") < ids.index("coachctl-note-check")
    hook = hooks[ids.index("coachctl-note-seal")]
    assert hook["entry"] == "coachctl note seal" and hook["language"] == "python"
    assert re.search(hook["files"], "programmes/a/notes/cycle-01/x--y.yaml")
    assert re.search(hook["files"], "programmes/a/qa/2026-10-01-obs.yaml")
    assert not re.search(hook["files"], "programmes/a/staff.yaml")


def test_an_empty_feedback_block_is_not_free_text_cold_or_warm(tmp_path: Path) -> None:
    """A QA record with `feedback: |` left empty holds no text to seal: validate passes it
    on a cold and a warm run (the cache keeps whether a private field holds words, never
    the words), and flags it (R023) once words are typed, on a warm run too."""
    root = copy_example("kingsmead-academy", tmp_path / "p")
    give_keys(root, tmp_path / "keys")
    switch_on(root)
    assert invoke("note", "seal", *texts(root)).exit_code == 0
    record = root / "qa/2026-09-03-shadowing-cakhtar.yaml"
    plain = record.read_text()
    record.write_text(plain + "feedback: |\n\n")
    for run in ("cold", "warm"):
        res = invoke("validate", "--format", "json", root)
        assert res.exit_code == 0, (run, res.stdout)
    record.write_text(plain + "feedback: |\n  Clear modelling of the entry routine\n")
    for run in ("cold", "warm"):
        res = invoke("validate", "--format", "json", root)
        found = [(d["code"], d["path"]) for d in res.json()["diagnostics"]]
        assert found == [("R023", f"{root.as_posix()}/qa/2026-09-03-shadowing-cakhtar.yaml")], run
        assert "Clear modelling" not in res.stdout
