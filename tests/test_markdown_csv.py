"""Output where users already work: Markdown for a CI job's summary, CSV that spreadsheets
and pandas read right (issue 14)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from coachctl.diagnostics import Diagnostic, Severity, summarise
from coachctl.render import markdown
from tests.conftest import PROGRAMMES, copy_example, invoke

TODAY = "2026-11-30"
KINGSMEAD = PROGRAMMES / "kingsmead-academy"


def md_tables(text: str) -> list[list[list[str]]]:
    """Every table of a GitHub-flavoured Markdown page as rows of cell texts (header
    first), parsed by markdown-it's GFM table rule; the page has a heading."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert tokens[0].type == "heading_open" and tokens[0].tag == "h1"
    tables: list[list[list[str]]] = []
    row: list[str] = []
    inline: Token | None = None
    for tok in tokens:
        if tok.type == "table_open":
            tables.append([])
        elif tok.type == "tr_open":
            row = []
        elif tok.type in ("th_open", "td_open"):
            inline = None
        elif tok.type == "inline":
            inline = tok
        elif tok.type in ("th_close", "td_close"):
            row.append(inline.content if inline else "")
        elif tok.type == "tr_close":
            tables[-1].append(row)
    return tables


def unescape(cell: str) -> str:
    return re.sub(r"\\(.)", r"\1", cell)


def assert_well_formed(text: str) -> list[list[list[str]]]:
    tables = md_tables(text)
    assert tables, text[:500]
    for t in tables:
        assert all(len(r) == len(t[0]) for r in t), t[0]
    return tables


@pytest.mark.parametrize("args", [
    ("validate",), ("qa", "--today", TODAY), ("stats", "--today", TODAY),
    ("stats", "--by", "department", "--today", TODAY)])
def test_markdown_pages_are_tables_with_a_heading_and_keep_exit_codes(
        args: tuple[str, ...], tmp_path: Path) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "k")
    if args[0] == "validate":  # a problem to show: a coach who is nobody
        pairings = root / "pairings.yaml"
        pairings.write_text(pairings.read_text().replace("aosei", "nobody-here", 1))
    res = invoke(args[0], root, *args[1:], "--format", "md")
    plain = invoke(args[0], root, *args[1:])
    assert res.exit_code == plain.exit_code
    assert res.exit_code == (0 if args[0] == "stats" else 1)
    tables = assert_well_formed(res.stdout)
    if args[0] == "validate":
        assert tables[-1][0] == ["location", "code", "severity", "message"]
        doc = invoke("validate", root, "--format", "json").json()
        assert [r[1] for r in tables[-1][1:]] == [d["code"] for d in doc["diagnostics"]]
        assert all(re.fullmatch(r".*\.yaml:\d+:\d+", unescape(r[0])) for r in tables[-1][1:])
    elif args[0] == "qa":
        assert tables[0][0] == ["code", "severity", "count", "title", "concerns"]
        assert tables[1][0] == ["location", "code", "severity", "message"]
        gaps = invoke("qa", root, *args[1:], "--format", "json").json()
        assert len(tables[1]) - 1 == len(gaps["diagnostics"])
    else:
        assert "ended cycle" in res.stdout.splitlines()[2]
        assert any(r[0] == "all" for t in tables for r in t)


def test_markdown_escapes_what_would_break_a_table_or_make_a_link() -> None:
    nasty = "a|b *c* _d_ [x](http://e) <script> `e` \\ \n\x1b[2J"
    d = Diagnostic("R003", Severity.ERROR, nasty, "notes/a|b.yaml", 3, 4)
    page = markdown.diagnostics([d], summarise([d], 1), "coachctl validate")
    [table] = assert_well_formed(page)
    # the table rule takes "\\|" as a pipe within the cell; the rest stays escaped
    assert table[1] == ["notes/a|b.yaml:3:4", "R003", "error",
                        markdown.cell(nasty).replace("\\|", "|")]
    assert "<script>" not in page and "](http" not in page and "\x1b" not in page
    html = MarkdownIt("commonmark").enable("table").render(page)
    assert "<a " not in html and "<em>" not in html and "<script>" not in html


def test_long_lists_are_cut_with_a_count() -> None:
    found = [Diagnostic("R003", Severity.ERROR, "x" * 500, f"f{i}.yaml", 1, 1)
             for i in range(5000)]
    page = markdown.diagnostics(found, summarise(found, 5000), "coachctl validate")
    [table] = assert_well_formed(page)
    assert len(page.encode()) < 1024 * 1024 / 2
    shown = len(table) - 1
    assert 0 < shown < 5000
    assert f"and {5000 - shown} more rows not shown" in page


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_stats_csv_sums_without_doubling_and_marks_each_row() -> None:
    res = invoke("stats", KINGSMEAD, "--by", "department", "--format", "csv", "--today", TODAY)
    rows = rows_of(res.stdout)
    assert {r["row"] for r in rows} == {"group"}
    totals = rows_of(invoke("stats", KINGSMEAD, "--by", "department", "--format", "csv",
                            "--totals", "--today", TODAY).stdout)
    [total] = [r for r in totals if r["row"] == "total"]
    assert totals[-1] is total and total["department"] == "all"
    for column in ("planned", "done", "missed"):
        assert sum(int(r[column]) for r in rows) == int(total[column])
    # the trend: one column per ended cycle, a share like completion
    doc = invoke("stats", KINGSMEAD, "--by", "department", "--format", "json",
                 "--today", TODAY).json()
    trend = [f"completion_cycle_{n}" for n in doc["cycles"]]
    assert [c for c in rows[0] if c.startswith("completion_cycle_")] == trend
    for r, j in zip(rows, doc["rows"], strict=False):
        shares = [float(r[c]) if r[c] else None for c in trend]
        assert all(s is None or 0 <= s <= 1 for s in shares)
        assert [str(round(100 * s)) if s is not None else "-" for s in shares] \
            == j["trend"].split()


def test_stats_csv_marks_the_open_cycle(tmp_path: Path) -> None:
    rows = rows_of(invoke("stats", KINGSMEAD, "--format", "csv", "--today", "2026-11-23").stdout)
    assert [r["row"] for r in rows] == ["group"] * 3 + ["open"]
    assert rows[-1]["cycle"] == "open: cycle 4" and rows[-1]["teaching_days_left"] == "5"


def test_qa_csv_one_row_per_gap() -> None:
    res = invoke("qa", KINGSMEAD, "--format", "csv", "--today", TODAY)
    assert res.exit_code == 1
    rows = rows_of(res.stdout)
    doc = invoke("qa", KINGSMEAD, "--format", "json", "--today", TODAY).json()
    assert list(rows[0]) == ["path", "line", "col", "code", "severity", "subject", "message"]
    assert len(rows) == len(doc["diagnostics"])
    for r, d in zip(rows, doc["diagnostics"], strict=True):
        assert (r["code"], r["severity"], r["path"]) == (d["code"], d["severity"], d["path"])
        assert r["line"] == ("" if d["line"] is None else str(int(r["line"])))
        assert r["col"] == ("" if d["column"] is None else str(int(r["col"])))


def test_staff_show_csv_stacks_the_tables() -> None:
    res = invoke("staff", "show", "aosei", KINGSMEAD, "--format", "csv", "--today", TODAY)
    assert res.exit_code == 0, res.stderr
    rows = rows_of(res.stdout)
    doc = invoke("staff", "show", "aosei", KINGSMEAD, "--format", "json",
                 "--today", TODAY).json()
    kinds = [t["kind"] for t in doc["tables"]]
    assert list(dict.fromkeys(r["table"] for r in rows)) == [
        k for k in kinds if any(t["rows"] for t in doc["tables"] if t["kind"] == k)]
    assert len(rows) == sum(len(t["rows"]) for t in doc["tables"])


def test_a_page_of_many_long_tables_stays_under_the_step_summary_limit() -> None:
    """stats --by coach over a trust: five tables of thousands of rows; the page, not each
    table, is held to MAX_BYTES, and every table still shows its heading and count."""
    from coachctl.tables import Table

    big = [Table(f"t{i}", ("coach", "note"), [(f"coach-{n}", "y" * 200) for n in range(3000)],
                 title=f"table {i}") for i in range(5)]
    page = markdown.tables(big, "a trust")
    assert len(page.encode()) < markdown.MAX_BYTES + 10_000
    assert page.count("more rows not shown") == 5
    assert all(f"## table {i}" in page for i in range(5))
    assert_well_formed(page)
