"""The programme file format, version 1: one plain dataclass per kind of file.

One class per kind of file (see docs/format.md for the prose version). These
classes are plain data, so a warm run, which rebuilds them from the cache,
needs neither pydantic nor the YAML reader. Reading a file validates it
against a strict pydantic model built from its class on first use
(:mod:`coachctl.validators`): models forbid unknown keys, so a typo is
reported rather than silently dropped, and run in strict mode, so YAML's
surprises (``no`` read as false, ``14:00`` read as 840) surface as type errors
instead of wrong data. :class:`Rule` carries each field's constraints.

Records are read-only by convention, not frozen: defining a frozen dataclass and
building its instances costs about twice as much, and a command a person waits
on defines all of them and builds thousands (use :func:`dataclasses.replace`).

Session notes are the bulk of a repository (hundreds of thousands of files):
after validation each is reduced to a :class:`NoteRecord` that keeps what
reports count and drops the free text, which keeps memory small and makes it
impossible for a report to print what a coach wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Literal

from coachctl.fieldtypes import (
    FORMAT_VERSION,
    PRIVATE_FIELDS,
    TEXT_FIELDS,
    WEEKDAYS,
    AgeKey,
    Chooser,
    Clock,
    CycleNo,
    CycleStatus,
    FreeText,
    Id,
    Name,
    NoteStatus,
    Observation,
    PairingModel,
    QaKind,
    Role,
    Rule,
    Sealed,
    SealedField,
    Text,
    Weekday,
    as_dict,
)
from coachctl.settings import (
    Calendar,
    Closure,
    CycleRules,
    Expectations,
    PairingPrefs,
    PairingWeights,
    ProgrammeSettings,
    QaRules,
    Sealing,
    Term,
    Thresholds,
)

__all__ = [  # the format in one place: its building blocks and programme.yaml's classes
    "FORMAT_VERSION",
    "PRIVATE_FIELDS",
    "TEXT_FIELDS",
    "WEEKDAYS",
    "AgeKey",
    "Calendar",
    "Chooser",
    "Clock",
    "Closure",
    "CycleNo",
    "CycleRules",
    "CycleStatus",
    "Expectations",
    "FreeText",
    "Id",
    "Name",
    "NoteStatus",
    "Observation",
    "PairingModel",
    "PairingPrefs",
    "PairingWeights",
    "ProgrammeSettings",
    "QaKind",
    "QaRules",
    "Role",
    "Rule",
    "Sealed",
    "SealedField",
    "Sealing",
    "Term",
    "Text",
    "Thresholds",
    "Weekday",
    "as_dict",
]


# --- staff.yaml -----------------------------------------------------------------------

@dataclass(slots=True, kw_only=True)
class StaffMember:
    id: Id
    name: Name
    role: Role
    department: Name
    mentor: Id | None = None
    coach: bool = False
    expert_coach: bool = False
    new_coach: bool = False
    """A coach in their first year, who should shadow an experienced coach first."""
    joined: dt.date | None = None
    left: dt.date | None = None
    start_step: Id | None = None
    """Where they start in the school's sequence (a step id from steps/sequence.yaml), for
    an experienced teacher; the steps before it count as secured. Default: the first."""
    line_manager: Id | None = None
    """Their line manager: never suggested as their coach (coaching is not appraisal)."""
    age_key: AgeKey | None = None
    """Their public key for sealed notes (``coachctl key init`` prints the line)."""

    def active_on(self, day: dt.date) -> bool:
        joined = self.joined is None or self.joined <= day
        return joined and (self.left is None or day <= self.left)


@dataclass(slots=True, kw_only=True)
class StaffFile:
    staff: list[StaffMember]


# --- pairings.yaml --------------------------------------------------------------------

@dataclass(slots=True, kw_only=True)
class _Span:
    from_cycle: CycleNo = 1
    until_cycle: CycleNo | None = None
    reason: Text | None = None

    def covers(self, cycle: int) -> bool:
        return self.from_cycle <= cycle and (self.until_cycle is None or cycle <= self.until_cycle)


@dataclass(slots=True, kw_only=True)
class Group(_Span):
    """One coach and the coachees they coach (leader-led groups, mentor pairs)."""

    coach: Id
    coachees: Annotated[list[Id], Rule(min_length=1)]


@dataclass(slots=True, kw_only=True)
class Reciprocal(_Span):
    """Two colleagues who coach each other."""

    staff: Annotated[list[Id], Rule(min_length=2, max_length=2)]


@dataclass(slots=True, kw_only=True)
class Hub:
    id: Id
    name: Name
    expert: Id
    coaches: Annotated[list[Id], Rule(min_length=1)]


@dataclass(slots=True, kw_only=True)
class PairingsFile:
    groups: list[Group] = field(default_factory=list)
    reciprocal: list[Reciprocal] = field(default_factory=list)
    hubs: list[Hub] = field(default_factory=list)

    def pairs(self, cycle: int | None = None) -> list[Pair]:
        """Every (coach, coachee) pairing, or only those in force in ``cycle``."""
        out: list[Pair] = []
        for i, g in enumerate(self.groups):
            if cycle is None or g.covers(cycle):
                out.extend(Pair(g.coach, c, g, ("groups", i, "coachees", j))
                           for j, c in enumerate(g.coachees))
        for i, r in enumerate(self.reciprocal):
            if cycle is None or r.covers(cycle):
                a, b = r.staff
                out.append(Pair(a, b, r, ("reciprocal", i, "staff", 1)))
                out.append(Pair(b, a, r, ("reciprocal", i, "staff", 0)))
        return out


@dataclass(frozen=True, slots=True)
class Pair:
    coach: str
    coachee: str
    source: Group | Reciprocal
    pointer: tuple[str | int, ...]
    """Where in pairings.yaml the coachee of this pair is named."""


# --- steps/ ---------------------------------------------------------------------------

@dataclass(slots=True, kw_only=True)
class Step:
    id: Id
    step: Text
    success: Text


@dataclass(slots=True, kw_only=True)
class Strand:
    id: Id
    name: Name
    steps: Annotated[list[Step], Rule(min_length=1)]


@dataclass(slots=True, kw_only=True)
class LibraryFile:
    """steps/library.yaml (action steps) and steps/coaching-curriculum.yaml (for coaches)."""

    strands: Annotated[list[Strand], Rule(min_length=1)]


@dataclass(slots=True, kw_only=True)
class SequenceFile:
    """steps/sequence.yaml: the school's own ordered sequence, by library step id."""

    name: Name
    steps: Annotated[list[Id], Rule(min_length=1)]


# --- cycles/cycle-NN.yaml -------------------------------------------------------------

@dataclass(slots=True, kw_only=True)
class Cycle:
    number: CycleNo
    start: dt.date
    end: dt.date
    status: CycleStatus = "open"


# --- notes/cycle-NN/COACH--COACHEE.yaml -----------------------------------------------

@dataclass(slots=True, kw_only=True)
class Note:
    coach: Id
    coachee: Id
    cycle: CycleNo
    status: NoteStatus = "stub"
    date: dt.date | None = None
    observation: Observation | None = None
    observed: dt.date | None = None
    """The day of the observation (the drop-in or lesson) this feedback follows: on or
    before ``date``, in the same cycle."""
    precise_praise: FreeText | None = None
    action_step: Id | None = None
    step_chosen_by: Chooser | None = None
    """Who chose the step: the coach alone, the teacher (coachee), or together."""
    step_secured: bool = False
    """The coach judged ``action_step`` secure at this session."""
    modelled: bool | None = None
    scripted: bool | None = None
    """The teacher wrote the words they will use (a script) for the step in the session."""
    rehearsed: bool | None = None
    next_steps: FreeText | None = None
    notes: FreeText | None = None
    missed_reason: FreeText | None = None
    sealed: Sealed | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NoteRecord:
    """What coachctl keeps of a note after validating it: no free text, ever."""

    path: str
    coach: str
    coachee: str
    cycle: int
    status: str
    date: dt.date | None
    observation: str | None
    action_step: str | None
    step_secured: bool
    modelled: bool | None
    rehearsed: bool | None
    has_praise: bool
    has_next_steps: bool
    sealed: bool = False
    plain_text: tuple[str, ...] = ()
    """The free-text fields the file holds in plain (names only)."""
    scripted: bool | None = None
    step_chosen_by: str | None = None
    observed: dt.date | None = None

    @classmethod
    def of(cls, note: Note, path: str) -> NoteRecord:
        sealed = note.sealed.fields if note.sealed is not None else ()
        plain = tuple(k for k in TEXT_FIELDS[:4] if filled(getattr(note, k)))
        return cls(path=path, coach=note.coach, coachee=note.coachee, cycle=note.cycle,
                   status=note.status, date=note.date, observation=note.observation,
                   action_step=note.action_step, step_secured=note.step_secured,
                   modelled=note.modelled, rehearsed=note.rehearsed,
                   has_praise="precise_praise" in plain or "precise_praise" in sealed,
                   has_next_steps="next_steps" in plain or "next_steps" in sealed,
                   sealed=note.sealed is not None, plain_text=plain,
                   scripted=note.scripted, step_chosen_by=note.step_chosen_by,
                   observed=note.observed)


def filled(text: str | None) -> bool:
    """A free-text field holds words (an empty block or blank lines do not count)."""
    return bool(text and text.strip())


# --- qa/*.yaml ------------------------------------------------------------------------

@dataclass(slots=True, kw_only=True)
class QaRecord:
    kind: QaKind
    coach: Id
    """The coach whose coaching was quality-assured (or who shadowed, for ``shadowing``)."""
    by: Id
    """Who observed, checked, or was shadowed."""
    date: dt.date
    mode: Literal["live", "video"] | None = None
    focus: Id | None = None
    """A coaching-curriculum step id: what the feedback was about."""
    secured: bool = False
    """The QA found the coach secure in ``focus``: the coach's next curriculum step follows."""
    note: str | None = None
    """For a write-up check: the note's path, relative to the programme."""
    status: Literal["done", "planned"] = "done"
    """``planned``: a QA planned ahead (``coachctl qa-plan`` writes these), not yet done;
    no report counts it until it says ``done`` (or the line is removed)."""
    feedback: FreeText | None = None
    sealed: Sealed | None = None


# --- training/YYYY-MM-DD.yaml ---------------------------------------------------------

@dataclass(slots=True, kw_only=True)
class TrainingRecord:
    """A Teach Meet or coaching CPL session that happened: what coaches practised, and who
    came. With QA records it makes the coach-development loop auditable (what QA found,
    what was practised, whether the next QA found it secured)."""

    date: dt.date
    kind: Literal["teach-meet", "cpl"] = "cpl"
    focus: Annotated[list[Id], Rule(min_length=1)]
    """Coaching-curriculum step ids practised."""
    attended: list[Id] = field(default_factory=list)
    """Staff ids of the coaches who came."""
