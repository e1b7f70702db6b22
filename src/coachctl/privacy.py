"""Which files may hold what a coach wrote, and keeping their text out of every message.

Privacy follows what a file *is*, not the folder it sits in. A file is treated
as possibly private (a session note or QA record) when it is in ``notes/`` or
``qa/``, when coachctl does not recognise it, or when its content looks like a
note or a QA record (one of the free-text keys, or a note's ``coachee``),
wherever it was saved.

For such a file, no diagnostic's message or hint carries text from the file
beyond known field names and values that validate as ids (and numbers, dates
and booleans, which are not prose): every quoted value in a message is checked
by :func:`redact`, the one place every code goes through before a diagnostic
is cached or shown. Messages built by coachctl quote values with ``repr`` so
this is unambiguous; libyaml's own messages carry no text from the file.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import replace

from coachctl.diagnostics import Diagnostic
from coachctl.layout import SINGLETONS, in_private_folder

HIDDEN = "<text hidden>"
"""What replaces prose in a message about a file that may be private."""

_PUBLIC_KINDS = frozenset({*SINGLETONS, "cycles"})
"""Kinds of file that hold no free text (unless their content says otherwise)."""
_LOOKS_PRIVATE = re.compile(
    rb"(?:^|[{,\n])[ \t-]*[\"']?(?:precise_praise|next_steps|notes|missed_reason|feedback|"
    rb"coachee)[\"']?[ \t]*:")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_NUMBERISH = re.compile(r"^[-+]?[0-9][0-9_.:eE+-]*$")
_BLOCK_KEY = re.compile(r"^([a-z_]+): \|$")
"""A field's block opener (`next_steps: |`), as the fix for a misread sentence shows it."""
_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")


def may_be_private(kind: str | None, data: bytes) -> bool:
    """True unless the file is a known non-private kind whose content does not look private."""
    return kind not in _PUBLIC_KINDS or _LOOKS_PRIVATE.search(data) is not None


@functools.cache
def field_names() -> frozenset[str]:
    """Every key the format knows, in any kind of file."""
    from coachctl import models as m  # built here: deciding what may be shown needs none

    names: set[str] = set()
    for obj in vars(m).values():
        if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj is not m.Rule:
            names.update(f.name for f in dataclasses.fields(obj))
    return frozenset(names)


def shareable(text: str) -> bool:
    """Whether a value from a possibly private file may appear in a message: a known field
    name, an id, a number or date, or no words at all (a bracket, a colon)."""
    block = _BLOCK_KEY.match(text)
    return (text in field_names() or (block is not None and block[1] in field_names())
            or (len(text) <= 64 and _ID.match(text) is not None)
            or (len(text) <= 32 and _NUMBERISH.match(text) is not None)
            or not any(c.isalnum() for c in text))


def _scrub(text: str | None) -> str | None:
    if text is None:
        return None

    def one(mt: re.Match[str]) -> str:
        inner = mt.group()[1:-1]
        return mt.group() if shareable(inner) else HIDDEN

    return _QUOTED.sub(one, text)


def redact(d: Diagnostic) -> Diagnostic:
    """The diagnostic with every quoted value that is not :func:`shareable` replaced."""
    message, hint = _scrub(d.message), _scrub(d.hint)
    if message == d.message and hint == d.hint:
        return d
    return replace(d, message=message or "", hint=hint)


def redact_all(diagnostics: list[Diagnostic], kind: str | None, data: bytes,
               ) -> list[Diagnostic]:
    """:func:`redact` each diagnostic if the file may be private; else as they are."""
    if not diagnostics or not may_be_private(kind, data):
        return diagnostics
    return [redact(d) for d in diagnostics]


def excerpt_allowed(path: str, data: bytes) -> bool:
    """Whether lines of the file at ``path`` (as diagnostics name it) may be echoed.

    Only a file whose name is one of the known non-private kinds, outside notes/ and qa/,
    and whose content does not look like a note or QA record.
    """
    return excerpt_path_allowed(path) and _LOOKS_PRIVATE.search(data) is None


def excerpt_path_allowed(path: str) -> bool:
    """The part of :func:`excerpt_allowed` decided by the name alone: when False, the
    file's lines are never shown and it need not be read at all (a trust's ``qa`` points
    at some 20,000 notes)."""
    if in_private_folder(path):
        return False
    parts = path.split("/")
    return ((len(parts) >= 2 and parts[-2] == "cycles")
            or any(path == n or path.endswith("/" + n) for n in SINGLETONS))
