"""Coach training (training/DATE.yaml): a record of each Teach Meet and CPL held so far.

Each one practised what QA observations had most often found not yet secure
since the one before; with imperfections, several coaches are observed not
yet secure in one step since the last one (the ``training-need`` gap), which
``coachctl training plan`` should lead with.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from coachctl.synth.pairings import Pairings
from coachctl.synth.year import Year
from coachctl.yamlout import record_text

Seen = list[tuple[str, dt.date, str, bool]]
"""QA observations made: (coach, date, focus, secured)."""


class Training:
    """Generates the training records, and chooses the training need QA plants."""

    def __init__(self, y: Year, p: Pairings) -> None:
        self.y, self.p = y, p
        every = y.rules.teach_meet_every
        days = [d for plan in y.plans for d in
                y.cal.weekday_dates(plan.start, plan.end, y.rules.coaching_day)]
        self.meets = [d for d in days[every - 1::every] if d < y.today] if every else []
        """Every Teach Meet and CPL held so far."""
        self.since = self.meets[-1] if self.meets else None
        """The last one."""

    def need(self, seq: list[str], plants: dict[str, str]) -> tuple[str, list[str]] | None:
        """A step several coaches are observed not yet secure in since the last Teach Meet:
        the first step of the latest strand rolled out, which the next plan should lead with.

        The coaches are chosen among those no other QA gap needs (``plants``)."""
        y, p, since = self.y, self.p, self.since
        terms = [t for t in y.calendar.terms if t.start <= y.today]
        if not (y.imperfect and since and seq and since >= terms[-1].start):
            return None
        strand = next(steps for sid, steps in y.curriculum if sid == y.rolled_out[-1])
        pool = [c for c in p.coach_ids if c not in plants.values()  # QA focus only
                and c != p.late_shadow and y.by_id[c].active(y.today)]
        count = min(len(pool), max(3, len(p.coach_ids) // 8))
        return (strand[0], sorted(y.rng.sample(pool, count))) if count >= 2 else None

    def write(self, seen: Seen, seq: list[str]) -> None:
        """A record of each Teach Meet and CPL so far: it practised what QA most often found
        not yet secure since the one before, and most coaches came."""
        y = self.y
        before: dt.date | None = None
        for day in self.meets:
            found: dict[str, int] = defaultdict(int)
            for _cid, d, focus, secured in seen:
                if not secured and d < day and (before is None or d >= before) and focus in seq:
                    found[focus] += 1
            practised = sorted(found, key=lambda f: (-found[f], seq.index(f)))[:2] or seq[:1]
            came = [c for c in self.p.coach_ids if y.by_id[c].active(day)
                    and y.rng.random() < 0.9]
            y.write(f"training/{day}.yaml", record_text(
                {"date": day, "kind": "cpl", "focus": practised, "attended": came}))
            before = day
