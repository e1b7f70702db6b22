"""The schedule report: a programme's events (:mod:`coachctl.schedule`) as a table."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from coachctl.programme import Programme
from coachctl.schedule import Event
from coachctl.tables import Table

FOCUS_STEPS = 2
"""How many of the training plan's top steps the next Teach Meet's title names."""
TRAINING_KINDS = ("teach-meet", "cpl")


def _day(d: dt.date) -> dt.date:
    return d.date() if isinstance(d, dt.datetime) else d


def focus_name(prog: Programme, step: str) -> str:
    """A step as a calendar title can hold it: its strand's name and its id ("Rehearsal
    (rh-01)"); a step's own text is a sentence or two."""
    for lib in (prog.curriculum, prog.library):
        for strand in lib.strands if lib else []:
            if any(s.id == step for s in strand.steps):
                return f"{strand.name} ({step})"
    return step


def with_focus(prog: Programme, every: Sequence[Event], shown: Sequence[Event],
               today: dt.date) -> list[Event]:
    """``shown`` with each Teach Meet (and its CPL's first part, the coaches' practice)
    titled with its focus (:func:`focus_name`): a past one's from its training record
    (training/DATE.yaml), the next one's (on or after ``today``, in ``every``) from the
    training plan (:func:`coachctl.reports.training.plan`), computed only when that
    meeting is shown. Later meetings keep their fixed titles."""
    recorded = {t.date: list(t.focus) for _, t in prog.training}
    meets = sorted({_day(e.start) for e in every if e.kind == "teach-meet"})
    upcoming = next((d for d in meets if d >= today), None)
    focus: dict[dt.date, list[str]] = {d: f for d, f in recorded.items() if d <= today}
    if upcoming is not None and upcoming not in focus and any(
            e.kind in TRAINING_KINDS and _day(e.start) == upcoming for e in shown):
        from coachctl.reports.training import plan

        needs = plan(prog, today, upcoming).needs
        focus[upcoming] = [n.step for n in needs[:FOCUS_STEPS]]
    out = []
    for e in shown:
        steps = focus.get(_day(e.start)) if e.kind in TRAINING_KINDS else None
        if steps and (e.kind == "teach-meet" or e.key.endswith(".cpl-1")):
            names = ", ".join(focus_name(prog, s) for s in steps)
            e = dataclasses.replace(e, title=f"{e.title}: {names}")
        out.append(e)
    return out


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


def for_json(table: Table, events: Sequence[Event], staff: str | None = None) -> Table:
    """The schedule table for JSON (version 3): times as for CSV (:func:`with_offsets`,
    ``all_day`` a boolean), and a last column ``attendees``: the staff ids a calendar lists
    for each event (:meth:`coachctl.schedule.Event.listed`, as the iCalendar export does for
    ``--staff``), empty for everyone's events. ``events`` are the table's rows' events, in
    its order."""
    timed = with_offsets(table)
    rows: list[Sequence[Any]] = [[*r, list(e.listed(staff))]
                                 for r, e in zip(timed.rows, events, strict=True)]
    return Table(table.kind, [*timed.columns, "attendees"], rows, title=table.title,
                 meta=table.meta, plain=table.plain, caption=table.caption)
