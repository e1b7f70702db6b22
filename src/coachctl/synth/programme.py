"""``generate_programme``: one school's year."""

from __future__ import annotations

import datetime as dt
import random
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
from coachctl.synth.realism import Realism, profile
from coachctl.synth.staff import (
    _Names,
    _new_staff,
)
from coachctl.synth.steps import _library_steps, _sequence
from coachctl.synth.year import _School, _Year

MODELS = ("leader-led", "reciprocal", "hubs")
MIN_STAFF = 12


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
    _prepare(out_dir)
    rng = random.Random(seed)
    library = _library_steps()
    names = _Names(rng)
    state = _School(school, rng, names, _sequence(rng, library[0]),
                    _new_staff(rng, names, staff, start_year))
    out = _Out(out_dir)
    realism = realism or profile(model, imperfections)
    year = _Year(state, start_year, model, today, imperfections, True, realism, out, "",
                 library, _NoteYaml())
    year.run()
    if progress:
        progress(1)
    return Generated(1, out.files, out.notes, year.manifest, {"": realism})
