"""How the cache encodes what reading a file gave: records and diagnostics as plain data.

A note is kept as a list of its :class:`~coachctl.models.NoteRecord` fields
(positional: hundreds of thousands of them), any other file as its record's
fields in plain msgpack, rebuilt on the way back in without pydantic, less any
free text such as QA feedback (:data:`~coachctl.models.PRIVATE_FIELDS`): free
text is never copied out of its file. :mod:`coachctl.cache` stores them; reports that cache
what they derive (:class:`coachctl.validation.Derived`) encode with the same functions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Any

from coachctl.diagnostics import decode_diagnostic as decode_diagnostic
from coachctl.diagnostics import encode_diagnostic as encode_diagnostic
from coachctl.layout import models


def encode_record(record: Any) -> Any:
    if record is None:
        return None
    m = models()
    if isinstance(record, m.NoteRecord):
        return [record.coach, record.coachee, record.cycle, record.status,
                record.date.toordinal() if record.date else None, record.observation,
                record.action_step, record.step_secured, record.modelled, record.rehearsed,
                record.has_praise, record.has_next_steps, record.sealed,
                list(record.plain_text), record.scripted, record.step_chosen_by,
                record.observed.toordinal() if record.observed else None]
    return _plain(record)


_TAG = ""
"""The key naming a record's class (or ``date``) in its plain form: no field is named ''."""


WITHHELD = "(text withheld)"
"""What the cache keeps of a private field that holds words: that it does, never the words."""


def _plain(value: Any) -> Any:
    """A record as msgpack-able plain data: ``{'': class name, field: value ...}``.

    Free text (QA feedback and the like, see :data:`~coachctl.models.PRIVATE_FIELDS`) is
    left out, on disk and off: no report may show it, and every such field is optional.
    A private field that holds words is kept as :data:`WITHHELD`, one that is present but
    empty (an unfilled ``feedback: |``) as ``""``, so checks can still tell what
    :func:`~coachctl.models.filled` would say (free text left unsealed in a sealed
    programme) without its text.
    """
    if isinstance(value, dt.date):
        return {_TAG: "date", "o": value.toordinal()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        m = models()
        out = {_TAG: type(value).__name__}
        for f in dataclasses.fields(value):
            if f.name not in m.PRIVATE_FIELDS:
                out[f.name] = _plain(getattr(value, f.name))
            elif (text := getattr(value, f.name)) is not None:
                out[f.name] = WITHHELD if isinstance(text, str) and m.filled(text) else ""
        return out
    return value


@functools.cache
def _classes() -> dict[str, type]:
    return {name: cls for name, cls in vars(models()).items()
            if isinstance(cls, type) and dataclasses.is_dataclass(cls)}


def _unplain(value: Any) -> Any:
    """:func:`_plain` undone; a malformed value raises KeyError, TypeError or ValueError."""
    if type(value) is dict:
        name = value[_TAG]
        if name == "date":
            return _day(value["o"])
        return _classes()[name](**{k: _unplain(v) for k, v in value.items() if k != _TAG})
    if type(value) is list:
        return [_unplain(v) for v in value]
    return value


def decode_record(kind: str, payload: Any, rel: str) -> Any:
    if payload is None:
        return None
    if kind == "notes":
        m = models()
        (coach, coachee, cycle, status, day, observation, step, secured, modelled, rehearsed,
         praise, next_steps, sealed, plain, scripted, chosen_by, observed) = payload
        return m.NoteRecord(path=rel, coach=coach, coachee=coachee, cycle=cycle, status=status,
                            date=_day(day) if day is not None else None,
                            observation=observation, action_step=step, step_secured=secured,
                            modelled=modelled, rehearsed=rehearsed, has_praise=praise,
                            has_next_steps=next_steps, sealed=sealed, plain_text=tuple(plain),
                            scripted=scripted, step_chosen_by=chosen_by,
                            observed=_day(observed) if observed is not None else None)
    return _unplain(payload)


@functools.lru_cache(maxsize=4096)
def _day(ordinal: int) -> dt.date:
    """Dates recur (a few hundred school days a year): share them."""
    return dt.date.fromordinal(ordinal)
