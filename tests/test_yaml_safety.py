"""Any YAML a person can commit gets a located answer: never a traceback, never a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachctl.yamlsafe import parse_bytes
from tests.conftest import invoke

BAD: dict[str, tuple[bytes, str, int]] = {
    # name: (content, expected code, expected line)
    "unclosed bracket": (b"coach: [a\n", "Y001", 2),
    "bad indentation": (b"coach: a\n  coachee: b\n", "Y001", 2),
    "tab indentation": (b"coach: a\nx:\n\t- 1\n", "Y002", 3),
    "duplicate key": (b"coach: a\ncoachee: b\ncoach: c\n", "Y003", 3),
    "python tag": (b"coach: !!python/name:os.system\n", "Y004", 1),
    "custom tag": (b"coach: !secret a\n", "Y004", 1),
    "merge key": (b"base: &b {coach: a}\nnote:\n  <<: *b\n", "Y004", 3),
    "recursive alias": (b"a: &a [*a]\n", "Y005", 1),
    "latin-1 byte": (b"coach: a\nname: Ren\xe9\n", "Y006", 2),
    "truncated utf-8": (b"coach: a\nname: \xe2\x82", "Y006", 2),
    "control character": (b"coach: \"a\x07\"\n", "Y001", 1),
    "empty": (b"", "Y007", 0),
    "only comments": (b"# nothing\n\n", "Y007", 0),
    "two documents": (b"a: 1\n---\nb: 2\n", "Y008", 2),
    "list root": (b"- a\n", "Y009", 1),
    "scalar root": (b"just text\n", "Y009", 1),
    "impossible date": (b"date: 2026-02-30\n", "S004", 1),
    # found by the property tests in test_reader_hardening.py: each once a traceback
    "int tag on words": (b"coach: a\ncycle: !!int three\n", "S003", 2),
    "int tag on nothing": (b"cycle: !!int\n", "S003", 1),
    "bool tag on words": (b"modelled: !!bool maybe\n", "S003", 1),
    "float tag on a dot": (b"x: !!float .\n", "S003", 1),
    "timestamp tag on words": (b"date: !!timestamp soon\n", "S004", 1),
    "integer of 5,000 digits": (b"cycle: " + b"9" * 5000 + b"\n", "S003", 1),
    "hex integer of 5,000 digits": (b"cycle: 0x" + b"f" * 5000 + b"\n", "S003", 1),
    "integer key of 5,000 digits": (b"a: 1\n" + b"9" * 5000 + b": 1\n", "Y001", 2),  # libyaml
    "line separator before an error": ("a: 'x\u2028y'\nb: [c\n".encode(), "Y001", 3),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_yaml_is_located(name: str) -> None:
    content, code, line = BAD[name]
    parsed = parse_bytes(content, "f.yaml")
    codes = [(d.code, d.line) for d in parsed.diagnostics]
    assert (code, line) in codes, codes


def test_billion_laughs_is_refused_quickly() -> None:
    doc = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        doc.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    started = time.perf_counter()
    parsed = parse_bytes("\n".join(doc).encode(), "bomb.yaml")
    assert time.perf_counter() - started < 2
    assert [d.code for d in parsed.diagnostics] == ["Y005"]
    assert parsed.value is None


def test_deep_nesting_is_refused() -> None:
    parsed = parse_bytes(b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "deep.yaml")
    assert [d.code for d in parsed.diagnostics] == ["Y005"]


def test_huge_file_is_refused_unread() -> None:
    parsed = parse_bytes(b"a: " + b"x" * (9 * 1024 * 1024), "big.yaml")
    assert [d.code for d in parsed.diagnostics] == ["Y010"]


def test_yaml_11_traps_are_reported_with_hints() -> None:
    from coachctl.diagnostics import Diagnostic
    from coachctl.schema_errors import validate

    parsed = parse_bytes(b"name: Prep\nkind: inset\nstart: 2026-09-01\n", "p.yaml")
    assert parsed.value["start"].isoformat() == "2026-09-01"
    parsed = parse_bytes(b"coach: no\ncoachee: b\ncycle: 1\n", "n.yaml")
    out: list[Diagnostic] = []
    assert validate("notes", parsed, "n.yaml", out) is None
    assert out[0].code == "S003" and "quote" in (out[0].hint or "")
    assert (out[0].line, out[0].col) == (1, 8)


def test_truncated_file_in_a_programme(programme: Path) -> None:
    """A file cut off mid-write (as after a crash) is reported, and validate exits 1."""
    text = (programme / "staff.yaml").read_text()
    cut = text[: len(text) // 2].rsplit("\n", 1)[0]
    (programme / "staff.yaml").write_text(cut + "\n  - id: x\n    name: [")
    res = invoke("validate", "--format", "concise", programme)
    assert res.exit_code == 1
    assert f"{programme.as_posix()}/staff.yaml:" in res.stdout
    assert "Traceback" not in res.stdout + res.stderr


def test_every_kind_of_file_can_be_broken_without_a_traceback(programme: Path) -> None:
    rels = [p.relative_to(programme).as_posix() for p in programme.rglob("*.yaml")]
    for rel in rels:
        before = (programme / rel).read_bytes()
        for content, code, _ in BAD.values():
            (programme / rel).write_bytes(content)
            res = invoke("validate", "--format", "concise", programme)
            assert res.exit_code == 1, (rel, content)
            assert f"/{rel}:" in res.stdout
            assert f" {code} " in res.stdout, (rel, content, res.stdout)
        (programme / rel).write_bytes(before)


def test_validate_writes_nothing(programme: Path) -> None:
    (programme / "staff.yaml").write_bytes(b"staff: [\n")
    before = {p: p.stat().st_mtime_ns for p in programme.rglob("*") if p.is_file()}
    invoke("validate", programme)
    after = {p: p.stat().st_mtime_ns for p in programme.rglob("*") if p.is_file()
             and ".coachctl-cache" not in p.parts}
    assert before == after


def test_quick_top_level_spans_agree_with_a_full_parse() -> None:
    """The shortcut locate uses for notes gives exactly libyaml's spans, or none."""
    from coachctl.yamlsafe import top_level_spans
    from tests.conftest import PROGRAMMES

    checked = 0
    for path in PROGRAMMES.rglob("*.yaml"):
        data = path.read_bytes()
        parsed = parse_bytes(data, str(path))
        for key, span in top_level_spans(data).items():
            assert parsed.values[(key,)] == span, (path, key)
            checked += 1
    assert checked > 5_000
    tricky = (b"a: x #c\nb: 'q'\nc: [1]\nd: x\nd: y\ne: a: b\nf:   2026-09-17   \n"
              b"g: |\n  h: 1\n")
    quick = top_level_spans(tricky)
    assert set(quick) == {"a", "f"}  # quoted, flow, duplicate, bad and block values are left
    assert quick["a"] == (1, 4, 1, 5) and quick["f"] == (7, 6, 7, 16)


ONE_KEY_LINES = [b"a: x", b"a: x #c", b"a:   2026-09-17   ", b"a: 'q'", b"a: [1]", b"a:", b"a :y",
                 b"ab: y", b"a_b: z", b"  a: x", b"b: a", b"#a: x", b"a: x\r", b"\ta: x",
                 b"\xef\xbb\xbfa: x", b"a: b: c", b"a: -", b"A: x", b"\xc3\xa9: x", b""]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ONE_KEY_LINES), max_size=6))
def test_one_key_span_is_the_span_among_all_top_level_keys(lines: list[bytes]) -> None:
    """locate looks for one key (``rehearsed``) in each of thousands of notes: it must find
    what the scan of every key finds, a duplicate or an odd file included."""
    from coachctl.yamlsafe import top_level_span, top_level_spans

    data = b"\n".join(lines)
    every = top_level_spans(data)
    for key in ("a", "ab", "a_b", "b", "A", "é", "a b", ""):
        assert top_level_span(data, key) == every.get(key), (data, key)


def test_one_key_span_agrees_on_every_example_file() -> None:
    from coachctl.yamlsafe import top_level_span, top_level_spans
    from tests.conftest import PROGRAMMES

    checked = 0
    for path in PROGRAMMES.rglob("*.yaml"):
        data = path.read_bytes()
        every = top_level_spans(data)
        for key in {*every, "status", "rehearsed", "action_step", "coach", "end", "note"}:
            assert top_level_span(data, key) == every.get(key), (path, key)
            checked += 1
    assert checked > 5_000
