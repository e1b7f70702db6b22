"""The realism profile: how coaching goes at a generated school, apart from the planted gaps.

A single programme takes its pairing model's profile (:data:`PROFILES`), or
the ideal school; each trust school draws its own (:meth:`Realism.drawn`).
Within a school, each coach's rates stray from the school's (:meth:`Realism.coaches`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Realism:
    """How coaching goes at one school, apart from the planted gaps: the background rates.

    Public accounts of coaching platforms put typical completion at 40-50% of
    planned sessions and strong schools at 70-80%; coaches vary (vague steps,
    steps that jump, half-hearted rehearsal, no precise praise). The defaults
    are an ideal school, where every session happens and is written up well.
    """

    completion: float = 1.0
    """Share of due sessions in ended cycles that happen (a complete note)."""
    missed: float = 0.35
    """Of the sessions that do not happen, the share marked ``missed`` with a reason ..."""
    missing: float = 0.15
    """... and the share with no note at all; the rest stay the stub ``cycle start`` wrote."""
    rehearsal: float = 1.0
    """Share of complete notes where the coachee rehearsed the step."""
    modelling: float = 0.9
    """Share of complete notes where the coach modelled the step."""
    praise: float = 1.0
    """Share of complete notes with precise praise written down."""
    jumps: float = 0.0
    """Share of feedback meetings whose step jumps to another, leaving the last unsecured."""
    vague: float = 0.0
    """Share of complete notes whose next steps are vague ("work on your questioning")."""
    drop_ins: float = 0.05
    """Drop-in notes per due session (after a session that happened, the coach's own too)."""
    scripting: float = 0.9
    """Share of complete notes with rehearsal where the teacher scripted the step first
    (without rehearsal, a script is rarer: a quarter of this)."""
    directive: float = 0.08
    """Share of complete notes whose step the coach chose alone (the rest: together, or
    the teacher's choice): coaching that drifts into telling."""
    spread: float = 0.6
    """How far one coach's rates stray from the school's, as a share of the room to 0 or 1."""

    def coaches(self, rng: random.Random, ids: list[str]) -> dict[str, Realism]:
        """Each coach's rates: how much time they find, and how well they coach.

        Coaches stray either side of the school's rates, which stay their average.
        """
        draws = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in ids]
        mean_time = sum(t for t, _ in draws) / max(1, len(draws))
        mean_skill = sum(k for _, k in draws) / max(1, len(draws))

        def vary(rate: float, by: float) -> float:
            return rate + max(-1.0, min(1.0, by)) * self.spread * min(rate, 1 - rate)

        out = {}
        for pid, (time, skill) in zip(ids, draws, strict=True):
            time, skill = time - mean_time, skill - mean_skill
            out[pid] = replace(self, completion=vary(self.completion, time),
                               rehearsal=vary(self.rehearsal, skill),
                               modelling=vary(self.modelling, skill),
                               praise=vary(self.praise, skill), jumps=vary(self.jumps, -skill),
                               vague=vary(self.vague, -skill),
                               scripting=vary(self.scripting, skill),
                               directive=vary(self.directive, -skill))
        return out

    @classmethod
    def drawn(cls, rng: random.Random) -> Realism:
        """A trust school: completion between 0.4 and 0.85, coaching quality following it."""
        completion = rng.uniform(0.4, 0.85)
        q = (completion - 0.4) / 0.45
        return cls(completion=completion, missed=rng.uniform(0.2, 0.5),
                   missing=rng.uniform(0.05, 0.25), rehearsal=0.55 + 0.35 * q,
                   modelling=0.65 + 0.25 * q, praise=0.75 + 0.22 * q, jumps=0.2 - 0.15 * q,
                   vague=0.35 - 0.3 * q, scripting=0.6 + 0.3 * q, directive=0.3 - 0.2 * q)

    @property
    def files_per_session(self) -> float:
        """Main notes written per due session: all but the missing ones."""
        return self.completion + (1 - self.completion) * (1 - self.missing)


PROFILES = {
    "hubs": Realism(completion=0.75, missed=0.3, missing=0.15, rehearsal=0.83, modelling=0.88,
                    praise=0.96, jumps=0.05, vague=0.08, drop_ins=0.08, scripting=0.85,
                    directive=0.1),
    "reciprocal": Realism(completion=0.62, missed=0.35, missing=0.15, rehearsal=0.72,
                          modelling=0.8, praise=0.9, jumps=0.1, vague=0.2, drop_ins=0.05,
                          scripting=0.75, directive=0.15),
    "leader-led": Realism(completion=0.48, missed=0.4, missing=0.2, rehearsal=0.6,
                          modelling=0.75, praise=0.85, jumps=0.15, vague=0.3, drop_ins=0.05,
                          scripting=0.65, directive=0.25),
}
"""A single programme's background by pairing model, as in the seeds: expert-led hubs with
protected time make a strong school; leaders coaching on top of their jobs run out of time."""
IDEAL = Realism()
"""What ``imperfections=False`` writes: every session happens and is written up well."""


def profile(model: str, imperfections: bool = True) -> Realism:
    """A single programme's default background: its pairing model's, or ideal."""
    return PROFILES[model] if imperfections else IDEAL
