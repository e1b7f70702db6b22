"""The score of one (coach, coachee) pair: the weighted terms it earns, and why.

Each term (:data:`TERMS`) adds or takes off its weight from ``pairing.weights``
in programme.yaml; :func:`score` also writes the explanation a lead coach reads.
"""

from __future__ import annotations

from coachctl.pairing.facts import Facts
from coachctl.pairing.proposal import Suggestion

TERMS: dict[str, tuple[str, int]] = {
    "secured": ("secured_step", 1), "coached": ("coached_step", 1), "strand": ("strand", 1),
    "expert": ("expert", 1), "department": ("department", 1), "keep": ("keep_pair", 1),
    "repeat": ("repeat_pair", -1),
}
"""Each term a pair can earn: the weight (``pairing.weights``) it adds, or takes off."""


def terms(f: Facts, coach: str, coachee: str) -> list[str]:
    """The :data:`TERMS` the pair earns (no text: this runs for every possible pair)."""
    out = []
    step = f.step(coachee)
    if step:
        mine, theirs = f.secured_by.get(coach, {}), f.coached_to.get(coach, {})
        if step in mine:
            out.append("secured")
        if step in theirs:
            out.append("coached")
        strand = f.strand_of.get(step)
        if (strand and step not in mine and step not in theirs
                and not f.strand_steps(strand).isdisjoint(f.strengths(coach))):
            out.append("strand")
    cp, ep = f.person(coach), f.person(coachee)
    if cp.expert_coach:
        out.append("expert")
    pref = f.settings.pairing.department
    if pref == "any" or (pref == "same") == (cp.department == ep.department):
        out.append("department")
    if (coach, coachee) in f.working:
        out.append("keep")
    elif (coach, coachee) in f.before:
        out.append("repeat")
    return out


def points(f: Facts, earned: list[str]) -> int:
    w = f.settings.pairing.weights
    return sum(getattr(w, TERMS[t][0]) * TERMS[t][1] for t in earned)


def score(f: Facts, coach: str, coachee: str, load: int) -> Suggestion:
    """The pair's score and explanation, with ``load`` coachees already the coach's."""
    earned = terms(f, coach, coachee)
    why: list[str] = []
    gave_up: list[str] = []
    step = f.step(coachee)
    strand = f.strand_of.get(step) if step else None
    if step:
        why.append(f"needs {strand.name.lower()} ({step})" if strand else f"needs {step}")
    else:
        why.append("no step to work on yet")
    if "secured" in earned:
        why.append(f"{coach} secured {step} in cycle {f.secured_by[coach][str(step)]}")
    if "coached" in earned:
        cycles = f.coached_to[coach][str(step)]
        n = len(cycles)
        why.append(f"{coach} coached {n} colleague{'s' if n != 1 else ''} to secure "
                   f"{step} (cycle {cycles[0]})")
    if "strand" in earned and strand:
        why.append(f"{coach} secured a {strand.name.lower()} step")
    cp, ep = f.person(coach), f.person(coachee)
    mentor = ep.role == "ect" and ep.mentor == coach
    if mentor:
        why.append("ECT with their mentor")
    if "expert" in earned:
        why.append("expert coach")
    why.append("same department" if cp.department == ep.department else "other department")
    if "department" not in earned:
        pref = f.settings.pairing.department
        gave_up.append(f"a coach from {'their own' if pref == 'same' else 'another'} "
                       "department")
    if "keep" in earned:
        why.append("keeps a working pair")
    if "repeat" in earned:
        gave_up.append(f"not repeating an earlier pair ({coach} coached them before)")
    w = f.settings.pairing.weights
    why.append(f"{load + 1} coachee{'s' if load else ''}")
    return Suggestion(coach, coachee, points(f, earned) - w.load * load, why, gave_up,
                      mentor=mentor)
