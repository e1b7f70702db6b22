"""`coachctl report`: one self-contained HTML page, its charts and tables, and how it is written.

The HTML-parse tests always run (no browser): every chart is an inline SVG
with the marks its table counts, beside a table with a caption and scoped
headers; nothing is fetched from anywhere; names, not ids; `--anonymise`
leaves no real name, department or step title. tests/test_report_browser.py
opens the page in a real browser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROGRAMMES, invoke, write_files
from tests.test_qa import CASES, TODAY, base_files

KINGSMEAD = PROGRAMMES / "kingsmead-academy"
ASHBY = PROGRAMMES / "ashby-vale-school"
MARKS = {"trend": "rect", "heat": "dot", "quality": "rect", "quality-trend": "dot", "qa": "rect",
         "steps": "rect",
         "secure": "rect", "load": "rect", "schools": "rect", "years": "rect"}
"""Each chart's marks: pygal's bars and dots are the elements with class 'reactive'."""


class Page(HTMLParser):
    """The parts of the report a test checks: figures, their SVG marks and their tables."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.figures: dict[str, dict[str, Any]] = {}
        self.current: dict[str, Any] | None = None
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self.in_caption = False
        self.cells: list[str] = []
        self.in_cell = False
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "figure":
            self.current = {"svg": 0, "marks": {}, "tables": 0, "cells": []}
            self.figures[str(a["id"]).removeprefix("fig-")] = self.current
        elif tag == "svg" and self.current is not None:
            self.current["svg"] += 1
        elif self.current is not None and "reactive" in (a.get("class") or "").split():
            kind = (a.get("class") or "").split()[0]
            self.current["marks"][kind] = self.current["marks"].get(kind, 0) + 1
        if tag == "table":
            self.tables += 1
            if self.current is not None:
                self.current["tables"] += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th" and not a.get("scope"):
            self.th_without_scope += 1
        if tag in ("td", "th"):
            self.in_cell = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self.current = None
        if tag in ("td", "th"):
            self.in_cell = False
            if self.current is not None:
                self.current["cells"].append(self.cells[-1].strip())

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.cells[-1] += data


def report(*args: str | Path) -> str:
    res = invoke("report", *args, "-o", "-", "--today", TODAY)
    assert res.exit_code == 0, res.stderr
    return res.stdout


@pytest.fixture(scope="module")
def kingsmead() -> str:
    return report(KINGSMEAD)


@pytest.fixture(scope="module")
def trust(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trust")
    for p in (KINGSMEAD, ASHBY):
        shutil.copytree(p, root / p.name, ignore=shutil.ignore_patterns(".coachctl-cache"))
    return root


def staff(root: Path) -> list[dict[str, Any]]:
    data: dict[str, Any] = yaml.safe_load((root / "staff.yaml").read_text(encoding="utf-8"))
    return list(data["staff"])


def step_titles(html: str) -> list[str]:
    return [c for c in Page(html).figures["steps"]["cells"] if len(c) > 40]


def test_every_chart_is_an_inline_svg_with_its_marks_beside_a_table(kingsmead: str) -> None:
    page = Page(kingsmead)
    assert set(page.figures) == {"trend", "heat", "quality", "quality-trend", "qa", "steps",
                                 "secure", "load"}
    for name, fig in page.figures.items():
        assert fig["svg"] == 1, name
        assert fig["tables"] == 1, name
        assert fig["marks"].get(MARKS[name], 0) > 0, (name, fig["marks"])
    assert page.figures["trend"]["marks"]["rect"] == 3  # cycles 1-3 ended; cycle 4 runs
    assert page.figures["heat"]["marks"]["dot"] == 11 * 3  # 11 departments x 3 cycles
    assert page.figures["quality"]["marks"]["rect"] == 4
    assert page.figures["quality-trend"]["marks"]["dot"] == 4 * 3  # 4 measures x 3 cycles
    assert page.tables == page.captions and page.th_without_scope == 0


def test_the_open_cycle_is_apart_and_figures_agree_with_stats(kingsmead: str) -> None:
    stats = invoke("stats", KINGSMEAD, "--format", "json", "--today", TODAY).json()
    total = stats["rows"][-1]
    assert total["cycle"] == "all"
    cells = Page(kingsmead).figures["trend"]["cells"]
    i = cells.index("all ended cycles")
    assert cells[i + 1: i + 4] == [str(total["planned"]), str(total["done"]),
                                   f"{round(100 * total['completion'])}%"]
    assert "Cycle 4" not in cells  # still running on TODAY
    assert "Cycles still running" in kingsmead and "2026-11-09 to 2026-11-27" in kingsmead


def test_nothing_is_fetched_and_no_script_runs(kingsmead: str) -> None:
    page = Page(kingsmead)
    assert not [t for t, _ in page.tags if t in ("script", "link", "img", "iframe", "object")]
    for bad in ("<script", "src=", "href=", "url(", "@import", "@font-face"):
        assert bad not in kingsmead.lower(), bad
    assert "default-src 'none'" in kingsmead  # the browser refuses any request, too
    assert not re.search(r"https?://(?!www\.w3\.org/)", kingsmead)  # only SVG's namespace


def test_names_not_ids_and_prints_on_a4(kingsmead: str) -> None:
    titles = step_titles(kingsmead)
    assert titles and all(" " in t for t in titles)
    assert "@page { size: A4" in kingsmead and "@media print" in kingsmead
    assert "break-inside: avoid" in kingsmead


def test_over_limit_coaches_are_named(programme: Path) -> None:
    write_files(programme, base_files())
    CASES["Q009"][0](programme)  # teacher-a coaches two, the limit is one
    html = report(programme)
    assert "Coaches over their limit" in html and "Teacher A" in html
    assert ">teacher-a<" not in html


def test_same_input_same_bytes_and_anonymised_is_stable(kingsmead: str) -> None:
    assert report(KINGSMEAD) == kingsmead
    assert report(KINGSMEAD, "--anonymise") == report(KINGSMEAD, "--anonymise")


def test_anonymise_leaves_no_name_department_or_step(trust: Path) -> None:
    html = report(trust, "--anonymise")
    plain = report(trust)
    text = Page(html)
    assert "anonymised" in html and "Department A" in html and "Step 1<" in html
    for root in (trust / KINGSMEAD.name, trust / ASHBY.name):
        for person in staff(root):
            assert person["name"] not in html, person["name"]
            assert f">{person['department']}<" not in html, person["department"]
    for title in step_titles(plain):
        assert title not in html
        assert title[:30] not in html  # nor the shortened label on the chart
    assert text.figures["heat"]["marks"] == Page(plain).figures["heat"]["marks"]


def test_a_trust_has_figures_per_school_and_per_year(trust: Path) -> None:
    html = report(trust)
    assert trust.name not in html  # the page travels: no folder of this machine in it
    page = Page(html)
    assert {"schools", "years"} <= set(page.figures)
    assert {"Kingsmead Academy", "Ashby Vale School"} <= set(page.figures["schools"]["cells"])
    assert "2026-27" in page.figures["years"]["cells"]
    assert page.figures["schools"]["marks"]["rect"] == 2


def test_writes_a_file_and_replaces_only_a_report(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    res = invoke("report", KINGSMEAD, "-o", out, "--today", TODAY)
    assert res.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"wrote {out}" in res.stderr
    first = out.read_bytes()
    assert invoke("report", KINGSMEAD, "-o", out, "--today", TODAY).exit_code == 0
    assert out.read_bytes() == first  # idempotent
    assert invoke("report", ASHBY, "-o", out, "--today", TODAY).exit_code == 0
    assert b"Ashby Vale School" in out.read_bytes()  # a report written before is replaced

    mine = tmp_path / "minutes.html"
    mine.write_text("<p>Governors' minutes</p>", encoding="utf-8")
    res = invoke("report", KINGSMEAD, "-o", mine, "--today", TODAY)
    assert res.exit_code == 2 and "not a coachctl report" in res.stderr
    assert mine.read_text(encoding="utf-8") == "<p>Governors' minutes</p>"
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(("args", "message"), [
    ((KINGSMEAD,), "with -o FILE"),
    ((KINGSMEAD, "-o", ""), "with -o FILE"),
    ((KINGSMEAD, "-o", "{tmp}"), "is a folder"),
    (("{tmp}/nowhere", "-o", "-"), "no such file or folder"),
    ((KINGSMEAD, "-o", "-", "--today", "23/11/2026"), "not a date"),
    ((KINGSMEAD, "-o", "{tmp}/no/such/folder/r.html"), "cannot write"),
])
def test_usage_and_io_errors_exit_2(tmp_path: Path, args: tuple[Any, ...], message: str) -> None:
    argv = [str(a).replace("{tmp}", str(tmp_path)) for a in args]
    if "no/such" in argv[-1]:
        (tmp_path / "no").write_text("a file where a folder should be", encoding="utf-8")
    res = invoke("report", *argv)
    assert res.exit_code == 2, res.stdout
    assert message in res.stderr and "Traceback" not in res.stderr


def test_a_broken_programme_is_warned_about_and_reported_as_far_as_read(
        programme: Path) -> None:
    write_files(programme, base_files())
    write_files(programme, {"notes/cycle-02/teacher-a--teacher-b.yaml": "coach: [unclosed\n"})
    res = invoke("report", programme, "-o", "-", "--today", TODAY)
    assert res.exit_code == 0  # as `stats` does
    assert "warning: validate finds 1 error" in res.stderr
    assert "<svg" in res.stdout


def test_help_and_other_commands_do_not_import_the_chart_libraries() -> None:
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; import coachctl.cli.report, coachctl.cli.stats\n"
         "print(sorted(m for m in ('pygal', 'jinja2') if m in sys.modules))"],
        capture_output=True, text=True, timeout=60)
    assert probe.stdout.strip() == "[]", probe.stderr
    listing = subprocess.run([sys.executable, "-m", "coachctl", "--help"], capture_output=True,
                             text=True, timeout=60)
    assert "report" in listing.stdout


def test_names_are_escaped_as_text_never_markup(programme: Path) -> None:
    """A name or department holding markup or terminal escapes is shown as typed, inert."""
    write_files(programme, base_files())
    CASES["Q009"][0](programme)  # teacher-a is over the limit: named in the page
    text = (programme / "staff.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Teacher A", 'name: "<script>alert(1)</script> A\\x1b[2J"')
    text = text.replace("department: English", 'department: "<img src=x onerror=alert(2)>"')
    (programme / "staff.yaml").write_text(text, encoding="utf-8")
    assert invoke("validate", programme).exit_code == 0
    html = report(programme)
    assert "<script" not in html and "<img" not in html and "\x1b" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; A\\x1b[2J" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html  # in the table and in the SVG
    page = Page(html)
    assert "<img src=x onerror=alert(2)>" in page.figures["heat"]["cells"]


def test_an_empty_programme_says_there_is_nothing_yet(programme: Path) -> None:
    html = invoke("report", programme, "-o", "-", "--today", "2026-09-01").stdout
    assert "nothing to show yet" in html and "ended cycles none yet" in html


def test_anonymised_coaches_over_their_limit_are_pseudonyms(programme: Path) -> None:
    write_files(programme, base_files())
    CASES["Q009"][0](programme)
    html = report(programme, "--anonymise")
    assert "Coaches over their limit" in html and ">Coach 1<" in html
    assert "Teacher A" not in html and "teacher-a" not in html


def test_per_school_figures_agree_with_stats_by_school(trust: Path) -> None:
    stats = invoke("stats", trust, "--by", "school", "--format", "json", "--today", TODAY).json()
    by_school = {r["school"]: r for r in stats["rows"]}
    cells = Page(report(trust)).figures["schools"]["cells"]
    for school in ("Kingsmead Academy", "Ashby Vale School"):
        row = by_school[f"{school} 2026-27"]  # one year each: a school's row is its year's
        i = cells.index(school)
        assert cells[i + 1: i + 4] == [str(row["planned"]), str(row["done"]),
                                       f"{round(100 * row['completion'])}%"]


def test_step_figures_worked_out_by_hand(programme: Path) -> None:
    """Two teachers coach each other: steps rt-01 and rt-02 secured in one cycle each, rt-03
    worked on in cycle 3 and not secured (tests/test_qa.py's base programme)."""
    import datetime as dt

    from coachctl.reports.journey import step_name
    from coachctl.reports.overview import overview
    from coachctl.validation import check_programme

    write_files(programme, base_files())
    prog = check_programme(programme, "prog").programme
    ov = overview([prog], dt.date.fromisoformat(TODAY))
    steps = {s.step: (s.working, s.secured, s.cycles_to_secure) for s in ov.steps}
    assert steps == {step_name(prog, "rt-01"): (0, 2, 1.0), step_name(prog, "rt-02"): (0, 2, 1.0),
                     step_name(prog, "rt-03"): (2, 0, None)}
    assert ov.secure_after == {1: 4} and ov.steps_secured == 4 and ov.cycles_to_secure == 1.0
    assert ov.load == {1: 2} and ov.overloads == [] and ov.limit == 4
    assert [(g.label, g.planned, g.done) for g in ov.trend] == [
        ("Cycle 1", 2, 2), ("Cycle 2", 2, 2), ("Cycle 3", 2, 2)]
    (qa,) = ov.qa
    assert (qa.coaches, qa.observed, qa.hubs, qa.hubs_assured, qa.records) == (2, 2, 1, 1, 2)


@pytest.fixture
def school(tmp_path: Path) -> Path:
    from tests.test_cache import age

    root = tmp_path / "school"
    shutil.copytree(ASHBY, root, ignore=shutil.ignore_patterns(".coachctl-cache"))
    age(root)  # no file modified within the cache's racy window: its stat is trusted
    return root


def cold_report(root: Path, *args: str) -> str:
    shutil.rmtree(root / ".coachctl-cache", ignore_errors=True)
    return report(root, *args)


def test_a_warm_report_loads_no_data_and_is_the_same_page(
        school: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_qa_cache import forbid_loading

    anonymised = cold_report(school, "--anonymise")
    first = cold_report(school)
    assert (school / ".coachctl-cache" / "report.msgpack").is_file()
    forbid_loading(monkeypatch)
    assert report(school) == first
    assert report(school, "--anonymise") == anonymised


def test_a_warm_report_sees_a_changed_note_and_another_day(school: Path) -> None:
    before = report(school)
    assert report(school) == before
    note = next(p for p in sorted((school / "notes" / "cycle-02").glob("*.yaml"))
                if "rehearsed: true" in p.read_text(encoding="utf-8"))
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("rehearsed: true", "rehearsed: false"), encoding="utf-8")
    from tests.test_cache import age

    age(school)
    after = report(school)
    assert after != before and after == cold_report(school)
    later = invoke("report", school, "-o", "-", "--today", "2026-12-01").stdout
    shutil.rmtree(school / ".coachctl-cache")
    assert later == invoke("report", school, "-o", "-", "--today", "2026-12-01").stdout


def test_a_report_by_another_version_is_replaced_a_look_alike_is_not(tmp_path: Path) -> None:
    old = tmp_path / "old.html"
    old.write_text('<!DOCTYPE html><meta name="generator" content="coachctl 0.0.9 report">',
                   encoding="utf-8")
    assert invoke("report", ASHBY, "-o", old, "--today", TODAY).exit_code == 0
    assert "Ashby Vale School" in old.read_text(encoding="utf-8")
    other = tmp_path / "other.html"
    other.write_text('<meta name="generator" content="coachctl-fan-site">', encoding="utf-8")
    assert invoke("report", ASHBY, "-o", other, "--today", TODAY).exit_code == 2
    assert "Ashby" not in other.read_text(encoding="utf-8")


def _strings(value: Any) -> Iterator[str]:
    """Every string in a decoded cache document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_the_cached_contribution_holds_no_key_per_person(tmp_path: Path) -> None:
    """A programme's report.msgpack holds what the page shows per cycle, department and
    programme, never a key per person (a warm report over a trust decodes and sums small
    documents): no staff id, no note's path, and no person's name the page does not print
    (coaches over their limit are named)."""
    from tests.test_cache import _doc

    root = tmp_path / "kingsmead-academy"
    shutil.copytree(KINGSMEAD, root, ignore=shutil.ignore_patterns(".coachctl-cache"))
    page = report(root)
    found = set(_strings(_doc((root / ".coachctl-cache" / "report.msgpack").read_bytes())))
    people = staff(root)
    assert found and not found & {p["id"] for p in people}
    assert not found & {p["name"] for p in people if p["name"] not in page}
    assert not any(s.startswith("notes/") for s in found)


def test_a_warm_report_over_a_trust_is_the_cache_less_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_cache import age
    from tests.test_qa_cache import forbid_loading

    for p in (KINGSMEAD, ASHBY):
        shutil.copytree(p, tmp_path / p.name, ignore=shutil.ignore_patterns(".coachctl-cache"))
    age(tmp_path)

    def cache_less(*args: str) -> str:
        for cached in tmp_path.glob("*/.coachctl-cache"):
            shutil.rmtree(cached)
        return report(tmp_path, *args)

    pages = [cache_less(*args) for args in ((), ("--anonymise",))]
    forbid_loading(monkeypatch)
    assert [report(tmp_path, *args) for args in ((), ("--anonymise",))] == pages


def test_a_warm_report_imports_neither_pydantic_nor_yaml(school: Path) -> None:
    """Rebuilt from the cache (plain data): no parser, no models, no cross-file checks."""
    from tests.test_startup import imported

    args = ("report", school, "-o", "-", "--today", TODAY)
    assert imported(*args)[0] == 0  # fills the cache
    assert imported(*args) == (0, set())
