"""A multi-academy trust: many schools over several years, OUT/<school>/<yyyy-yy>/.

Each school is drawn once and carried from year to year (its staff turn over
in the summer, its pairing model sometimes changes, its completion drifts);
each year is one programme, assembled as ``programme.run_year`` does.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from coachctl.scaffold import academic_start_year
from coachctl.synth.output import Files, Generated, GenerateError, NoteYaml, Progress, prepare
from coachctl.synth.programme import MODELS, run_year
from coachctl.synth.realism import IDEAL, Realism
from coachctl.synth.staff import next_year
from coachctl.synth.steps import library_steps
from coachctl.synth.year import School, Year

DEFAULT_NOTES_PER_YEAR = 2450
"""Notes in a full school-year of a trust school: 50 schools x 3 years ~ 300,000 notes."""

SCHOOL_WORDS = (
    "Ashcombe", "Beacon Hill", "Birchwood", "Bramley", "Brookfield", "Castlemead", "Cedar Park",
    "Chalkstone", "Coldharbour", "Copper Beech", "Crossways", "Dene Valley", "Eastbrook",
    "Elmstead", "Fairhaven", "Fernside", "Foxgrove", "Glenmoor", "Greenacre", "Hallam Fields",
    "Hawthorn", "Heathcote", "Highfield", "Hollybank", "Kestrel", "Kingfisher", "Lark Rise",
    "Linden", "Longmeadow", "Maple Cross", "Marshgate", "Millbrook", "Northgate", "Oakhurst",
    "Orchard Vale", "Pennine", "Queensmead", "Redwood", "Riverside", "Rowan", "Saltmarsh",
    "Silverdale", "Southfields", "Stonebridge", "Thornbury", "Upton Grange", "Westmoor",
    "Whitecliffe", "Willowbank", "Woodlands",
)
SCHOOL_KINDS = ("Academy", "School", "High School", "College")


def school_names(rng: random.Random, count: int) -> list[str]:
    """Distinct made-up school names."""
    names = [f"{w} {k}" for w in SCHOOL_WORDS for k in SCHOOL_KINDS]
    return rng.sample(names, count)


def slug(name: str) -> str:
    """A school's folder name: "Beacon Hill School" -> beacon-hill-school."""
    return "-".join("".join(ch for ch in word.lower() if ch.isalnum()) for word in name.split())


def generate_trust(out_dir: Path, *, schools: int, years: int, seed: int, today: dt.date,
                   notes_per_year: int | None = None, imperfections: bool = True,
                   staff: tuple[int, int] = (100, 130),
                   progress: Progress | None = None,
                   on_total: Callable[[int], None] | None = None) -> Generated:
    """Write ``schools`` x ``years`` programmes into out_dir/<school>/<yyyy-yy>/.

    The last year is the one ``today`` is in; earlier years are complete. Each
    school keeps its staff ids from year to year (leavers go, joiners arrive,
    ECTs finish induction); pairing models are mixed and sometimes change.
    Each school has ``staff`` (a range) people in its first year, and its own
    completion (:meth:`Realism.drawn`), which drifts a little from year to
    year. Drop-ins make up the number of notes to ``notes_per_year``, whatever
    the completion.
    """
    if not 1 <= schools <= len(SCHOOL_WORDS) * len(SCHOOL_KINDS):
        raise GenerateError("--schools must be between 1 and 200")
    if not 1 <= years <= 10:
        raise GenerateError("--years must be between 1 and 10")
    prepare(out_dir)
    target = notes_per_year or DEFAULT_NOTES_PER_YEAR
    library = library_steps()
    note_yaml = NoteYaml()
    result = Generated()
    out = Files(out_dir)
    current = academic_start_year(today)
    if on_total:
        on_total(schools * years)
    for i, name in enumerate(school_names(random.Random(seed), schools)):
        rng = random.Random(f"{seed}:{i}")
        first = current - years + 1
        state = School.drawn(name, rng, library, staff, first)
        model = rng.choice(MODELS)
        school = Realism.drawn(rng) if imperfections else IDEAL
        for start_year in range(first, current + 1):
            if start_year > first:
                state.staff = next_year(rng, state.names, state.staff, start_year)
                if rng.random() < 0.2:
                    model = rng.choice(MODELS)
                if imperfections:
                    drift = school.completion + rng.uniform(-0.03, 0.06)
                    school = replace(school, completion=min(0.85, max(0.4, drift)))
            sessions = (len(state.staff) - 1) * 12
            realism = replace(school, drop_ins=max(0.0, target / sessions
                                                   - school.files_per_session))
            prefix = f"{slug(name)}/{start_year}-{(start_year + 1) % 100:02d}/"
            year = Year(state, start_year, model, today, imperfections, start_year == first,
                        realism, out, prefix, library, note_yaml)
            notes = run_year(year)
            for pid, j in notes.journeys.items():
                year.by_id[pid].carry = j.current_step(state.sequence)
            result.manifest += year.manifest
            result.profiles[prefix.rstrip("/")] = realism
            result.programmes += 1
            if progress:
                progress(1)
    result.files, result.notes = out.files, out.notes
    return result
