"""The half term's planned QA: who quality-assures whom, and when (``coachctl qa-plan``).

Like ``cycle start`` writes a note stub for each pair, this plans one QA record
stub (``status: planned``) per QA the programme's rules ask for in a half term:

* each coach coaching in the half term is observed: a hub's coaches by the hub's own
  expert (pairings.yaml ``hubs``; Q011 counts only theirs), every other coach by a QA
  reader (programme.yaml ``sealing.qa_readers``, else the lead coach), the readers
  sharing the work;
* where ``qa.observation_modes: both``, the mode is the one the coach has not had this
  year (live first);
* a new coach (``new_coach: true``) who has not shadowed shadows an experienced coach
  (their hub's expert, else a QA reader), first in the half term.

A coach already observed (or planned) in the half term is left alone, so a second
run plans nothing. Dates are teaching days from today (or the half term's start) to
its end, each observer's QA spread evenly over them, so nobody has two on one day
unless they have more QA than days. A planned record is counted by no report until
it says ``status: done`` (:attr:`coachctl.programme.Programme.planned_qa`): a plan
neither hides a gap nor fills one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from coachctl.calendar import SchoolCalendar
from coachctl.cycledates import year_cycles
from coachctl.layout import qa_path
from coachctl.programme import Programme
from coachctl.sessions import pairs_in


@dataclass(frozen=True, slots=True)
class PlannedQa:
    kind: str
    """observation or shadowing."""
    coach: str
    """The coach observed (for shadowing: the new coach who shadows)."""
    by: str
    date: dt.date
    mode: str | None
    why: str
    """Why this person: 'hub h1's expert', 'QA reader', 'shadows their hub's expert'."""

    @property
    def rel(self) -> str:
        return qa_path(self.date, self.coach, self.kind)

    def text(self) -> str:
        what = ("shadows" if self.kind == "shadowing" else "observed by")
        lines = [f"# Planned by coachctl qa-plan: {self.coach} {what} {self.by} ({self.why}).",
                 "# When it is done: set status: done (or delete that line), correct the date,",
                 "# add focus and secured, and the feedback for the coach as `feedback: |`.",
                 f"kind: {self.kind}", f"coach: {self.coach}", f"by: {self.by}",
                 f"date: {self.date.isoformat()}"]
        if self.mode:
            lines.append(f"mode: {self.mode}")
        lines.append("status: planned")
        return "\n".join(lines) + "\n"


@dataclass
class QaPlan:
    half_term: str
    start: dt.date
    """The first day planned on: today, or the half term's first day if later."""
    end: dt.date
    planned: list[PlannedQa] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)
    """Coaches (and new coaches' shadowing) already done or planned in the half term."""
    nobody: list[str] = field(default_factory=list)
    """Coaches nobody can QA (the only QA reader is themselves, or has left), or not
    before one of the two leaves."""


def half_term_of(cal: SchoolCalendar, today: dt.date, name: str | None) -> tuple[str, dt.date,
                                                                                 dt.date] | str:
    """The half term named, else the one ``today`` falls in, else the next one."""
    if name is not None:
        term = next((t for t in cal.terms if t.name.lower() == name.lower()), None)
        if term is None:
            names = ", ".join(t.name for t in cal.terms)
            return f"no half term is called '{name}' in programme.yaml (there are: {names})"
    else:
        term = cal.term_of(today) or next((t for t in cal.terms if t.start > today), None)
        if term is None:
            return f"no half term is left in the school year after {today}"
    return term.name, term.start, term.end


def plan(prog: Programme, today: dt.date, half_term: str | None = None) -> QaPlan | str:
    """The QA to plan in the half term; a string says why nothing can be planned."""
    assert prog.settings is not None
    s = prog.settings
    cal = SchoolCalendar(s.calendar)
    found = half_term_of(cal, today, half_term)
    if isinstance(found, str):
        return found
    name, first, last = found
    days = list(cal.teaching_days(max(first, today), last))
    if not days:
        return f"{name} has no teaching days left on or after {today}"
    out = QaPlan(name, days[0], last)

    def active(who: str) -> bool:
        p = prog.staff.get(who)
        return p is not None and p.active_on(days[0])

    readers = [r for r in (s.sealing.qa_readers if s.sealing and s.sealing.qa_readers
                           else [s.lead_coach]) if active(r)]
    hub_of = {c: h for h in prog.pairings.hubs for c in h.coaches
              if h.expert != c and active(h.expert)}
    coaches = sorted({p.coach for c in year_cycles(prog) if c.start <= last and c.end >= first
                      for p in pairs_in(prog, c.number, max(c.start, first)).pairs
                      if active(p.coach)})
    load: dict[str, int] = defaultdict(int)

    def reader_for(coach: str) -> str | None:
        free = [r for r in readers if r != coach]
        best = min(free, key=lambda r: (load[r], free.index(r)), default=None)
        if best is not None:
            load[best] += 1
        return best

    # Done QA decides what is needed; QA already planned in the half term keeps its place
    # in the layout (so a re-run after an interrupted one lays out the rest as a clean run
    # would) and is not written again.
    year_modes: dict[str, set[str]] = defaultdict(set)
    observed: dict[str, set[str]] = defaultdict(set)  # coach -> who observed them this half term
    planned_by: dict[str, set[str]] = defaultdict(set)  # coach -> who is planned to
    shadowed: set[str] = set()
    shadow_planned: set[str] = set()
    for _, q in prog.all_qa:
        done = q.status == "done"
        if q.kind == "observation":
            if done:
                year_modes[q.coach].add(q.mode or "")
            if first <= q.date <= last:
                (observed if done else planned_by)[q.coach].add(q.by)
        elif q.kind == "shadowing":
            (shadowed if done else shadow_planned).add(q.coach)
    wanted: list[PlannedQa] = []
    exists: set[tuple[str, str]] = set()
    if s.qa.shadow_before_coaching:
        for p in sorted(prog.staff.values(), key=lambda p: p.id):
            if p.new_coach and active(p.id) and p.id not in shadowed:
                hub = hub_of.get(p.id)
                experienced = hub.expert if hub and not _new(prog, hub.expert) else None
                by = experienced or reader_for(p.id)
                if by is None:
                    out.nobody.append(p.id)
                    continue
                if p.id in shadow_planned:
                    exists.add(("shadowing", p.id))
                why = "shadows their hub's expert" if experienced else "shadows a QA reader"
                wanted.append(PlannedQa("shadowing", p.id, by, days[0], None, why))
    for coach in coaches:
        hub = hub_of.get(coach)
        if observed[coach] if hub is None else hub.expert in observed[coach]:
            out.covered.append(coach)
            continue
        by = hub.expert if hub is not None else reader_for(coach)
        if by is None:
            out.nobody.append(coach)
            continue
        if planned_by[coach] if hub is None else hub.expert in planned_by[coach]:
            exists.add(("observation", coach))
            out.covered.append(coach)
        mode = "live"
        if s.qa.observation_modes == "both" and "live" in year_modes[coach] \
                and "video" not in year_modes[coach]:
            mode = "video"
        why = f"{hub.id}'s expert" if hub is not None else "QA reader"
        wanted.append(PlannedQa("observation", coach, by, days[0], mode, why))
    out.planned = [w for w in _spread(prog, wanted, days, out) if (w.kind, w.coach) not in exists]
    return out


def _new(prog: Programme, who: str) -> bool:
    p = prog.staff.get(who)
    return p is not None and p.new_coach


def _spread(prog: Programme, wanted: list[PlannedQa], days: list[dt.date],
            out: QaPlan) -> list[PlannedQa]:
    """Each observer's QA spread evenly over the days they have nothing on (shadowing
    first), on or before the day either person leaves; two on one day only when they
    have more QA than days. A QA with no day left before a leaving date goes unplanned."""
    busy: dict[str, set[dt.date]] = defaultdict(set)
    for _, q in prog.qa:  # done QA only: what is planned is laid out again, the same way
        busy[q.by].add(q.date)

    def until(who: str) -> dt.date:
        p = prog.staff.get(who)
        return p.left if p is not None and p.left is not None else days[-1]

    mine: dict[str, list[PlannedQa]] = defaultdict(list)
    for w in wanted:
        mine[w.by].append(w)
    planned: list[PlannedQa] = []
    for by, todo in mine.items():
        todo.sort(key=lambda w: (w.kind != "shadowing", until(w.coach), w.coach))
        free = [d for d in days if d not in busy[by] and d <= until(by)]
        pool = free if len(free) >= len(todo) else [d for d in days if d <= until(by)]
        taken: set[dt.date] = set()
        for i, w in enumerate(todo):
            day = pool[(2 * i + 1) * len(pool) // (2 * len(todo))] if pool else None
            if day is None or day > until(w.coach):  # leaves first: their earliest free day
                early = [d for d in pool if d <= until(w.coach)]
                day = next((d for d in early if d not in taken), early[0] if early else None)
            if day is None:
                out.nobody.append(w.coach)
                continue
            taken.add(day)
            planned.append(PlannedQa(w.kind, w.coach, w.by, day, w.mode, w.why))
    planned.sort(key=lambda w: (w.date, w.by, w.coach))
    return planned
