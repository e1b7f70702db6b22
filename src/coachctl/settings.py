"""programme.yaml, format version 1: the school, its calendar and the rules it runs by.

:class:`ProgrammeSettings` is the file; the classes before it are its sections.
Plain dataclasses like every kind of file (see :mod:`coachctl.models`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal

from coachctl.fieldtypes import Clock, Id, Name, PairingModel, Rule, Weekday


@dataclass(slots=True, kw_only=True)
class Term:
    """A half term: teaching runs from ``start`` to ``end``; gaps between terms are holidays."""

    name: Name
    start: dt.date
    end: dt.date


@dataclass(slots=True, kw_only=True)
class Closure:
    """A day (or run of days) inside a term with no teaching: INSET, a bank holiday."""

    name: Name
    kind: Literal["inset", "bank-holiday", "closure"] = "closure"
    start: dt.date
    end: dt.date | None = None

    @property
    def last(self) -> dt.date:
        return self.end or self.start


@dataclass(slots=True, kw_only=True)
class Calendar:
    terms: Annotated[list[Term], Rule(min_length=1)]
    closures: list[Closure] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class CycleRules:
    length_weeks: Annotated[int, Rule(ge=1, le=12)] = 3
    coaching_day: Weekday = "thursday"
    coaching_time: Clock = "14:00"
    meeting_minutes: Annotated[int, Rule(ge=5, le=180)] = 30
    teach_meet_every: Annotated[int, Rule(ge=0, le=12)] = 3
    """Weeks between Teach Meets (0: none). Each is followed by the 20:20:20 coaching CPL."""
    cpl_minutes: Annotated[int, Rule(ge=0, le=240)] = 60
    holiday_weeks: Literal["extend", "report"] = "extend"
    """A week lost to a holiday ``extend``s the cycle, or is only ``report``ed."""


@dataclass(slots=True, kw_only=True)
class QaRules:
    observe_each_coach: Literal["half-term", "term", "year"] = "half-term"
    shadow_before_coaching: bool = True
    hub_qa_each: Literal["half-term", "term", "year"] = "half-term"
    observation_modes: Literal["any", "both"] = "any"
    """``both``: over the year each coach is observed live and on video (Q015)."""


@dataclass(slots=True, kw_only=True)
class Thresholds:
    stuck_after_cycles: Annotated[int, Rule(ge=1)] = 3
    max_coachees_per_coach: Annotated[int, Rule(ge=1)] = 4
    completion_target: Annotated[float, Rule(ge=0, le=1)] = 0.8


# pairing preferences (``coachctl pair suggest``, docs/pairing.md) -------------------------

@dataclass(slots=True, kw_only=True)
class PairingWeights:
    """Points a suggested pair earns (or loses); see docs/pairing.md for the evidence."""

    secured_step: Annotated[int, Rule(ge=0, le=100)] = 6
    """The coach secured the coachee's current step themselves."""
    coached_step: Annotated[int, Rule(ge=0, le=100)] = 5
    """The coach coached someone else to secure the coachee's current step."""
    strand: Annotated[int, Rule(ge=0, le=100)] = 2
    """The coach secured, or coached to secure, another step of the coachee's strand."""
    expert: Annotated[int, Rule(ge=0, le=100)] = 2
    """The coach is an expert coach."""
    department: Annotated[int, Rule(ge=0, le=100)] = 2
    """The department preference (``pairing.department``) is met."""
    keep_pair: Annotated[int, Rule(ge=0, le=100)] = 4
    """The pair is working now (in force the cycle before) and can go on."""
    repeat_pair: Annotated[int, Rule(ge=0, le=100)] = 3
    """Taken off for a pair that worked together before and has ended."""
    load: Annotated[int, Rule(ge=0, le=100)] = 1
    """Taken off for each coachee the coach already has."""


@dataclass(slots=True, kw_only=True)
class PairingPrefs:
    """How ``coachctl pair suggest`` and ``coachctl hub plan`` weigh their choices."""

    department: Literal["same", "other", "any"] = "same"
    """Prefer a coach from the coachee's own department, another one, or either."""
    weights: PairingWeights = field(default_factory=PairingWeights)


@dataclass(slots=True, kw_only=True)
class Sealing:
    """programme.yaml ``sealing:``: who reads sealed notes besides the coach and coachee."""

    qa_readers: list[Id] | None = None
    """Who quality-assures and so reads every note and QA record (default: the lead coach)."""
    hub_experts: bool = True
    """The expert of each hub a note's coach belongs to reads it too."""
    without_key: Literal["refuse", "qa-readers"] = "refuse"
    """A coach or coachee without a key: refuse to seal their notes, or seal them to the
    other readers only (the person reads them in their meetings, not from the repository)."""


@dataclass(slots=True, kw_only=True)
class Expectations:
    """What the school commits to, in numbers ``coachctl qa`` holds it to (X001-X004)."""

    feedback_per_half_term: Annotated[int, Rule(ge=1, le=20)] | None = None
    """At least this many feedback sessions per coachee in each half term that has ended."""
    qa_each_coach_each_half_term: bool = False
    """Every coach who coached in a half term that has ended was quality-assured in it."""
    rehearsal_rate: Annotated[float, Rule(ge=0, le=1)] | None = None
    """At least this share of complete notes record rehearsal."""
    max_coachees_per_coach: Annotated[int, Rule(ge=1)] | None = None
    """No coach has more coachees than this in the current cycle (a cap, not a warning)."""


@dataclass(slots=True, kw_only=True)
class ProgrammeSettings:
    # programme.yaml: the school, its calendar and the rules its programme runs by (no
    # docstring: it would become the schema's description).
    TITLE: ClassVar[str] = "Programme"
    """What the file's JSON Schema calls it (``coachctl schema programme``)."""

    format: int
    school: Name
    academic_year: Annotated[str, Rule(pattern=r"^\d{4}-\d{2}$")]
    lead_coach: Id
    pairing_model: PairingModel
    calendar: Calendar
    cycles: CycleRules = field(default_factory=CycleRules)
    qa: QaRules = field(default_factory=QaRules)
    thresholds: Thresholds = field(default_factory=Thresholds)
    pairing: PairingPrefs = field(default_factory=PairingPrefs)
    """Preferences and weights for suggested pairs (docs/pairing.md); all optional."""
    sealing: Sealing | None = None
    """Present: notes and QA records keep their free text sealed (docs/privacy.md)."""
    curriculum_strands: list[Id] | None = None
    """The coaching-curriculum strands rolled out to coaches so far, by strand id
    (default: all of them). Training plans propose steps only from these."""
    expectations: Expectations | None = None
