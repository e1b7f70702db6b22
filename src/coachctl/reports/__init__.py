"""Reports on a checked programme: completion and quality (stats), QA gaps, staff journeys.

Reports compute only: they return plain :class:`~coachctl.tables.Table` and
:class:`~coachctl.tables.Document` values, :mod:`coachctl.render` formats them and
the CLI picks the renderer for ``--format``. They start from the
:class:`~coachctl.validation.Checked` that ``validate`` builds, so they see
exactly what ``validate`` sees, and they work on a partly loaded programme.

The unit every report counts is a :class:`~coachctl.sessions.Session`: one
pair due in one cycle that has started, with the state of its session note. Reports never read
a note's free text: they only ever see :class:`~coachctl.models.NoteRecord`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a warm report whose answer is cached imports neither
    from coachctl.journeys import Journey
    from coachctl.models import NoteRecord


@dataclass(frozen=True, slots=True)
class StepRun:
    """A coachee's stretch of consecutive complete notes on one action step."""

    coachee: str
    step: str
    cycles: frozenset[int]
    secured: bool
    last: NoteRecord
    """The note that secured the step, or the latest one on it."""


def step_runs(journey: Journey) -> list[StepRun]:
    """Split a journey into runs on one step; a run ends when the step changes or is secured."""
    out: list[StepRun] = []
    run: list[NoteRecord] = []

    def close() -> None:
        if run:
            step = run[0].action_step
            assert step is not None
            out.append(StepRun(journey.coachee, step, frozenset(n.cycle for n in run),
                               run[-1].step_secured, run[-1]))
            run.clear()

    for n in journey.notes:
        if n.action_step is None:
            continue
        if run and n.action_step != run[0].action_step:
            close()
        run.append(n)
        if n.step_secured:
            close()
    close()
    return out
