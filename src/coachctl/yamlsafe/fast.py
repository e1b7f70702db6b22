"""A clean file's value without positions: the fast path for bulk loading.

As strict as the careful walk (:mod:`~coachctl.yamlsafe.walk`) but recording
nothing: anything it would report, or an alias, raises :class:`_NotPlain`, and
the caller reads that file the careful way. A big file is built straight from
parser events (:func:`_streamed`), never holding libyaml's node graph.
"""

from __future__ import annotations

from typing import Any

import yaml

from coachctl.yamlsafe.safeloader import (
    _CONSTRUCT_ERRORS,
    _INT,
    _MAP,
    _NULL,
    _SCALARS,
    _SEQ,
    _STR,
    FREE_TEXT,
    MAX_DEPTH,
    MAX_DIGITS,
    _cut_by_comment,
    _Loader,
)


def sealed_value(text: str) -> dict[str, Any] | None:
    """:func:`~coachctl.yamlsafe.plain_value` for a file that ends in the ``sealed:`` block
    coachctl writes: the text before it parsed, the block recognised, not parsed
    (:func:`coachctl.sealtext.sealed_tail`; its armour is a third of a sealed note's
    parse). None when the file is anything else, or the text before the block is not
    plainly the rest of one mapping at column 0 that the block's key would continue:
    the caller parses the whole file then, so this is never a different answer.

    libyaml reads a stream front to back, so the text before the block reads the same
    whether the block follows or not, unless the document has ended there (``...``; and
    YAML counts more line breaks than ``\\n``, so any other one falls back), or its top
    mapping is a flow one or indented, where a key at column 0 cannot follow; a key
    ``sealed`` there already makes the block's a duplicate. A byte-order mark or a
    carriage return falls back too: not what coachctl writes.
    """
    from coachctl.sealtext import sealed_tail  # only for files that end as sealed ones do

    tail = sealed_tail(text)
    if tail is None or text.startswith("\ufeff") or "\r" in text \
            or any(c in text for c in _ODD_BREAKS):
        return None
    start, block = tail
    head = text[:start]
    if head.startswith("...") or "\n..." in head:
        return None
    try:
        node = yaml.compose(head, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if type(node) is not yaml.MappingNode or node.tag != _MAP or node.flow_style \
            or not node.value or node.value[0][0].start_mark.column != 0:
        return None
    try:
        value: dict[str, Any] = _plain(node, 0, set(), head)
    except _NotPlain:
        return None
    if "sealed" in value:
        return None
    value["sealed"] = block
    return value


_ODD_BREAKS = ("\x85", "\u2028", "\u2029")
"""NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR: line breaks to libyaml, not to the check above."""


class _NotPlain(Exception):
    """The file needs :func:`parse_bytes` (it has something to report, or an alias)."""


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
