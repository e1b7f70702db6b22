"""The schedule report: a programme's events (:mod:`coachctl.schedule`) as a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from coachctl.programme import Programme
from coachctl.schedule import Event
from coachctl.tables import Table


def schedule_table(prog: Programme, events: Sequence[Event], *, staff: str | None = None,
                   cycle: int | None = None, start: dt.date | None = None,
                   end: dt.date | None = None) -> Table:
    """One row per event, in the order given; ``meta`` records the filters that chose them
    (:func:`coachctl.schedule.select`). A terminal shows it narrower
    (:func:`coachctl.render.layout.schedule`)."""
    assert prog.settings is not None
    return Table(
        "schedule", ("start", "end", "kind", "event", "cycle", "status", "coach", "coachee"),
        [(e.start, e.end, e.kind, e.title, e.cycle, e.status, e.coach, e.coachee)
         for e in events],
        title=f"{prog.settings.school}: schedule" + (f" for {staff}" if staff else ""),
        meta={"filters": {"staff": staff, "cycle": cycle, "from": start, "to": end}})
