"""Sealed programmes keep their free text sealed, and their readers have keys (R023-R025).

These checks read only plain fields (which free-text fields a file holds in plain,
whether it has a sealed block, staff keys): they decrypt nothing and need no key,
so ``validate`` of a sealed programme costs what it costs of a plain one.
"""

from __future__ import annotations

from collections.abc import Iterator

from coachctl import models as m
from coachctl.diagnostics import Diagnostic, make
from coachctl.programme import Programme


def _sealing(prog: Programme) -> m.Sealing | None:
    return prog.settings.sealing if prog.settings is not None else None


def unsealed(prog: Programme) -> Iterator[Diagnostic]:
    """R023: free text in plain in a programme that seals it."""
    if _sealing(prog) is None:
        return
    hint = "seal it before committing: coachctl note seal FILE"
    for n in prog.notes:
        if n.plain_text:
            yield make("R023", f"free text left unsealed ({', '.join(n.plain_text)})",
                       prog.path(n.path), (n.plain_text[0],), hint=hint)
    for rel, q in prog.qa:
        if q.feedback is not None:  # from the cache: "" (present, text withheld)
            yield make("R023", "free text left unsealed (feedback)", prog.path(rel),
                       ("feedback",), hint=hint)


def readers_without_key(prog: Programme) -> Iterator[Diagnostic]:
    """R024: someone who reads sealed notes (coach, coachee, QA reader) has no age_key."""
    sealing = _sealing(prog)
    if sealing is None or prog.staff_file is None or prog.settings is None:
        return
    readers = {p.coach for p in prog.pairings.pairs()} | {
        p.coachee for p in prog.pairings.pairs()}
    qa = set(sealing.qa_readers if sealing.qa_readers is not None
             else [prog.settings.lead_coach])
    if sealing.hub_experts:
        qa |= {h.expert for h in prog.pairings.hubs}
    fallback = ("their notes are not sealed until they have one (sealing.without_key: refuse)"
                if sealing.without_key == "refuse"
                else "their notes are sealed to the QA readers only")
    for i, person in enumerate(prog.staff_file.staff):
        if person.left is None and person.age_key is None and person.id in readers | qa:
            why = ("a QA reader: no note can be sealed to them" if person.id in qa
                   else fallback)
            yield make("R024", f"'{person.id}' reads sealed notes but has no age_key; {why}",
                       prog.path("staff.yaml"), ("staff", i, "id"), subject=person.id,
                       hint="they run `coachctl key init` and add the line it prints")


def unknown_readers(prog: Programme) -> Iterator[Diagnostic]:
    """R025: sealing.qa_readers names someone who is not in staff.yaml."""
    sealing = _sealing(prog)
    if sealing is None or sealing.qa_readers is None or prog.staff_file is None:
        return
    for i, who in enumerate(sealing.qa_readers):
        if who not in prog.staff:
            yield make("R025", f"QA reader '{who}' is not in staff.yaml",
                       prog.path("programme.yaml"), ("sealing", "qa_readers", i))


CHECKS = (unsealed, readers_without_key, unknown_readers)
