"""The building blocks of the file format: constrained field types, and the sealed block.

:class:`Rule` carries a field's constraints (pydantic reads them when a file is
validated); the aliases here (:data:`Id`, :data:`Text`, :data:`Name` ...) are
what every kind of file's classes (:mod:`coachctl.models`,
:mod:`coachctl.settings`) are built from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Rule:
    """Constraints on a field's value (string or list length, pattern, bounds), enforced
    when a file is validated: pydantic reads them through the hook below."""

    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    ge: int | None = None
    le: int | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema.update({k: getattr(self, k) for k in self.__slots__
                       if getattr(self, k) is not None})
        return schema


Id = Annotated[str, Rule(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=64)]
Text = Annotated[str, Rule(min_length=1, max_length=20_000)]
FreeText = Annotated[str, Rule(max_length=20_000)]
"""A sentence a person types (see PRIVATE_FIELDS). Empty is allowed and means not filled
in yet: the stubs coachctl writes leave a block (``next_steps: |``) with nothing below it."""
Name = Annotated[str, Rule(min_length=1, max_length=200)]
Clock = Annotated[str, Rule(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
CycleNo = Annotated[int, Rule(ge=1, le=99)]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday"]
Role = Literal["teacher", "ect", "middle-leader", "senior-leader", "support"]
PairingModel = Literal["leader-led", "reciprocal", "hubs"]
NoteStatus = Literal["stub", "complete", "missed"]
Observation = Literal["drop-in", "lesson"]
Chooser = Literal["coach", "coachee", "together"]
"""Who chose a session's action step: the coach alone, the teacher, or the two together."""
QaKind = Literal["observation", "shadowing", "write-up-check", "check-in"]
CycleStatus = Literal["open", "closed"]
WEEKDAYS: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday")
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
"""Dates coachctl plans with: any date a school uses, far from the ends of Python's
calendar, so date arithmetic can never overflow (``--today`` and the files alike)."""


def as_dict(record: Any, *, exclude_none: bool = False) -> dict[str, Any]:
    """A record as nested plain data (what its YAML file holds), optionally leaving out None."""
    if not exclude_none:
        return dataclasses.asdict(record)
    return dataclasses.asdict(record, dict_factory=lambda kv: {k: v for k, v in kv
                                                               if v is not None})


TEXT_FIELDS = ("precise_praise", "next_steps", "notes", "missed_reason", "feedback")
"""The free-text fields of notes and QA records, in the order a note lists them."""
PRIVATE_FIELDS = frozenset({*TEXT_FIELDS, "sealed"})
"""Free text private to a coaching pair and QA: never printed by coachctl, not even in errors.
A ``sealed`` block is ciphertext, but is kept out of every output and the cache all the same."""
BEGIN, END = "-----BEGIN AGE ENCRYPTED FILE-----", "-----END AGE ENCRYPTED FILE-----"
"""The lines around age's ASCII armour."""
ENDING = f"\n    {END}\n"
"""How a file ends whose last entry is the ``sealed:`` block coachctl writes (here, not in
:mod:`coachctl.sealtext`, so the reader can test for it without loading the seal code)."""
AgeKey = Annotated[str, Rule(pattern=r"^age1[02-9ac-hj-np-z]{58}$")]
"""An age X25519 public key (``age1...``), as ``coachctl key init`` prints it."""
SealedField = Literal["precise_praise", "next_steps", "notes", "missed_reason", "feedback"]


@dataclass(slots=True, kw_only=True)
class Sealed:
    """A note's or QA record's free text, encrypted with age to its readers (sealed notes).

    ``fields`` and ``readers`` stay plain so that reports and ``reseal`` need no key:
    which free-text fields the block holds, and who it was sealed to (``ID:FINGERPRINT``,
    the first 8 hex digits of the SHA-256 of the reader's public key)."""

    fields: Annotated[list[SealedField], Rule(min_length=1)]
    readers: Annotated[list[Annotated[str, Rule(pattern=r"^[a-z0-9][a-z0-9._-]*:[0-9a-f]{8}$")]],
                       Rule(min_length=1)]
    age: Annotated[str, Rule(min_length=1, max_length=400_000)]
    """An armored age file (``-----BEGIN AGE ENCRYPTED FILE-----``)."""
