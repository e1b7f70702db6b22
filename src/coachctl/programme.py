"""The loaded programme: one programme's records, as far as they could be read.

:class:`Programme` is what the cross-file checks, the reports and the commands
work on; :func:`attach` adds one file's result to it (the loader calls it for
every file, in path order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from coachctl.diagnostics import Diagnostic, make
from coachctl.layout import join, models

if TYPE_CHECKING:
    from coachctl import models as m


@dataclass(slots=True)
class FileResult:
    """What reading one file gave: its kind (None: not a kind coachctl reads), its record
    (None if it could not be read) and its own diagnostics."""

    rel: str
    kind: str | None
    record: Any
    diagnostics: list[Diagnostic]


class _Pairings:
    """:attr:`Programme.pairings`: no pairings (an empty :class:`~coachctl.models.PairingsFile`)
    until pairings.yaml is attached, built when first asked for, so an empty programme (a warm
    report's, whose answer came from the cache) needs no record class."""

    def __get__(self, prog: Programme | None, owner: Any = None) -> m.PairingsFile:
        if prog is None:
            return None  # type: ignore[return-value]  # the dataclass's default: none given
        if (value := prog.__dict__.get("_pairings")) is None:
            value = prog.__dict__["_pairings"] = models().PairingsFile()
        return cast("m.PairingsFile", value)

    def __set__(self, prog: Programme, value: m.PairingsFile | None) -> None:
        prog.__dict__["_pairings"] = value


@dataclass
class Programme:
    """One programme's data, as far as it could be read, and what went wrong reading it."""

    root: Path
    display: str
    """The programme folder as diagnostics should name it (as the user typed it)."""
    files: int = 0
    settings: m.ProgrammeSettings | None = None
    staff: dict[str, m.StaffMember] = field(default_factory=dict)
    staff_file: m.StaffFile | None = None
    pairings: _Pairings = _Pairings()
    """pairings.yaml as read, else no pairings (built when first asked for)."""
    library: m.LibraryFile | None = None
    curriculum: m.LibraryFile | None = None
    sequence: m.SequenceFile | None = None
    cycles: dict[int, m.Cycle] = field(default_factory=dict)
    cycle_paths: dict[int, str] = field(default_factory=dict)
    notes: list[m.NoteRecord] = field(default_factory=list)
    qa: list[tuple[str, m.QaRecord]] = field(default_factory=list)
    """QA records that were done: what every report counts."""
    planned_qa: list[tuple[str, m.QaRecord]] = field(default_factory=list)
    """QA records still ``status: planned`` (``coachctl qa-plan``): checked like the rest,
    counted by no report, so a plan neither hides a gap nor fills one."""
    training: list[tuple[str, m.TrainingRecord]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    present: set[str] = field(default_factory=set)
    """Kinds of file that exist (parsed or not), so a broken file is not also 'missing'."""
    unread: list[str] = field(default_factory=list)
    """Files of a known kind that exist but could not be read or did not fit the format:
    checks against them are held back (see :func:`coachctl.checks.run`)."""

    def path(self, rel: str) -> str:
        return join(self.display, rel)

    @property
    def all_qa(self) -> list[tuple[str, m.QaRecord]]:
        """Every QA record, done or planned: what the checks of ids and dates read."""
        return self.qa + self.planned_qa

    @property
    def steps(self) -> dict[str, m.Step]:
        return _steps(self.library)

    @property
    def coaching_steps(self) -> dict[str, m.Step]:
        return _steps(self.curriculum)

    @property
    def sequence_ids(self) -> list[str]:
        return list(self.sequence.steps) if self.sequence else []



def _steps(lib: m.LibraryFile | None) -> dict[str, m.Step]:
    return {s.id: s for strand in lib.strands for s in strand.steps} if lib else {}

def attach(prog: Programme, res: FileResult) -> None:
    rec = res.record
    if rec is None:
        return
    m = models()
    if isinstance(rec, m.NoteRecord):
        prog.notes.append(rec)
    elif isinstance(rec, m.QaRecord):
        (prog.planned_qa if rec.status == "planned" else prog.qa).append((res.rel, rec))
    elif isinstance(rec, m.TrainingRecord):
        prog.training.append((res.rel, rec))
    elif isinstance(rec, m.Cycle):
        if rec.number in prog.cycles:
            prog.diagnostics.append(make(
                "R004", f"cycle {rec.number} is also defined in {prog.cycle_paths[rec.number]}",
                prog.path(res.rel), ("number",)))
        else:
            prog.cycles[rec.number] = rec
            prog.cycle_paths[rec.number] = res.rel
    elif isinstance(rec, m.ProgrammeSettings):
        prog.settings = rec
    elif isinstance(rec, m.StaffFile):
        prog.staff_file = rec
        for i, person in enumerate(rec.staff):
            if person.id in prog.staff:
                prog.diagnostics.append(make("R004", f"staff id '{person.id}' is listed twice",
                                             prog.path(res.rel), ("staff", i, "id")))
            else:
                prog.staff[person.id] = person
    elif isinstance(rec, m.PairingsFile):
        prog.pairings = rec
    elif isinstance(rec, m.SequenceFile):
        prog.sequence = rec
    elif res.kind == "steps/library.yaml":
        prog.library = rec
    else:
        prog.curriculum = rec
