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

import bisect
import contextlib
import re
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from coachctl.diagnostics import Diagnostic, Pointer, make
from coachctl.models import TEXT_FIELDS


class _Resolving:
    """The safe loader's tag resolution, memoised.

    libyaml calls back into Python to resolve every scalar's tag, with a regex
    per candidate type: at trust scale that is a third of composing. The same
    short scalars (ids, booleans, dates) recur in every file, and with no path
    resolvers the tag depends only on the value and its style, so remember it.
    """

    _memo: dict[tuple[str, Any], str] = {}  # noqa: RUF012 - shared on purpose

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode or len(value) > 64:
            return super().resolve(kind, value, implicit)  # type: ignore[misc]
        key = (value, implicit)
        tag = self._memo.get(key)
        if tag is None:
            if len(self._memo) > 100_000:
                self._memo.clear()
            tag = self._memo[key] = super().resolve(kind, value, implicit)  # type: ignore[misc]
        return tag

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered on the safe loader: nothing to track."""

    def ascend_resolver(self) -> None:
        """See :meth:`descend_resolver`."""


try:
    class _Loader(_Resolving, yaml.CSafeLoader):
        pass
except AttributeError:  # pragma: no cover - libyaml missing: slower, same behaviour
    class _Loader(_Resolving, yaml.SafeLoader):  # type: ignore[no-redef]
        pass

MAX_BYTES = 8 * 1024 * 1024
MAX_ALIAS_VISITS = 1_000
MAX_DEPTH = 64
MAX_DIGITS = 18
"""An integer written with more characters is refused: no field needs one, and Python
will not even print one over 4,300 digits."""

_T = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT, _TIME = (_T + s for s in
                                           ("str", "null", "bool", "int", "float", "timestamp"))
_MAP, _SEQ = _T + "map", _T + "seq"
_constructor = yaml.constructor.SafeConstructor()

Span = tuple[int, int, int, int]


@dataclass(slots=True)
class Parsed:
    """The outcome of reading one file: its value (``None`` if unreadable) and where things are."""

    value: Any = None
    values: dict[Pointer, Span] = field(default_factory=dict)
    keys: dict[Pointer, Span] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    flagged: set[Pointer] = field(default_factory=set)
    """Pointers already reported here, so schema checks do not report them again."""

    def span(self, pointer: Pointer, *, key: bool = False) -> Span | None:
        """Where ``pointer`` is, or failing that its nearest located parent."""
        p = pointer
        while True:
            if key and p in self.keys:
                return self.keys[p]
            if p in self.values:
                return self.values[p]
            if not p:
                return None
            p = p[:-1]


class _TooComplex(Exception):
    def __init__(self, node: yaml.Node, why: str) -> None:
        self.node, self.why = node, why


def _span(node: yaml.Node) -> Span:
    s, e = node.start_mark, node.end_mark
    return (s.line + 1, s.column + 1, e.line + 1, e.column + 1)


def _mark_span(mark: Any) -> Span:
    return (mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 1)


_ODD_BREAKS = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")
"""NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR: line breaks to YAML 1.1 (and libyaml),
not to editors, which number lines by CR and LF only."""
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_EDITOR_BREAK = re.compile("\r\n|[\r\n]")


def parse_bytes(data: bytes, path: str) -> Parsed:
    """Parse a file's bytes; ``path`` names it in diagnostics.

    Lines and columns are 1-based and counted as an editor counts them.
    """
    out = _parse_bytes(data, path)
    if any(b in data for b in _ODD_BREAKS):
        with contextlib.suppress(UnicodeDecodeError):  # Y006 is located by bytes already
            _to_editor_lines(data.decode("utf-8").removeprefix("\ufeff"), out)
    return out


def _to_editor_lines(text: str, out: Parsed) -> None:
    """Renumber every position libyaml gave (counting NEL, LS and PS as line breaks)."""
    yaml_starts = [0, *(m.end() for m in _YAML_BREAK.finditer(text))]
    editor_starts = [0, *(m.end() for m in _EDITOR_BREAK.finditer(text))]

    def point(line: int, col: int) -> tuple[int, int]:
        if line <= 0:
            return line, col
        index = yaml_starts[min(line, len(yaml_starts)) - 1] + max(col, 1) - 1
        n = bisect.bisect_right(editor_starts, index)
        return n, index - editor_starts[n - 1] + 1

    def span(s: Span) -> Span:
        return (*point(s[0], s[1]), *point(s[2], s[3]))

    def lines_in(hint: str | None) -> str | None:
        return hint and re.sub(r"line (\d+)", lambda m: f"line {point(int(m[1]), 1)[0]}", hint)

    out.values = {p: span(s) for p, s in out.values.items()}
    out.keys = {p: span(s) for p, s in out.keys.items()}
    out.diagnostics = [replace(d.at(*span((d.line, d.col, d.end_line, d.end_col))) if d.line
                               else d, hint=lines_in(d.hint)) for d in out.diagnostics]


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


def _syntax(e: yaml.MarkedYAMLError, path: str, text: str = "") -> Diagnostic:
    mark = e.problem_mark or e.context_mark
    problem = e.problem or e.context or "syntax error"
    if text and (free := _free_text_syntax(e, path, text)) is not None:
        return free
    if "nesting depth" in problem:
        # libyaml 0.2.6 (PyYAML >= 6.0.4) refuses deep nesting itself; give the
        # same answer our own walker gives on older versions.
        d = make("Y005", f"the document is nested more than {MAX_DEPTH} levels deep", path,
                 hint="flatten the structure; programme files are a few levels deep")
        return d.at(*_mark_span(mark)[:2]) if mark is not None else d
    hint = None
    if e.context and e.context_mark is not None and e.context_mark is not mark:
        hint = f"{e.context} at line {e.context_mark.line + 1}"
    d = make("Y001", problem, path, hint=hint)
    return d.at(*_mark_span(mark)[:2]) if mark is not None else d


FREE_TEXT = frozenset(TEXT_FIELDS)
"""Keys whose values are sentences people type: the fields a block scalar is written for."""

BLOCK_FIX = ("write the text as a block: '{key}: |' on its own line, then the text on the "
             "lines below it, indented two spaces; any words, colons, # signs and quotes are "
             "safe there (see docs/for-staff.md)")
_KEY_LINE = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_-]*)[ ]*:(?:[ ]+(.*))?$")


def _free_text_syntax(e: yaml.MarkedYAMLError, path: str, text: str) -> Diagnostic | None:
    """A syntax error in a free-text field's sentence: name the field and line, show the fix.

    The commonest mistake a teacher makes is a sentence that YAML reads as syntax
    (``next_steps: Try this: count down``). The line is found from libyaml's marks;
    the message names the field and line only, never the words (they are private).
    """
    lines = text.split("\n")
    marks = [m for m in (e.problem_mark, e.context_mark) if m is not None]
    for mark in marks:
        n = min(mark.line, len(lines) - 1)
        while n >= 0:
            m = _KEY_LINE.match(lines[n])
            if m is not None:
                break
            if not lines[n].strip() or lines[n].lstrip().startswith("#"):
                n = -1  # a blank line or a comment: not a sentence running on
                break
            n -= 1
        if n < 0 or m is None or m.group(1) not in FREE_TEXT:
            continue
        key, value = m.group(1), (m.group(2) or "")
        fix = BLOCK_FIX.format(key=key)
        if value.startswith(("|", ">")):
            what = (f"the text of '{key}' (the block starting on line {n + 1}) is not laid "
                    f"out as a block")
            fix = (f"type nothing after '{key}: |' on its line; put every line of the text "
                   "below it, each indented by the same two spaces (see docs/for-staff.md)")
        elif mark.line > n and "simple key" in (e.context or ""):
            what = (f"the text of '{key}' (line {n + 1}) runs on to the next line without "
                    "being indented")
        elif "mapping values" in (e.problem or ""):
            what = (f"the text of '{key}' on line {n + 1} has ': ' in it, which YAML reads "
                    "as a new key")
        else:
            what = (f"the text of '{key}' on line {n + 1} cannot be read as plain text "
                    "(YAML reads a quote or symbol at its start, or ': ' or ' #' inside, "
                    "as its own syntax)")
        col = m.start(2) + 1 if m.group(2) else len(lines[n]) + 1
        return make("Y001", what, path, hint=fix).at(n + 1, col)
    return _in_block(e, path, lines)


def _in_block(e: yaml.MarkedYAMLError, path: str, lines: list[str]) -> Diagnostic | None:
    """An indented line that breaks out of a free-text block (indented less than the rest)."""
    mark = e.problem_mark
    if mark is None or mark.line >= len(lines) or not lines[mark.line].startswith(" "):
        return None
    n = mark.line
    while n >= 0 and (lines[n].startswith(" ") or not lines[n].strip()):
        n -= 1
    m = _KEY_LINE.match(lines[n]) if n >= 0 else None
    if m is None or m.group(1) not in FREE_TEXT or not (m.group(2) or "").startswith("|"):
        return None
    key = m.group(1)
    return make("Y001", f"line {mark.line + 1}, in the text of '{key}' (the block starting on "
                f"line {n + 1}), is indented differently from the lines before it", path,
                hint="indent every line of the text by the same two spaces (see "
                     "docs/for-staff.md)").at(mark.line + 1, 1)


_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})(?: .*)?$", re.MULTILINE)


def _conflict(text: str, path: str) -> Diagnostic | None:
    """Y012: git's merge-conflict markers, at the first marker line."""
    if not re.search(r"^(?:<{7}|>{7})(?: |$)", text, re.MULTILINE):
        return None
    first = _CONFLICT.search(text)
    assert first is not None
    line = text.count("\n", 0, first.start()) + 1
    return make("Y012", "unresolved merge conflict: git left its markers (<<<<<<<, =======, "
                ">>>>>>>) in this file, with two versions of the same lines", path,
                hint="keep the lines you want from between the markers, delete the three "
                     "marker lines, check the file (`coachctl note check FILE` for a note, "
                     "`coachctl validate` for the rest), then `git add` it and finish the "
                     "merge (docs/for-staff.md)").at(line, 1)


def _tabs(text: str, path: str, diags: list[Diagnostic]) -> bool:
    """Report tabs in indentation (libyaml's own message for them is cryptic)."""
    found = False
    for n, line in enumerate(_YAML_BREAK.split(text), 1):
        stripped = line.lstrip(" \t")
        indent = line[: len(line) - len(stripped)]
        if "\t" in indent and stripped and not stripped.startswith("#"):
            diags.append(make("Y002", "tab character in indentation", path,
                              hint="indent with spaces").at(n, indent.index("\t") + 1))
            found = True
    return found


class _Walker:
    def __init__(self, path: str, out: Parsed, text: str = "") -> None:
        self.path, self.out, self.text = path, out, text
        self.seen: set[int] = set()
        self.alias_visits = 0

    def walk(self, node: yaml.Node, ptr: Pointer, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _TooComplex(node, f"the document is nested more than {MAX_DEPTH} levels deep")
        if id(node) in self.seen:
            self.alias_visits += 1
            if self.alias_visits > MAX_ALIAS_VISITS:
                raise _TooComplex(node, "aliases expand the document beyond "
                                        f"{MAX_ALIAS_VISITS} repeated nodes")
        elif not isinstance(node, yaml.ScalarNode):
            self.seen.add(id(node))
        self.out.values[ptr] = _span(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, ptr)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                return self.bad_tag(node, ptr)
            return [self.walk(child, (*ptr, i), depth + 1) for i, child in enumerate(node.value)]
        if node.tag != _MAP:
            return self.bad_tag(node, ptr)
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode) or knode.tag == _T + "merge":
                self.out.diagnostics.append(make(
                    "Y004", "merge keys and complex keys are not allowed", self.path,
                    hint="write the keys out in full").at(*_span(knode)))
                continue
            key = (knode.value if knode.tag == _STR
                   or (knode.tag == _INT and len(knode.value) > MAX_DIGITS)
                   else str(self.scalar(knode, ptr)))
            line = knode.start_mark.line + 1
            if key in first_line:
                self.out.diagnostics.append(make(
                    "Y003", f"duplicate key {key!r}", self.path,
                    hint=f"{key!r} is first defined at line {first_line[key]}")
                    .at(*_span(knode)))
                continue
            first_line[key] = line
            self.out.keys[(*ptr, key)] = _span(knode)
            result[key] = self.walk(vnode, (*ptr, key), depth + 1)
            if key in FREE_TEXT and _cut_by_comment(vnode, self.text):
                self.out.diagnostics.append(make(
                    "Y013", f"the text of '{key}' stops at ' #': YAML reads the rest of line "
                    f"{vnode.end_mark.line + 1} as a comment, so those words are lost",
                    self.path, hint=BLOCK_FIX.format(key=key)).at(*_span(knode)))
        return result

    def bad_tag(self, node: yaml.Node, ptr: Pointer) -> None:
        self.out.flagged.add(ptr)
        self.out.diagnostics.append(make(
            "Y004", f"tag {node.tag.replace(_T, '!!')!r} is not allowed", self.path,
            hint="programme files hold plain values; remove the tag").at(*_span(node)))
        return None

    def scalar(self, node: yaml.ScalarNode, ptr: Pointer) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _INT and len(node.value) > MAX_DIGITS:
            return self.unreadable(node, ptr, "S003", f"a number {len(node.value):,} characters "
                                   "long is not a value any field takes",
                                   "quote it if it is text")
        construct = _SCALARS.get(tag)
        if construct is None:
            return self.bad_tag(node, ptr)
        try:
            return construct(node)
        except _CONSTRUCT_ERRORS as e:  # an explicit tag (!!int words) or an impossible date
            if tag == _TIME:
                why = f" ({e})" if isinstance(e, ValueError) else ""
                return self.unreadable(node, ptr, "S004", f"{node.value!r} is not a real "
                                       f"date{why}", "write dates as YYYY-MM-DD")
            return self.unreadable(node, ptr, "S003", f"{node.value!r} cannot be read as "
                                   f"{tag.replace(_T, '!!')}", "remove the tag")

    def unreadable(self, node: yaml.ScalarNode, ptr: Pointer, code: str, message: str,
                   hint: str) -> Any:
        self.out.flagged.add(ptr)
        self.out.diagnostics.append(make(code, message, self.path, ptr, hint=hint)
                                    .at(*_span(node)))
        return node.value if code == "S004" else None


_CONSTRUCT_ERRORS = (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError)
"""What PyYAML's constructors raise for a value an explicit tag forces on them (`!!int` on
words, or on nothing at all)."""


def _cut_by_comment(node: yaml.Node, text: str) -> bool:
    """A plain one-line-or-more sentence followed by ``#`` on its last line (Y013)."""
    if not isinstance(node, yaml.ScalarNode) or node.style or not node.value:
        return False
    end = node.end_mark
    start = end.index
    stop = text.find("\n", start)
    rest = text[start:] if stop < 0 else text[start:stop]
    return rest.lstrip(" ").startswith("#")


class _NotPlain(Exception):
    """The file needs :func:`parse_bytes` (it has something to report, or an alias)."""


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


def _streamed(text: str) -> dict[str, Any] | None:
    """:func:`plain_value` for a big file: its value built straight from parser events.

    As strict as :func:`_plain`: anything unusual (an anchor, an alias, an explicit
    tag, a key that is not a string, a duplicate key, a second document, deep
    nesting, a value its constructor refuses) gives None.
    """
    loader = _Loader(text)
    Start, End = yaml.CollectionStartEvent, yaml.CollectionEndEvent
    stack: list[Any] = []  # open collections: a list, or [dict, pending key or _NO_KEY]
    root: Any = None
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                if root is not None:
                    return None  # a second document
                continue
            if isinstance(event, End):
                value = stack.pop()
                value = value[0] if isinstance(value, _Pending) else value
            elif isinstance(event, yaml.ScalarEvent | Start):
                if event.anchor is not None or event.tag not in (None, "!"):
                    return None
                if isinstance(event, Start):
                    if len(stack) >= MAX_DEPTH or (stack and isinstance(stack[-1], _Pending)
                                                   and stack[-1].key is _NO_KEY):
                        return None  # too deep, or a complex key
                    stack.append(_Pending({}) if isinstance(event, yaml.MappingStartEvent)
                                 else [])
                    continue
                tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                if stack and isinstance(stack[-1], _Pending) and stack[-1].key is _NO_KEY:
                    if tag != _STR or event.value in stack[-1][0]:
                        return None  # not a plain string key, or a duplicate
                    stack[-1].key = event.value
                    continue
                value = _scalar(tag, event.value)
            elif isinstance(event, yaml.AliasEvent):
                return None
            else:
                continue  # stream and document boundaries
            if not stack:
                root = value
            elif isinstance(stack[-1], _Pending):
                stack[-1][0][stack[-1].key] = value
                stack[-1].key = _NO_KEY
            else:
                stack[-1].append(value)
    except (yaml.YAMLError, _NotPlain):
        return None
    finally:
        loader.dispose()
    return root if isinstance(root, dict) else None


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


_NO_KEY = object()


class _Pending(list[Any]):
    """An open mapping while streaming: ``[dict]`` and the key whose value comes next."""

    def __init__(self, mapping: dict[str, Any]) -> None:
        super().__init__([mapping])
        self.key: Any = _NO_KEY


def _scalar(tag: str, value: str) -> Any:
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    construct = _SCALARS.get(tag)
    if construct is None or (tag == _INT and len(value) > MAX_DIGITS):
        raise _NotPlain
    try:
        return construct(yaml.ScalarNode(tag, value))
    except _CONSTRUCT_ERRORS as e:
        raise _NotPlain from e


_SCALARS: dict[str, Any] = {
    _BOOL: _constructor.construct_yaml_bool,
    _INT: _constructor.construct_yaml_int,
    _FLOAT: _constructor.construct_yaml_float,
    _TIME: _constructor.construct_yaml_timestamp,
}


def _plain(node: yaml.Node, depth: int, seen: set[int], text: str) -> Any:
    """:class:`_Walker` without positions or diagnostics: raise _NotPlain instead."""
    cls = type(node)
    tag = node.tag
    if cls is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        construct = _SCALARS.get(tag)
        if construct is None or (tag == _INT and len(node.value) > MAX_DIGITS):
            raise _NotPlain
        try:
            return construct(node)
        except _CONSTRUCT_ERRORS as e:
            raise _NotPlain from e
    if depth >= MAX_DEPTH or id(node) in seen:
        raise _NotPlain
    seen.add(id(node))
    if cls is yaml.SequenceNode and tag == _SEQ:
        return [_plain(child, depth + 1, seen, text) for child in node.value]
    if cls is not yaml.MappingNode or tag != _MAP:
        raise _NotPlain
    result: dict[str, Any] = {}
    for knode, vnode in node.value:
        if type(knode) is not yaml.ScalarNode or knode.tag != _STR:
            raise _NotPlain
        key = knode.value
        if key in result:
            raise _NotPlain
        if key in FREE_TEXT and _cut_by_comment(vnode, text):
            raise _NotPlain
        if type(vnode) is yaml.ScalarNode and vnode.tag == _STR:  # most values: skip a call
            result[key] = vnode.value
        else:
            result[key] = _plain(vnode, depth + 1, seen, text)
    return result


_PLAIN_TOP_LEVEL = re.compile(
    rb"^([A-Za-z_][A-Za-z0-9_]*)[ \t]*:[ \t]+([A-Za-z0-9][A-Za-z0-9_.:+-]*)[ \t]*(?:#.*)?$",
    re.MULTILINE)


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
