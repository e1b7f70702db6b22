"""`coachctl bulletin`: a cycle's achievements in counts and step names, Markdown or HTML."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PROGRAMMES, invoke, write_files
from tests.test_qa import TODAY

KINGSMEAD = PROGRAMMES / "kingsmead-academy"


def test_markdown_bulletin_of_a_cycle() -> None:
    res = invoke("bulletin", KINGSMEAD, "--cycle", "3", "--today", TODAY)
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("# Coaching bulletin: Kingsmead Academy, cycle 3 (")
    for heading in ("## Completion by department", "## Steps most worked on",
                    "## New to coaching", "## Coach training next (2026-11-26)"):
        assert heading in lines
    whole = next(x for x in lines if x.startswith("- Whole school:"))
    assert whole.endswith("%)") and " of " in whole
    assert "- aallen, cakhtar, ejenkins, rquinn, sbennett" in lines  # new_coach: true
    training = lines[lines.index("## Coach training next (2026-11-26)") + 2]
    assert training.endswith("(rh-01): 16 coaches")  # the training plan's first step


def test_html_escapes_and_defaults_to_the_latest_cycle(programme: Path) -> None:
    write_files(programme, {"cycles/cycle-01.yaml": {"number": 1, "start": "2026-09-07",
                                                     "end": "2026-09-25"}})
    staff = (programme / "staff.yaml").read_text(encoding="utf-8")
    (programme / "staff.yaml").write_text(staff.replace("department: English",
                                                        "department: <English & Drama>"),
                                          encoding="utf-8")
    res = invoke("bulletin", programme, "--format", "html", "--today", "2026-09-20")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("<!DOCTYPE html>")
    assert "cycle 1 (2026-09-07 to 2026-09-25)" in res.stdout
    assert "&lt;English &amp; Drama&gt;: 0 of 2" in res.stdout
    assert "<English" not in res.stdout


def test_usage_errors(programme: Path) -> None:
    res = invoke("bulletin", KINGSMEAD, "--cycle", "9", "--today", TODAY)
    assert res.exit_code == 2 and "no cycle 9" in res.stderr
    res = invoke("bulletin", programme, "--today", TODAY)  # no cycle has started
    assert res.exit_code == 2 and "no cycle has started" in res.stderr
    assert invoke("bulletin", KINGSMEAD, "--format", "pdf").exit_code == 2


def test_a_warm_bulletin_of_any_cycle_is_the_cache_less_one(tmp_path: Path) -> None:
    """One run caches every cycle's bulletin for the day: asking for another cycle, another
    day or after an edit reads what a run without the cache prints."""
    import shutil

    root = tmp_path / "kingsmead-academy"
    shutil.copytree(KINGSMEAD, root, ignore=shutil.ignore_patterns(".coachctl-cache"))

    def run(*args: str, cache: bool = True) -> str:
        if not cache:
            shutil.rmtree(root / ".coachctl-cache", ignore_errors=True)
        res = invoke("bulletin", root, "--today", TODAY, *args)
        assert res.exit_code == 0, res.stderr
        return res.stdout

    first = run("--cycle", "3")
    assert (root / ".coachctl-cache" / "bulletin.msgpack").is_file()
    for args in (["--cycle", "3"], ["--cycle", "1"], [], ["--cycle", "2", "--format", "html"]):
        assert run(*args) == run(*args, cache=False), args
    assert run("--cycle", "3") == first
    # an edit the bulletin shows (a department's name) reaches the cached page
    staff = root / "staff.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").replace("department: English",
                                                               "department: Literacy"),
                     encoding="utf-8")
    edited = run("--cycle", "3")
    assert edited != first and "Literacy" in edited
    assert edited == run("--cycle", "3", cache=False)
