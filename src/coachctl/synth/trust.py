"""``generate_trust``: many schools over several years."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from coachctl.scaffold import academic_start_year
from coachctl.synth.notes import (
    _NoteYaml,
)
from coachctl.synth.output import (
    Generated,
    GenerateError,
    Progress,
    _Out,
    _prepare,
)
from coachctl.synth.programme import MODELS
from coachctl.synth.realism import IDEAL, Realism
from coachctl.synth.staff import (
    Person,
    _Names,
    _new_person,
    _new_staff,
)
from coachctl.synth.steps import _library_steps, _sequence
from coachctl.synth.year import _School, _Year

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
    _prepare(out_dir)
    target = notes_per_year or DEFAULT_NOTES_PER_YEAR
    library = _library_steps()
    note_yaml = _NoteYaml()
    result = Generated()
    out = _Out(out_dir)
    current = academic_start_year(today)
    if on_total:
        on_total(schools * years)
    for i, name in enumerate(school_names(random.Random(seed), schools)):
        rng = random.Random(f"{seed}:{i}")
        names = _Names(rng)
        first = current - years + 1
        state = _School(name, rng, names, _sequence(rng, library[0]),
                        _new_staff(rng, names, rng.randint(*staff), first))
        model = rng.choice(MODELS)
        school = Realism.drawn(rng) if imperfections else IDEAL
        for start_year in range(first, current + 1):
            if start_year > first:
                _next_year(state, start_year)
                if rng.random() < 0.2:
                    model = rng.choice(MODELS)
                if imperfections:
                    drift = school.completion + rng.uniform(-0.03, 0.06)
                    school = replace(school, completion=min(0.85, max(0.4, drift)))
            sessions = (len(state.staff) - 1) * 12
            realism = replace(school, drop_ins=max(0.0, target / sessions
                                                   - school.files_per_session))
            prefix = f"{slug(name)}/{start_year}-{(start_year + 1) % 100:02d}/"
            year = _Year(state, start_year, model, today, imperfections, start_year == first,
                         realism, out, prefix, library, note_yaml)
            year.run()
            for pid, j in year.journeys.items():
                year.by_id[pid].carry = j.current_step(state.sequence)
            result.manifest += year.manifest
            result.profiles[prefix.rstrip("/")] = realism
            result.programmes += 1
            if progress:
                progress(1)
    result.files, result.notes = out.files, out.notes
    return result


def _next_year(state: _School, start_year: int) -> None:
    """Turnover over the summer: leavers go, ECTs finish induction, joiners arrive."""
    rng = state.rng
    lead = state.staff[0]
    stay = [p for p in state.staff if p.left is None and (p is lead or rng.random() > 0.08)]
    for p in stay:
        if p.role == "ect":
            p.role, p.mentor = "teacher", None
    joiners: list[Person] = []
    for gone in (p for p in state.staff if p not in stay):
        role = "ect" if gone.role in ("ect", "teacher") and rng.random() < 0.4 else gone.role
        joiner = _new_person(rng, state.names, role, start_year, gone.department,
                             experienced=role != "ect")
        joiner.joined = dt.date(start_year, 9, 1)
        if role != "ect" and joiner.coach_since is not None:
            joiner.coach_since = min(joiner.coach_since, start_year - 1)
        joiners.append(joiner)
    state.staff = stay + joiners
