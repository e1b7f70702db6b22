"""``coachctl bulletin``: what a cycle achieved, in counts and step names, for all staff.

Completion by department, the steps most worked on and secured, who is new to
coaching, and the focus the next coach training plans. Built from note records
and ids only: never a word of a note or of QA feedback.

Every cycle's bulletin is made at once and cached per programme and day like
``training plan`` (``check_and_derive``): a warm run loads no data whichever
cycle it is asked for.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coachctl.programme import Programme
from coachctl.reports.journey import step_name
from coachctl.reports.training import Plan, plan
from coachctl.sessions import default_cycle, sessions
from coachctl.tables import Document
from coachctl.validation import Checked, Derived, check_and_derive


@dataclass
class Bulletins:
    """Every cycle's bulletin on one day, and the cycle meant when none is named."""

    default: int | None
    pages: dict[int, Document]


def bulletins(prog: Programme, today: dt.date) -> Bulletins:
    nxt = plan(prog, today)
    return Bulletins(default_cycle(prog, today),
                     {n: bulletin(prog, n, today, nxt) for n in sorted(prog.cycles)})


def bulletin(prog: Programme, cycle: int, today: dt.date, nxt: Plan | None = None) -> Document:
    """The bulletin: a title and sections (heading, lines of plain text); ``nxt``, the
    next training's plan when the caller has it."""
    c = prog.cycles[cycle]
    mine = list(sessions(prog, [c]))
    by_dept: dict[str, Counter[str]] = defaultdict(Counter)
    for s in mine:
        person = prog.staff.get(s.coachee)
        by_dept[person.department if person else "(unknown)"][s.state] += 1
    done = sum(s.state == "done" for s in mine)
    completion = [f"Whole school: {done} of {len(mine)} sessions done"
                  + (f" ({done / len(mine):.0%})" if mine else "")]
    completion += [f"{dept}: {n['done']} of {sum(n.values())}"
                   for dept, n in sorted(by_dept.items())]
    notes = [n for n in prog.notes if n.cycle == cycle and n.status == "complete"
             and n.action_step]
    worked = Counter(sid for _, sid in {(n.coachee, n.action_step) for n in notes})
    secured = Counter(sid for _, sid in {(n.coachee, n.action_step) for n in notes
                                         if n.step_secured})
    steps = [f"{step_name(prog, sid)} ({sid}): {k} coachee{'s' if k != 1 else ''}, "
             f"{secured[sid]} secured it" for sid, k in
             sorted(worked.items(), key=lambda t: (-t[1], str(t[0])))[:5]]
    new = sorted(p.id for p in prog.staff.values() if p.new_coach and p.active_on(today))
    nxt = nxt or plan(prog, today)
    focus = [f"{step_name(prog, n.step)} ({n.step}): {len(n.coaches)} coaches"
             for n in nxt.needs[:3]]
    school = prog.settings.school if prog.settings else prog.display
    title = f"Coaching bulletin: {school}, cycle {cycle} ({c.start} to {c.end})"
    return Document(title, [
        ("Completion by department", completion),
        ("Steps most worked on", steps or ["No complete notes yet."]),
        ("New to coaching", [", ".join(new)] if new else ["Nobody new this year."]),
        (f"Coach training next ({nxt.next_session or 'none scheduled'})",
         focus or ["Nothing stands out."]),
    ])



def _encode(b: Bulletins) -> list[Any]:
    return [b.default, [[n, d.title, [[h, lines] for h, lines in d.sections], d.paragraphs]
                        for n, d in b.pages.items()]]


def _decode(data: list[Any]) -> Bulletins:
    default, pages = data
    return Bulletins(None if default is None else int(default), {
        int(n): Document(str(title), [(str(h), [str(x) for x in lines]) for h, lines in sections],
                         [str(x) for x in paragraphs])
        for n, title, sections, paragraphs in pages})


DERIVED: Derived[Bulletins] = Derived("bulletin.msgpack", __name__,
                                      lambda c, day: bulletins(c.programme, day),
                                      _encode, _decode)


def bulletins_of(root: Path, display: str | None, today: dt.date) -> tuple[Checked, Bulletins]:
    """Check a programme and make its bulletins, from the cache when neither a file, nor
    this code, nor anything ``today`` is compared with has changed."""
    return check_and_derive(root, display, today, DERIVED)
