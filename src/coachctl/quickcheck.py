"""Accept a file's plain value as its record without pydantic, when it certainly passes.

A note check reads a dozen small files, and importing pydantic and building its
models costs more than reading them. :func:`accept` checks a value against the
class's fields as the strict model does (exact types, no unknown keys, every
required key, each field's :class:`~coachctl.models.Rule`), but it only ever
says yes: anything it is not certain of (a type that is not exactly the
field's, an int where a float is wanted, a string with a line break checked
against a pattern, an annotation it does not know) gives None, and the caller
asks pydantic, which finds and explains the problem. So a value it accepts is
one the model accepts, with the same record (a test holds it to that on every
example file and on values built to sit at each edge).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal

from coachctl import models as m

_NO: Any = object()
"""Not certain: let pydantic decide."""

Check = Callable[[Any], Any]
"""A value as the record's field holds it, or :data:`_NO`."""


def accept(cls: type, value: Any) -> Any:
    """``value`` (as YAML gives it) as a ``cls`` if its strict model certainly accepts it,
    else None."""
    out = _record(cls, value)
    return None if out is _NO else out


def _record(cls: type, value: Any) -> Any:
    if type(value) is not dict:
        return _NO
    checks, required = _fields(cls)
    if not required <= value.keys():
        return _NO
    kwargs = {}
    for key, v in value.items():
        check = checks.get(key) if type(key) is str else None
        if check is None or (v := check(v)) is _NO:
            return _NO
        kwargs[key] = v
    return cls(**kwargs)


@functools.cache
def _fields(cls: type) -> tuple[dict[str, Check], frozenset[str]]:
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = dataclasses.fields(cls)
    required = frozenset(f.name for f in fields if f.default is dataclasses.MISSING
                         and f.default_factory is dataclasses.MISSING)
    return {f.name: _check(hints[f.name]) for f in fields}, required


def _refuse(value: Any) -> Any:
    return _NO


def _check(annotation: Any) -> Check:
    """How to accept a value for a field of this type."""
    rules: dict[str, Any] = {}
    if typing.get_origin(annotation) is Annotated:
        annotation, *extras = typing.get_args(annotation)
        if not all(isinstance(x, m.Rule) for x in extras):
            return _refuse
        for rule in extras:
            rules.update({k: v for k in rule.__slots__ if (v := getattr(rule, k)) is not None})
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Union or origin is types.UnionType:
        inner = [a for a in args if a is not type(None)]
        if rules or len(inner) != 1 or len(args) != 2:
            return _refuse
        optional = _check(inner[0])
        return lambda v: None if v is None else optional(v)
    if origin is Literal:
        allowed = frozenset(args)
        if rules or not all(type(a) is str for a in allowed):
            return _refuse
        return lambda v: v if type(v) is str and v in allowed else _NO
    if origin is list:
        return _list(_check(args[0]), rules)
    if annotation in (str, int, float):
        return _scalar(annotation, rules)
    if annotation in (bool, dt.date) and not rules:
        return lambda v: v if type(v) is annotation else _NO
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation) and not rules:
        return lambda v: _record(annotation, v)
    return _refuse


def _list(item: Check, rules: dict[str, Any]) -> Check:
    if rules.keys() - {"min_length", "max_length"}:
        return _refuse
    low, high = rules.get("min_length", 0), rules.get("max_length")

    def check(v: Any) -> Any:
        if type(v) is not list or len(v) < low or (high is not None and len(v) > high):
            return _NO
        out = [item(x) for x in v]
        return _NO if any(x is _NO for x in out) else out
    return check


def _scalar(kind: type, rules: dict[str, Any]) -> Check:
    if kind is str:
        if rules.keys() - {"pattern", "min_length", "max_length"}:
            return _refuse
        pattern = re.compile(rules["pattern"]) if "pattern" in rules else None
        low, high = rules.get("min_length", 0), rules.get("max_length")

        def text(v: Any) -> Any:
            if (type(v) is not str or len(v) < low or (high is not None and len(v) > high)
                    or (pattern is not None and ("\n" in v or not pattern.search(v)))):
                return _NO
            return v
        return text
    if rules.keys() - {"ge", "le"}:
        return _refuse
    ge, le = rules.get("ge"), rules.get("le")

    def number(v: Any) -> Any:
        if type(v) is not kind or (ge is not None and not v >= ge) or (
                le is not None and not v <= le):
            return _NO
        return v
    return number
