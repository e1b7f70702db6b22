"""Writing programme files as YAML a person can read and edit by hand.

Notes and QA records hold sentences people type (``precise_praise``,
``next_steps``, ``notes``, ``missed_reason``, ``feedback``). Those fields are
always written as literal blocks, the prompt as a comment above the key::

    # What the teacher will practise before the next session:
    next_steps: |
      Try this: count down from five, then "wait" for silence.

Inside a block every character is plain text (colons, `` #``, quotes,
apostrophes), so a teacher types sentences under the ``|`` without knowing YAML's
quoting rules. An empty block (``next_steps: |`` with nothing below) reads as an
empty string, which the format treats as not filled in yet.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _dumper() -> type:
    """A dumper that never writes anchors and aliases: each value is spelled out where used.

    Built on first use, so the many commands that only read (from the cache) import no YAML.
    """
    import yaml

    base: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[misc]
        def ignore_aliases(self, data: object) -> bool:
            return True

    return Dumper


def dump(data: dict[str, Any], header: str | None = None) -> str:
    """Block-style YAML in the keys' own order, with an optional ``#`` comment header.

    The dumper quotes any string YAML would otherwise misread (``no``, ``14:00``).
    """
    import yaml

    body = yaml.dump(data, Dumper=_dumper(), sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=100)
    return comment(header) + body if header else body


def comment(text: str) -> str:
    """``text`` as ``#`` comment lines."""
    return "".join(f"# {line}".rstrip() + "\n" for line in text.splitlines())


PROMPTS: dict[str, str] = {
    "precise_praise": "What the teacher did well, precisely, and what it made happen for pupils:",
    "next_steps": "What the teacher will practise before the next session:",
    "notes": "Anything else the two of you want to keep (private to you and QA):",
    "missed_reason": "Only if the session did not happen (status: missed): why, briefly:",
    "feedback": "Feedback for the coach, from this QA:",
}
"""Free-text fields and the prompt written above each (the fields of models.PRIVATE_FIELDS)."""

NOTE_FIELDS: dict[str, str] = {
    "coach": "",
    "coachee": "",
    "cycle": "",
    "status": "stub, then complete (or missed)",
    "date": "the day of the feedback meeting",
    "observation": "lesson or drop-in",
    "observed": "the day you saw the lesson, if before the meeting",
    "precise_praise": "",
    "action_step": "the step worked on (a library step id)",
    "step_chosen_by": "who chose the step: coach, coachee or together",
    "step_secured": "true once the teacher does the step securely",
    "modelled": "true or false: you modelled the step",
    "scripted": "true or false: the teacher scripted what to say or do",
    "rehearsed": "true or false: the teacher rehearsed it with you",
    "next_steps": "",
    "notes": "",
    "missed_reason": "",
}
"""A session note's keys in the order the template lists them, with the comment after each."""

_COMMENT_COLUMN = 22


def text_block(key: str, value: str | None) -> str:
    """A free-text field: its prompt as a comment, then ``key: |`` and the text indented."""
    prompt = PROMPTS.get(key)
    head = comment(prompt) if prompt else ""
    if value is None or value == "":
        return f"{head}{key}: |\n"
    assert isinstance(value, str)
    if not _fits_block(value):  # leading spaces, control characters: let the dumper quote it
        return head + dump({key: value})
    return f"{head}{key}: |\n" + "".join(f"  {line}\n" if line else "\n"
                                         for line in value.rstrip("\n").split("\n"))


def _fits_block(value: object) -> bool:
    """The text reads back from a literal block as it is (give or take the last newline)."""
    return (isinstance(value, str) and not value[0].isspace() and "\r" not in value
            and all(c.isprintable() or c == "\n" for c in value))


def field(key: str, value: Any, note: str = "") -> str:
    """One top-level ``key: value`` line (or a text block), with an optional trailing comment."""
    if key in PROMPTS:
        return text_block(key, value)
    line = f"{key}:\n" if value is None else dump({key: value})
    if note and line.count("\n") == 1:
        line = f"{line[:-1]:<{_COMMENT_COLUMN - 1}} # {note}\n"
    return line


def note_text(data: dict[str, Any], header: str | None = None) -> str:
    """A session note as the template lays it out: every key, in order, comments included.

    Keys missing from ``data`` are written empty, to be filled in (``step_secured``,
    which cannot be empty, as ``false``).
    """
    data = {"step_secured": False, **data}
    body = "".join(field(key, data.get(key), note) for key, note in NOTE_FIELDS.items())
    return (comment(header) if header else "") + body


def record_text(data: dict[str, Any], header: str | None = None) -> str:
    """A flat record (a QA record) in its keys' order, free text as blocks."""
    return (comment(header) if header else "") + "".join(field(k, v) for k, v in data.items())
