"""Where values are, found without the careful walk's node graph.

Locating a few problems in a big, plainly written file (:func:`spans_of`, from
parser events) or a note's top-level key (:func:`top_level_spans`, from its
lines) costs a fraction of a full parse with positions; each gives exactly the
spans :func:`~coachctl.yamlsafe.parse_bytes` would, or declines.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

from coachctl.diagnostics import Pointer
from coachctl.yamlsafe.precheck import _ODD_BREAKS
from coachctl.yamlsafe.safeloader import _STR, Parsed, Span, _Loader


def spans_of(data: bytes, wanted: set[Pointer]) -> Parsed | None:
    """Where the values (and keys) at ``wanted`` pointers are, found by streaming parser events.

    For locating a few problems in a big, plainly written file without the memory of
    :func:`parse_bytes` (a node graph, and a span for every value). None when the file is
    not plain (see :func:`_streamed`) or not UTF-8: use :func:`parse_bytes`.
    """
    if b"\t" in data or any(b in data for b in _ODD_BREAKS):
        return None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    out = Parsed()
    loader = _Loader(text)
    # open collections: [pointer, start mark, next key (a mapping) or next index (a list)]
    stack: list[list[Any]] = []
    ptr: Pointer
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return None
            if isinstance(event, yaml.CollectionEndEvent):
                ptr, start, _ = stack.pop()
                if ptr in wanted:
                    end = _event_span(event)
                    out.values[ptr] = (start.line + 1, start.column + 1, end[2], end[3])
                _advance(stack)
                continue
            if not isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                continue
            if stack and isinstance(stack[-1][2], _Key):
                if stack[-1][2].name is None:  # this event is a key
                    if not (isinstance(event, yaml.ScalarEvent) and event.tag in (None, "!")
                            and loader.resolve(yaml.ScalarNode, event.value,
                                               event.implicit) == _STR):
                        return None  # a key parse_bytes would name otherwise
                    if event.value in stack[-1][2].seen:
                        return None  # a duplicate: parse_bytes keeps the first
                    stack[-1][2].seen.add(event.value)
                    stack[-1][2].name = event.value
                    key_ptr = (*stack[-1][0], event.value)
                    if key_ptr in wanted:
                        out.keys[key_ptr] = _event_span(event)
                    continue
                ptr = (*stack[-1][0], stack[-1][2].name)
            elif stack:
                ptr = (*stack[-1][0], stack[-1][2])
            else:
                ptr = ()
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append([ptr, event.start_mark,
                              _Key() if isinstance(event, yaml.MappingStartEvent) else 0])
                continue
            if ptr in wanted:
                out.values[ptr] = _event_span(event)
            _advance(stack)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return out


class _Key:
    """A mapping being streamed: the key whose value comes next (None: a key comes next)."""

    __slots__ = ("name", "seen")

    def __init__(self) -> None:
        self.name: str | None = None
        self.seen: set[str] = set()


def _advance(stack: list[list[Any]]) -> None:
    """A value is complete: its mapping expects a key next, its list the next index."""
    if stack:
        if isinstance(stack[-1][2], _Key):
            stack[-1][2].name = None
        else:
            stack[-1][2] += 1


def _event_span(event: Any) -> Span:
    s, e = event.start_mark, event.end_mark
    return (s.line + 1, s.column + 1, e.line + 1, e.column + 1)


_KEY = rb"[A-Za-z_][A-Za-z0-9_]*"
_PLAIN_VALUE = rb"[ \t]*:[ \t]+([A-Za-z0-9][A-Za-z0-9_.:+-]*)[ \t]*(?:#.*)?$"
_PLAIN_TOP_LEVEL = re.compile(rb"^(" + _KEY + rb")" + _PLAIN_VALUE, re.MULTILINE)


def top_level_spans(data: bytes) -> dict[str, Span]:
    """Spans of top-level keys whose value is a simple plain scalar, found without parsing.

    Locating a gap in a note (``rehearsed``, ``status``) needs one line; a full
    parse with positions costs a hundred times more. A root mapping's keys start
    at column 1 and nothing else can (block scalars and continuation lines are
    indented), so a line ``key: value`` at column 1 is that key. Only values made
    of id-like characters qualify, whose span is exactly what libyaml would give;
    a key seen twice, or any other shape, is left to :func:`parse_bytes`.
    """
    if data.startswith(b"\xef\xbb\xbf") or b"\t" in data or b"\r" in data:
        return {}
    out: dict[str, Span] = {}
    seen: set[str] = set()
    for m in _PLAIN_TOP_LEVEL.finditer(data):
        key = m.group(1).decode()
        if key in seen:
            out.pop(key, None)
            continue
        seen.add(key)
        line = data.count(b"\n", 0, m.start()) + 1
        col = m.start(2) - m.start() + 1
        out[key] = (line, col, line, col + len(m.group(2)))
    return out


def top_level_span(data: bytes, key: str) -> Span | None:
    """``top_level_spans(data).get(key)``, found by looking only at lines that start with
    ``key``: locating a gap in each of thousands of notes (``rehearsed``, ``status``) costs
    a few string searches per note instead of matching every line."""
    line_of = _plain_key(key)
    if (line_of is None or data.startswith(b"\xef\xbb\xbf") or b"\t" in data
            or b"\r" in data):
        return None
    name = key.encode()
    newline = b"\n" + name
    at = -1 if data.startswith(name) else data.find(newline)  # the line break before it
    found = None
    while True:
        if (m := line_of.match(data, at + 1)) is not None:
            if found is not None:
                return None  # seen twice: left to parse_bytes
            found = m
        at = data.find(newline, at + 1)
        if at < 0:
            break
    if found is None:
        return None
    line = data.count(b"\n", 0, found.start()) + 1
    col = found.start(1) - found.start() + 1
    return (line, col, line, col + len(found.group(1)))


@functools.lru_cache(maxsize=64)
def _plain_key(key: str) -> re.Pattern[bytes] | None:
    """The line ``key: value`` of :data:`_PLAIN_TOP_LEVEL` for one key, matched where it
    starts (None for a key that pattern can never name)."""
    name = key.encode("utf-8")
    if re.fullmatch(_KEY, name) is None:
        return None
    return re.compile(re.escape(name) + _PLAIN_VALUE, re.MULTILINE)
