"""QA gaps: what quality assurance should have caught and did not (Q001-Q010).

Each gap is a small function ``gap(ctx) -> Iterator[Diagnostic]`` over a
:class:`QaContext`, like the cross-file checks, with a key-path pointer into
the file the gap comes from and ``subject`` the person, pair or hub it
concerns. Two gaps are already found by ``validate`` and reused as they are:
a step outside the sequence (R008) and an ECT not paired with their mentor
(R009). "This half term" (or term, or year: programme.yaml's ``qa`` rules)
is the window ``today`` falls in.

A programme's gaps are cached (:func:`qa_programme`) with the span of days
on which ``today`` compares alike with every date they were computed from
(see :mod:`coachctl.datewatch`), so an unchanged programme's QA on any day of
that span loads no data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from coachctl.cache import decode_diagnostic, encode_diagnostic
from coachctl.calendar import SchoolCalendar
from coachctl.datewatch import WatchedDate
from coachctl.diagnostics import Diagnostic, make
from coachctl.journeys import journeys
from coachctl.loader import Programme, locate, open_store
from coachctl.models import Cycle, QaRecord, QaRules, Thresholds
from coachctl.sessions import Session, current_cycle, has_ended, sessions, started_cycles
from coachctl.validation import Checked, check_programme

REUSED = ("R008", "R009")
"""Codes from ``validate`` that are QA gaps too: ``qa`` reports them alongside its own."""


@dataclass
class QaContext:
    prog: Programme
    today: dt.date
    sessions: list[Session] = field(default_factory=list)
    calendar: SchoolCalendar | None = None
    rules: QaRules = field(default_factory=QaRules)
    thresholds: Thresholds = field(default_factory=Thresholds)
    current: Cycle | None = None

    @classmethod
    def of(cls, prog: Programme, today: dt.date) -> QaContext:
        s = prog.settings
        return cls(prog, today, list(sessions(prog, started_cycles(prog, today))),
                   SchoolCalendar(s.calendar) if s else None,
                   s.qa if s else QaRules(), s.thresholds if s else Thresholds(),
                   current_cycle(prog, today))

    def window(self, day: dt.date, cadence: str) -> str | None:
        """The QA window (a half term's name, a term's, or 'year') ``day`` falls in."""
        return self.calendar.period_of(day, cadence) if self.calendar else None

    def qa_in_window(self, cadence: str, kinds: tuple[str, ...]) -> list[QaRecord]:
        """QA records of these kinds dated in today's window, up to today."""
        now = self.window(self.today, cadence)
        return [q for _, q in self.prog.qa if q.kind in kinds and q.date <= self.today
                and self.window(q.date, cadence) == now]

    def active_today(self, who: str) -> bool:
        person = self.prog.staff.get(who)
        return person is None or person.active_on(self.today)

    def current_sessions(self) -> list[Session]:
        """Sessions planned in the current cycle between people still on the staff today."""
        if self.current is None:
            return []
        return [s for s in self.sessions if s.cycle == self.current.number
                and self.active_today(s.coach) and self.active_today(s.coachee)]

    def staff_pointer(self, who: str) -> tuple[str, tuple[str | int, ...] | None]:
        staff = self.prog.staff_file.staff if self.prog.staff_file else []
        i = next((i for i, p in enumerate(staff) if p.id == who), None)
        return self.prog.path("staff.yaml"), None if i is None else ("staff", i, "id")


Gap = Callable[[QaContext], Iterator[Diagnostic]]


def coach_not_observed(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q001: each coach coaching now is observed coaching in this window."""
    window = ctx.window(ctx.today, ctx.rules.observe_each_coach)
    if window is None:
        return
    observed = {q.coach for q in ctx.qa_in_window(ctx.rules.observe_each_coach, ("observation",))}
    for coach in sorted({s.coach for s in ctx.current_sessions()} - observed):
        path, ptr = ctx.staff_pointer(coach)
        yield make("Q001", f"coach '{coach}' has not been observed coaching in {window}",
                   path, ptr, subject=coach)


def coached_before_shadowing(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q002: a new coach's first note is not dated before they first shadowed."""
    if not ctx.rules.shadow_before_coaching:
        return
    new = {p.id for p in ctx.prog.staff.values() if p.new_coach}
    shadowed: dict[str, dt.date] = {}
    for _, q in ctx.prog.qa:
        if q.kind == "shadowing" and q.coach in new:
            shadowed[q.coach] = min(q.date, shadowed.get(q.coach, q.date))
    first: dict[str, tuple[dt.date, str]] = {}
    for n in ctx.prog.notes:
        if n.coach in new and n.status == "complete" and n.date is not None:
            first[n.coach] = min((n.date, n.path), first.get(n.coach, (n.date, n.path)))
    for coach, (day, rel) in sorted(first.items()):
        since = shadowed.get(coach)
        if since is None or day < since:
            why = f"before shadowing on {since}" if since else "and has no shadowing record"
            yield make("Q002", f"new coach '{coach}' coached on {day} {why}",
                       ctx.prog.path(rel), ("coach",), subject=coach)


def notes_missing(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q003: each planned session of an ended cycle has a note."""
    for s in _ended(ctx, "missing"):
        cycle = ctx.prog.cycles[s.cycle]
        yield make("Q003", f"cycle {s.cycle} ended on {cycle.end} with no note for "
                   f"{s.coach} coaching {s.coachee} (expected {s.path})",
                   ctx.prog.path(ctx.prog.cycle_paths[s.cycle]), ("end",), subject=s.pair)


def notes_stub(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q004: no note of an ended cycle is left a stub."""
    for s in _ended(ctx, "stub"):
        yield make("Q004", f"cycle {s.cycle} ended on {ctx.prog.cycles[s.cycle].end} "
                   "but this note is still a stub", ctx.prog.path(s.path), ("status",),
                   subject=s.pair)


def _ended(ctx: QaContext, state: str) -> Iterator[Session]:
    for s in ctx.sessions:
        if s.state == state and has_ended(ctx.prog.cycles[s.cycle], ctx.today):
            yield s


def no_rehearsal(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q005: complete notes record rehearsal."""
    for n in ctx.prog.notes:
        if n.status == "complete" and n.rehearsed is False:
            yield make("Q005", f"{n.coach} did not rehearse the step with {n.coachee} "
                       f"(cycle {n.cycle})", ctx.prog.path(n.path), ("rehearsed",),
                       subject=f"{n.coach}--{n.coachee}")


def no_praise(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q006: complete notes record precise praise."""
    for n in ctx.prog.notes:
        if n.status == "complete" and not n.has_praise:
            yield make("Q006", f"no precise praise recorded for {n.coachee} (cycle {n.cycle})",
                       ctx.prog.path(n.path), ("status",), subject=f"{n.coach}--{n.coachee}")


def stuck(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q007: no coachee still on the staff works on one step for the threshold of cycles."""
    limit = ctx.thresholds.stuck_after_cycles
    for coachee, j in sorted(journeys(ctx.prog.notes).items()):
        cycles = j.cycles_on_current_step()
        if cycles >= limit and ctx.active_today(coachee):
            last = j.notes[-1]
            yield make("Q007", f"'{coachee}' has worked on step '{j.last_step}' for {cycles} "
                       f"cycles without securing it (threshold {limit})",
                       ctx.prog.path(last.path), ("action_step",), subject=coachee)


def broken_by_leaver(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q008: a coachee whose coach left has another coach in the current cycle."""
    if ctx.current is None:
        return
    prog, number = ctx.prog, ctx.current.number
    coached_now = {p.coachee for p in prog.pairings.pairs(number) if ctx.active_today(p.coach)}
    broken: dict[str, tuple[str, dt.date, tuple[str | int, ...]]] = {}
    for p in prog.pairings.pairs():
        leaver = prog.staff.get(p.coach)
        if not (leaver and leaver.left and leaver.left < ctx.today
                and p.coachee not in coached_now and ctx.active_today(p.coachee)):
            continue
        # Broken by the leaving only if the pair was still in force when the coach left.
        left_in = [c.number for c in prog.cycles.values() if c.start <= leaver.left]
        if p.source.covers(number) or (left_in and p.source.covers(max(left_in))):
            broken[p.coachee] = (p.coach, leaver.left, p.pointer)
    for coachee, (coach, left, ptr) in sorted(broken.items()):
        yield make("Q008", f"'{coachee}' lost their coach '{coach}' (left {left}) and has no "
                   f"coach in cycle {number}", prog.path("pairings.yaml"), ptr,
                   subject=coachee)


def over_load(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q009: no coach has more coachees than the threshold in the current cycle."""
    limit = ctx.thresholds.max_coachees_per_coach
    load: dict[str, list[Session]] = defaultdict(list)
    for s in ctx.current_sessions():
        load[s.coach].append(s)
    for coach, mine in sorted(load.items()):
        if len(mine) > limit:
            yield make("Q009", f"'{coach}' coaches {len(mine)} people in cycle {mine[0].cycle} "
                       f"(threshold {limit})", ctx.prog.path("pairings.yaml"),
                       mine[limit].pointer, subject=coach)


def hub_without_qa(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q010: each hub's coaching is quality-assured in this window."""
    cadence = ctx.rules.hub_qa_each
    window = ctx.window(ctx.today, cadence)
    if window is None or ctx.current is None:
        return
    seen = {q.coach for q in ctx.qa_in_window(cadence, ("observation", "write-up-check",
                                                        "check-in"))}
    for i, hub in enumerate(ctx.prog.pairings.hubs):
        if not seen.intersection(hub.coaches):
            yield make("Q010", f"hub '{hub.id}' has had no QA in {window}",
                       ctx.prog.path("pairings.yaml"), ("hubs", i, "id"), subject=hub.id)


GAPS: tuple[Gap, ...] = (coach_not_observed, coached_before_shadowing, notes_missing,
                         notes_stub, no_rehearsal, no_praise, stuck, broken_by_leaver,
                         over_load, hub_without_qa)


def find_gaps(checked: Checked, today: dt.date) -> list[Diagnostic]:
    """Every QA gap in a checked programme, located and sorted like ``validate``'s output."""
    prog = checked.programme
    ctx = QaContext.of(prog, today)
    found = locate([d for gap in GAPS for d in gap(ctx)], prog)
    found += [d for d in checked.diagnostics if d.code in REUSED]
    found.sort(key=Diagnostic.sort_key)
    return found


CACHED = "qa.msgpack"
"""The programme cache's document of gaps: [first day, last day (ordinals), diagnostics]."""


def qa_programme(root: Path, display: str | None, today: dt.date, *,
                 progress: Callable[[int], None] | None = None,
                 on_total: Callable[[int], None] | None = None,
                 ) -> tuple[Checked, list[Diagnostic]]:
    """Check a programme and find its gaps, from the cache when neither a file, nor this
    code, nor anything ``today`` is compared with has changed: then no data is loaded."""
    store = open_store(root, display)
    if (diagnostics := store.result()) is not None:
        saved = store.derived(CACHED, __name__)
        try:
            first, last, found = saved
            if first <= today.toordinal() <= last:
                return (Checked(Programme(root, store.display, files=store.files), diagnostics),
                        [decode_diagnostic(t) for t in found])
        except (TypeError, ValueError, IndexError, KeyError):
            pass  # none saved, or not in a shape this code wrote: compute again
    checked = check_programme(root, display, progress=progress, on_total=on_total, store=store)
    watched = WatchedDate.of(today)
    gaps = find_gaps(checked, watched)
    store.save_derived(CACHED, __name__, [*watched.span, [encode_diagnostic(d, True)
                                                          for d in gaps]])
    return checked, gaps
