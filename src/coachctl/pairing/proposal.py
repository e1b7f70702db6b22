"""What ``pair suggest`` proposes, and the proposal as report tables.

A :class:`Proposal` holds a :class:`Suggestion` per coachee placed (with what
the pair rests on and the soft preferences it gives up) and an
:class:`Unplaced` per coachee nobody can coach, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["need", "all", "repair"]


@dataclass
class Suggestion:
    coach: str
    coachee: str
    score: int
    why: list[str]
    """What the pair rests on: the need, the coach's strengths, department, load."""
    gave_up: list[str] = field(default_factory=list)
    """Soft preferences this pair does not meet."""
    mentor: bool = False
    """An ECT with their mentor."""
    partner: bool = False
    """A reciprocal pair: the coachee coaches the coach too (a second suggestion)."""
    until: int | None = None
    """The coachee's last cycle, when they are leaving later in the year."""

    @property
    def explanation(self) -> str:
        return "; ".join(self.why)


@dataclass
class Unplaced:
    coachee: str
    reason: str


@dataclass
class Proposal:
    cycle: int
    mode: Mode
    suggestions: list[Suggestion] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    kept: int = 0
    """Coachees who keep the coach they have (not re-paired)."""

    @property
    def gave_up(self) -> list[str]:
        return [f"{s.coachee}: {g}" for s in self.suggestions for g in s.gave_up]


class CannotSuggest(Exception):
    """The programme lacks what a suggestion needs (settings, staff, the cycle)."""


def tables(proposal: Proposal) -> list[Any]:
    """The proposal as report tables (:class:`coachctl.tables.Table`)."""
    from coachctl.tables import Table

    meta = {"cycle": proposal.cycle, "mode": proposal.mode, "kept": proposal.kept,
            "suggested": len(proposal.suggestions), "unplaced": len(proposal.unplaced)}
    rows: list[Sequence[Any]] = [[s.coachee, s.coach, s.score, s.explanation,
                              "; ".join(s.gave_up) or None]
                             for s in sorted(proposal.suggestions, key=lambda s: s.coachee)]
    out = [Table("pair.suggest", ["coachee", "coach", "score", "why", "gave_up"], rows,
                 title=f"Suggested coaches from cycle {proposal.cycle} ({proposal.mode})",
                 meta=meta,
                 caption=(f"{proposal.kept} coachee(s) keep their coach; "
                          f"{len(proposal.gave_up)} soft preference(s) given up"))]
    if proposal.unplaced:
        out.append(Table("pair.unplaced", ["coachee", "reason"],
                         [[u.coachee, u.reason] for u in proposal.unplaced],
                         title="No coach can be suggested for"))
    return out
