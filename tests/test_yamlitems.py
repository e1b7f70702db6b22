"""Round-tripping only the entries an edit changes (coachctl.yamlitems): the same bytes as
round-tripping the whole file, and the rest of the file never read by ruamel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coachctl import yamledit, yamlitems

EXAMPLES = Path(__file__).parent.parent / "programmes"


def whole_file(monkeypatch: pytest.MonkeyPatch, rel: str, before: bytes,
               change: yamledit.Change) -> bytes | None:
    """What the edit gives when the whole file is round-tripped."""
    with monkeypatch.context() as m:
        m.setattr(yamledit, "changed_items", lambda *a: None)
        return yamledit.edit(rel, before, change).after


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The text of every document ruamel is asked to read."""
    from ruamel.yaml import YAML

    texts: list[str] = []
    load = YAML.load

    def spy(self: Any, stream: Any) -> Any:
        texts.append(stream if isinstance(stream, str) else "")
        return load(self, stream)

    monkeypatch.setattr(YAML, "load", spy)
    yield texts


def _entry(key: str, index: int, change: yamledit.Change) -> yamledit.Change:
    def apply(doc: dict[str, Any]) -> None:
        change(doc[key][index])
    return apply


CHANGES: dict[str, yamledit.Change] = {
    "new key after an anchor": lambda e: yamledit.put(e, "left", dt.date(2026, 12, 18),
                                                      after=("joined",)),
    "new last key": lambda e: yamledit.put(e, "reason", "changed timetable"),
    "value changed": lambda e: yamledit.put(e, next(iter(e)), "zz-renamed"),
    "key removed": lambda e: e.pop(list(e)[-1]),
}


@pytest.mark.parametrize("school", ["kingsmead-academy", "ashby-vale-school"])
@pytest.mark.parametrize("rel", ["staff.yaml", "pairings.yaml"])
@pytest.mark.parametrize("what", list(CHANGES))
def test_an_entry_edited_alone_gives_the_whole_file_round_trip(
        monkeypatch: pytest.MonkeyPatch, loaded: list[str], school: str, rel: str,
        what: str) -> None:
    import yaml

    before = (EXAMPLES / school / rel).read_bytes()
    doc = yaml.safe_load(before)
    tried = 0
    for key, value in doc.items():
        if not isinstance(value, list) or not value or not isinstance(value[0], dict):
            continue
        for index in sorted({0, len(value) // 2, len(value) - 1}):
            change = _entry(key, index, CHANGES[what])
            loaded.clear()
            after = yamledit.edit(rel, before, change).after
            assert all(len(t) < len(before) // 2 for t in loaded) or len(value) < 4, (
                "the whole file went through ruamel")
            assert after == whole_file(monkeypatch, rel, before, change), (key, index)
            tried += 1
    assert tried


HAND = (b"# Staff, typed by hand\nstaff:   # everyone\n  # leadership first\n"
        b"  - id: ann   # our deputy\n    name: \"Ann A\"\n    joined: 2020-09-01\n\n"
        b"  # then teachers\n  - id: bob\n    name: 'Bob B'\n    joined: 2021-09-01\n"
        b"    subjects:\n      - maths\n      - physics   # since 2024\n"
        b"  - {id: cat, name: Cat C, joined: 2022-09-01}\n\n# hubs follow\n"
        b"hubs:\n- expert: ann\n  coaches: [bob]\n- expert: bob   # new\n"
        b"  coaches:\n  - cat\n# end\n")

SPANS = {"staff": [(3, 8), (8, 14), (14, 17)], "hubs": [(18, 20), (20, 24)]}


@pytest.mark.parametrize("crlf", [False, True])
@pytest.mark.parametrize("key,index", [("staff", 0), ("staff", 1), ("staff", 2),
                                       ("hubs", 0), ("hubs", 1)])
@pytest.mark.parametrize("what", list(CHANGES))
def test_comments_quotes_and_styles_around_the_entry_stay(
        monkeypatch: pytest.MonkeyPatch, crlf: bool, key: str, index: int, what: str) -> None:
    """Every line outside the entry stays as it was, whatever the indentation of each
    sequence (the whole-file round trip would take one for the file)."""
    import yaml

    before = HAND.replace(b"\n", b"\r\n") if crlf else HAND
    change = _entry(key, index, CHANGES[what])
    expected = yaml.safe_load(HAND)
    change(expected)
    try:
        after = yamledit.edit("staff.yaml", before, change).after
    except yamledit.Refused:  # a comment would go with the key removed: so it does whole
        assert what == "key removed"
        with pytest.raises(yamledit.Refused):
            whole_file(monkeypatch, "staff.yaml", before, change)
        return
    assert after is not None and yaml.safe_load(after) == expected
    lines, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    first, end = SPANS[key][index]  # the entry's lines, with the comments that follow it
    assert new[:first] == lines[:first]
    assert new[len(new) - (len(lines) - end):] == lines[end:]


def test_two_sequences_edited_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    def change(doc: dict[str, Any]) -> None:
        yamledit.put(doc["staff"][1], "left", dt.date(2027, 1, 1), after=("joined",))
        doc["hubs"][0]["coaches"].append("ann")

    after = yamledit.edit("staff.yaml", HAND, change).after
    assert after == (HAND.replace(b"    joined: 2021-09-01\n",
                                  b"    joined: 2021-09-01\n    left: 2027-01-01\n")
                     .replace(b"[bob]", b"[bob, ann]"))
    with pytest.raises(yamledit.Refused):  # one indentation for both sequences changes more
        whole_file(monkeypatch, "staff.yaml", HAND, change)


@pytest.mark.parametrize("change", [
    lambda d: d["staff"].insert(1, {"id": "dan", "name": "Dan D"}),  # an entry added
    lambda d: yamledit.put(d, "format", 1),  # a new top-level key
    lambda d: d["staff"].__setitem__(2, {"id": "cat", "name": "Cat D"}),  # replaced
], ids=["added", "top-level key", "replaced"])
def test_anything_else_round_trips_the_whole_file(monkeypatch: pytest.MonkeyPatch,
                                                  change: yamledit.Change) -> None:
    import copy

    import yaml

    text = HAND.replace(b"\n- ", b"\n  - ").replace(b"\n  coaches", b"\n    coaches")
    text = text.replace(b"\n  - cat", b"\n    - cat")  # one indentation throughout
    new = copy.deepcopy(yaml.safe_load(text))
    change(new)
    calls: list[bool] = []
    real = yamlitems.changed_items

    def spy(*args: Any) -> str | None:
        out = real(*args)
        calls.append(out is None)
        return out

    monkeypatch.setattr(yamledit, "changed_items", spy)
    got = yamledit.edit("staff.yaml", text, change).after
    assert calls == [True]  # declined
    assert got is not None and yaml.safe_load(got) == new
    assert got == whole_file(monkeypatch, "staff.yaml", text, change)


def test_a_flow_style_sequence_is_left_to_the_whole_file() -> None:
    from coachctl.yamledit import _keep_lines, _yaml

    text = "staff: [{id: ann, name: Ann A}, {id: bob, name: Bob B}]\n"
    old = {"staff": [{"id": "ann", "name": "Ann A"}, {"id": "bob", "name": "Bob B"}]}
    new = {"staff": [{"id": "ann", "name": "Ann A"}, {"id": "bob", "name": "Bob C"}]}
    assert yamlitems.changed_items(_yaml(text), text, old, new, lambda d: None,
                                   _keep_lines) is None


@pytest.mark.parametrize("school", ["kingsmead-academy", "ashby-vale-school"])
def test_every_entry_changed_by_text_as_ruamel_would(monkeypatch: pytest.MonkeyPatch,
                                                     loaded: list[str], school: str) -> None:
    """What `year start` does to staff.yaml (a key set in every entry, a flag cleared):
    one-line ids, dates, numbers and booleans are set by text, without ruamel, to the
    bytes the whole-file round trip gives."""
    before = (EXAMPLES / school / "staff.yaml").read_bytes()

    def change(doc: dict[str, Any]) -> None:
        for i, e in enumerate(doc["staff"]):
            yamledit.put(e, "start_step", f"qu-{i % 9 + 1:02d}", after=("joined", "left"))
            if e.get("new_coach"):
                yamledit.put(e, "new_coach", False)
            if i % 7 == 3:
                yamledit.put(e, "joined", dt.date(2020, 9, 1))

    after = yamledit.edit("staff.yaml", before, change).after
    assert loaded == []
    assert after == whole_file(monkeypatch, "staff.yaml", before, change)


@pytest.mark.parametrize("school", ["kingsmead-academy", "ashby-vale-school"])
def test_entries_changed_and_added_at_the_end(monkeypatch: pytest.MonkeyPatch,
                                             loaded: list[str], school: str) -> None:
    """What `staff import --update` does: departments changed and a joiner added."""
    before = (EXAMPLES / school / "staff.yaml").read_bytes()

    def change(doc: dict[str, Any]) -> None:
        doc["staff"][1]["department"] = "science"
        doc["staff"][-1]["department"] = "english"
        doc["staff"].append({"id": "rlindqvist", "name": "Rosa Lindqvist", "role": "ect",
                             "department": "Science", "joined": dt.date(2027, 1, 4)})

    after = yamledit.edit("staff.yaml", before, change).after
    assert loaded == []
    assert after == whole_file(monkeypatch, "staff.yaml", before, change)


@pytest.mark.parametrize("school", ["kingsmead-academy", "ashby-vale-school"])
@pytest.mark.parametrize("rel", ["staff.yaml", "pairings.yaml"])
def test_entries_removed_and_others_changed_by_text(monkeypatch: pytest.MonkeyPatch,
                                                   loaded: list[str], school: str,
                                                   rel: str) -> None:
    """What `year start` does: leavers dropped, a key set in the others."""
    before = (EXAMPLES / school / rel).read_bytes()

    def change(doc: dict[str, Any]) -> None:
        for value in doc.values():
            if isinstance(value, list) and len(value) > 3 and isinstance(value[0], dict):
                del value[len(value) // 2]
                del value[0]
                for e in value[::3]:
                    yamledit.put(e, "from_cycle", 1)

    after = yamledit.edit(rel, before, change).after
    # a key added after a group's list of coachees is left to ruamel
    assert loaded == [] or rel == "pairings.yaml"
    assert after == whole_file(monkeypatch, rel, before, change)
