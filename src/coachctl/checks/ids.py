"""Every id a file mentions must exist, and ids must be unique (R001-R004, R017)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from coachctl.codes import Code, E
from coachctl.diagnostics import Diagnostic, Pointer, make
from coachctl.programme import Programme

R001 = Code("R001", E, "unknown staff id",
            "Every person a file mentions must be listed in staff.yaml.",
            "coach: asmiht   # staff.yaml lists asmith\n", "Fix the id or add the person.")


def _unknown_staff(prog: Programme, who: str | None, rel: str, ptr: Pointer,
                   role: str) -> Iterator[Diagnostic]:
    if who is not None and prog.staff_file is not None and who not in prog.staff:
        yield make(R001, f"{role} '{who}' is not in staff.yaml", prog.path(rel), ptr,
                   hint=_close(who, prog.staff))


def _close(word: str, choices: Iterable[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return f"did you mean '{close[0]}'?" if close else None


def staff_references(prog: Programme) -> Iterator[Diagnostic]:
    """R001: people named in programme, staff (mentors), pairings, notes and QA exist."""
    if prog.settings:
        yield from _unknown_staff(prog, prog.settings.lead_coach, "programme.yaml",
                                  ("lead_coach",), "lead coach")
    for i, person in enumerate(prog.staff_file.staff if prog.staff_file else []):
        yield from _unknown_staff(prog, person.mentor, "staff.yaml", ("staff", i, "mentor"),
                                  "mentor")
        yield from _unknown_staff(prog, person.line_manager, "staff.yaml",
                                  ("staff", i, "line_manager"), "line manager")
    pf = prog.pairings
    for i, g in enumerate(pf.groups):
        yield from _unknown_staff(prog, g.coach, "pairings.yaml", ("groups", i, "coach"), "coach")
        for j, c in enumerate(g.coachees):
            yield from _unknown_staff(prog, c, "pairings.yaml", ("groups", i, "coachees", j),
                                      "coachee")
    for i, r in enumerate(pf.reciprocal):
        for j, s in enumerate(r.staff):
            yield from _unknown_staff(prog, s, "pairings.yaml", ("reciprocal", i, "staff", j),
                                      "partner")
    for i, h in enumerate(pf.hubs):
        yield from _unknown_staff(prog, h.expert, "pairings.yaml", ("hubs", i, "expert"),
                                  "expert coach")
        for j, c in enumerate(h.coaches):
            yield from _unknown_staff(prog, c, "pairings.yaml", ("hubs", i, "coaches", j), "coach")
    for n in prog.notes:
        yield from _unknown_staff(prog, n.coach, n.path, ("coach",), "coach")
        yield from _unknown_staff(prog, n.coachee, n.path, ("coachee",), "coachee")
    for rel, q in prog.all_qa:
        yield from _unknown_staff(prog, q.coach, rel, ("coach",), "coach")
        yield from _unknown_staff(prog, q.by, rel, ("by",), "'by'")
    for rel, t in prog.training:
        for j, who in enumerate(t.attended):
            yield from _unknown_staff(prog, who, rel, ("attended", j), "attendee")


R017 = Code("R017", E, "start step not in the sequence",
            "A person's `start_step` in staff.yaml (where an experienced teacher starts in the "
            "school's sequence) must be one of the steps listed in steps/sequence.yaml.",
            "# staff.yaml\nstart_step: rt-99   # sequence.yaml lists rt-01 to rt-08\n",
            "Use a step id from steps/sequence.yaml, or remove `start_step` to start at the "
            "first step.")


def start_steps(prog: Programme) -> Iterator[Diagnostic]:
    """R017: a person's ``start_step`` is a step of the school's sequence."""
    if prog.sequence is None or prog.staff_file is None:
        return
    sequence = prog.sequence.steps
    for i, person in enumerate(prog.staff_file.staff):
        if person.start_step is not None and person.start_step not in sequence:
            yield make(R017, f"start step '{person.start_step}' of '{person.id}' is not in "
                       "the school's sequence (steps/sequence.yaml)", prog.path("staff.yaml"),
                       ("staff", i, "start_step"), subject=person.id,
                       hint=_close(person.start_step, sequence))


R002 = Code("R002", E, "unknown action step",
            "An action step id is not in the library (steps/library.yaml) or, for coaching "
            "steps, in the coaching curriculum.",
            "action_step: rt-99\n", "Use a step id from the library.")


def step_references(prog: Programme) -> Iterator[Diagnostic]:
    """R002: action steps in the sequence and notes, and QA focus steps, exist."""
    steps, coaching = prog.steps, prog.coaching_steps
    if prog.library is not None:
        for i, sid in enumerate(prog.sequence.steps if prog.sequence else []):
            if sid not in steps:
                yield make(R002, f"step '{sid}' is not in steps/library.yaml",
                           prog.path("steps/sequence.yaml"), ("steps", i),
                           hint=_close(sid, steps))
        for n in prog.notes:
            if n.action_step is not None and n.action_step not in steps:
                yield make(R002, f"action step '{n.action_step}' is not in steps/library.yaml",
                           prog.path(n.path), ("action_step",), hint=_close(n.action_step, steps))
    if prog.curriculum is not None:
        for rel, q in prog.all_qa:
            if q.focus is not None and q.focus not in coaching:
                yield make(R002, f"focus '{q.focus}' is not in steps/coaching-curriculum.yaml",
                           prog.path(rel), ("focus",), hint=_close(q.focus, coaching))
        for rel, t in prog.training:
            for j, sid in enumerate(t.focus):
                if sid not in coaching:
                    yield make(R002, f"focus '{sid}' is not in steps/coaching-curriculum.yaml",
                               prog.path(rel), ("focus", j), hint=_close(sid, coaching))


R003 = Code("R003", E, "unknown cycle",
            "A note or pairing names a cycle number with no file in cycles/. When the "
            "cycle's file exists but cannot be read, its notes are not reported one by one: "
            "the file's own error and one Y014 say so.",
            "cycle: 14   # cycles/ holds cycle-01 to cycle-04\n",
            "Fix the number, or open the cycle with `coachctl cycle start`.")


def cycle_references(prog: Programme) -> Iterator[Diagnostic]:
    """R003: a note's cycle has a cycle file."""
    if "cycles" not in prog.present and not prog.notes:
        return
    for n in prog.notes:
        if n.cycle not in prog.cycles:
            yield make(R003, f"cycle {n.cycle} has no file in cycles/", prog.path(n.path),
                       ("cycle",), hint="open it with `coachctl cycle start`")


def unique_ids(prog: Programme) -> Iterator[Diagnostic]:
    """R004: step ids are unique across the library and curriculum; hub ids are unique.

    Duplicate staff ids and cycle numbers are caught while loading.
    """
    seen: dict[str, str] = {}
    for rel, lib in (("steps/library.yaml", prog.library),
                     ("steps/coaching-curriculum.yaml", prog.curriculum)):
        for i, strand in enumerate(lib.strands if lib else []):
            for j, step in enumerate(strand.steps):
                if step.id in seen:
                    yield make("R004", f"step id '{step.id}' is also used in {seen[step.id]}",
                               prog.path(rel), ("strands", i, "steps", j, "id"))
                else:
                    seen[step.id] = rel
    hubs: set[str] = set()
    for i, h in enumerate(prog.pairings.hubs):
        if h.id in hubs:
            yield make("R004", f"hub id '{h.id}' is used twice", prog.path("pairings.yaml"),
                       ("hubs", i, "id"))
        hubs.add(h.id)


CHECKS = (staff_references, step_references, start_steps, cycle_references, unique_ids)
ON_RECORDS = (staff_references, step_references, cycle_references)
CODES = (R001, R017, R002, R003)
