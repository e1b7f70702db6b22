"""The assembly of one programme (a school's year): its settings files, then each generator in turn.

:func:`run_year` is the order the generators run in over the school's one
random stream, and so fixes the bytes every seed gives: pairings, the
mid-year changes, the settings files (programme.yaml, staff.yaml,
pairings.yaml, steps/, cycles/), notes, then QA and training records.
:func:`generate_programme` writes a single school's year; ``trust`` many.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from coachctl.models import StaffMember, as_dict
from coachctl.scaffold import academic_start_year, calendar_dict
from coachctl.synth.notes import Notes, SessionNotes
from coachctl.synth.output import (
    HEADER,
    Files,
    Generated,
    GenerateError,
    NoteYaml,
    Progress,
    prepare,
)
from coachctl.synth.pairings import MidYearChanges, Pairings, StaffPairing
from coachctl.synth.qa import QaRecords
from coachctl.synth.realism import Realism, profile
from coachctl.synth.staff import Person
from coachctl.synth.steps import library_steps
from coachctl.synth.year import School, Year
from coachctl.validators import validate
from coachctl.yamlout import dump

MODELS = ("leader-led", "reciprocal", "hubs")
MIN_STAFF = 12
EXPECTATIONS: dict[str, dict[str, Any]] = {
    "hubs": {"feedback_per_half_term": 2, "qa_each_coach_each_half_term": True,
             "rehearsal_rate": 0.8, "max_coachees_per_coach": 4},
    "reciprocal": {"feedback_per_half_term": 2, "rehearsal_rate": 0.7},
    "leader-led": {"feedback_per_half_term": 1, "qa_each_coach_each_half_term": True,
                   "rehearsal_rate": 0.7, "max_coachees_per_coach": 4},
}
"""What each kind of school commits to in programme.yaml ``expectations``."""


def run_year(y: Year) -> Notes:
    """Generate and write one programme; its notes carry each coachee's journey onward."""
    p = StaffPairing(y).run()
    MidYearChanges(y, p).run()
    write_settings(y, p)
    write_cycles(y)
    notes = SessionNotes(y, p).run()
    QaRecords(y, p, notes).run()
    return notes


def write_settings(y: Year, p: Pairings) -> None:
    """programme.yaml, staff.yaml, pairings.yaml and steps/, as a school would keep them."""
    programme = {
        "format": 1, "school": y.s.name,
        "academic_year": f"{y.year}-{(y.year + 1) % 100:02d}",
        "lead_coach": y.lead.id, "pairing_model": y.model,
        "calendar": calendar_dict(y.calendar),
        "cycles": as_dict(y.rules), "qa": as_dict(y.qa_rules),
        "thresholds": as_dict(y.thresholds),
        "curriculum_strands": y.rolled_out,
        "expectations": dict(EXPECTATIONS[y.model]),
    }
    y.write("programme.yaml", dump(programme, HEADER))
    y.write("staff.yaml", dump({"staff": [staff_entry(y, p, q) for q in y.staff]}, HEADER))
    y.write("pairings.yaml", dump(p.as_dict(), HEADER))
    y.write("steps/library.yaml", y.library.library_text)
    y.write("steps/coaching-curriculum.yaml", y.library.curriculum_text)
    y.write("steps/sequence.yaml", dump({"name": f"{y.s.name} sequence",
                                         "steps": y.s.sequence}, HEADER))
    y.write(".gitignore", ".coachctl-cache/\n")


def staff_entry(y: Year, p: Pairings, q: Person) -> dict[str, Any]:
    """One person's entry in staff.yaml (checked against the schema)."""
    entry: dict[str, Any] = {"id": q.id, "name": q.name, "role": q.role,
                             "department": q.department}
    if q.role == "ect":
        entry["mentor"] = q.mentor
    if q.id in p.coach_ids:
        entry["coach"] = True
    if q.expert or q is y.lead:
        entry["expert_coach"] = True
    if q.coach_since == y.year:
        entry["new_coach"] = True
    entry["joined"] = q.joined
    if q.left:
        entry["left"] = q.left
    validate(StaffMember, entry)
    return entry


def write_cycles(y: Year) -> None:
    """cycles/: the cycles started by today, ended ones closed and the current one open."""
    for i, plan in enumerate(y.plans, 1):
        status = "closed" if plan.end < y.today else "open"
        y.write(f"cycles/cycle-{i:02d}.yaml", dump(
            {"number": i, "start": plan.start, "end": plan.end, "status": status}))


def generate_programme(out_dir: Path, *, school: str, start_year: int | None = None,
                       staff: int = 80, model: str = "hubs", today: dt.date, seed: int = 1,
                       imperfections: bool = True, realism: Realism | None = None,
                       progress: Progress | None = None) -> Generated:
    """Write one school's programme for the year starting ``start_year`` into ``out_dir``.

    ``realism`` defaults to :func:`profile`.
    """
    if model not in MODELS:
        raise GenerateError(f"pairing model must be one of {', '.join(MODELS)}")
    if staff < MIN_STAFF:
        raise GenerateError(f"a programme needs at least {MIN_STAFF} staff")
    start_year = start_year if start_year is not None else academic_start_year(today)
    prepare(out_dir)
    library = library_steps()
    state = School.drawn(school, random.Random(seed), library, staff, start_year)
    out = Files(out_dir)
    realism = realism or profile(model, imperfections)
    year = Year(state, start_year, model, today, imperfections, True, realism, out, "",
                library, NoteYaml())
    run_year(year)
    if progress:
        progress(1)
    return Generated(1, out.files, out.notes, year.manifest, {"": realism})
