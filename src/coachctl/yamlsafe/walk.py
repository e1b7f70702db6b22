"""The careful walk of libyaml's node graph: a value, a span for everything, every problem.

Refuses duplicate keys (Y003), non-standard tags, merge keys and complex keys
(Y004), alias expansion and nesting beyond the limits (Y005), numbers and
dates no field can take (S003, S004), and sentences cut short by `` #`` (Y013),
recording a 1-based span for every value and key by its pointer.
"""

from __future__ import annotations

from typing import Any

import yaml

from coachctl.diagnostics import Pointer, make
from coachctl.yamlsafe.errors import BLOCK_FIX
from coachctl.yamlsafe.safeloader import (
    _CONSTRUCT_ERRORS,
    _INT,
    _MAP,
    _NULL,
    _SCALARS,
    _SEQ,
    _STR,
    _T,
    _TIME,
    FREE_TEXT,
    MAX_ALIAS_VISITS,
    MAX_DEPTH,
    MAX_DIGITS,
    Parsed,
    _cut_by_comment,
    _span,
)


class _TooComplex(Exception):
    def __init__(self, node: yaml.Node, why: str) -> None:
        self.node, self.why = node, why


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
