"""The safe loader and what every reading path shares.

libyaml's C loader with memoised tag resolution, the limits (size, aliases,
depth, digits), the standard tags and their scalar constructors, the
:class:`Parsed` result with its 1-based spans, and the free-text fields whose
sentences get their own hints (Y001, Y013). The careful walk
(:mod:`~coachctl.yamlsafe.walk`), the fast paths (:mod:`~coachctl.yamlsafe.fast`)
and the locators (:mod:`~coachctl.yamlsafe.spans`) all build on this, so they
accept and refuse exactly the same values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from coachctl.diagnostics import Diagnostic, Pointer
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


def _span(node: yaml.Node) -> Span:
    s, e = node.start_mark, node.end_mark
    return (s.line + 1, s.column + 1, e.line + 1, e.column + 1)


def _mark_span(mark: Any) -> Span:
    return (mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 1)


_CONSTRUCT_ERRORS = (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError)
"""What PyYAML's constructors raise for a value an explicit tag forces on them (`!!int` on
words, or on nothing at all)."""


_SCALARS: dict[str, Any] = {
    _BOOL: _constructor.construct_yaml_bool,
    _INT: _constructor.construct_yaml_int,
    _FLOAT: _constructor.construct_yaml_float,
    _TIME: _constructor.construct_yaml_timestamp,
}


FREE_TEXT = frozenset(TEXT_FIELDS)
"""Keys whose values are sentences people type: the fields a block scalar is written for."""


def _cut_by_comment(node: yaml.Node, text: str) -> bool:
    """A plain one-line-or-more sentence followed by ``#`` on its last line (Y013)."""
    if not isinstance(node, yaml.ScalarNode) or node.style or not node.value:
        return False
    end = node.end_mark
    start = end.index
    stop = text.find("\n", start)
    rest = text[start:] if stop < 0 else text[start:stop]
    return rest.lstrip(" ").startswith("#")
