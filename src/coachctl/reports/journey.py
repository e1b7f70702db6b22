"""One person's coaching journey, for ``coachctl staff show``: counts, ids and step names.

Who coached them and whom they coached, cycle by cycle; the steps they worked
on and secured; their sessions done and missed; the QA they received as a
coach. Like every report it reads note records, never a note's text, and QA
records' ids and dates, never their feedback.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from coachctl.coach_journeys import coach_journeys, curriculum_sequence
from coachctl.journeys import Journey, journeys
from coachctl.programme import Programme
from coachctl.reports import step_runs
from coachctl.sessions import SESSION_STATES, Session, sessions, started_cycles
from coachctl.tables import Table


def step_name(prog: Programme, step_id: str | None) -> str | None:
    """A step's text on one line, from the library (or the coaching curriculum)."""
    if step_id is None:
        return None
    step = prog.steps.get(step_id) or prog.coaching_steps.get(step_id)
    return " ".join(step.step.split()) if step else None


def _session_rows(mine: list[Session], other: str) -> list[Sequence[Any]]:
    return [[s.cycle, getattr(s, other), s.state,
             s.note.action_step if s.note else None,
             s.note.step_secured if s.note and s.state == "done" else None]
            for s in mine]


def staff_journey(prog: Programme, who: str, today: dt.date) -> list[Table]:
    """Tables for ``who``: summary, as coachee, as coach, steps, QA received as a coach."""
    person = prog.staff[who]
    planned = list(sessions(prog, started_cycles(prog, today)))
    as_coachee = [s for s in planned if s.coachee == who]
    as_coach = [s for s in planned if s.coach == who]
    journey = journeys(prog.notes).get(who)
    runs = step_runs(journey) if journey else []
    qa = sorted(((q.date, rel, q) for rel, q in prog.qa if q.coach == who),
                key=lambda t: (t[0], t[1]))
    hubs = [h.id for h in prog.pairings.hubs if who in h.coaches or h.expert == who]

    coachee_states = Counter(s.state for s in as_coachee)
    coach_states = Counter(s.state for s in as_coach)
    qa_kinds = Counter(q.kind for _, _, q in qa)
    as_coach_journey = coach_journeys(prog).get(who)
    curriculum = curriculum_sequence(prog)
    is_coach = person.coach or person.expert_coach or bool(as_coach) or as_coach_journey
    coach_current = (as_coach_journey or Journey(who)).current_step(curriculum) \
        if is_coach else None
    summary: list[Sequence[Any]] = [
        ["name", person.name], ["role", person.role], ["department", person.department],
        ["mentor", person.mentor], ["hubs", ", ".join(hubs) or None],
        ["joined", person.joined], ["left", person.left],
        *([f"sessions as coachee: {st}", coachee_states[st]] for st in SESSION_STATES),
        *([f"sessions as coach: {st}", coach_states[st]] for st in SESSION_STATES),
        ["steps worked on", len({r.step for r in runs})],
        ["steps secured", len(journey.secured) if journey else 0],
        ["coaching curriculum: current step", coach_current],
        ["coaching curriculum: steps secured",
         len(as_coach_journey.secured) if as_coach_journey else 0],
        *([f"QA received: {kind}", n] for kind, n in sorted(qa_kinds.items())),
    ]
    cycles_on: dict[str, set[int]] = {}
    secured_in: dict[str, int] = {}
    for r in runs:
        cycles_on.setdefault(r.step, set()).update(r.cycles)
        if r.secured:
            secured_in.setdefault(r.step, r.last.cycle)
    steps: list[Sequence[Any]] = [[sid, step_name(prog, sid), len(c), min(c), secured_in.get(sid)]
                                   for sid, c in cycles_on.items()]
    current = (journey or Journey(who)).current_step(prog.sequence_ids, person.start_step)
    meta = {"programme": prog.display, "staff": who, "today": today}
    return [
        Table("staff.summary", ["item", "value"], summary, title=f"{who}: summary", meta=meta,
              caption=f"sessions: pairs due in the cycles started by {today}, by state; "
                      "steps: distinct steps; QA received: records"),
        Table("staff.as-coachee", ["cycle", "coach", "session", "step", "secured"],
              _session_rows(as_coachee, "coach"), title=f"{who} as coachee", caption=SESSIONS),
        Table("staff.as-coach", ["cycle", "coachee", "session", "step", "secured"],
              _session_rows(as_coach, "coachee"), title=f"{who} as coach", caption=SESSIONS),
        Table("staff.steps", ["step", "name", "cycles", "first_cycle", "secured_in_cycle"],
              steps, title=f"steps {who} worked on",
              caption="cycles: how many cycles on the step; first_cycle, secured_in_cycle: "
                      "cycle numbers"),
        Table("staff.qa", ["date", "kind", "by", "mode", "focus", "focus_name", "secured"],
              [[d, q.kind, q.by, q.mode, q.focus, step_name(prog, q.focus),
                q.secured if q.focus else None] for d, _, q in qa],
              title=f"QA {who} received as a coach",
              caption="by: the staff id of who quality-assured; focus: a coaching-curriculum "
                      "step id; secured: whether the QA found the coach secure in it"),
        Table("staff.journeys", ["as", "current_step", "current_name", "secured", "secured_steps"],
              [["coachee", current, step_name(prog, current),
                len(journey.secured) if journey else 0,
                ", ".join(journey.secured) if journey else None],
               ["coach", coach_current, step_name(prog, coach_current),
                len(as_coach_journey.secured) if as_coach_journey else 0,
                ", ".join(as_coach_journey.secured) if as_coach_journey else None]],
              title=f"{who}: journey as coach beside journey as coachee",
              caption="coachee: the school's sequence, from session notes; coach: the coaching "
                      "curriculum's rolled-out strands, from QA records with a focus"),
    ]


SESSIONS = ("session: done, missed, stub or missing; step: the note's action step id; "
            "secured: yes or no, for sessions done")


def staff_years(progs: Sequence[Programme], who: str, today: dt.date) -> Table:
    """``who``'s journey year by year across several programmes of one school (oldest
    first): role, department, sessions, steps. Counts and ids only."""
    from coachctl.lifecycle import current_step

    rows: list[Sequence[Any]] = []
    for prog in progs:
        person = prog.staff[who]
        planned = list(sessions(prog, started_cycles(prog, today)))
        as_coachee = Counter(s.state for s in planned if s.coachee == who)
        as_coach = Counter(s.state for s in planned if s.coach == who)
        journey = journeys(prog.notes).get(who)
        worked = {r.step for r in step_runs(journey)} if journey else set()
        rows.append([
            prog.settings.academic_year if prog.settings else None, prog.display,
            person.role, person.department, person.coach,
            as_coachee["done"], sum(as_coachee.values()),
            as_coach["done"], sum(as_coach.values()),
            len(worked), len(journey.secured) if journey else 0,
            person.start_step, current_step(prog, who), person.left])
    return Table("staff.years",
                 ["year", "programme", "role", "department", "coach", "coachee_done",
                  "coachee_planned", "coach_done", "coach_planned", "steps_worked_on",
                  "steps_secured", "start_step", "next_step", "left"],
                 rows, title=f"{who} year by year",
                 meta={"staff": who, "today": today},
                 caption="sessions of the cycles started by today: done, and planned (done, "
                         "missed, stub or missing); steps: distinct steps that year; "
                         "start_step: where the year began; next_step: where it ended")
