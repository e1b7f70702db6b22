"""A coachee's path through the sequence, read from their session notes.

Used wherever coachctl needs "what is this coachee working on": the stub
``cycle start`` writes, the stuck-coachee QA gap, ``stats`` and ``staff show``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coachctl.models import NoteRecord


@dataclass
class Journey:
    coachee: str
    notes: list[NoteRecord] = field(default_factory=list)
    """Complete notes, oldest first."""

    @property
    def secured(self) -> list[str]:
        out: list[str] = []
        for n in self.notes:
            if n.step_secured and n.action_step and n.action_step not in out:
                out.append(n.action_step)
        return out

    @property
    def last_step(self) -> str | None:
        return next((n.action_step for n in reversed(self.notes) if n.action_step), None)

    def current_step(self, sequence: Sequence[str], start: str | None = None) -> str | None:
        """The step to work on next: the last step unless secured, then the next in sequence.

        ``start`` is where the coachee starts in the sequence (staff.yaml ``start_step``):
        the steps before it count as secured, so someone with no notes yet begins there.
        """
        last = self.last_step
        secured = set(self.secured)
        if start is not None and start in sequence:
            secured.update(sequence[: sequence.index(start)])
        if last is not None and last not in secured:
            return last
        after = sequence.index(last) + 1 if last in sequence else 0
        return next((s for s in sequence[after:] if s not in secured),
                    next((s for s in sequence if s not in secured), None))

    def cycles_on_current_step(self) -> int:
        """How many distinct cycles in a row the latest step has been worked on, unsecured."""
        last = self.last_step
        if last is None:
            return 0
        cycles: set[int] = set()
        for n in reversed(self.notes):
            if n.action_step != last:
                break
            if n.step_secured:
                return 0
            cycles.add(n.cycle)
        return len(cycles)


def journeys(notes: Iterable[NoteRecord]) -> dict[str, Journey]:
    """Each coachee's journey from their complete notes, in cycle and date order."""
    by_coachee: dict[str, Journey] = defaultdict(lambda: Journey(""))
    for n in notes:
        if n.status == "complete":
            j = by_coachee[n.coachee]
            j.coachee = n.coachee
            j.notes.append(n)
    for j in by_coachee.values():
        # a note may lack its date (validate says so): it sorts first in its cycle
        j.notes.sort(key=lambda n: (n.cycle, n.date or dt.date.min, n.path))
    return dict(by_coachee)
