"""How a terminal lays out a report's one table: narrower tables, words for units.

JSON and CSV carry a report's :class:`~coachctl.tables.Table` whole; a terminal
is narrow, so some reports are shown as several tables of related columns, or
with columns joined into words, each with a caption giving its units.
"""

from __future__ import annotations

import datetime as dt

from coachctl.tables import Table

STATS_SECTIONS = {
    "completion": ("planned", "done", "missed", "stub", "missing", "completion",
                   "completion_target"),
    "quality": ("praise", "modelled", "rehearsed", "in_sequence", "drop_ins"),
    "sessions": ("scripted", "coach_chose", "two_per_half_term", "days_to_feedback"),
    "progress": ("coachees", "steps_secured", "secured_each", "cycles_per_step"),
    "load": ("max_load", "load_limit", "coaches_over"),
    "trend": ("trend",)}
"""How a terminal shows the stats table (:mod:`coachctl.reports.stats`): in narrower
tables of related columns."""
STATS_UNITS = {
    "completion": "planned ... missing: sessions (one pair in one cycle); completion: done / "
                  "planned, ended cycles only; completion_target: programme.yaml's "
                  "thresholds.completion_target",
    "quality": "praise, modelled, rehearsed: % of complete notes; in_sequence: % of complete "
               "notes naming a step; drop_ins: notes",
    "sessions": "scripted, coach_chose: % of complete notes that say (coach_chose: the "
                "coach alone chose the step); two_per_half_term: % of coachees due sessions in "
                "an ended half term with two or more; days_to_feedback: days from observed to "
                "the feedback, the median",
    "progress": "coachees: people with a complete note; steps_secured: steps; secured_each: "
                "steps per coachee; cycles_per_step: cycles, on average",
    "load": "max_load: most coachees one coach was due in one cycle; load_limit: "
            "thresholds.max_coachees_per_coach; coaches_over: coaches over it in a cycle",
    "trend": "completion of each ended cycle, in %, in cycle order: {cycles}",
}
"""Each terminal section's units, in words, as its caption."""


def stats_sections(table: Table) -> list[Table]:
    """The stats table cut into :data:`STATS_SECTIONS`, each led by the group column."""
    out = []
    for name, cols in STATS_SECTIONS.items():
        idx = [0, *(table.columns.index(c) for c in cols if c in table.columns)]
        if len(idx) > 1:
            cycles = " ".join(map(str, table.meta.get("cycles") or [])) or "none"
            out.append(Table(f"{table.kind}.{name}", [table.columns[i] for i in idx],
                             [[row[i] for i in idx] for row in table.rows],
                             title=f"{table.title}: {name}", plain=table.plain,
                             caption=STATS_UNITS[name].format(cycles=cycles)))
    return out


def _when(start: dt.date, end: dt.date) -> str:
    """'2026-11-26 14:00-14:30' for a meeting, '2026-11-02 to 2026-12-18' for a window."""
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
    return f"{start} to {end}" if end != start else str(start)


def schedule(table: Table) -> Table:
    """The schedule table (:func:`coachctl.reports.schedule.schedule_table`) as a terminal
    shows it: when, the event, who attends, and the cycle with its status."""
    rows = [dict(zip(table.columns, r, strict=True)) for r in table.rows]
    return Table(
        "schedule", ("when", "event", "who", "cycle"),
        [(_when(r["start"], r["end"]), r["event"],
          f"{r['coach']} > {r['coachee']}" if r["coach"]
          else "coaches" if r["kind"] in ("teach-meet", "cpl") else "everyone",
          f"{r['cycle']} {r['status']}" if r["cycle"] else None) for r in rows],
        title=table.title,
        caption="when: a window's first and last days, both included, or a meeting's "
                "start and end, school time (Europe/London); cycle: its number and "
                "status (open, closed, or planned: not opened yet)")
