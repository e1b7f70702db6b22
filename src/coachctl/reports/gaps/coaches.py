"""Gaps in the QA of coaches: observed, shadowing first, write-ups checked, in both
modes, on a rolled-out strand (Q001, Q002, Q012-Q016)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from coachctl.codes import Code, W
from coachctl.diagnostics import Diagnostic, make
from coachctl.reports.gaps.context import QaContext
from coachctl.sessions import has_ended

Q001 = Code("Q001", W, "coach not observed coaching this half term",
            "Every coach is observed coaching (live or on video) and gets feedback each half "
            "term (`qa.observe_each_coach` in programme.yaml sets the window). The coach "
            "coaches in the current cycle and has no `kind: observation` QA record in the "
            "current window up to today.",
            "# asmith coaches bjones in cycle 4 (Autumn 2)\n"
            "# qa/ holds no observation of asmith dated in Autumn 2\n",
            "Observe the coach and record it: qa/DATE-COACH-observation.yaml with "
            "`kind: observation`.")


def coach_not_observed(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q001: each coach coaching now is observed coaching in this window."""
    window = ctx.window(ctx.today, ctx.rules.observe_each_coach)
    if window is None:
        return
    observed = {q.coach for q in ctx.qa_in_window(ctx.rules.observe_each_coach, ("observation",))}
    for coach in sorted({s.coach for s in ctx.current_sessions()} - observed):
        path, ptr = ctx.staff_pointer(coach)
        yield make(Q001, f"coach '{coach}' has not been observed coaching in {window}",
                   path, ptr, subject=coach)


Q002 = Code("Q002", W, "new coach coached before shadowing",
            "A coach flagged `new_coach: true` shadows an experienced coach before coaching "
            "alone (`qa.shadow_before_coaching`). This note is dated before the coach's first "
            "`kind: shadowing` QA record, or they have none.",
            "# staff.yaml: cdavies has new_coach: true\n"
            "# notes/cycle-01/cdavies--bjones.yaml dated 2026-09-17\n"
            "# qa/2026-09-24-cdavies-shadowing.yaml dated 2026-09-24\n",
            "Arrange shadowing before the coach's next session and record it "
            "(`kind: shadowing`, `coach:` the new coach, `by:` the coach shadowed).")


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
            yield make(Q002, f"new coach '{coach}' coached on {day} {why}",
                       ctx.prog.path(rel), ("coach",), subject=coach)


Q012 = Code("Q012", W, "coach whose write-ups are never checked",
            "Checking a coach's written notes (`kind: write-up-check`) is half of QA: the coach "
            "wrote complete notes in cycles that have ended, and no write-up check of theirs "
            "exists.",
            "# notes/cycle-01/asmith--bjones.yaml: status: complete (cycle 1 has ended)\n"
            "# qa/ holds no write-up-check with coach: asmith\n",
            "Check one of the coach's notes and record it: `kind: write-up-check`, `coach:`, "
            "`by:`, `note:` the note's path.")


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
            yield make(Q012, f"none of the {wrote[coach]} notes '{coach}' wrote in ended "
                       "cycles has had a write-up check", path, ptr, subject=coach)


Q013 = Code("Q013", W, "write-up check names no note of that coach",
            "A write-up check's `note` is the path (relative to the programme) of the note that "
            "was checked. It is missing, names no existing note, or names a note written by "
            "another coach, so the check cannot be traced to what was read.",
            "kind: write-up-check\ncoach: asmith\nby: lead\ndate: 2026-10-16\n"
            "note: notes/cycle-02/asmith--nobody.yaml\n",
            "Correct `note` to the checked note's path, e.g. notes/cycle-02/asmith--bjones.yaml.")


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
        yield make(Q013, f"write-up check of '{q.coach}' on {q.date} {why}",
                   ctx.prog.path(rel), ("note",) if q.note else ("kind",), subject=q.coach)


Q014 = Code("Q014", W, "new coach shadowed another new coach",
            "A new coach learns by shadowing an experienced coach first; the person shadowed "
            "(`by:` of a `kind: shadowing` record) is also flagged `new_coach: true`.",
            "# staff.yaml: asmith and cdavies both new_coach: true\n"
            "kind: shadowing\ncoach: asmith\nby: cdavies\n",
            "Arrange for the new coach to shadow an experienced coach (an expert coach, or one "
            "not flagged new_coach) and record it.")


def new_shadows_new(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q014: a new coach shadows an experienced coach, not another new one."""
    new = {p.id for p in ctx.prog.staff.values() if p.new_coach}
    for rel, q in ctx.prog.qa:
        if q.kind == "shadowing" and q.coach in new and q.by in new:
            yield make(Q014, f"new coach '{q.coach}' shadowed '{q.by}', also a new coach, "
                       f"on {q.date}", ctx.prog.path(rel), ("by",), subject=q.coach)


Q015 = Code("Q015", W, "coach observed in one mode only",
            "programme.yaml `qa.observation_modes: both` asks that over the year each coach is "
            "observed both live and on video (video lets the coach watch themselves). The coach "
            "has been observed twice or more this year, every time in the same mode.",
            "# programme.yaml qa: observation_modes: both\n"
            "# qa/: two observations of asmith, both mode: live\n",
            "Plan the coach's next observation in the other mode (`mode: video` or `live`).")


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
            yield make(Q015, f"'{coach}' has been observed {count[coach]} times this year, "
                       f"all {only}: programme.yaml asks for live and video", path, ptr,
                       subject=coach)


Q016 = Code("Q016", W, "QA focus in a curriculum strand not rolled out",
            "programme.yaml `curriculum_strands` lists the coaching-curriculum strands rolled "
            "out to coaches so far; a QA record's `focus` is a step of another strand, so the "
            "coach is given feedback on something not yet taught in coach training.",
            "# programme.yaml: curriculum_strands: [praise, leverage]\n"
            "focus: rh-02   # in strand rehearsal\n",
            "Choose a focus from a rolled-out strand, or add the strand to curriculum_strands "
            "once coach training has covered it.")


def focus_not_rolled_out(ctx: QaContext) -> Iterator[Diagnostic]:
    """Q016: a QA focus is a step of a curriculum strand that is rolled out."""
    from coachctl.coach_journeys import rolled_out, strand_of

    strands, rolled = strand_of(ctx.prog), rolled_out(ctx.prog)
    for rel, q in ctx.prog.qa:
        strand = strands.get(q.focus) if q.focus else None
        if strand is not None and strand not in rolled:
            yield make(Q016, f"QA focus '{q.focus}' is in strand '{strand}', which "
                       "programme.yaml's curriculum_strands has not rolled out",
                       ctx.prog.path(rel), ("focus",), subject=q.coach)


CODES = (Q001, Q002, Q012, Q013, Q014, Q015, Q016)
