"""The school's own expectations in programme.yaml (``expectations``, and the completion
target): sessions and QA each half term, rehearsal rate, load cap (X001-X005)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from coachctl.codes import Code, E, W
from coachctl.diagnostics import Diagnostic, make
from coachctl.reports.gaps.context import QA_OF_COACHING, QaContext
from coachctl.sessions import has_ended


def _ended_half_terms(ctx: QaContext) -> list[tuple[str, dt.date, dt.date]]:
    cal = ctx.prog.settings.calendar if ctx.prog.settings else None
    return [(t.name, t.start, t.end) for t in (cal.terms if cal else []) if t.end < ctx.today]


def _expectation(ctx: QaContext, key: str) -> tuple[str, tuple[str | int, ...]]:
    return ctx.prog.path("programme.yaml"), ("expectations", key)


X001 = Code("X001", E, "coachees with too few feedback sessions in a half term",
            "programme.yaml `expectations.feedback_per_half_term: N` commits the school to at "
            "least N feedback sessions (complete notes, drop-ins included) per coachee in each "
            "half term. In a half term that has ended, some coachees due sessions had fewer.",
            "expectations:\n  feedback_per_half_term: 2\n"
            "# bjones had one complete note dated in Autumn 1\n",
            "Plan the missing sessions early in the next half term (drop-ins count), or change "
            "the expectation in a commit the school agrees.")


def too_few_sessions(ctx: QaContext) -> Iterator[Diagnostic]:
    """X001: each coachee had at least N feedback sessions in each ended half term."""
    want = ctx.expectations.feedback_per_half_term if ctx.expectations else None
    if not want:
        return
    for name, start, end in _ended_half_terms(ctx):
        due = {s.coachee for s in ctx.sessions if start <= ctx.prog.cycles[s.cycle].start <= end}
        had: dict[str, int] = defaultdict(int)
        for n in ctx.complete_between(start, end):
            had[n.coachee] += 1
        short = sorted(c for c in due if had[c] < want)
        if short:
            yield make(X001, f"{len(short)} of {len(due)} coachees had fewer than {want} "
                       f"feedback sessions in {name}: {_few(short)}",
                       *_expectation(ctx, "feedback_per_half_term"), subject=name)


X002 = Code("X002", E, "coach not quality-assured in a half term",
            "programme.yaml `expectations.qa_each_coach_each_half_term: true`: every coach who "
            "wrote a complete note in a half term that has ended had an observation, write-up "
            "check or check-in dated in it.",
            "expectations:\n  qa_each_coach_each_half_term: true\n"
            "# asmith coached in Autumn 1 and has no QA record dated in it\n",
            "Plan the QA of the coaches named in the message this half term, and record it.")


def coaches_not_qad(ctx: QaContext) -> Iterator[Diagnostic]:
    """X002: every coach who coached in an ended half term was quality-assured in it."""
    if not (ctx.expectations and ctx.expectations.qa_each_coach_each_half_term):
        return
    for name, start, end in _ended_half_terms(ctx):
        coached = {n.coach for n in ctx.complete_between(start, end)}
        qad = {q.coach for _, q in ctx.prog.qa if q.kind in QA_OF_COACHING
               and start <= q.date <= end}
        missed = sorted(coached - qad)
        if missed:
            yield make(X002, f"{len(missed)} of {len(coached)} coaches who coached in {name} "
                       f"had no QA in it: {_few(missed)}",
                       *_expectation(ctx, "qa_each_coach_each_half_term"), subject=name)


X003 = Code("X003", E, "rehearsal below the school's expected rate",
            "programme.yaml `expectations.rehearsal_rate` is the share of complete notes that "
            "should record `rehearsed: true`; so far this year the school is below it.",
            "expectations:\n  rehearsal_rate: 0.8\n# 7 of 10 complete notes rehearsed\n",
            "Make rehearsal the focus of the next coach training (`coachctl training plan`).")


def rehearsal_below(ctx: QaContext) -> Iterator[Diagnostic]:
    """X003: at least the expected share of complete notes so far record rehearsal."""
    want = ctx.expectations.rehearsal_rate if ctx.expectations else None
    if want is None:
        return
    marked = [n.rehearsed for n in ctx.prog.notes
              if n.status == "complete" and n.rehearsed is not None]
    if marked and (rate := sum(marked) / len(marked)) < want:
        yield make(X003, f"rehearsal in {rate:.0%} of {len(marked)} complete notes "
                   f"(expectation: at least {want:.0%})",
                   *_expectation(ctx, "rehearsal_rate"), subject="school")


X004 = Code("X004", E, "coach over the school's load cap",
            "programme.yaml `expectations.max_coachees_per_coach` is a cap the school commits "
            "to (unlike `thresholds.max_coachees_per_coach`, a warning, Q009): a coach has "
            "more coachees than it in the current cycle.",
            "expectations:\n  max_coachees_per_coach: 3\n"
            "# pairings.yaml: asmith coaches four people in cycle 4\n",
            "Move a coachee to another coach from the next cycle.")


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
            yield make(X004, f"'{coach}' coaches {n} people in cycle {ctx.current.number} "
                       f"(cap {cap})",
                       *_expectation(ctx, "max_coachees_per_coach"), subject=coach)


X005 = Code("X005", W, "completion below the school's target",
            "`thresholds.completion_target` (default 0.8) is the share of sessions planned in "
            "the cycles that have ended that should be done (complete notes).",
            "thresholds:\n  completion_target: 0.8\n# 70 of 100 planned sessions done\n",
            "See `coachctl stats` for where sessions were missed, and protect coaching time.")


def completion_below_target(ctx: QaContext) -> Iterator[Diagnostic]:
    """X005: sessions done in the ended cycles reach ``thresholds.completion_target``."""
    target = ctx.thresholds.completion_target
    ended = [s for s in ctx.sessions if has_ended(ctx.prog.cycles[s.cycle], ctx.today)]
    if not ended or ctx.prog.settings is None:
        return
    done = sum(s.state == "done" for s in ended)
    if done / len(ended) < target:
        yield make(X005, f"{done} of {len(ended)} sessions planned in the ended cycles were "
                   f"done ({done / len(ended):.0%}; target {target:.0%})",
                   ctx.prog.path("programme.yaml"), ("thresholds", "completion_target"),
                   subject="school")


def _few(ids: list[str], shown: int = 5) -> str:
    """Up to ``shown`` ids, then how many more."""
    more = len(ids) - shown
    return ", ".join(ids[:shown]) + (f" and {more} more" if more > 0 else "")


CODES = (X001, X002, X003, X004, X005)
