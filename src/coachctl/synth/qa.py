"""Quality-assurance records (qa/): observations of coaches, shadowing, write-up checks.

:class:`QaRecords` writes what a school's QA team does in a year: it
observes every coach each half term (live or on video, on the coach's
current coaching-curriculum step, found secured or not), records each new
coach's shadowing, and checks coaches' write-ups of their notes. With
imperfections it plants the QA gaps ``coachctl qa`` should find, each on a
coach no other gap needs, and the training need (``training``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from coachctl.calendar import ONE_DAY
from coachctl.synth.notes import Notes
from coachctl.synth.pairings import Pairings
from coachctl.synth.training import Seen, Training
from coachctl.synth.year import Year
from coachctl.yamlout import record_text

SECURE_RATE = 0.6
"""How often a QA observation finds the coach secure in its focus."""

QA_FEEDBACK = (
    "Precise praise was specific; keep the step smaller next time.",
    "Rehearsal was strong: the coachee practised until fluent.",
    "The step was well chosen from the sequence; script it more tightly.",
    "Good questioning; give the coachee more of the talking.",
)


class QaRecords:
    """Generates qa/ (and, through :class:`Training`, training/) for one year.

    Each coach is observed by their observer (the lead observes the QA team,
    a hub's expert their hub), on a step further along the coaching curriculum
    the longer they have coached, which moves on when found secured; so
    ``qa``, ``training plan`` and the coach-development reports have a
    realistic history to read. The QA gaps (``choose_plants``) each fall on a
    coach no other gap needs, so each stands apart.
    """

    def __init__(self, y: Year, p: Pairings, notes: Notes) -> None:
        self.y, self.p, self.notes = y, p, notes
        self.terms = [t for t in y.calendar.terms if t.start <= y.today]
        """The half terms begun by today: one observation of each coach in each."""
        self.names: dict[str, int] = {}
        self.seq = [sid for strand, steps in y.curriculum if strand in y.rolled_out
                    for sid in steps]
        """The coaching-curriculum steps rolled out: an observation's focus."""
        self.outside = [sid for strand, steps in y.curriculum if strand not in y.rolled_out
                        for sid in steps]
        self.observer = {q.id: y.lead.id for q in p.qa_team}
        """Who observes whom: the lead the QA team (and another the lead), hubs' experts."""
        self.observer[y.lead.id] = p.qa_team[1].id if len(p.qa_team) > 1 else y.lead.id
        for hub in p.hubs:
            for c in hub["coaches"]:
                self.observer[c] = hub["expert"]

    def run(self) -> None:
        y = self.y
        self.plants = self.choose_plants()
        hub_by_other = self.plants.get("hub-qa-not-by-expert")
        self.other_hub = next((h for h in self.p.hubs if h["id"] == hub_by_other), None)
        where: dict[str, int] = {}  # each coach's step in seq: further on for the experienced
        for cid in self.p.coach_ids:
            years = y.year - (y.by_id[cid].coach_since or y.year)
            where[cid] = y.rng.randint(0, min(len(self.seq) - 1, 2 * years))
        training = Training(y, self.p)
        need = training.need(self.seq, self.plants)
        seen = self.observations(where, need, training.since)
        self.shadowing()
        self.write_up_checks()
        if self.other_hub is not None:
            y.plant("hub-qa-not-by-expert", "pairings.yaml", self.other_hub["id"])
        training.write(seen, self.seq)
        if need and training.since:
            y.plant("training-need",
                    f"qa/ ({len(need[1])} observations since {training.since})", need[0])

    def record(self, kind: str, coach: str, by: str, day: dt.date, **extra: Any) -> str:
        """Write one QA record (numbered if the coach has two of a kind that day)."""
        y, hub = self.y, self.other_hub
        if hub and coach in hub["coaches"] and by == hub["expert"] \
                and day >= self.terms[-1].start:
            by = y.lead.id  # this half term the lead, not the hub's expert, QAs it
        base = f"qa/{day}-{kind}-{coach}"
        self.names[base] = self.names.get(base, 0) + 1
        rel = base + (f"-{self.names[base]}" if self.names[base] > 1 else "") + ".yaml"
        y.write(rel, record_text({"kind": kind, "coach": coach, "by": by, "date": day,
                                  **extra}))
        return rel

    def choose_plants(self) -> dict[str, str]:
        """Who carries each planted QA gap (none without imperfections)."""
        y, p, terms = self.y, self.p, self.terms
        if not y.imperfect:
            return {}
        rng = y.rng
        plants: dict[str, str] = {}
        taken = {p.late_shadow}
        candidates = [c for c in p.coach_ids if c not in y.busy and c not in taken]
        if candidates:
            plants["coach-not-observed"] = rng.choice(candidates)
        ended = {n for n, plan in enumerate(y.plans, 1) if plan.end < y.today}
        wrote = sorted({c for n, notes in self.notes.complete.items() if n in ended
                        for c, _, _ in notes})
        for kind, pool in (("never-checked", wrote), ("wrong-note", wrote),
                           ("focus-not-rolled-out", p.coach_ids),
                           ("one-mode-only", p.coach_ids if y.qa_rules.observation_modes
                            == "both" and len(terms) > 1 else [])):
            # a QA plant touches only QA records: only the people other gaps need are kept
            # apart (the coach never checked stays off every other list)
            apart = y.busy if kind in ("never-checked", "one-mode-only") else set()
            free = [c for c in pool if c not in apart and c not in plants.values()
                    and c != p.late_shadow and y.by_id[c].left is None]
            if free:
                plants[kind] = rng.choice(free)
        new = [c for c in p.coach_ids if y.new_coach(c) and c != p.late_shadow]
        if len(new) >= 2:
            plants["new-shadows-new"], plants["shadowed-new"] = new[0], new[1]
        if p.hubs and len(terms) > 1:
            plants["hub-qa-not-by-expert"] = rng.choice(p.hubs)["id"]
        return plants

    def observations(self, where: dict[str, int], need: tuple[str, list[str]] | None,
                     since: dt.date | None) -> Seen:
        """One observation of each coach in each half term begun, by their observer."""
        y, p, plants = self.y, self.p, self.plants
        rng, seq, outside, last = y.rng, self.seq, self.outside, self.terms[-1]
        unobserved, one_mode = plants.get("coach-not-observed"), plants.get("one-mode-only")
        last_mode: dict[str, str] = {}
        seen: Seen = []
        for t in self.terms:
            days = [d for d in y.cal.teaching_days(t.start, min(t.end, y.today))
                    if d > y.shadow_day]
            for cid in p.coach_ids:
                coach = y.by_id[cid]
                if t is last and cid == unobserved:
                    y.plant("coach-not-observed", "qa/", cid)
                    continue
                by = self.observer.get(cid) or rng.choice(p.qa_team).id
                if by == cid:
                    by = y.lead.id if cid != y.lead.id else p.qa_team[-1].id
                ok = [d for d in days if coach.active(d) and y.by_id[by].active(d)]
                if not ok:
                    continue
                mode = "live" if rng.random() < 0.7 else "video"
                if y.qa_rules.observation_modes == "both" and cid in last_mode \
                        and cid != one_mode:
                    mode = "video" if last_mode[cid] == "live" else "live"
                elif cid == one_mode:
                    mode = "live"
                last_mode[cid] = mode
                focus, secured = seq[where[cid]], rng.random() < SECURE_RATE
                day = rng.choice(ok)
                if t is last and cid == plants.get("focus-not-rolled-out") and outside:
                    focus, secured = outside[0], False
                elif t is last and need and cid in need[1] and since:
                    focus, secured = need[0], False  # seen since the last training
                    day = rng.choice([d for d in ok if d > since] or ok)
                elif secured:
                    where[cid] = min(where[cid] + 1, len(seq) - 1)
                seen.append((cid, day, focus, secured))
                rel = self.record("observation", cid, by, day, mode=mode, focus=focus,
                                  secured=secured, feedback=rng.choice(QA_FEEDBACK))
                if focus in outside:
                    y.plant("focus-not-rolled-out", rel, cid)
                if cid == one_mode and t is last:
                    y.plant("one-mode-only", rel, cid)
        return seen

    def shadowing(self) -> None:
        """Each new coach shadows an experienced one on the first teaching day (planted:
        one shadows only after their first note, one shadows another new coach)."""
        y, plants, first_note = self.y, self.plants, self.notes.first_note
        for cid in self.p.coach_ids:
            if not y.new_coach(cid):
                continue
            by = self.observer.get(cid, y.lead.id)
            if cid == self.p.late_shadow and cid in first_note:
                day = first_note[cid] + ONE_DAY
                while not y.cal.is_teaching_day(day):
                    day += ONE_DAY
                rel = self.record("shadowing", cid, by, min(day, y.today))
                y.plant("coached-before-shadowing", rel, cid)
            elif cid == plants.get("new-shadows-new"):
                rel = self.record("shadowing", cid, plants["shadowed-new"], y.shadow_day)
                y.plant("new-shadows-new", rel, cid)
            else:
                self.record("shadowing", cid, by, y.shadow_day)

    def write_up_checks(self) -> None:
        """Each QA coach checks a write-up per ended cycle; every coach who wrote notes is
        checked at least once (but for the planted gaps)."""
        y, complete = self.y, self.notes.complete
        never, wrong = self.plants.get("never-checked"), self.plants.get("wrong-note")
        checked: set[str] = set()
        last: dict[str, tuple[int, str]] = {}
        for number, notes in complete.items():
            if not y.closed(number):
                continue
            check = y.plans[number - 1].end
            for writer, rel, _day in notes:
                if writer != never and y.by_id[writer].active(check):
                    last[writer] = (number, rel)
            for checker in self.p.qa_team:
                mine = [n for n in notes if n[0] not in (checker.id, never, wrong)]
                if not mine:
                    continue
                writer, rel, _day = y.rng.choice(mine)
                if y.by_id[writer].active(check) and checker.active(check):
                    self.record("write-up-check", writer, checker.id, check, note=rel)
                    checked.add(writer)
        for writer, (number, rel) in sorted(last.items()):
            check = y.plans[number - 1].end
            by = self.observer.get(writer, y.lead.id)
            if writer in checked or not y.by_id[by].active(check):
                continue
            if writer == wrong:
                other = next((r for w, r, _ in complete[number] if w != writer), None)
                if other is not None:
                    rel = self.record("write-up-check", writer, by, check, note=other)
                    y.plant("write-up-check-names-another-note", rel, writer)
                    continue
            self.record("write-up-check", writer, by, check, note=rel)
        if never is not None:
            y.plant("write-ups-never-checked", "qa/ (no write-up check)", never)
