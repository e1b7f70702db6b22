"""The layout of a sealed file (issue 16): every plain line stays where it was.

Sealing turns each free-text field's lines into as many marker comments in its
place and puts the age block last; opening it (`note show`, `note edit`) puts the
text back where the marker stands, so a note sealed and opened again is the note
that was written, byte for byte, whatever block style the teacher used.
"""

from __future__ import annotations

from pathlib import Path

import pyrage
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachctl import seal
from coachctl.yamlsafe import parse_bytes

IDENTITY = pyrage.x25519.Identity.generate()
TO = seal.Readers({"aallen": str(IDENTITY.to_public())})

HEAD = """\
coach: aallen
coachee: hsharma
cycle: 2
status: complete      # stub, then complete (or missed)
"""
TAIL = """\
action_step: fb-04    # the step worked on
modelled: true
"""

LAYOUTS = {
    "literal": "# prompt:\nprecise_praise: |\n  Two lines: with a colon # and a hash.\n  More.\n",
    "one line": "precise_praise: Short and plain\n",
    "quoted": 'precise_praise: "Quoted: text"\n',
    "folded": "precise_praise: >\n  folded\n  text\n\n",
    "kept": "precise_praise: |+\n  kept newlines\n\n\n",
    "stripped": "precise_praise: |-\n  no newline\n",
    "indented": "precise_praise: |2\n    starts with spaces\n",
    "blank inside": "precise_praise: |\n  first\n\n  third\n",
}


def _seal(text: str) -> tuple[bytes, dict[str, str]]:
    before = text.encode()
    value = seal.read_value("notes/cycle-02/aallen--hsharma.yaml", before)
    assert value is not None
    fields = seal.plain_fields(value)
    done = seal.plan_seal("n.yaml", before, value, TO, fields).after
    assert done is not None
    return done, fields


def _open(after: bytes) -> bytes:
    value = seal.read_value("n.yaml", after)
    assert value is not None
    fields = seal.open_file(value, [IDENTITY])
    opened = seal.plan_unseal("n.yaml", after, value, fields).after
    assert opened is not None
    return opened


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("crlf", [False, True])
def test_sealed_then_opened_is_the_note_as_written(layout: str, crlf: bool) -> None:
    text = HEAD + LAYOUTS[layout] + TAIL + "missed_reason: |\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    after, fields = _seal(text)
    new = after.decode()
    assert "precise_praise" in fields and fields["precise_praise"] not in new
    lines, old = new.splitlines(), text.splitlines()
    # every plain line keeps its number; the text's lines are markers
    for i, line in enumerate(old):
        if line.startswith(("action_step", "modelled", "missed_reason", "status", "#")):
            assert lines[i] == line
    assert lines[len(old)] == "sealed:"
    assert ("\r\n" in new) == crlf
    value = parse_bytes(after, "n.yaml").value
    assert "precise_praise" not in value and value["missed_reason"] == ""
    if layout == "literal" or layout == "blank inside":  # coachctl's own layout comes back
        assert _open(after) == text.encode()
    else:  # other styles come back as a literal block holding the same text
        opened = _open(after)
        assert parse_bytes(opened, "n.yaml").value == parse_bytes(text.encode(),
                                                                  "n.yaml").value
        assert opened.decode().splitlines()[-3:] == text.splitlines()[-3:]


def test_resealing_moves_no_line() -> None:
    text = HEAD + LAYOUTS["literal"] + TAIL
    after, fields = _seal(text)
    value = seal.read_value("n.yaml", after)
    assert value is not None
    other = pyrage.x25519.Identity.generate()
    to = seal.Readers({"aallen": str(IDENTITY.to_public()), "cparry": str(other.to_public())})
    again = seal.plan_seal("n.yaml", after, value, to, seal.open_file(value, [IDENTITY])).after
    assert again is not None
    n = after.decode().index("sealed:")
    assert again.decode()[:n] == after.decode()[:n]
    block = parse_bytes(again, "n.yaml").value["sealed"]["age"]
    assert seal.decrypt(block, [other]) == fields


def test_text_added_to_a_sealed_note_is_sealed_where_it_was_typed() -> None:
    """A teacher fills in an empty block of a sealed note: that block becomes markers
    in place, and the text joins what was sealed."""
    text = HEAD + LAYOUTS["literal"] + TAIL + "next_steps: |\n"
    after, _ = _seal(text)
    filled = after.replace(b"next_steps: |\n", b"next_steps: |\n  Film it.\n")
    value = seal.read_value("n.yaml", filled)
    assert value is not None
    fields = seal.open_file(value, [IDENTITY])
    again = seal.plan_seal("n.yaml", filled, value, TO, fields).after
    assert again is not None
    lines = again.decode().splitlines()
    assert lines[len(text.splitlines()) - 1:len(text.splitlines()) + 1] == [
        "# next_steps: sealed (`coachctl note show FILE` opens it)", "# ..."]
    assert _open(again).decode().startswith(text.removesuffix("next_steps: |\n"))


words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                min_size=1, max_size=30).filter(lambda s: s.strip() != "")


@settings(max_examples=60, deadline=None)
@given(st.lists(words, min_size=1, max_size=4))
def test_any_sentences_survive_sealing_in_place(sentences: list[str]) -> None:
    """Whatever a teacher types in coachctl's block layout comes back byte for byte."""
    body = "".join(f"  {s}\n" for s in sentences)
    text = HEAD + "next_steps: |\n" + body + TAIL
    if parse_bytes(text.encode(), "n.yaml").diagnostics:
        return  # not a note that reads (a line YAML refuses): sealing never sees it
    value = parse_bytes(text.encode(), "n.yaml").value
    if not isinstance(value.get("next_steps"), str) or not value["next_steps"].strip():
        return
    after, _ = _seal(text)
    assert after.decode().splitlines()[len(HEAD.splitlines()) + len(sentences) + 1] \
        == "action_step: fb-04    # the step worked on"
    assert parse_bytes(_open(after), "n.yaml").value == value


def test_a_diagnostic_about_a_sealed_field_points_where_its_text_was(tmp_path: Path) -> None:
    """A finding about a free-text field (a future rule, say) is located at the same
    line and column in the sealed note as in the plain one: the marker's lines."""
    from coachctl.checks.sealing import R023
    from coachctl.diagnostics import make
    from coachctl.loader import locate
    from coachctl.programme import Programme
    from tests.conftest import copy_example
    from tests.sealing import sealed_copy

    note = "notes/cycle-02/aallen--hsharma.yaml"
    plain = copy_example("kingsmead-academy", tmp_path / "plain")
    sealed, _ = sealed_copy("kingsmead-academy", tmp_path / "s")
    for field in ("precise_praise", "next_steps", "notes", "missed_reason"):
        where = []
        for root in (plain, sealed):
            prog = Programme(root=root, display="p")
            d = make(R023, "about this field", f"p/{note}", (field,))
            found = locate([d], prog)[0]
            where.append((found.line, found.col, found.end_line, found.end_col))
        assert where[0] == where[1], field
