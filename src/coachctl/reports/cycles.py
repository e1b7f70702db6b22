"""The cycle status report: where each session of one cycle stands, as a table."""

from __future__ import annotations

import datetime as dt

from coachctl.lifecycle import CycleStatus
from coachctl.tables import Table


def status_table(st: CycleStatus, day: dt.date) -> Table:
    """One row per pair due in the cycle (:func:`coachctl.lifecycle.cycle_status`): did the
    observation and feedback happen, the session's state, and, for those not done or
    missed, the teaching days left. Counts and ids only, never what a note says."""
    c, counts, total = st.cycle, st.counts, len(st.sessions)
    return Table(
        "cycle.status",
        ("coach", "coachee", "session", "happened", "date", "action_step",
         "teaching_days_left"),
        [(s.coach, s.coachee, s.state, s.happened, s.note.date if s.note else None,
          s.note.action_step if s.note else None,
          None if s.state in ("done", "missed") else st.teaching_days_left)
         for s in st.sessions],
        title=f"Cycle {c.number}: {c.start} to {c.end} ({c.status}), as of {day}",
        caption="happened: the observation and feedback took place (a complete note with a "
                "date); teaching_days_left: school days (no weekends, holidays or closures) "
                f"from {max(day, c.start)} to {c.end}, both included, for sessions not done "
                "or missed",
        meta={"cycle": c.number, "start": c.start, "end": c.end, "status": c.status,
              "today": day, "counts": counts,
              "completion": round(counts["done"] / total, 3) if total else None})
