"""Reading a sealed note quickly: the age block recognised, not parsed (issue 16).

A sealed note ends in the ``sealed:`` block coachctl writes (``fields``, ``readers``,
then ``age: |`` with the armour). :func:`coachctl.yamlsafe.plain_value` recognises that
block exactly (:func:`coachctl.sealtext.sealed_tail`) and parses only the text before
it with libyaml; anything else is parsed whole. The shortcut must be invisible: for any
file it gives the value the whole parse gives (or None where that gives None, so the
file is read the careful way and located exactly as before). These tests hold it to
that, on blocks coachctl writes, on a table of damaged blocks, on random damage in and
around the block, and through ``validate`` in every output format.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachctl import seal, sealtext, yamlsafe
from coachctl.fieldtypes import TEXT_FIELDS
from coachctl.yamlsafe import parse_bytes, plain_value
from coachctl.yamlsafe.fast import sealed_value
from tests.conftest import invoke
from tests.sealing import sealed_copy, texts

PROPERTY = settings(max_examples=int(os.environ.get("COACHCTL_PROPERTY_EXAMPLES", "300")),
                    deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEAD = """\
# Session note: aallen coaches hsharma in cycle 2.
coach: aallen
coachee: hsharma
cycle: 2
status: complete      # stub, then complete (or missed)
date: 2026-10-08      # the day of the feedback meeting
# What the teacher did well, precisely, and what it made happen for pupils:
# precise_praise: sealed (`coachctl note show FILE` opens it)
# ...
action_step: fb-04    # the step worked on (a library step id)
modelled: true        # true or false: you modelled the step
# Only if the session did not happen (status: missed): why, briefly:
missed_reason: |
"""
TAGS = ["aallen:0a1b2c3d", "hsharma:9f8e7d6c", "lead.coach-2:00ff00ff"]


def armour(n: int, seed: int = 1) -> str:
    """age's armour of ``n`` bytes (contents do not matter to the reader)."""
    return seal.armor(bytes((seed * 31 + i * 7) % 256 for i in range(n)))


def sealed_note(head: str = HEAD, fields: list[str] | None = None,
                tags: list[str] | None = None, size: int = 400) -> str:
    fields = ["precise_praise", "next_steps"] if fields is None else fields
    return head + sealtext.block(fields, TAGS if tags is None else tags, armour(size))


def whole(data: bytes) -> object:
    return plain_value(data, whole=True)


def agree(data: bytes) -> object:
    """The shortcut's value is the whole parse's, to the type (``repr``: True is not 1),
    and when there is one, the careful parse gives it too and reports nothing."""
    quick, full = plain_value(data), whole(data)
    assert repr(quick) == repr(full)
    if quick is not None:
        careful = parse_bytes(data, "notes/cycle-02/aallen--hsharma.yaml")
        assert not careful.diagnostics
        assert repr(careful.value) == repr(quick)
    return quick


# --- blocks coachctl writes take the shortcut and read as the whole parse reads them -----

def test_the_block_coachctl_writes_is_recognised_and_read_exactly() -> None:
    text = sealed_note()
    value = sealed_value(text)
    assert value is not None
    assert value["sealed"] == {"fields": ["precise_praise", "next_steps"], "readers": TAGS,
                               "age": armour(400)}
    full = whole(text.encode())
    assert isinstance(full, dict) and list(full) == list(value)  # "sealed" last, as parsed
    assert agree(text.encode()) == value


ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True)
tags = st.builds(lambda who, fp: f"{who}:{fp:08x}", ids, st.integers(0, 2**32 - 1))


@PROPERTY
@given(st.lists(st.sampled_from(TEXT_FIELDS), unique=True), st.lists(tags, max_size=6),
       st.integers(0, 3_000))
def test_any_block_coachctl_could_write_takes_the_shortcut(fields: list[str], readers: list[str],
                                                          size: int) -> None:
    text = sealed_note(fields=fields, tags=readers, size=size)
    assert sealed_value(text) is not None
    assert agree(text.encode()) is not None


def test_every_file_note_seal_writes_takes_the_shortcut(sealed: Path) -> None:
    """A regression of the writer's layout would quietly cost every sealed note the slow
    parse: each file ``note seal`` wrote to the example is recognised."""
    files = [p for p in texts(sealed) if b"\nsealed:\n" in p.read_bytes()]
    assert len(files) > 100
    for path in files:
        data = path.read_bytes()
        assert sealed_value(data.decode()) is not None, path.name
        assert agree(data) is not None, path.name


def test_validate_reads_every_sealed_note_by_the_shortcut(
        sealed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[str] = []

    def counted(text: str) -> object:
        value = sealed_value(text)
        if value is not None:
            taken.append(text)
        return value

    monkeypatch.setattr(yamlsafe, "sealed_value", counted)
    res = invoke("validate", sealed, "--no-cache")
    assert res.exit_code == 0, res.stdout
    assert len(taken) == sum(b"\nsealed:\n" in p.read_bytes() for p in texts(sealed))


# --- anything unusual is parsed whole: a table of damaged blocks ---------------------------

GOOD = sealed_note()
BLOCK_AT = GOOD.index("sealed:\n")
BEGIN_LINE = f"    {sealtext.BEGIN}\n"


def _sub(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)
    return change


def _tail(old: str, new: str) -> Callable[[str], str]:
    """Replace the last ``old`` (in the block, not the head)."""
    def change(text: str) -> str:
        i = text.rindex(old)
        return text[:i] + new + text[i + len(old):]
    return change


def _armour_line(n: int, new: Callable[[str], str]) -> Callable[[str], str]:
    """Change the armour's ``n``-th line (0: BEGIN)."""
    def change(text: str) -> str:
        lines = text.splitlines(keepends=True)
        i = lines.index(BEGIN_LINE) + n
        lines[i] = new(lines[i])
        return "".join(lines)
    return change


DAMAGE: dict[str, Callable[[str], str]] = {
    # the file around the block
    "crlf everywhere": lambda t: t.replace("\n", "\r\n"),
    "crlf in the head only": lambda t: t[:BLOCK_AT].replace("\n", "\r\n") + t[BLOCK_AT:],
    "lone cr in the head": _sub("cycle: 2\n", "cycle: 2\r"),
    "byte-order mark": lambda t: "\ufeff" + t,
    "tab in the head": _sub("cycle: 2", "cycle:\t2"),
    "line separator in the head": _sub("# Session", "#\u2028Session"),
    "document end before the block": lambda t: t[:BLOCK_AT] + "...\n" + t[BLOCK_AT:],
    "document end after a line separator": lambda t: t[:BLOCK_AT - 1] + "\u2028...\n"
    + t[BLOCK_AT:],
    "document start before the block": lambda t: t[:BLOCK_AT] + "---\n" + t[BLOCK_AT:],
    "directive and document start first": lambda t: "%YAML 1.1\n---\n" + t,
    "head indented": lambda t: "".join("  " + ln if not ln.startswith("#") else ln
                                       for ln in t[:BLOCK_AT].splitlines(keepends=True))
    + t[BLOCK_AT:],
    "head a flow mapping": lambda t: "{coach: aallen, coachee: hsharma,\ncycle: 2}\n"
    + t[BLOCK_AT:],
    "head a list": lambda t: "- coach\n" + t[BLOCK_AT:],
    "head empty": lambda t: t[BLOCK_AT:],
    "head only comments": lambda t: "# nothing\n" + t[BLOCK_AT:],
    "anchored head": lambda t: "&top\n" + t,
    "tagged head": lambda t: "--- !!map\n" + t,
    "head ends in a kept block": _sub("missed_reason: |\n", "missed_reason: |+\n  gone\n\n\n"),
    "head ends in a folded block": _sub("missed_reason: |\n", "missed_reason: >\n  a\n  b\n"),
    "head ends in a plain multi-line value": _sub("missed_reason: |\n",
                                                  "missed_reason: a\n  b\n"),
    "head ends in an open quote": _sub("missed_reason: |\n", "missed_reason: 'a\n"),
    "head ends in an open flow list": _sub("missed_reason: |\n", "missed_reason: [a,\n"),
    "head ends in a key without value": _sub("missed_reason: |\n", "missed_reason:\n"),
    "head ends in an anchor": _sub("missed_reason: |\n", "missed_reason: &m\n"),
    "head ends in a tag": _sub("missed_reason: |\n", "missed_reason: !!str\n"),
    "head ends in an explicit key": _sub("missed_reason: |\n", "? missed_reason\n"),
    "head ends in a list": _sub("missed_reason: |\n", "extra:\n- a\n- b\n"),
    "head ends in a text cut by a comment": _sub("missed_reason: |\n",
                                                 "missed_reason: no time # ill\n"),
    "head ends without a line break": _sub("missed_reason: |\n", "x: 1 "),
    "head has a sealed key already": lambda t: "sealed: 1\n" + t,
    "head has a quoted sealed key": lambda t: "'sealed': x\n" + t,
    "head has a sealed block in a block scalar": _sub(
        "missed_reason: |\n", "missed_reason: |\n  sealed:\n    fields: []\n"),
    "head has an alias": _sub("modelled: true", "modelled: &t true\nrehearsed: *t"),
    "head has a duplicate key": _sub("modelled: true", "modelled: true\nmodelled: false"),
    "head has a bad date": _sub("2026-10-08", "2026-02-30"),
    "head has a conflict marker": lambda t: t[:BLOCK_AT] + "<<<<<<< HEAD\n" + t[BLOCK_AT:],
    "head is not UTF-8": lambda t: t.replace("aallen", "a\udcffallen", 1),
    # the block's own lines
    "second sealed block": lambda t: t + t[BLOCK_AT:],
    "key after the block": lambda t: t + "status: missed\n",
    "nested key after the block": lambda t: t + "  more: 1\n",
    "trailing text after END": lambda t: t + "trailing\n",
    "trailing comment after END": lambda t: t + "# after\n",
    "blank line after END": lambda t: t + "\n",
    "no final line break": lambda t: t[:-1],
    "space after END": _tail("-----\n", "----- \n"),
    "sealed: with a comment": _sub("sealed:\n", "sealed: # age\n"),
    "sealed: with an anchor": _sub("sealed:\n", "sealed: &s\n"),
    "sealed: in flow style": lambda t: t[:BLOCK_AT] + "sealed: {fields: [notes], readers: [],"
    " age: x}\n",
    "fields indented by 1": _sub("  fields:", " fields:"),
    "fields indented by 3": _sub("  fields:", "   fields:"),
    "fields in block style": _sub("  fields: [precise_praise, next_steps]\n",
                                  "  fields:\n  - precise_praise\n  - next_steps\n"),
    "fields without spaces": _sub("[precise_praise, next_steps]", "[precise_praise,next_steps]"),
    "fields with a comment": _sub("next_steps]\n", "next_steps] # two\n"),
    "fields empty": _sub("[precise_praise, next_steps]", "[]"),
    "fields with a word YAML reads as true": _sub("[precise_praise, next_steps]", "[yes, on]"),
    "fields with an unknown name": _sub("next_steps]", "next_step]"),
    "fields quoted": _sub("[precise_praise, next_steps]", "['precise_praise', \"next_steps\"]"),
    "fields with an anchor": _sub("[precise_praise,", "[&f precise_praise,"),
    "readers empty": _tail("[aallen:0a1b2c3d, hsharma:9f8e7d6c, lead.coach-2:00ff00ff]", "[]"),
    "readers with a number": _tail("aallen:0a1b2c3d", "12:34"),
    "readers with a sexagesimal-looking id": _tail("aallen:0a1b2c3d", "1:00000034"),
    "readers with a short fingerprint": _tail("aallen:0a1b2c3d", "aallen:0a1b2c3"),
    "readers in capitals": _tail("aallen:0a1b2c3d", "Aallen:0A1B2C3D"),
    "readers with a space": _tail("aallen:0a1b2c3d", "aallen: 0a1b2c3d"),
    "readers with an alias": _tail("aallen:0a1b2c3d", "*f"),
    "readers after age": lambda t: t.replace(
        t[t.index("  readers:"):t.index("  age: |")], "") + t[t.index("  readers:"):
                                                             t.index("  age: |")],
    "age indicator with a comment": _sub("  age: |\n", "  age: | # armour\n"),
    "age stripped": _sub("  age: |\n", "  age: |-\n"),
    "age kept": _sub("  age: |\n", "  age: |+\n"),
    "age folded": _sub("  age: |\n", "  age: >\n"),
    "age with an indentation indicator": _sub("  age: |\n", "  age: |4\n"),
    "age plain": lambda t: t[:t.index("  age: |")] + "  age: abc\n",
    "age quoted": lambda t: t[:t.index("  age: |")] + "  age: 'abc'\n",
    "armour indented by 3": lambda t: t[:t.index(BEGIN_LINE)] + t[t.index(BEGIN_LINE):]
    .replace("\n    ", "\n   ").replace(BEGIN_LINE, BEGIN_LINE[1:]),
    "armour indented by 5": lambda t: t[:t.index(BEGIN_LINE)] + " " + t[t.index(BEGIN_LINE):]
    .replace("\n    ", "\n     "),
    "armour line indented by 6": _armour_line(2, lambda ln: "  " + ln),
    "armour line indented by 2": _armour_line(2, lambda ln: ln[2:]),
    "armour line with a tab": _armour_line(2, lambda ln: ln[:10] + "\t" + ln[10:]),
    "armour line too long": _armour_line(1, lambda ln: ln[:-1] + "A\n"),
    "armour line too short": _armour_line(1, lambda ln: ln[:-2] + "\n"),
    "armour line with a bad character": _armour_line(2, lambda ln: ln[:10] + "*" + ln[11:]),
    "armour line with a hash": _armour_line(2, lambda ln: ln[:10] + " #" + ln[12:]),
    "armour line with trailing space": _armour_line(2, lambda ln: ln[:-1] + " \n"),
    "armour blank line": _armour_line(2, lambda ln: "\n" + ln),
    "armour blank line with spaces": _armour_line(2, lambda ln: "    \n" + ln),
    "armour padding in the middle": _armour_line(1, lambda ln: ln[:20] + "=" + ln[21:]),
    "armour with a control character": _armour_line(2, lambda ln: ln[:10] + "\x07" + ln[11:]),
    "armour with a line separator": _armour_line(2, lambda ln: ln[:10] + "\u2028" + ln[11:]),
    "armour with a conflict marker": _armour_line(2, lambda ln: "<<<<<<< HEAD\n" + ln),
    "BEGIN in lower case": _sub("BEGIN AGE", "begin age"),
    "END missing": lambda t: t[:t.rindex("    -----END")],
    "END in lower case": _tail("END AGE", "end age"),
    "END at column 0": _tail("    -----END", "-----END"),
    "armour empty": lambda t: t[:t.index(BEGIN_LINE) + len(BEGIN_LINE)]
    + t[t.rindex("    -----END"):],
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_block_reads_as_the_whole_parse_reads_it(damage: str) -> None:
    text = DAMAGE[damage](GOOD)
    assert text != GOOD
    agree(text.encode("utf-8", "surrogateescape"))


def test_the_table_does_not_only_fall_back() -> None:
    """Some damage is harmless to YAML (an empty armour, no readers yet): still exact."""
    taken = [name for name, change in DAMAGE.items()
             if "\udcff" not in (t := change(GOOD)) and sealed_value(t) is not None]
    assert {"fields empty", "readers empty", "armour empty"} <= set(taken)
    assert "second sealed block" not in taken and "key after the block" not in taken


# --- random damage in and around the block --------------------------------------------------

BITS = ["", " ", "  ", "\t", "\r", "\r\n", "\n", "\n\n", "#", " # c", "&a ", "*a", "!!str ",
        ":", ": ", "- ", "[", "]", "{", "}", ",", "'", '"', "|", ">", "|-", "=", "==", "A",
        "0", "z:", "yes", "\ufeff", "\u2028", "\x85", "...", "---", "\n...\n", "\n---\n",
        "sealed:", "\nsealed:\n", "\nsealed: 1\n", "  age: |\n", "    ", "\n    ", "\x00",
        "<<<<<<< ", ">>>>>>> "]
edits = st.lists(st.tuples(st.integers(-120, len(GOOD) - BLOCK_AT + 10), st.integers(0, 4),
                           st.sampled_from(BITS)), min_size=1, max_size=4)


def _edit(text: str, at: int, changes: list[tuple[int, int, str]]) -> str:
    """``changes`` made at offsets from ``at``: delete that many characters, insert the bit."""
    for offset, cut, bit in changes:
        i = min(max(at + offset, 0), len(text))
        text = text[:i] + bit + text[i + cut:]
    return text


@PROPERTY
@given(edits)
def test_random_damage_in_and_around_the_block_reads_as_the_whole_parse(
        changes: list[tuple[int, int, str]]) -> None:
    agree(_edit(GOOD, BLOCK_AT, changes).encode())


HEAD_LINES = ["coach: aallen\n", "a: 1\n", "# c\n", "b: |\n  text\n", "b: |+\n  kept\n\n",
              "c: >-\n  folded\n", "d:\n- 1\n- 2\n", "d:\n  - x: 1\n    y: 2\n",
              "e: [1, 2,\n  3]\n",
              "f: 'two\n  lines'\n", "g: plain\n  more\n", "h:\n", "? i\n", "? j\n: k\n",
              "l: &x 1\n", "m: *x\n", "n: !!str 5\n", "o: 2026-01-01\n", "p: 0x1F\n", "q: 1:20\n",
              "---\n", "...\n", "%YAML 1.1\n", "  indented: 1\n", "r: \"q\\\n  r\"\n", "- s\n",
              "notes: cut # here\n", "t: &y\n", "u: !!str\n", "sealed: x\n", "\n"]


@PROPERTY
@given(st.lists(st.sampled_from(HEAD_LINES), max_size=8))
def test_any_head_before_the_block_reads_as_the_whole_parse(lines: list[str]) -> None:
    agree(sealed_note(head="".join(lines)).encode())


# --- through validate: the same diagnostics in every format ----------------------------------

@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root, _ = sealed_copy("kingsmead-academy", tmp_path_factory.mktemp("sealparse"))
    return root


FORMATS = ("text", "concise", "json", "github", "md")


def _validate_all(root: Path) -> list[tuple[int, str, str]]:
    out = []
    for fmt in FORMATS:
        res = invoke("validate", root, "--no-cache", "--format", fmt)
        out.append((res.exit_code, res.stdout, res.stderr))
    return out


def test_damaged_sealed_notes_are_located_as_without_the_shortcut(
        sealed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "kingsmead-academy"
    shutil.copytree(sealed, root)
    files = [p for p in texts(root) if b"\nsealed:\n" in p.read_bytes()]
    assert len(files) >= len(DAMAGE)
    for path, change in zip(files, DAMAGE.values(), strict=False):
        try:  # the damage done to a real sealed note, or (where it needs
            text = change(path.read_text())  # the table's own head) to the table's note
        except (AssertionError, ValueError):
            text = change(GOOD)
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
    quick = _validate_all(root)
    monkeypatch.setattr(yamlsafe, "plain_value", partial(plain_value, whole=True))
    assert _validate_all(root) == quick
    code, out, _ = quick[2]
    assert code == 1 and '"Y0' in out and '"S0' in out  # located YAML and schema problems
