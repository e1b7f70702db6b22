"""Changes to who is in the programme: someone leaving (``coachctl staff leave``).

A person who leaves on day D takes part up to their *last cycle*: the latest
cycle (on file or planned) that starts on or before D
(:meth:`coachctl.checks.pairings.YearCycles.last_for`). Leaving then means:

* ``left: D`` in their staff.yaml entry;
* every pairing they are in ends with that cycle (``until_cycle``): a group they
  coach, or coach alongside nobody else, ends; a group in which they are one of
  several coachees is split, the others carrying on from the next cycle; a
  pairing that would only begin after their last cycle loses them;
* their *unwritten* stubs dated after D (:func:`is_unwritten`: nothing typed in
  them, not even a comment) are deleted; every other note stays as it is;
* QA planned after D with them as coach or observer (``status: planned``, no
  feedback: ``coachctl qa-plan`` writes these) is deleted; a re-run of ``qa-plan``
  plans it again with someone else.

Each file is edited through :mod:`coachctl.yamledit`, so comments and layout are
kept, and the whole plan is checked against the programme before anything is
written. Files are written pairings first, then stubs, staff.yaml last; every step
is computed from the files as they are, so re-running an interrupted run (or a
finished one) completes it or changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coachctl import yamledit
from coachctl.checks.pairings import YearCycles, leaver_last_cycle
from coachctl.cycledates import CycleDates
from coachctl.lifecycle import stub_text
from coachctl.models import NoteRecord
from coachctl.programme import Programme
from coachctl.yamlsafe import parse_bytes


def end_pairings(doc: dict[str, Any], who: str, last: int, *, coach: str | None = None,
                 on_end: Callable[[dict[str, Any]], None] | None = None) -> None:
    """End every pairing ``who`` is in after cycle ``last`` (0: take them out of all);
    with ``coach``, only those in which ``coach`` coaches ``who``. ``on_end`` is called
    with each entry given an ``until_cycle``.

    Works on pairings.yaml's value, plain or round-trip (see :mod:`coachctl.yamledit`).
    """
    def close(entry: dict[str, Any], after: tuple[str, ...]) -> None:
        yamledit.put(entry, "until_cycle", last, after=after)
        if on_end is not None:
            on_end(entry)

    groups = doc.get("groups") or []
    i = 0
    while i < len(groups):
        g = groups[i]
        coachees = list(g.get("coachees") or [])
        until = g.get("until_cycle")
        mine = (who in coachees and g.get("coach") == coach if coach is not None
                else who == g.get("coach") or who in coachees)
        if not mine or (until is not None and until <= last):
            i += 1
            continue
        begins_after = g.get("from_cycle", 1) > last
        others = [c for c in coachees if c != who]
        if who == g.get("coach") or not others:
            if begins_after:
                del groups[i]
                continue
            close(g, ("coachees", "from_cycle"))
        elif begins_after:
            del g["coachees"][coachees.index(who)]
        else:  # one of several coachees: the others carry on without them
            rest: dict[str, Any] = {"coach": g["coach"], "coachees": others,
                                    "from_cycle": last + 1}
            for key in ("until_cycle", "reason"):
                if key in g:
                    rest[key] = g[key]
            close(g, ("coachees", "from_cycle"))
            groups.insert(i + 1, rest)
            i += 1
        i += 1
    pairs = doc.get("reciprocal") or []
    i = 0
    while i < len(pairs):
        r = pairs[i]
        until = r.get("until_cycle")
        staff = set(r.get("staff") or [])
        mine = staff == {who, coach} if coach is not None else who in staff
        if mine and (until is None or until > last):
            if r.get("from_cycle", 1) > last:
                del pairs[i]
                continue
            close(r, ("staff", "from_cycle"))
        i += 1


def record_left(doc: dict[str, Any], who: str, day: dt.date) -> None:
    """Set ``left: day`` on ``who``'s entry in staff.yaml's value."""
    for entry in doc.get("staff") or []:
        if entry.get("id") == who:
            yamledit.put(entry, "left", day, after=("joined",))


_TYPED = ("precise_praise", "next_steps", "notes", "missed_reason", "modelled", "rehearsed",
          "scripted", "step_chosen_by", "observed")


def is_unwritten(prog: Programme, note: NoteRecord) -> bool:
    """The note is a stub nobody has typed in: status stub, no free text, no answers
    (modelled, rehearsed, step secured, an observation other than a drop-in's), and no
    comment but those coachctl writes in a stub."""
    if note.status != "stub" or note.step_secured or note.observation not in (None, "drop-in"):
        return False
    try:
        data = (prog.root / note.path).read_bytes()
    except OSError:
        return False
    value = parse_bytes(data, note.path).value
    if not isinstance(value, dict) or any(_typed(value.get(k)) for k in _TYPED):
        return False
    day = note.date or dt.date.min
    ours = stub_text(CycleDates(note.cycle, day, day, day, "planned"), note.coach,
                     note.coachee, day, note.action_step, note.observation)
    text = data.decode("utf-8", "replace")
    return set(_comment_lines(text)) <= set(_comment_lines(ours))


def _typed(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


_CYCLE_DATES = re.compile(r" \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\)")
"""The cycle's dates in a stub's first line, which a stub of any age may or may not carry."""


def _comment_lines(text: str) -> list[str]:
    return [_CYCLE_DATES.sub("", line.strip()) for line in text.splitlines()
            if line.strip().startswith("#")]


@dataclass
class LeavePlan:
    who: str
    day: dt.date
    last_cycle: int
    """The last cycle they take part in (0: none)."""
    edits: list[yamledit.Edit] = field(default_factory=list)
    """In the order to write them: pairings.yaml, stubs and planned QA to delete,
    staff.yaml."""
    kept: list[str] = field(default_factory=list)
    """Their notes dated after the day that someone has written in: left alone."""
    need_a_coach: list[str] = field(default_factory=list)
    """Coachees they coached who have no coach in the cycle after their last."""


def plan_leave(prog: Programme, who: str, day: dt.date) -> LeavePlan:
    """What ``staff leave`` writes. Raises :class:`coachctl.yamledit.Refused`."""
    year = YearCycles.of(prog)
    last = year.last_for(day)
    plan = LeavePlan(who, day, last)
    plan.edits.append(yamledit.edit_file(prog.root, "pairings.yaml",
                                         lambda d: end_pairings(d, who, last)))
    for note in sorted(prog.notes, key=lambda n: n.path):
        if who in (note.coach, note.coachee) and note.date is not None and note.date > day:
            if is_unwritten(prog, note):
                plan.edits.append(yamledit.delete(prog.root, note.path))
            else:
                plan.kept.append(note.path)
    for rel, q in sorted(prog.planned_qa, key=lambda r: r[0]):
        if who in (q.coach, q.by) and q.date > day and q.feedback is None and q.sealed is None:
            plan.edits.append(yamledit.delete(prog.root, rel))
    plan.edits.append(yamledit.edit_file(prog.root, "staff.yaml",
                                         lambda d: record_left(d, who, day)))
    following = year.after(last)[:1]
    if following:
        after = yamledit.preview(prog, plan.edits)
        n = following[0]

        def here(person: str) -> bool:
            end = leaver_last_cycle(after, person, year)
            return end is None or end >= n

        theirs = {p.coachee for p in prog.pairings.pairs(n) if p.coach == who and here(p.coachee)}
        coached = {p.coachee for p in after.pairings.pairs(n) if here(p.coach)}
        plan.need_a_coach = sorted(theirs - coached - {who})
    return plan
