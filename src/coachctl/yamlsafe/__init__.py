"""Read one YAML file into plain Python values, safely, remembering where each value was.

PyYAML's loaders have traps for files people edit by hand: duplicate keys are
silently merged, explicit tags build arbitrary objects, aliases can expand
into gigabytes, and errors carry 0-based marks. This package composes the node
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

This module holds the two ways in: :func:`parse_bytes` (careful: positions and
diagnostics) and :func:`plain_value` (fast: a clean file's value, or None). The
package splits the rest by job:

* :mod:`~coachctl.yamlsafe.safeloader`: the loader, the limits, the tags and
  their constructors, :class:`Parsed`, shared by every path;
* :mod:`~coachctl.yamlsafe.precheck`: size, encoding, conflict markers and tabs,
  before libyaml; line numbers as an editor counts them;
* :mod:`~coachctl.yamlsafe.errors`: libyaml's errors as diagnostics with hints;
* :mod:`~coachctl.yamlsafe.walk`: the careful walk of the node graph;
* :mod:`~coachctl.yamlsafe.fast`: values without positions (and big files from
  parser events);
* :mod:`~coachctl.yamlsafe.spans`: positions without the node graph.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import yaml

from coachctl.diagnostics import make
from coachctl.fieldtypes import ENDING
from coachctl.yamlsafe.fast import _NotPlain, _plain, sealed_value
from coachctl.yamlsafe.fast import _streamed as _streamed  # re-exported: tests count its calls
from coachctl.yamlsafe.safeloader import _MAP, MAX_BYTES, Parsed, Span, _Loader, _span

if TYPE_CHECKING:
    from coachctl.yamlsafe.spans import spans_of, top_level_span, top_level_spans

__all__ = ["STREAM_BYTES", "Parsed", "Span", "parse_bytes", "plain_value", "spans_of",
           "top_level_span", "top_level_spans"]

_SPANS = ("spans_of", "top_level_span", "top_level_spans")


def __getattr__(name: str) -> Any:
    """The ways to positions without the node graph (:mod:`~coachctl.yamlsafe.spans`),
    imported when first asked for: reading a clean file needs none, nor the careful walk
    and its messages (imported by :func:`parse_bytes`)."""
    if name in _SPANS:
        from coachctl.yamlsafe import spans

        return getattr(spans, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse_bytes(data: bytes, path: str) -> Parsed:
    """Parse a file's bytes; ``path`` names it in diagnostics.

    Lines and columns are 1-based and counted as an editor counts them.
    """
    from coachctl.yamlsafe.precheck import _ODD_BREAKS, _to_editor_lines

    out = _parse_bytes(data, path)
    if any(b in data for b in _ODD_BREAKS):
        with contextlib.suppress(UnicodeDecodeError):  # Y006 is located by bytes already
            _to_editor_lines(data.decode("utf-8").removeprefix("\ufeff"), out)
    return out


def _parse_bytes(data: bytes, path: str) -> Parsed:
    from coachctl.yamlsafe.errors import compose_error
    from coachctl.yamlsafe.precheck import checked_text
    from coachctl.yamlsafe.walk import _TooComplex, _Walker

    out = Parsed()
    diags = out.diagnostics
    text = checked_text(data, path, diags)
    if text is None:
        return out
    try:
        node = yaml.compose(text, Loader=_Loader)
    except (yaml.MarkedYAMLError, yaml.reader.ReaderError) as e:
        diags.append(compose_error(e, path, text))
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


def plain_value(data: bytes, *, whole: bool = False) -> dict[str, Any] | None:
    """A clean file's value, quickly; None when :func:`parse_bytes` would report anything.

    The fast path for bulk loading: no positions are recorded, and anything
    unusual (a tab, an alias, a tag, a duplicate key, an impossible date, a
    syntax error) gives None, so the caller re-reads that file with
    :func:`parse_bytes`, which says exactly where. When this returns a value,
    it is the value :func:`parse_bytes` would return, and it reported nothing.
    A sealed note's age block is recognised rather than parsed
    (:func:`~coachctl.yamlsafe.fast.sealed_value`) unless ``whole`` (for the tests
    that hold the two to the same answer).
    """
    if len(data) > MAX_BYTES or b"\t" in data or b"<<<<<<<" in data \
            or b">>>>>>>" in data:
        return None
    try:
        text = data.decode("utf-8")
        if len(data) > STREAM_BYTES:
            return _streamed(text.removeprefix("\ufeff"))
        if not whole and text.endswith(ENDING) and (sealed := sealed_value(text)) is not None:
            return sealed
        text = text.removeprefix("\ufeff")
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
