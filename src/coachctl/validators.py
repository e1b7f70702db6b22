"""The pydantic side of :mod:`coachctl.models`: a strict model per class, built on first use.

The format's classes are plain dataclasses, so a warm run (records rebuilt from
the cache) never imports pydantic. Reading a file does: its value is validated
against the model :func:`model_of` builds from the class (same name, fields,
defaults, constraints and docstrings, so diagnostics and JSON Schemas are what
they would be from hand-written models), and :func:`validate` hands back the
plain record.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import sys
import types
import typing
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model

from coachctl import models as m

T = TypeVar("T")


class _Base(BaseModel):
    """Models forbid unknown keys and run in strict mode (YAML's ``no`` is not a string)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


_RECORDS: dict[type[BaseModel], type] = {}


@functools.cache
def model_of(cls: type) -> type[BaseModel]:
    """The strict pydantic model of one of :mod:`coachctl.models`' dataclasses."""
    hints = typing.get_type_hints(cls, include_extras=True)
    doc, field_docs = _docstrings(cls)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = _as_model(f.default_factory())
        else:
            default = ...
        fields[f.name] = (_swap(hints[f.name]), Field(default, description=field_docs.get(f.name)))
    model: type[BaseModel] = create_model(
        getattr(cls, "TITLE", cls.__name__), __base__=_Base, __doc__=doc,
        __module__=cls.__module__, **fields)
    _RECORDS[model] = cls
    return model


def validate(cls: type[T], value: Any) -> T:
    """``value`` (plain data, as YAML gives it) as a ``cls``; raises pydantic's ValidationError."""
    out: T = record(model_of(typing.cast(type, cls)).model_validate(value))
    return out


def record(value: Any) -> Any:
    """A validated model (or a list of them) as the plain dataclass records it describes."""
    if isinstance(value, BaseModel):
        cls = _RECORDS[type(value)]
        return cls(**{name: record(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, list):
        return [record(v) for v in value]
    return value


def _as_model(value: Any) -> Any:
    """A dataclass default (``CycleRules()``) as its model's instance, for defaults and schemas."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return model_of(type(value)).model_validate(dataclasses.asdict(value))
    return value


def _swap(annotation: Any) -> Any:
    """``annotation`` with every format dataclass in it replaced by its model."""
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return model_of(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return Annotated[(_swap(args[0]), *annotation.__metadata__)]
    if origin is list:
        return list[_swap(args[0])]  # type: ignore[misc]
    if origin is typing.Union or origin is types.UnionType:
        return typing.Union[tuple(_swap(a) for a in args)]  # noqa: UP007
    return annotation


def _docstrings(cls: type) -> tuple[str | None, dict[str, str]]:
    """A class's own docstring and its fields' (a string right after the field), inherited."""
    fields: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        node = (_class_nodes(base.__module__).get(base.__qualname__)
                if base.__module__ in _FORMAT_MODULES else None)
        if node is None:
            continue
        for stmt, after in zip(node.body, node.body[1:], strict=False):
            if (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                    and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)):
                fields[stmt.target.id] = inspect.cleandoc(after.value.value)
    node = (_class_nodes(cls.__module__).get(cls.__qualname__)
            if cls.__module__ in _FORMAT_MODULES else None)
    return (ast.get_docstring(node) if node else None), fields


_FORMAT_MODULES = (m.__name__, "coachctl.settings", "coachctl.fieldtypes")
"""The modules that declare the format's classes (documented by their docstrings)."""


@functools.cache
def _class_nodes(module: str) -> dict[str, ast.ClassDef]:
    tree = ast.parse(inspect.getsource(sys.modules[module]))
    return {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
