"""A coach's path through the coaching curriculum, read from the QA records about them.

A QA record with a ``focus`` is to a coach what a session note is to a
coachee: it names the curriculum step the feedback was about and whether the
coach was found secure in it. So a coach's journey is a
:class:`~coachctl.journeys.Journey` built from those records, and its current
and secured steps come from the same logic as a coachee's, with the coaching
curriculum (the strands rolled out so far, in order) as the sequence.
"""

from __future__ import annotations

from collections import defaultdict

from coachctl.journeys import Journey
from coachctl.models import NoteRecord, QaRecord
from coachctl.programme import Programme


def curriculum_sequence(prog: Programme) -> list[str]:
    """The coaching curriculum's step ids in order, only from strands rolled out."""
    if prog.curriculum is None:
        return []
    rolled = rolled_out(prog)
    return [s.id for strand in prog.curriculum.strands if strand.id in rolled
            for s in strand.steps]


def rolled_out(prog: Programme) -> set[str]:
    """Ids of the curriculum strands rolled out (programme.yaml ``curriculum_strands``)."""
    every = {s.id for s in prog.curriculum.strands} if prog.curriculum else set()
    chosen = prog.settings.curriculum_strands if prog.settings else None
    return every if chosen is None else every & set(chosen)


def strand_of(prog: Programme) -> dict[str, str]:
    """Curriculum step id -> its strand's id."""
    if prog.curriculum is None:
        return {}
    return {s.id: strand.id for strand in prog.curriculum.strands for s in strand.steps}


def coach_journeys(prog: Programme) -> dict[str, Journey]:
    """Each coach's journey through the curriculum, from QA records with a focus, by date.

    Each record is one step of the journey (its ``cycle`` is the record's place in the
    coach's QA, 1 for the first), so "cycles on the current step" counts QA records. A
    focus outside the rolled-out strands (a QA gap, Q016) is not part of the journey.
    """
    within = set(curriculum_sequence(prog))
    mine: dict[str, list[tuple[str, QaRecord]]] = defaultdict(list)
    for rel, q in prog.qa:
        if q.focus in within and q.kind in ("observation", "write-up-check", "check-in"):
            mine[q.coach].append((rel, q))
    out: dict[str, Journey] = {}
    for coach, records in mine.items():
        records.sort(key=lambda t: (t[1].date, t[0]))
        notes = [NoteRecord(path=rel, coach=q.by, coachee=coach, cycle=i, status="complete",
                            date=q.date, observation=None, action_step=q.focus,
                            step_secured=q.secured, modelled=None, rehearsed=None,
                            has_praise=False, has_next_steps=False)
                 for i, (rel, q) in enumerate(records, 1)]
        out[coach] = Journey(coach, notes)
    return out
