"""How a feedback session went beyond its step: scripted, who chose the step, when observed.

These fields came to the format after the examples (issue 13). They are drawn
from a random stream of their own, seeded from the school's stream without
drawing from it, so every other byte the generator writes stays as it was for
the same seed. Two coaches carry a planted pattern that ``stats --by coach``
finds: one chooses every step alone (``directive-drift``), one gives feedback
a fortnight after observing (``late-feedback``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

from coachctl.synth.realism import Realism
from coachctl.synth.year import Year

DAYS_BEFORE = (0, 1, 2, 3, 4, 5)
"""School days from the observation to the feedback meeting ..."""
DAYS_WEIGHTS = (15, 35, 20, 15, 10, 5)
"""... and how often each (most feedback within two days, as the seeds ask)."""
LATE = (8, 9, 10)
"""The planted late-feedback coach's school days from observation to feedback."""


class SessionStyle:
    """Fills in ``scripted``, ``step_chosen_by`` and ``observed`` of complete notes."""

    def __init__(self, y: Year, coach_ids: list[str]) -> None:
        self.y = y
        state = repr(y.rng.getstate()).encode()
        self.rng = random.Random(hashlib.blake2b(state, digest_size=16).digest())
        self.drift: str | None = None
        self.late: str | None = None
        self.planted: set[str] = set()
        if y.imperfect:
            free = sorted(c for c in coach_ids if c not in y.busy)
            if len(free) >= 2:
                self.drift, self.late = self.rng.sample(free, 2)

    def fill(self, note: dict[str, Any], rates: Realism, main: bool, rel: str) -> None:
        """Add the three fields to a complete note (``note`` holds its other fields)."""
        rng, coach, day = self.rng, note["coach"], note["date"]
        chance = rates.scripting if note["rehearsed"] else rates.scripting / 4
        note["scripted"] = rng.random() < chance
        if coach == self.drift or rng.random() < rates.directive:
            chooser = "coach"
        else:
            chooser = "together" if rng.random() < 0.7 else "coachee"
        note["step_chosen_by"] = chooser
        if not main:  # a drop-in: feedback there and then
            note["observed"] = day
            return
        back = (rng.choice(LATE) if coach == self.late
                else rng.choices(DAYS_BEFORE, DAYS_WEIGHTS)[0])
        note["observed"] = self.school_days_before(note["cycle"], day, back)
        if coach in (self.drift, self.late) and coach not in self.planted:
            self.planted.add(coach)
            kind = "directive-drift" if coach == self.drift else "late-feedback"
            self.y.plant(kind, rel, coach)

    def school_days_before(self, cycle: int, day: dt.date, back: int) -> dt.date:
        """The school day ``back`` school days before ``day``, not before the cycle starts."""
        start = self.y.plans[cycle - 1].start
        days = list(self.y.cal.teaching_days(start, day))
        if not days:
            return day
        return days[max(0, len(days) - 1 - back)]
