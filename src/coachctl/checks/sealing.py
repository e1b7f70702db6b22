"""Sealed programmes keep their free text sealed, and their readers have keys (R023-R025).

These checks read only plain fields (which free-text fields a file holds in plain,
whether it has a sealed block, staff keys): they decrypt nothing and need no key,
so ``validate`` of a sealed programme costs what it costs of a plain one.
"""

from __future__ import annotations

from collections.abc import Iterator

from coachctl import models as m
from coachctl.codes import Code, E, W
from coachctl.diagnostics import Diagnostic, make
from coachctl.programme import Programme


def _sealing(prog: Programme) -> m.Sealing | None:
    return prog.settings.sealing if prog.settings is not None else None


R023 = Code("R023", E, "free text left unsealed",
            "programme.yaml has `sealing:`, so the free text of notes and QA records (precise "
            "praise, next steps, notes, missed reason, QA feedback) is kept sealed: encrypted "
            "to the people who may read it. This file holds some in plain text, readable by "
            "anyone with a clone of the repository. CI fails here so it is never merged.",
            "# programme.yaml has sealing:\nstatus: complete\nprecise_praise: ...\n",
            "Seal it before committing: `coachctl note seal FILE` (the pre-commit hook "
            "coachctl-note-seal does it for you). Text already committed in plain stays in "
            "git history: see docs/privacy.md.")


def unsealed(prog: Programme) -> Iterator[Diagnostic]:
    """R023: free text in plain in a programme that seals it."""
    if _sealing(prog) is None:
        return
    hint = "seal it before committing: coachctl note seal FILE"
    for n in prog.notes:
        if n.plain_text:
            yield make(R023, f"free text left unsealed ({', '.join(n.plain_text)})",
                       prog.path(n.path), (n.plain_text[0],), hint=hint)
    for rel, q in prog.all_qa:
        if m.filled(q.feedback):  # from the cache: a placeholder, the text withheld
            yield make(R023, "free text left unsealed (feedback)", prog.path(rel),
                       ("feedback",), hint=hint)


R024 = Code("R024", W, "reader without a key",
            "In a sealed programme every coach, coachee and QA reader needs a public key "
            "(`age_key` in staff.yaml) so notes can be sealed to them. Without one, "
            "programme.yaml's `sealing.without_key` decides: `refuse` (their notes cannot be "
            "sealed, so not committed) or `qa-readers` (sealed to the QA readers only).",
            "# staff.yaml\n- id: bjones\n  # no age_key:\n",
            "The person runs `coachctl key init` and adds the `age_key:` line it prints to "
            "their entry in staff.yaml; then `coachctl reseal` lets them read older notes.")


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
            yield make(R024, f"'{person.id}' reads sealed notes but has no age_key; {why}",
                       prog.path("staff.yaml"), ("staff", i, "id"), subject=person.id,
                       hint="they run `coachctl key init` and add the line it prints")


R025 = Code("R025", E, "unknown QA reader",
            "`sealing.qa_readers` in programme.yaml names someone who is not in staff.yaml, "
            "so nothing can be sealed to them.",
            "sealing:\n  qa_readers: [zz-nobody]\n",
            "Fix the id, or add the person to staff.yaml.")


def unknown_readers(prog: Programme) -> Iterator[Diagnostic]:
    """R025: sealing.qa_readers names someone who is not in staff.yaml."""
    sealing = _sealing(prog)
    if sealing is None or sealing.qa_readers is None or prog.staff_file is None:
        return
    for i, who in enumerate(sealing.qa_readers):
        if who not in prog.staff:
            yield make(R025, f"QA reader '{who}' is not in staff.yaml",
                       prog.path("programme.yaml"), ("sealing", "qa_readers", i))


CHECKS = (unsealed, readers_without_key, unknown_readers)
ON_RECORDS = (unsealed,)
CODES = (R023, R024, R025)
