"""The programme file format, version 1, as strict pydantic models.

One model per kind of file (see docs/format.md for the prose version). Models
forbid unknown keys, so a typo is reported rather than silently dropped, and
run in strict mode, so YAML's surprises (``no`` read as false, ``14:00`` read
as 840) surface as type errors instead of wrong data.

Session notes are the bulk of a repository (hundreds of thousands of files):
after validation each is reduced to a :class:`NoteRecord` that keeps what
reports count and drops the free text, which keeps memory small and makes it
impossible for a report to print what a coach wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

FORMAT_VERSION = 1

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Clock = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
CycleNo = Annotated[int, Field(ge=1, le=99)]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday"]
Role = Literal["teacher", "ect", "middle-leader", "senior-leader", "support"]
PairingModel = Literal["leader-led", "reciprocal", "hubs"]
NoteStatus = Literal["stub", "complete", "missed"]
Observation = Literal["drop-in", "lesson"]
QaKind = Literal["observation", "shadowing", "write-up-check", "check-in"]
CycleStatus = Literal["open", "closed"]
WEEKDAYS: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday")


PRIVATE_FIELDS = frozenset({"precise_praise", "next_steps", "notes", "missed_reason", "feedback"})
"""Free text private to a coaching pair and QA: never printed by coachctl, not even in errors."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True,
                              use_attribute_docstrings=True)


# --- programme.yaml -------------------------------------------------------------------

class Term(_Model):
    """A half term: teaching runs from ``start`` to ``end``; gaps between terms are holidays."""

    name: Name
    start: dt.date
    end: dt.date


class Closure(_Model):
    """A day (or run of days) inside a term with no teaching: INSET, a bank holiday."""

    name: Name
    kind: Literal["inset", "bank-holiday", "closure"] = "closure"
    start: dt.date
    end: dt.date | None = None

    @property
    def last(self) -> dt.date:
        return self.end or self.start


class Calendar(_Model):
    terms: list[Term] = Field(min_length=1)
    closures: list[Closure] = []


class CycleRules(_Model):
    length_weeks: Annotated[int, Field(ge=1, le=12)] = 3
    coaching_day: Weekday = "thursday"
    coaching_time: Clock = "14:00"
    meeting_minutes: Annotated[int, Field(ge=5, le=180)] = 30
    teach_meet_every: Annotated[int, Field(ge=0, le=12)] = 3
    """Weeks between Teach Meets (0: none). Each is followed by the 20:20:20 coaching CPL."""
    cpl_minutes: Annotated[int, Field(ge=0, le=240)] = 60
    holiday_weeks: Literal["extend", "report"] = "extend"
    """A week lost to a holiday ``extend``s the cycle, or is only ``report``ed."""


class QaRules(_Model):
    observe_each_coach: Literal["half-term", "term", "year"] = "half-term"
    shadow_before_coaching: bool = True
    hub_qa_each: Literal["half-term", "term", "year"] = "half-term"


class Thresholds(_Model):
    stuck_after_cycles: Annotated[int, Field(ge=1)] = 3
    max_coachees_per_coach: Annotated[int, Field(ge=1)] = 4
    completion_target: Annotated[float, Field(ge=0, le=1)] = 0.8


# pairing preferences (``coachctl pair suggest``, docs/pairing.md) -------------------------

class PairingWeights(_Model):
    """Points a suggested pair earns (or loses); see docs/pairing.md for the evidence."""

    secured_step: Annotated[int, Field(ge=0, le=100)] = 6
    """The coach secured the coachee's current step themselves."""
    coached_step: Annotated[int, Field(ge=0, le=100)] = 5
    """The coach coached someone else to secure the coachee's current step."""
    strand: Annotated[int, Field(ge=0, le=100)] = 2
    """The coach secured, or coached to secure, another step of the coachee's strand."""
    expert: Annotated[int, Field(ge=0, le=100)] = 2
    """The coach is an expert coach."""
    department: Annotated[int, Field(ge=0, le=100)] = 2
    """The department preference (``pairing.department``) is met."""
    keep_pair: Annotated[int, Field(ge=0, le=100)] = 4
    """The pair is working now (in force the cycle before) and can go on."""
    repeat_pair: Annotated[int, Field(ge=0, le=100)] = 3
    """Taken off for a pair that worked together before and has ended."""
    load: Annotated[int, Field(ge=0, le=100)] = 1
    """Taken off for each coachee the coach already has."""


class PairingPrefs(_Model):
    """How ``coachctl pair suggest`` and ``coachctl hub plan`` weigh their choices."""

    department: Literal["same", "other", "any"] = "same"
    """Prefer a coach from the coachee's own department, another one, or either."""
    weights: PairingWeights = PairingWeights()


class Programme(_Model):
    format: int
    school: Name
    academic_year: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]
    lead_coach: Id
    pairing_model: PairingModel
    calendar: Calendar
    cycles: CycleRules = CycleRules()
    qa: QaRules = QaRules()
    thresholds: Thresholds = Thresholds()
    pairing: PairingPrefs = PairingPrefs()
    """Preferences and weights for suggested pairs (docs/pairing.md); all optional."""


# --- staff.yaml -----------------------------------------------------------------------

class StaffMember(_Model):
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

    def active_on(self, day: dt.date) -> bool:
        joined = self.joined is None or self.joined <= day
        return joined and (self.left is None or day <= self.left)


class StaffFile(_Model):
    staff: list[StaffMember]


# --- pairings.yaml --------------------------------------------------------------------

class _Span(_Model):
    from_cycle: CycleNo = 1
    until_cycle: CycleNo | None = None
    reason: Text | None = None

    def covers(self, cycle: int) -> bool:
        return self.from_cycle <= cycle and (self.until_cycle is None or cycle <= self.until_cycle)


class Group(_Span):
    """One coach and the coachees they coach (leader-led groups, mentor pairs)."""

    coach: Id
    coachees: list[Id] = Field(min_length=1)


class Reciprocal(_Span):
    """Two colleagues who coach each other."""

    staff: Annotated[list[Id], Field(min_length=2, max_length=2)]


class Hub(_Model):
    id: Id
    name: Name
    expert: Id
    coaches: list[Id] = Field(min_length=1)


class PairingsFile(_Model):
    groups: list[Group] = []
    reciprocal: list[Reciprocal] = []
    hubs: list[Hub] = []

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

class Step(_Model):
    id: Id
    step: Text
    success: Text


class Strand(_Model):
    id: Id
    name: Name
    steps: list[Step] = Field(min_length=1)


class LibraryFile(_Model):
    """steps/library.yaml (action steps) and steps/coaching-curriculum.yaml (for coaches)."""

    strands: list[Strand] = Field(min_length=1)


class SequenceFile(_Model):
    """steps/sequence.yaml: the school's own ordered sequence, by library step id."""

    name: Name
    steps: list[Id] = Field(min_length=1)


# --- cycles/cycle-NN.yaml -------------------------------------------------------------

class Cycle(_Model):
    number: CycleNo
    start: dt.date
    end: dt.date
    status: CycleStatus = "open"


# --- notes/cycle-NN/COACH--COACHEE.yaml -----------------------------------------------

class Note(_Model):
    coach: Id
    coachee: Id
    cycle: CycleNo
    status: NoteStatus = "stub"
    date: dt.date | None = None
    observation: Observation | None = None
    precise_praise: Text | None = None
    action_step: Id | None = None
    step_secured: bool = False
    """The coach judged ``action_step`` secure at this session."""
    modelled: bool | None = None
    rehearsed: bool | None = None
    next_steps: Text | None = None
    notes: Text | None = None
    missed_reason: Text | None = None


@dataclass(frozen=True, slots=True)
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

    @classmethod
    def of(cls, note: Note, path: str) -> NoteRecord:
        return cls(path, note.coach, note.coachee, note.cycle, note.status, note.date,
                   note.observation, note.action_step, note.step_secured, note.modelled,
                   note.rehearsed, note.precise_praise is not None, note.next_steps is not None)


# --- qa/*.yaml ------------------------------------------------------------------------

class QaRecord(_Model):
    kind: QaKind
    coach: Id
    """The coach whose coaching was quality-assured (or who shadowed, for ``shadowing``)."""
    by: Id
    """Who observed, checked, or was shadowed."""
    date: dt.date
    mode: Literal["live", "video"] | None = None
    focus: Id | None = None
    """A coaching-curriculum step id: what the feedback was about."""
    note: str | None = None
    """For a write-up check: the note's path, relative to the programme."""
    feedback: Text | None = None
