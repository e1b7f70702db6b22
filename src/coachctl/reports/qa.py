"""QA gaps: what quality assurance should have caught and did not (Q001-Q016), and the
school's own expectations in programme.yaml (X001-X005).

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
from coachctl.diagnostics import Diagnostic, make
from coachctl.journeys import journeys
from coachctl.loader import locate
from coachctl.models import Cycle, Expectations, QaRecord, QaRules, Thresholds
from coachctl.programme import Programme
from coachctl.sessions import Session, current_cycle, has_ended, sessions, started_cycles
from coachctl.validation import Checked, Derived, check_and_derive

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
    expectations: Expectations | None = None

    @classmethod
    def of(cls, prog: Programme, today: dt.date) -> QaContext:
        s = prog.settings
        return cls(prog, today, list(sessions(prog, started_cycles(prog, today))),
                   SchoolCalendar(s.calendar) if s else None,
                   s.qa if s else QaRules(), s.thresholds if s else Thresholds(),
                   current_cycle(prog, today), s.expectations if s else None)

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


QA_OF_COACHING = ("observation", "write-up-check", "check-in")
"""QA record kinds that quality-assure a coach's coaching (shadowing does not)."""


def hub_qa_not_by_expert(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q011: a hub with QA in this window has some done by its own expert."""
    cadence = ctx.rules.hub_qa_each
    window = ctx.window(ctx.today, cadence)
    if window is None or ctx.current is None:
        return
    done = ctx.qa_in_window(cadence, QA_OF_COACHING)
    for i, hub in enumerate(ctx.prog.pairings.hubs):
        mine = [q for q in done if q.coach in hub.coaches]
        if mine and not any(q.by == hub.expert for q in mine):
            yield make("Q011", f"hub '{hub.id}' had QA in {window} only by others than its "
                       f"expert '{hub.expert}' ({len(mine)} records)",
                       ctx.prog.path("pairings.yaml"), ("hubs", i, "expert"), subject=hub.id)


def write_ups_never_checked(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q012: a coach with complete notes in ended cycles has had a write-up checked."""
    ended = {n for n, c in ctx.prog.cycles.items() if has_ended(c, ctx.today)}
    wrote: dict[str, int] = defaultdict(int)
    for n in ctx.prog.notes:
        if n.status == "complete" and n.cycle in ended:
            wrote[n.coach] += 1
    checked = {q.coach for _, q in ctx.prog.qa
               if q.kind == "write-up-check" and q.date <= ctx.today}
    for coach in sorted(set(wrote) - checked):
        if ctx.active_today(coach):
            path, ptr = ctx.staff_pointer(coach)
            yield make("Q012", f"none of the {wrote[coach]} notes '{coach}' wrote in ended "
                       "cycles has had a write-up check", path, ptr, subject=coach)


def check_names_no_note(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q013: a write-up check's ``note`` names an existing note written by that coach."""
    by_path = {n.path: n for n in ctx.prog.notes}
    unread = set(ctx.prog.unread)  # a note validate could not read: validate reports it
    for rel, q in ctx.prog.qa:
        if q.kind != "write-up-check" or q.note in unread:
            continue
        target = by_path.get(q.note) if q.note else None
        if target is None:
            why = f"names no note ('{q.note}' does not exist)" if q.note else "names no note"
        elif target.coach != q.coach:
            why = f"names a note written by '{target.coach}', not by '{q.coach}'"
        else:
            continue
        yield make("Q013", f"write-up check of '{q.coach}' on {q.date} {why}",
                   ctx.prog.path(rel), ("note",) if q.note else ("kind",), subject=q.coach)


def new_shadows_new(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q014: a new coach shadows an experienced coach, not another new one."""
    new = {p.id for p in ctx.prog.staff.values() if p.new_coach}
    for rel, q in ctx.prog.qa:
        if q.kind == "shadowing" and q.coach in new and q.by in new:
            yield make("Q014", f"new coach '{q.coach}' shadowed '{q.by}', also a new coach, "
                       f"on {q.date}", ctx.prog.path(rel), ("by",), subject=q.coach)


def one_mode_only(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q015: where both modes are asked for, a coach observed twice or more has had both."""
    if ctx.rules.observation_modes != "both":
        return
    modes: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for q in ctx.qa_in_window("year", ("observation",)):
        count[q.coach] += 1
        modes[q.coach].add(q.mode or "unrecorded")
    for coach in sorted(count):
        if count[coach] >= 2 and not {"live", "video"} <= modes[coach] \
                and ctx.active_today(coach):
            path, ptr = ctx.staff_pointer(coach)
            only = ", ".join(sorted(modes[coach]))
            yield make("Q015", f"'{coach}' has been observed {count[coach]} times this year, "
                       f"all {only}: programme.yaml asks for live and video", path, ptr,
                       subject=coach)


def focus_not_rolled_out(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q016: a QA focus is a step of a curriculum strand that is rolled out."""
    from coachctl.coach_journeys import rolled_out, strand_of

    strands, rolled = strand_of(ctx.prog), rolled_out(ctx.prog)
    for rel, q in ctx.prog.qa:
        strand = strands.get(q.focus) if q.focus else None
        if strand is not None and strand not in rolled:
            yield make("Q016", f"QA focus '{q.focus}' is in strand '{strand}', which "
                       "programme.yaml's curriculum_strands has not rolled out",
                       ctx.prog.path(rel), ("focus",), subject=q.coach)


# --- the school's own expectations (programme.yaml ``expectations``) -----------------

def _ended_half_terms(ctx: QaContext) -> list[tuple[str, dt.date, dt.date]]:
    cal = ctx.prog.settings.calendar if ctx.prog.settings else None
    return [(t.name, t.start, t.end) for t in (cal.terms if cal else []) if t.end < ctx.today]


def _expectation(ctx: QaContext, key: str) -> tuple[str, tuple[str | int, ...]]:
    return ctx.prog.path("programme.yaml"), ("expectations", key)


def too_few_sessions(ctx: QaContext) -> Iterator[Diagnostic]:
    """X001: each coachee had at least N feedback sessions in each ended half term."""
    want = ctx.expectations.feedback_per_half_term if ctx.expectations else None
    if not want:
        return
    for name, start, end in _ended_half_terms(ctx):
        due = {s.coachee for s in ctx.sessions if start <= ctx.prog.cycles[s.cycle].start <= end}
        had: dict[str, int] = defaultdict(int)
        for n in ctx.prog.notes:
            if n.status == "complete" and n.date is not None and start <= n.date <= end:
                had[n.coachee] += 1
        short = sorted(c for c in due if had[c] < want)
        if short:
            yield make("X001", f"{len(short)} of {len(due)} coachees had fewer than {want} "
                       f"feedback sessions in {name}: {_few(short)}",
                       *_expectation(ctx, "feedback_per_half_term"), subject=name)


def coaches_not_qad(ctx: QaContext) -> Iterator[Diagnostic]:
    """X002: every coach who coached in an ended half term was quality-assured in it."""
    if not (ctx.expectations and ctx.expectations.qa_each_coach_each_half_term):
        return
    for name, start, end in _ended_half_terms(ctx):
        coached = {n.coach for n in ctx.prog.notes if n.status == "complete"
                   and n.date is not None and start <= n.date <= end}
        qad = {q.coach for _, q in ctx.prog.qa if q.kind in QA_OF_COACHING
               and start <= q.date <= end}
        missed = sorted(coached - qad)
        if missed:
            yield make("X002", f"{len(missed)} of {len(coached)} coaches who coached in {name} "
                       f"had no QA in it: {_few(missed)}",
                       *_expectation(ctx, "qa_each_coach_each_half_term"), subject=name)


def rehearsal_below(ctx: QaContext) -> Iterator[Diagnostic]:
    """X003: at least the expected share of complete notes so far record rehearsal."""
    want = ctx.expectations.rehearsal_rate if ctx.expectations else None
    if want is None:
        return
    marked = [n.rehearsed for n in ctx.prog.notes
              if n.status == "complete" and n.rehearsed is not None]
    if marked and (rate := sum(marked) / len(marked)) < want:
        yield make("X003", f"rehearsal in {rate:.0%} of {len(marked)} complete notes "
                   f"(expectation: at least {want:.0%})",
                   *_expectation(ctx, "rehearsal_rate"), subject="school")


def over_cap(ctx: QaContext) -> Iterator[Diagnostic]:
    """X004: no coach has more coachees than the school's cap in the current cycle."""
    cap = ctx.expectations.max_coachees_per_coach if ctx.expectations else None
    if cap is None or ctx.current is None:
        return
    load: dict[str, int] = defaultdict(int)
    for s in ctx.current_sessions():
        load[s.coach] += 1
    for coach, n in sorted(load.items()):
        if n > cap:
            yield make("X004", f"'{coach}' coaches {n} people in cycle {ctx.current.number} "
                       f"(cap {cap})",
                       *_expectation(ctx, "max_coachees_per_coach"), subject=coach)


def completion_below_target(ctx: QaContext) -> Iterator[Diagnostic]:
    """X005: sessions done in the ended cycles reach ``thresholds.completion_target``."""
    target = ctx.thresholds.completion_target
    ended = [s for s in ctx.sessions if has_ended(ctx.prog.cycles[s.cycle], ctx.today)]
    if not ended or ctx.prog.settings is None:
        return
    done = sum(s.state == "done" for s in ended)
    if done / len(ended) < target:
        yield make("X005", f"{done} of {len(ended)} sessions planned in the ended cycles were "
                   f"done ({done / len(ended):.0%}; target {target:.0%})",
                   ctx.prog.path("programme.yaml"), ("thresholds", "completion_target"),
                   subject="school")


def _few(ids: list[str], shown: int = 5) -> str:
    """Up to ``shown`` ids, then how many more."""
    more = len(ids) - shown
    return ", ".join(ids[:shown]) + (f" and {more} more" if more > 0 else "")


GAPS: tuple[Gap, ...] = (coach_not_observed, coached_before_shadowing, notes_missing,
                         notes_stub, no_rehearsal, no_praise, stuck, broken_by_leaver,
                         over_load, hub_without_qa, hub_qa_not_by_expert,
                         write_ups_never_checked, check_names_no_note, new_shadows_new,
                         one_mode_only, focus_not_rolled_out, too_few_sessions,
                         coaches_not_qad, rehearsal_below, over_cap, completion_below_target)


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
DERIVED: Derived[list[Diagnostic]] = Derived(
    CACHED, __name__, find_gaps, lambda gaps: [encode_diagnostic(d, True) for d in gaps],
    lambda found: [decode_diagnostic(t) for t in found])


def qa_programme(root: Path, display: str | None, today: dt.date, *,
                 progress: Callable[[int], None] | None = None,
                 on_total: Callable[[int], None] | None = None,
                 ) -> tuple[Checked, list[Diagnostic]]:
    """Check a programme and find its gaps, from the cache when neither a file, nor this
    code, nor anything ``today`` is compared with has changed: then no data is loaded."""
    return check_and_derive(root, display, today, DERIVED, progress=progress, on_total=on_total)
