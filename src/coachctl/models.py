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

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

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
QaKind = Literal["observation", "shadowing", "write-up-check", "check-in"]
CycleStatus = Literal["open", "closed"]
WEEKDAYS: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday")


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


# --- programme.yaml -------------------------------------------------------------------

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
    precise_praise: FreeText | None = None
    action_step: Id | None = None
    step_secured: bool = False
    """The coach judged ``action_step`` secure at this session."""
    modelled: bool | None = None
    rehearsed: bool | None = None
    next_steps: FreeText | None = None
    notes: FreeText | None = None
    missed_reason: FreeText | None = None
    sealed: Sealed | None = None


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
    sealed: bool = False
    plain_text: tuple[str, ...] = ()
    """The free-text fields the file holds in plain (names only)."""

    @classmethod
    def of(cls, note: Note, path: str) -> NoteRecord:
        sealed = note.sealed.fields if note.sealed is not None else ()
        plain = tuple(k for k in TEXT_FIELDS[:4] if filled(getattr(note, k)))
        return cls(path, note.coach, note.coachee, note.cycle, note.status, note.date,
                   note.observation, note.action_step, note.step_secured, note.modelled,
                   note.rehearsed, "precise_praise" in plain or "precise_praise" in sealed,
                   "next_steps" in plain or "next_steps" in sealed, note.sealed is not None,
                   plain)


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
