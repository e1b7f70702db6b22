"""The schedule report: a programme's events (:mod:`coachctl.schedule`) as a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

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


def with_offsets(table: Table) -> Table:
    """The schedule table for CSV: a timed event's ``start`` and ``end`` in ISO 8601 with
    the school's offset on that date (``2026-10-22T15:10:00+01:00``, ``...+00:00`` after
    the clocks go back), an all-day event's as dates (``end`` its last day), and a last
    column ``all_day`` saying which; so a spreadsheet or pandas never mixes the two."""
    from coachctl.schedule import local

    times = {table.columns.index("start"), table.columns.index("end")}
    rows: list[Sequence[Any]] = []
    for r in table.rows:
        timed = any(isinstance(r[i], dt.datetime) for i in times)
        rows.append([local(v).isoformat() if i in times and timed else v
                     for i, v in enumerate(r)] + [not timed])
    return Table(table.kind, [*table.columns, "all_day"], rows, title=table.title,
                 meta=table.meta, plain=table.plain, caption=table.caption)
