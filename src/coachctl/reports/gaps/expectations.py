"""The school's own expectations in programme.yaml (``expectations``, and the completion
target): sessions and QA each half term, rehearsal rate, load cap (X001-X005)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from coachctl.diagnostics import Diagnostic, make
from coachctl.reports.gaps.context import QA_OF_COACHING, QaContext
from coachctl.sessions import has_ended


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
