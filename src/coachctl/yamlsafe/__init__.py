"""Read one YAML file into plain Python values, safely, remembering where each value was.

PyYAML's loaders have traps for files people edit by hand: duplicate keys are
silently merged, explicit tags build arbitrary objects, aliases can expand
into gigabytes, and errors carry 0-based marks. This module composes the node
graph with libyaml (the C loader, when available) and walks it itself, so
that it can:

* refuse duplicate keys, non-standard tags and merge keys, naming both lines;
* bound alias expansion and nesting depth (no "billion laughs");
* record a 1-based ``(line, col, end_line, end_col)`` span for every value and
  every key, keyed by its pointer, so later checks can be located precisely.
* meet what people type: git's merge-conflict markers get their own code
  (Y012), and a sentence in a free-text field that YAML misreads names the
  field and line and shows the block layout (Y001), or is cut short by ``#``
  (Y013), without ever repeating the words.

It never raises for bad input: every problem becomes a :class:`Diagnostic`.
"""

from __future__ import annotations

import contextlib
from typing import Any

import yaml

from coachctl.diagnostics import make
from coachctl.yamlsafe.errors import _syntax
from coachctl.yamlsafe.fast import _NotPlain, _plain, _streamed
from coachctl.yamlsafe.precheck import (
    _ODD_BREAKS,
    _YAML_BREAK,
    _conflict,
    _tabs,
    _to_editor_lines,
)
from coachctl.yamlsafe.safeloader import (
    _MAP,
    MAX_BYTES,
    Parsed,
    Span,
    _Loader,
    _mark_span,
    _span,
)
from coachctl.yamlsafe.spans import spans_of, top_level_spans
from coachctl.yamlsafe.walk import _TooComplex, _Walker

__all__ = ["STREAM_BYTES", "Parsed", "Span", "parse_bytes", "plain_value", "spans_of",
           "top_level_spans"]


def parse_bytes(data: bytes, path: str) -> Parsed:
    """Parse a file's bytes; ``path`` names it in diagnostics.

    Lines and columns are 1-based and counted as an editor counts them.
    """
    out = _parse_bytes(data, path)
    if any(b in data for b in _ODD_BREAKS):
        with contextlib.suppress(UnicodeDecodeError):  # Y006 is located by bytes already
            _to_editor_lines(data.decode("utf-8").removeprefix("\ufeff"), out)
    return out


def _parse_bytes(data: bytes, path: str) -> Parsed:
    out = Parsed()
    diags = out.diagnostics
    if len(data) > MAX_BYTES:
        diags.append(make("Y010", f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}",
                          path))
        return out
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        diags.append(make("Y006", f"byte 0x{data[e.start]:02X} is not valid UTF-8", path,
                          hint="re-save the file as UTF-8").at(line, col))
        return out
    if text.startswith("\ufeff"):
        text = text[1:]
    if ("<<<<<<<" in text or ">>>>>>>" in text) and (conflict := _conflict(text, path)):
        diags.append(conflict)
        return out
    if "\t" in text and _tabs(text, path, diags):
        return out
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.composer.ComposerError as e:
        if "single document" in f"{e.context} {e.problem}" and e.problem_mark is not None:
            diags.append(make("Y008", "the file holds more than one YAML document", path,
                              hint="a programme file is one document; remove the second "
                                   "'---' or split the file").at(*_mark_span(e.problem_mark)[:2]))
        else:
            diags.append(_syntax(e, path, text))
        return out
    except yaml.MarkedYAMLError as e:
        diags.append(_syntax(e, path, text))
        return out
    except yaml.reader.ReaderError as e:  # control characters and the like
        pos = min(e.position, len(text))
        starts = [0, *(m.end() for m in _YAML_BREAK.finditer(text, 0, pos))]
        line, col = len(starts), pos - starts[-1] + 1
        char = e.character if isinstance(e.character, int) else ord(e.character)
        diags.append(make("Y001", f"control character U+{char:04X} is not allowed", path,
                          hint="remove the control character").at(line, col))
        return out
    if node is None:
        diags.append(make("Y007", "the file is empty", path))
        return out
    if not isinstance(node, yaml.MappingNode) or node.tag != _MAP:
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        diags.append(make("Y009", f"the file holds {kind}; a mapping of keys is expected",
                          path).at(*_span(node)))
        return out
    walker = _Walker(path, out, text)
    try:
        out.value = walker.walk(node, (), 0)
    except _TooComplex as e:
        out.value = None
        diags.append(make("Y005", e.why, path,
                          hint="write the values out in full instead of aliasing them")
                     .at(*_span(e.node)))
    except RecursionError:  # pragma: no cover - guarded by MAX_DEPTH
        out.value = None
        diags.append(make("Y005", "the document is nested too deeply", path))
    return out


def plain_value(data: bytes) -> dict[str, Any] | None:
    """A clean file's value, quickly; None when :func:`parse_bytes` would report anything.

    The fast path for bulk loading: no positions are recorded, and anything
    unusual (a tab, an alias, a tag, a duplicate key, an impossible date, a
    syntax error) gives None, so the caller re-reads that file with
    :func:`parse_bytes`, which says exactly where. When this returns a value,
    it is the value :func:`parse_bytes` would return, and it reported nothing.
    """
    if len(data) > MAX_BYTES or b"\t" in data or b"<<<<<<<" in data \
            or b">>>>>>>" in data:
        return None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
        if len(data) > STREAM_BYTES:
            return _streamed(text)
        node = yaml.compose(text, Loader=_Loader)
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    if type(node) is not yaml.MappingNode or node.tag != _MAP:
        return None
    try:
        value: dict[str, Any] = _plain(node, 0, set(), text)
    except _NotPlain:
        return None
    return value


STREAM_BYTES = 256 * 1024
"""A file larger than this (a big staff.yaml) is built from parser events, never holding
libyaml's node graph (with two position marks per node, about 40 times the file's size)."""
