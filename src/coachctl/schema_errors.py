"""A file's value checked against its kind's model, and pydantic's errors in the reader's words.

:func:`validate` gives the file's record or appends one located diagnostic per
problem (S001 unknown key, S002 missing key, S003 wrong value, S004 bad date,
S005 unsupported format), worded for the person who wrote the file: where in
the file (:func:`where`), what was expected, what was found (:func:`shown`,
never a private field's text) and, when it helps, how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from typing import TYPE_CHECKING, Any

from coachctl import models as m
from coachctl.diagnostics import Diagnostic, make
from coachctl.layout import PROGRAMME_FILE, model_for, record_class

if TYPE_CHECKING:
    from pydantic import BaseModel

    from coachctl.yamlsafe import Parsed


def validate(kind: str, parsed: Parsed, path: str, out: list[Diagnostic]) -> Any:
    """Check a parsed value against its kind's model; append located diagnostics to ``out``.

    Gives the file's record (see :func:`coachctl.layout.record_class`), or None."""
    from coachctl.quickcheck import accept

    value = parsed.value
    if kind == PROGRAMME_FILE and value.get("format") != m.FORMAT_VERSION:
        out.append(make("S005", f"format {shown(value.get('format'))} is not supported; this "
                        f"coachctl reads format {m.FORMAT_VERSION}", path,
                        hint=f"set 'format: {m.FORMAT_VERSION}'").at(
                            *(parsed.span(("format",)) or (1, 1, 1, 1))))
        return None
    if (quick := accept(record_class(kind), value)) is not None:
        return quick  # certainly what the model gives: no need for pydantic
    from pydantic import ValidationError

    from coachctl.validators import record

    model = model_for(kind)
    try:
        return record(model.model_validate(value))
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            if any(loc[: i + 1] in parsed.flagged for i in range(len(loc))):
                continue
            out.append(_schema_diagnostic(model, err, loc, parsed, path))
        return None


_DATE_ERRORS = {"date_type", "date_parsing", "date_from_datetime_inexact",
                "date_from_datetime_parsing", "date_future", "date_past"}
_PATTERNS = {
    r"^[a-z0-9][a-z0-9._-]*$": "an id: lower-case letters, digits, '.', '_' or '-' (like asmith)",
    r"^\d{4}-\d{2}$": "an academic year like 2026-27",
    r"^([01]\d|2[0-3]):[0-5]\d$": "a 24-hour time like 14:00, in quotes",
    r"^age1[02-9ac-hj-np-z]{58}$": "an age public key: age1 and 58 more letters and digits, "
                                   "as `coachctl key init` prints it",
    r"^[a-z0-9][a-z0-9._-]*:[0-9a-f]{8}$": "a reader: a staff id, a colon and the key's "
                                            "8-character fingerprint (coachctl writes these)",
}
"""Each pattern a model uses, in the reader's words (tests check every pattern has one)."""
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _schema_diagnostic(model: type[BaseModel], err: Any, loc: m_Pointer, parsed: Parsed,
                       path: str) -> Diagnostic:
    kind = err["type"]
    hint = None
    if kind == "extra_forbidden":
        import difflib

        key = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = (f"did you mean {close[0]!r}?" if close
                else f"allowed keys here: {', '.join(allowed)}" if allowed else None)
        inside = f" in {where(loc[:-1], parsed.value)}" if len(loc) > 1 else ""
        d = make("S001", f"unknown key {key!r}{inside}", path, hint=hint)
        span = parsed.span(loc, key=True)
    elif kind == "missing":
        inside = f" in {where(loc[:-1], parsed.value)}" if len(loc) > 1 else ""
        d = make("S002", f"missing key {str(loc[-1])!r}{inside}", path)
        span = parsed.span(loc[:-1])
    else:
        code = "S004" if kind in _DATE_ERRORS else "S003"
        got = err.get("input")
        what, hint = _wording(kind, err, got)
        private = bool(loc) and loc[-1] in m.PRIVATE_FIELDS
        d = make(code, f"{where(loc, parsed.value)} {what} (got {shown(got, private)})", path,
                 hint=hint or _yaml_trap_hint(got, kind))
        span = parsed.span(loc)
    return d.at(*span) if span else d.at(1, 1)


m_Pointer = tuple[Any, ...]


def where(loc: m_Pointer, value: Any) -> str:
    """A position in a file in the reader's words: ``staff entry 29 (id dclarke): joined``.

    List items are counted from 1 and named by their id when they have one.
    """
    out = ""
    current = value
    after_item = False
    for part in loc:
        if isinstance(part, int):
            item = current[part] if isinstance(current, list) and 0 <= part < len(current) else None
            ident = item.get("id") if isinstance(item, dict) else None
            named = f" (id {ident})" if isinstance(ident, str) and _ID.match(ident) else ""
            out += f" entry {part + 1}{named}"
            current, after_item = item, True
        else:
            out += (": " if after_item else "." if out else "") + str(part)
            current = current.get(part) if isinstance(current, dict) else None
            after_item = False
    return out.strip() or "the file"


def shown(got: Any, private: bool = False) -> str:
    """A value from the file as a message shows it: YAML's words, text quoted and short."""
    if isinstance(got, bool):
        return str(got).lower()
    if got is None:
        return "nothing (an empty value)"
    if isinstance(got, dict):
        return "a mapping"
    if isinstance(got, list):
        return "a list"
    if isinstance(got, int):
        return str(got) if abs(got) < 10**18 else "a very long number"
    if isinstance(got, float | dt.date):
        return str(got)
    if isinstance(got, str):
        if private:
            return "text"
        return repr(got if len(got) <= 40 else got[:37] + "...")
    return type(got).__name__


def _choices(err: Any) -> list[str]:
    return re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))


def _wording(kind: str, err: Any, got: Any) -> tuple[str, str | None]:
    """What a pydantic error means, in the reader's words, and a hint when one helps."""
    ctx = err.get("ctx") or {}
    lower = got.strip().lower() if isinstance(got, str) else None
    if kind in ("literal_error", "enum"):
        choices = _choices(err)
        hint = f"only the case is wrong: write {lower!r}" if lower in choices else None
        return f"must be one of {', '.join(choices)}", hint
    if kind == "string_pattern_mismatch":
        desc = _PATTERNS.get(str(ctx.get("pattern")), "in the form docs/format.md describes")
        pattern = re.compile(str(ctx.get("pattern", "")))
        hint = (f"only the case is wrong: write {lower!r}"
                if lower is not None and lower != got and pattern.match(lower) else None)
        return f"must be {desc}", hint
    if kind in _DATE_ERRORS:
        hint = ("write the date alone, without a time" if isinstance(got, dt.datetime)
                else None)
        return "must be a date like 2026-09-07", hint
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return ("must not be empty" if n == 1 else f"must be at least {n} characters"), None
    if kind == "string_too_long":
        return f"is too long: at most {ctx.get('max_length', 0):,} characters", None
    if kind in ("too_short", "too_long"):
        n = ctx.get("min_length" if kind == "too_short" else "max_length", 0)
        entries = "entry" if n == 1 else "entries"
        return ((f"needs at least {n} {entries}" if kind == "too_short"
                 else f"takes at most {n} {entries}, not {ctx.get('actual_length')}"), None)
    bounds = {"greater_than_equal": ("at least", "ge"), "less_than_equal": ("at most", "le"),
              "greater_than": ("more than", "gt"), "less_than": ("less than", "lt")}
    if kind in bounds:
        bound, key = bounds[kind]
        limit = ctx.get(key)
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        return f"must be {bound} {limit}", None
    return _WORDS.get(kind) or _fallback(err), None


_WORDS = {
    "string_type": "must be text",
    "int_type": "must be a whole number", "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number", "float_parsing": "must be a number",
    "bool_type": "must be true or false", "bool_parsing": "must be true or false",
    "list_type": "must be a list (one '- ' line per entry)",
    "model_type": "must be a mapping of keys and values",
    "dict_type": "must be a mapping of keys and values",
    "model_attributes_type": "must be a mapping of keys and values",
}


def _fallback(err: Any) -> str:
    message = re.sub(r"pattern '.*'", "the expected form", str(err.get("msg", "is not valid")))
    return message.rstrip(".").replace("Input should", "should")


def _yaml_trap_hint(got: Any, kind: str) -> str | None:
    if isinstance(got, bool) and kind == "string_type":
        return "YAML reads unquoted yes/no/on/off/true/false as booleans: quote the value"
    if isinstance(got, int | float) and not isinstance(got, bool) and kind == "string_type":
        return "YAML read this as a number (14:00 is read as 840): quote the value"
    if isinstance(got, str) and kind in _DATE_ERRORS:
        return ("write dates as YYYY-MM-DD without quotes"
                if re.match(r"^\s*\d{4}-\d\d?-\d\d?\s*$", got) else "write dates as YYYY-MM-DD")
    return None


def _fields_at(model: type[BaseModel], loc: m_Pointer) -> list[str]:
    """The keys allowed at ``loc`` inside ``model``, for "did you mean" hints."""
    from pydantic import BaseModel

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(part))
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """Unwrap list[X], X | None and Annotated[X, ...] down to a model class, if any."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
