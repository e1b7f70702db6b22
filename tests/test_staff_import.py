"""`coachctl staff add` and `coachctl staff import`, end to end on copies of both examples:
what an MIS export adds, changes and leaves alone; what a bad export says; how staff.yaml
is edited (only the new lines), and that re-runs, dry runs and refusals write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coachctl.staff_export import parse_date, role_of
from coachctl.staffing import new_id
from tests.conftest import PROGRAMMES, REPO, copy_example, invoke
from tests.test_cycle import snapshot

EXPORT = REPO / "tests/fixtures/mis-staff-export.csv"
"""Kingsmead's staff as an MIS exports them (forename, surname, job title, department,
DD/MM/YYYY start, an unused column), less one person, plus three who join in January."""
TODAY = "2026-11-30"
NEW = ["rlindqvist", "tokafor", "ifairbairn"]


def copy(tmp_path: Path, name: str = "kingsmead-academy") -> Path:
    root = tmp_path / name
    copy_example(name, root)
    return root


def staff(root: Path) -> dict[str, dict[str, object]]:
    return {p["id"]: p for p in yaml.safe_load((root / "staff.yaml").read_text())["staff"]}


def import_(root: Path, csv: Path, *args: str) -> tuple[int, str]:
    res = invoke("staff", "import", root, csv, "--today", TODAY, *args)
    return res.exit_code, res.stdout + res.stderr


# --- ids, roles, dates ---------------------------------------------------------------------

def test_ids_are_initial_and_surname_made_unique() -> None:
    assert new_id("Jo Smith", []) == "jsmith"
    assert new_id("Jo Smith", ["jsmith"]) == "jsmith2"
    assert new_id("Jan Smith", ["jsmith", "jsmith2"]) == "jsmith3"
    assert new_id("Zoë O'Brien", []) == "zobrien"
    assert new_id("Ana de la Cruz", []) == "adelacruz"
    assert new_id("  ", []) == "staff"


@pytest.mark.parametrize(("title", "role"), [
    ("Early Career Teacher", "ect"), ("ECT", "ect"), ("Head of Department", "middle-leader"),
    ("Deputy Headteacher", "senior-leader"), ("teaching assistant", "support"),
    ("middle-leader", "middle-leader"), ("Curriculum Champion", None)])
def test_job_titles_map_to_roles(title: str, role: str | None) -> None:
    assert role_of(title) == role


def test_uk_dates_are_read() -> None:
    assert str(parse_date("04/01/2027")) == "2027-01-04"
    assert str(parse_date("2027-01-04")) == "2027-01-04"
    assert parse_date("31/02/2027") is None and parse_date("Jan 2027") is None


# --- import ----------------------------------------------------------------------------------

def test_import_adds_the_new_people_and_a_second_import_is_a_no_op(tmp_path: Path) -> None:
    root = copy(tmp_path)
    before = (root / "staff.yaml").read_bytes()
    code, out = import_(root, EXPORT)
    assert code == 0, out
    for pid in NEW:
        assert f"add  {pid}" in out
    assert "possible leavers (in staff.yaml, not in the export; unchanged): hsaunders" in out
    after = (root / "staff.yaml").read_bytes()
    assert after.startswith(before)  # every line there before is byte-identical
    people = staff(root)
    assert people["rlindqvist"] == {"id": "rlindqvist", "name": "Rosa Lindqvist", "role": "ect",
                                    "department": "Science",
                                    "joined": __import__("datetime").date(2027, 1, 4)}
    assert "left" not in people["hsaunders"]  # listed, never changed
    assert invoke("validate", root).exit_code == 0

    files = snapshot(root)
    code, out = import_(root, EXPORT)
    assert code == 0 and "add " not in out and "Nothing to write" in out
    assert snapshot(root) == files


def test_a_changed_department_is_shown_and_written_only_with_update(tmp_path: Path) -> None:
    root = copy(tmp_path)
    assert import_(root, EXPORT)[0] == 0
    moved = tmp_path / "moved.csv"
    moved.write_bytes(EXPORT.read_bytes().replace(b"Mark,Walsh,Assistant Headteacher,Leadership",
                                                  b"Mark,Walsh,Assistant Headteacher,Maths"))
    files = snapshot(root)
    code, out = import_(root, moved)
    assert code == 0
    assert "change  mwalsh  department: Leadership -> Maths  (not written" in out
    assert snapshot(root) == files

    before = (root / "staff.yaml").read_text().splitlines()
    code, out = import_(root, moved, "--update")
    assert code == 0, out
    after = (root / "staff.yaml").read_text().splitlines()
    assert [(a, b) for a, b in zip(before, after, strict=True) if a != b] == [
        ("  department: Leadership", "  department: Maths")]
    assert staff(root)["mwalsh"]["department"] == "Maths"
    code, out = import_(root, moved, "--update")
    assert "change " not in out and "Nothing to write" in out


def test_a_leaver_still_in_the_export_is_listed_not_changed(tmp_path: Path) -> None:
    root = copy(tmp_path)
    lagging = tmp_path / "lagging.csv"
    lagging.write_bytes(EXPORT.read_bytes() + b"Sarah,Graham,Head of Department,English,"
                        b"01/09/2014,Full time\r\n")
    code, out = import_(root, lagging)
    assert code == 0, out
    assert "in the export but left (unchanged; remove `left` by hand if they have come back): "\
        "sgraham" in out
    assert "sgraham2" not in out and staff(root)["sgraham"]["left"]


def test_dry_run_prints_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    root = copy(tmp_path, "ashby-vale-school")
    files = snapshot(root)
    code, out = import_(root, EXPORT, "--dry-run")
    assert code == 0
    assert "+- id: rlindqvist" in out and "Dry run" in out
    assert snapshot(root) == files


def test_comments_and_layout_are_kept(tmp_path: Path) -> None:
    root = copy(tmp_path, "ashby-vale-school")
    path = root / "staff.yaml"
    text = path.read_text()
    text = text.replace("staff:\n", "staff:   # everyone, leavers too\n", 1)
    text = text.replace("\n- id: ", "\n# the next person joined late\n- id: ", 3)
    path.write_text(text + "# end of the list\n")
    before = path.read_text()
    assert import_(root, EXPORT)[0] == 0
    after = path.read_text()
    assert all(line in after.splitlines() for line in before.splitlines())
    assert after.count("# the next person joined late") == 3
    assert after.startswith(before)  # the new people go after the closing comment


def test_a_refused_import_writes_nothing(tmp_path: Path) -> None:
    """A row the programme would not accept (a name too long for staff.yaml) is refused
    whole: exit 1, nothing written."""
    root = copy(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(EXPORT.read_text() + "A,{} ,Classroom Teacher,Maths,01/09/2026,\n".format(
        "x" * 300))
    files = snapshot(root)
    code, out = import_(root, bad)
    assert code == 1, out
    assert "nothing written" in out
    assert snapshot(root) == files


@pytest.mark.parametrize(("content", "where"), [
    (b"Staff,Title,Dept\nJo Smith,Teacher,Science\n", ":1:1: I001"),
    (b"Name,Role,Department,Start Date\nJo Smith,Teacher,Science,31/02/2020\n", ":2:"),
    (b"Name,Role,Department\nJo Smith,Teacher,Science\nAl Khan,Curriculum Champion,Maths\n",
     ":3:9: I003"),
    (b"Name,Role,Department\nJo Smith,Teacher,Science\nAl Kh\x81an,Teacher,Maths\n", ":3:1: I004"),
    ("Name,Role,Department\nJo Smith,Teacher,Science\n".encode("utf-16"), ":1:1: I004"),
    (b"Name,Role,Department\n\"Jo Smith\nJnr\",Teacher,Science\nAl Khan,Teacher\n",
     ":4:1: I005"),
])
def test_a_bad_export_is_located_and_nothing_is_written(tmp_path: Path, content: bytes,
                                                        where: str) -> None:
    root = copy(tmp_path, "ashby-vale-school")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    files = snapshot(root)
    code, out = import_(root, bad)
    assert code == 1, out
    assert f"{bad.as_posix()}{where}" in out, out
    assert "Traceback" not in out and snapshot(root) == files


@pytest.mark.parametrize("dress", ["bom", "cp1252", "semicolons", "crlf-tabs"])
def test_what_excel_does_to_a_csv_is_read(tmp_path: Path, dress: str) -> None:
    text = "Forename,Surname,Job Title,Department,Start Date\nZoë,Ångström,ECT,Science,04/01/2027\n"
    data = {"bom": b"\xef\xbb\xbf" + text.encode(), "cp1252": text.encode("cp1252"),
            "semicolons": text.replace(",", ";").encode(),
            "crlf-tabs": text.replace(",", "\t").replace("\n", "\r\n").encode()}[dress]
    root = copy(tmp_path, "ashby-vale-school")
    export = tmp_path / "x.csv"
    export.write_bytes(data)
    code, out = import_(root, export)
    assert code == 0, out
    assert staff(root)["zangstrom"]["name"] == "Zoë Ångström"


def test_columns_and_job_titles_can_be_mapped(tmp_path: Path) -> None:
    root = copy(tmp_path, "ashby-vale-school")
    export = tmp_path / "x.csv"
    export.write_text("Person,Post,Team\nJo Quill,Curriculum Champion,Science\n")
    assert import_(root, export)[0] == 1
    mapping = tmp_path / "mis.yaml"
    mapping.write_text("columns: {Person: name, Team: department}\n"
                       "roles: {Curriculum Champion: teacher}\n")
    code, out = import_(root, export, "--mapping", str(mapping), "--map", "Post=role")
    assert code == 0, out
    assert staff(root)["jquill"]["role"] == "teacher"
    code, out = import_(root, export, "--map", "Post=rank")
    assert code == 2 and "a field is one of" in out


def test_a_mapped_column_wins_over_a_usual_heading(tmp_path: Path) -> None:
    """`Job Title` is the HR title; the school says `Coaching Role` is the one to read."""
    root = copy(tmp_path, "ashby-vale-school")
    export = tmp_path / "x.csv"
    export.write_text("Name,Job Title,Coaching Role,Department\n"
                      "Jo Quill,Curriculum Champion,Teacher,Science\n")
    code, out = import_(root, export, "--map", "Coaching Role=role")
    assert code == 0, out
    assert staff(root)["jquill"]["role"] == "teacher"


def test_an_unreadable_export_is_a_usage_error(tmp_path: Path) -> None:
    root = copy(tmp_path, "ashby-vale-school")
    code, out = import_(root, tmp_path / "missing.csv")
    assert code == 2 and "cannot read" in out and "Traceback" not in out


# --- add -------------------------------------------------------------------------------------

def add(root: Path, *args: str) -> tuple[int, str]:
    res = invoke("staff", "add", root, *args)
    return res.exit_code, res.stdout + res.stderr


PERSON = ("--name", "Rosa Lindqvist", "--role", "Early Career Teacher", "--department",
          "Science", "--joined", "2027-01-04")


def test_add_appends_one_entry_and_a_rerun_is_a_no_op(tmp_path: Path) -> None:
    root = copy(tmp_path)
    before = (root / "staff.yaml").read_bytes()
    files = snapshot(root)
    code, out = add(root, *PERSON, "--dry-run")
    assert code == 0 and "+- id: rlindqvist" in out and snapshot(root) == files
    code, out = add(root, *PERSON)
    assert code == 0, out
    after = (root / "staff.yaml").read_bytes()
    assert after.startswith(before)
    assert after[len(before):].decode() == ("- id: rlindqvist\n  name: Rosa Lindqvist\n"
                                            "  role: ect\n  department: Science\n"
                                            "  joined: 2027-01-04\n")
    files = snapshot(root)
    code, out = add(root, *PERSON)
    assert code == 0 and "already in" in out and snapshot(root) == files


def test_add_makes_ids_unique_and_refuses_someone_elses(tmp_path: Path) -> None:
    root = copy(tmp_path)
    files = snapshot(root)
    code, out = add(root, "--name", "Mark Walsh", "--role", "teacher", "--department", "Maths")
    assert code == 2 and "already in staff.yaml as mwalsh" in out
    code, out = add(root, "--id", "mwalsh", "--name", "Mark Walsh", "--role", "teacher",
                    "--department", "Maths")
    assert code == 2 and "another role, department" in out
    code, out = add(root, "--name", "Rosa", "--role", "chef", "--department", "Maths")
    assert code == 2 and "a role is one of" in out
    assert snapshot(root) == files
    code, out = add(root, "--name", "Maria Walsh", "--role", "teacher", "--department", "Maths")
    assert code == 0 and "mwalsh2" in out
    assert staff(root)["mwalsh2"]["name"] == "Maria Walsh"


def test_a_name_shared_in_staff_yaml_is_skipped_not_added_again(tmp_path: Path) -> None:
    """Two people called Mark Walsh: a row of that name could be either, so it adds
    nobody (and a re-run still adds nobody)."""
    root = copy(tmp_path)
    assert add(root, "--id", "mwalsh9", "--name", "Mark Walsh", "--role", "teacher",
               "--department", "Maths")[0] == 0
    for run in range(2):
        files = snapshot(root)
        code, out = import_(root, EXPORT)
        assert code == 0, out
        assert "Mark Walsh could be any of mwalsh, mwalsh9" in out
        assert "add  mwalsh" not in out
        assert (snapshot(root) == files) == (run == 1)  # the second run writes nothing
    people = staff(root)
    assert [p for p in people if p.startswith("mwalsh")] == ["mwalsh", "mwalsh9"]
    assert set(NEW) <= set(people)



@pytest.mark.parametrize("style", ["as generated", "indented items", "crlf", "comments"])
def test_appending_a_person_writes_what_a_full_round_trip_writes(
        monkeypatch: pytest.MonkeyPatch, style: str) -> None:
    """yamledit's fast path for an append (only the new entry is dumped) gives the bytes the
    full ruamel round trip gives, in each layout."""
    from coachctl import yamledit

    text = (PROGRAMMES / "ashby-vale-school/staff.yaml").read_text()
    if style == "indented items":
        text = "\n".join(("  " + line if line.startswith(("-", "  ")) else line)
                         for line in text.splitlines()) + "\n"
    elif style == "crlf":
        text = text.replace("\n", "\r\n")
    elif style == "comments":
        text = text.replace("- id:", "# a person\n- id:", 2) + "# the end\n"
    before = text.encode()

    def change(d: dict) -> None:  # type: ignore[type-arg]
        d["staff"].append({"id": "rlindqvist", "name": "Rosa Lindqvist", "role": "ect",
                           "department": "Science",
                           "joined": __import__("datetime").date(2027, 1, 4)})

    fast = yamledit.edit("staff.yaml", before, change).after
    monkeypatch.setattr(yamledit, "_appended", lambda *a: None)
    full = yamledit.edit("staff.yaml", before, change).after
    assert fast == full
    assert fast is not None and fast.startswith(before)
