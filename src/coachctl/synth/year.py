"""One school-year: the generators run in order."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coachctl.calendar import ONE_DAY, CyclePlan, SchoolCalendar
from coachctl.checks.notes import note_path
from coachctl.journeys import Journey
from coachctl.models import (
    CycleRules,
    NoteRecord,
    PairingsFile,
    QaRules,
    StaffMember,
    Thresholds,
    as_dict,
)
from coachctl.scaffold import calendar_dict
from coachctl.synth.calendar import _calendar, _plans
from coachctl.synth.notes import (
    MISSED_REASONS,
    NEXT_STEPS,
    NOTE_TEXT,
    PRAISE,
    PRAISE_END,
    VAGUE_NEXT_STEPS,
    _cycles_on,
    _NoteYaml,
)
from coachctl.synth.output import (
    HEADER,
    Manifest,
    _Out,
)
from coachctl.synth.qa import QA_FEEDBACK, SECURE_RATE
from coachctl.synth.realism import IDEAL, Realism
from coachctl.synth.staff import (
    DEPARTMENT_ORDER,
    Person,
    _experienced,
    _Names,
)
from coachctl.synth.steps import ROLLED_OUT, _curriculum
from coachctl.validators import validate
from coachctl.yamlout import dump, record_text

EXPECTATIONS: dict[str, dict[str, Any]] = {
    "hubs": {"feedback_per_half_term": 2, "qa_each_coach_each_half_term": True,
             "rehearsal_rate": 0.8, "max_coachees_per_coach": 4},
    "reciprocal": {"feedback_per_half_term": 2, "rehearsal_rate": 0.7},
    "leader-led": {"feedback_per_half_term": 1, "qa_each_coach_each_half_term": True,
                   "rehearsal_rate": 0.7, "max_coachees_per_coach": 4},
}
"""What each kind of school commits to in programme.yaml ``expectations``."""


@dataclass
class _School:
    """What carries over from one year to the next: name, sequence, staff and ids."""

    name: str
    rng: random.Random
    names: _Names
    sequence: list[str]
    staff: list[Person]


class _Year:
    """Generates one programme (a school's year) into ``out``."""

    def __init__(self, school: _School, start_year: int, model: str, today: dt.date,
                 imperfections: bool, fresh: bool, realism: Realism, out: _Out, prefix: str,
                 library: tuple[list[list[str]], list[str], str, str],
                 note_yaml: _NoteYaml) -> None:
        self.s, self.rng, self.year, self.model = school, school.rng, start_year, model
        self.today, self.imperfect, self.realism = today, imperfections, realism
        self.fresh = fresh
        self.out, self.prefix, self.library, self.note_yaml = out, prefix, library, note_yaml
        self.manifest: Manifest = []
        self.rules, self.thresholds = CycleRules(), Thresholds()
        self.qa_rules = QaRules(observation_modes="both" if model == "hubs" else "any")
        self.curriculum = _curriculum(library[3])
        self.rolled_out = [sid for sid, _ in self.curriculum[:ROLLED_OUT[model]]]
        self.calendar = _calendar(self.rng, start_year)
        self.cal = SchoolCalendar(self.calendar)
        self.plans = _plans(self.cal, self.rules, today)
        self.staff = school.staff
        self.by_id = {p.id: p for p in self.staff}
        self.lead = self.staff[0]
        self.groups: list[dict[str, Any]] = []
        self.reciprocal: list[dict[str, Any]] = []
        self.hubs: list[dict[str, Any]] = []
        self.qa_team: list[Person] = []
        self.first_note: dict[str, dt.date] = {}
        self.complete: dict[int, list[tuple[str, str, dt.date]]] = defaultdict(list)
        self.journeys: dict[str, Journey] = {}

    # -- helpers --
    def plant(self, kind: str, file: str, person: str) -> None:
        self.manifest.append({"kind": kind, "file": self.prefix + file, "person": person})

    def write(self, rel: str, text: str) -> None:
        self.out.write(self.prefix + rel, text)

    def regulars(self, exclude: set[str]) -> list[Person]:
        """Plain teachers who can carry a planted gap without breaking other rules."""
        return [p for p in self.staff if p.role == "teacher" and p.id not in exclude
                and not p.expert and p.left is None]

    # -- the steps of a year --
    def run(self) -> None:
        self.mentors()
        self.pairings()
        self.plant_people()
        self.write_settings()
        self.write_cycles()
        self.write_notes()
        self.write_qa()

    def mentors(self) -> None:
        """ECTs get an experienced mentor in their department (another if none)."""
        taken: set[str] = set()
        for ect in (p for p in self.staff if p.role == "ect"):
            if ect.mentor in self.by_id and ect.mentor not in taken:
                taken.add(ect.mentor)
                continue
            pool = [p for p in self.staff if _experienced(p, self.year) and p.id not in taken]
            same = [p for p in pool if p.department == ect.department]
            mentor = self.rng.choice(same or pool)
            ect.mentor = mentor.id
            taken.add(mentor.id)
        self.mentor_ids = taken

    def choose_experts(self, count: int) -> None:
        was = [p for p in self.staff if p.expert]
        for p in self.staff:
            p.expert = False
        pool = [p for p in self.staff if _experienced(p, self.year)
                and p.id not in self.mentor_ids and p.coach_since]
        self.rng.shuffle(pool)
        pool.sort(key=lambda p: p not in was)
        for p in pool[:count]:
            p.expert = True
        self.qa_team = [self.lead, *(p for p in self.staff if p.expert)]

    def by_department(self, people: list[Person]) -> list[Person]:
        people = list(people)
        self.rng.shuffle(people)
        return sorted(people, key=lambda p: DEPARTMENT_ORDER.get(p.department, 99))

    def pair_up(self, people: list[Person], reason: str | None = None) -> None:
        """Reciprocal pairs of neighbours; an odd one out is coached by the last pair's first."""
        for a, b in zip(people[::2], people[1::2], strict=False):
            self.reciprocal.append({"staff": [a.id, b.id], "from_cycle": 1})
        if len(people) % 2 and len(people) > 2:
            self.groups.append({"coach": people[-3].id, "coachees": [people[-1].id],
                                "from_cycle": 1, "reason": reason or "odd one out of the pairs"})

    def pairings(self) -> None:
        active = [p for p in self.staff if p.left is None]
        if self.model == "leader-led":
            self.choose_experts(2)
            self.leader_led(active)
        else:
            ects = [p for p in active if p.role == "ect"]
            pool = [p for p in active if p.role != "ect"]
            hubs = max(2, round((len(pool) - 1) / 11)) if self.model == "hubs" else 2
            self.choose_experts(hubs)
            for ect in ects:
                assert ect.mentor is not None
                self.groups.append({"coach": ect.mentor, "coachees": [ect.id], "from_cycle": 1,
                                    "reason": "ECT coached by their mentor"})
            leaders = [p for p in pool if p in self.qa_team] if self.model == "hubs" else []
            self.pair_up(self.by_department(leaders), "expert coaches coach each other")
            self.pair_up(self.by_department([p for p in pool if p not in leaders]))
        coaches = {g["coach"] for g in self.groups} | {s for r in self.reciprocal
                                                      for s in r["staff"]}
        self.coach_ids = [p.id for p in self.staff if p.id in coaches or p in self.qa_team]
        for pid in self.coach_ids:
            p = self.by_id[pid]
            if p.coach_since is None:
                p.coach_since = self.year
        new = [c for c in self.coach_ids if self.by_id[c].coach_since == self.year]
        if self.fresh and len(new) < 2:  # a few new coaches, who shadow first
            special = {self.lead.id, *self.mentor_ids, *(p.id for p in self.qa_team)}
            extra = [c for c in self.coach_ids if c not in new and c not in special]
            for c in self.rng.sample(extra, min(2 - len(new), len(extra))):
                self.by_id[c].coach_since = self.year
        if self.model == "hubs":
            members = self.by_department([self.by_id[c] for c in self.coach_ids
                                          if self.by_id[c] not in self.qa_team])
            experts = self.qa_team[1:]
            cut = [i * len(members) // len(experts) for i in range(len(experts) + 1)]
            for i, expert in enumerate(experts):
                chunk = members[cut[i]:cut[i + 1]]
                if chunk:
                    self.hubs.append({"id": f"hub-{i + 1}", "name": f"{expert.name}'s hub",
                                      "expert": expert.id, "coaches": [p.id for p in chunk]})

    def leader_led(self, active: list[Person]) -> None:
        """Senior and middle leaders coach up to four each, in their department if they can."""
        rank = {"senior-leader": 3, "middle-leader": 2}
        coaches = [p for p in active if p.role in rank]
        load: dict[str, list[str]] = {p.id: [] for p in coaches}
        seniority: dict[str, float] = {p.id: rank.get(p.role, 1) for p in active}
        seniority[self.lead.id] = 4
        coachees = sorted((p for p in active if p is not self.lead),
                          key=lambda p: -seniority[p.id])
        spare = [p for p in active if p.role == "teacher" and _experienced(p, self.year)]
        self.rng.shuffle(spare)
        for c in coachees:
            free = [k for k in coaches if k is not c and len(load[k.id]) < 4]
            ok = ([k for k in free if seniority[k.id] > seniority[c.id]]
                  or [k for k in free if seniority[k.id] >= seniority[c.id]])
            if not ok:  # not enough leaders: an experienced teacher coaches too
                k = spare.pop()
                coaches.append(k)
                load[k.id] = []
                seniority[k.id] = 1.5
                ok = [k]
            best = min(ok, key=lambda k: (k.department != c.department, len(load[k.id])))
            load[best.id].append(c.id)
        for k in coaches:
            if load[k.id]:
                self.groups.append({"coach": k.id, "coachees": load[k.id], "from_cycle": 1})
        self.seniority = seniority
        self.loads = load

    def plant_people(self) -> None:
        """Mid-year changes: a re-pairing, and (with imperfections) a leaver."""
        n = len(self.plans)
        self.change_cycle = max(2, min(n, 7) // 2 + 1)
        self.busy: set[str] = {self.lead.id, *self.mentor_ids, *(p.id for p in self.qa_team)}
        self.busy |= {p.id for p in self.staff if p.coach_since == self.year}
        if self.model == "leader-led":
            self.move_coachee()
        else:
            self.swap_pairs()
        self.leaver: Person | None = None
        if self.imperfect and n >= 2:
            self.plant_leaver(max(1, n // 2))

    def move_coachee(self) -> None:
        k = self.change_cycle
        for g in self.groups:
            mover = next((c for c in g["coachees"] if self.by_id[c].role == "teacher"
                          and c not in self.busy), None)
            if mover is None or len(g["coachees"]) < 2:
                continue
            target = next((t for t in self.groups if t is not g
                           and len(t["coachees"]) < 4
                           and self.seniority[t["coach"]] > self.seniority[mover]), None)
            if target is None:
                continue
            g["coachees"].remove(mover)
            self.groups.append({"coach": g["coach"], "coachees": [mover], "from_cycle": 1,
                                "until_cycle": k - 1})
            self.groups.append({"coach": target["coach"], "coachees": [mover], "from_cycle": k,
                                "reason": "re-paired mid-year to balance coaches' loads"})
            self.busy |= {mover, g["coach"], target["coach"]}
            return

    def swap_pairs(self) -> None:
        k = self.change_cycle
        free = [r for r in self.reciprocal if not set(r["staff"]) & self.busy]
        if len(free) < 2:
            return
        r1, r2 = self.rng.sample(free, 2)
        (a, b), (c, d) = r1["staff"], r2["staff"]
        r1["until_cycle"] = r2["until_cycle"] = k - 1
        why = "re-paired mid-year on development needs"
        self.reciprocal += [{"staff": [a, c], "from_cycle": k, "reason": why},
                            {"staff": [b, d], "from_cycle": k, "reason": why}]
        self.busy |= {a, b, c, d}

    def plant_leaver(self, cycle: int) -> None:
        """A coach leaves at the end of ``cycle``; their pairings end with it (as
        ``coachctl staff leave`` ends them) but their coachees are not re-paired."""
        pairs = validate(PairingsFile, self.pairings_dict()).pairs(cycle)
        coachees: dict[str, list[str]] = defaultdict(list)
        for p in pairs:
            coachees[p.coach].append(p.coachee)
        candidates = [p for p in self.staff if coachees.get(p.id) and p.id not in self.busy
                      and p.role in ("teacher", "middle-leader") and p.left is None
                      and not set(coachees[p.id]) & self.busy]
        if not candidates:
            return
        leaver = min(candidates, key=lambda p: len(coachees[p.id]))
        leaver.left = self.plans[cycle - 1].end
        from coachctl.roster import end_pairings

        end_pairings(self.pairings_dict(), leaver.id, cycle)
        self.leaver = leaver
        self.busy |= {leaver.id, *coachees[leaver.id]}
        self.plant("leaver", "staff.yaml", leaver.id)

    # -- files --
    def pairings_dict(self) -> dict[str, Any]:
        return {"groups": self.groups, "reciprocal": self.reciprocal, "hubs": self.hubs}

    def write_settings(self) -> None:
        lib_text, cur_text = self.library[2:]
        programme = {
            "format": 1, "school": self.s.name,
            "academic_year": f"{self.year}-{(self.year + 1) % 100:02d}",
            "lead_coach": self.lead.id, "pairing_model": self.model,
            "calendar": calendar_dict(self.calendar),
            "cycles": as_dict(self.rules), "qa": as_dict(self.qa_rules),
            "thresholds": as_dict(self.thresholds),
            "curriculum_strands": self.rolled_out,
            "expectations": dict(EXPECTATIONS[self.model]),
        }
        self.write("programme.yaml", dump(programme, HEADER))
        self.write("staff.yaml", dump({"staff": [self.staff_entry(p) for p in self.staff]},
                                      HEADER))
        self.write("pairings.yaml", dump(self.pairings_dict(), HEADER))
        self.write("steps/library.yaml", lib_text)
        self.write("steps/coaching-curriculum.yaml", cur_text)
        self.write("steps/sequence.yaml", dump({"name": f"{self.s.name} sequence",
                                                "steps": self.s.sequence}, HEADER))
        self.write(".gitignore", ".coachctl-cache/\n")

    def staff_entry(self, p: Person) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": p.id, "name": p.name, "role": p.role,
                                 "department": p.department}
        if p.role == "ect":
            entry["mentor"] = p.mentor
        if p.id in self.coach_ids:
            entry["coach"] = True
        if p.expert or p is self.lead:
            entry["expert_coach"] = True
        if p.coach_since == self.year:
            entry["new_coach"] = True
        entry["joined"] = p.joined
        if p.left:
            entry["left"] = p.left
        validate(StaffMember, entry)
        return entry

    def write_cycles(self) -> None:
        for i, plan in enumerate(self.plans, 1):
            status = "closed" if plan.end < self.today else "open"
            self.write(f"cycles/cycle-{i:02d}.yaml", dump(
                {"number": i, "start": plan.start, "end": plan.end, "status": status}))

    # -- notes --
    def choose_gaps(self) -> dict[tuple[int, str], str]:
        """Which closed-cycle sessions carry a planted gap, by (cycle, coachee)."""
        closed = [i for i, p in enumerate(self.plans, 1) if p.end < self.today]
        gaps: dict[tuple[int, str], str] = {}
        self.stuck: tuple[str, int] | None = None
        self.planted: set[str] = set()
        """Coachees who carry a planted gap: the background leaves them alone."""
        if not (self.imperfect and closed):
            return gaps
        pool = self.regulars(self.busy)
        self.rng.shuffle(pool)
        threshold = self.thresholds.stuck_after_cycles
        if len(closed) >= threshold and pool:
            who = pool.pop()
            self.stuck = (who.id, max(1, len(closed) - threshold))
            self.busy.add(who.id)
            self.planted.add(who.id)
        for kind in ("missed", "missing", "no-rehearsal", "stub-in-closed-cycle"):
            if pool:
                who = pool.pop()
                gaps[(self.rng.choice(closed), who.id)] = kind
                self.busy.add(who.id)
                self.planted.add(who.id)
        return gaps

    def write_notes(self) -> None:
        pf = validate(PairingsFile, self.pairings_dict())
        gaps = self.choose_gaps()
        self.shadow_day = next(self.cal.teaching_days(self.cal.first_day, self.cal.last_day))
        new = {p.id for p in self.staff if p.coach_since == self.year}
        late = [pid for pid in self.coach_ids if pid in new]
        self.late_shadow = late[0] if self.imperfect and len(late) > 1 else None
        self.rates = self.realism.coaches(self.rng, self.coach_ids)
        rng = self.rng
        for number, plan in enumerate(self.plans, 1):
            closed = plan.end < self.today
            folder = f"notes/cycle-{number:02d}"
            todo: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for pair in pf.pairs(number):
                coach, coachee = self.by_id[pair.coach], self.by_id[pair.coachee]
                days = [d for d in plan.coaching_days if coach.active(d) and coachee.active(d)
                        and (pair.coach not in new or pair.coach == self.late_shadow
                             or d > self.shadow_day)]
                if not days:
                    continue
                rel = note_path(number, pair.coach, pair.coachee)
                gap = gaps.get((number, pair.coachee))
                spared = pair.coachee in self.planted or (  # the first note comes early
                    pair.coach == self.late_shadow and number == 1)
                day = rng.choice(days)
                if gap is not None and gap != "no-rehearsal":
                    status = {"missed": "missed", "missing": "missing",
                              "stub-in-closed-cycle": "stub"}[gap]
                    self.plant({"missed": "missed-session", "missing": "missing-note"}
                               .get(gap, gap), rel, pair.coachee)
                else:
                    status = self.session(pair.coach, closed, day, spared)
                if status != "missing":
                    todo[pair.coachee].append({
                        "coach": pair.coach, "coachee": pair.coachee, "cycle": number,
                        "status": status, "date": day, "rel": rel, "main": True,
                        "rehearsed": False if gap == "no-rehearsal" else None,
                        "spared": spared})
                if gap == "no-rehearsal":
                    self.plant("no-rehearsal", rel, pair.coachee)
                if gap is None or status == "complete":
                    todo[pair.coachee] += self.drop_ins(number, plan, pair.coach, coachee,
                                                        folder, status == "complete", spared)
            for notes in todo.values():
                # Stubs first: they carry the step current when the cycle opened, as the
                # stubs `cycle start` writes do.
                notes.sort(key=lambda n: (n["status"] != "stub", n["date"], n["rel"]))
                for note in notes:
                    self.write_note(note)
        if self.stuck:
            who = self.stuck[0]
            self.plant("stuck-coachee", self.journeys[who].notes[-1].path, who)

    def session(self, coach: str, closed: bool, day: dt.date, spared: bool) -> str:
        """How a session went: complete, or (it did not happen) missed, stub or missing.

        In the open cycle a session not yet written up (or still to come) is a stub.
        A coachee who carries a planted gap (``spared``) has every session.
        """
        rng = self.rng
        if rng.random() < (IDEAL if spared else self.rates[coach]).completion:
            return "complete" if closed or day <= self.today else "stub"
        if not closed:
            return "stub"
        fate = rng.random()
        return ("missing" if fate < self.realism.missing
                else "missed" if fate < self.realism.missing + self.realism.missed else "stub")

    def drop_ins(self, number: int, plan: CyclePlan, paired: str, coachee: Person,
                 folder: str, happened: bool, spared: bool) -> list[dict[str, Any]]:
        """Drop-ins to a coachee's lessons in a cycle.

        Their own coach drops in only if the session happened: a complete note by
        the paired coach would count as the session.
        """
        rng, rate = self.rng, self.realism.drop_ins
        count = int(rate) + (rng.random() < rate - int(rate))
        if not count:
            return []
        days = [d for d in self.cal.teaching_days(plan.start, min(plan.end, self.today))
                if coachee.active(d) and d > self.shadow_day]
        if not days:
            return []
        out: list[dict[str, Any]] = []
        seen: dict[str, int] = defaultdict(int)
        for _ in range(count):
            coach = paired if happened and rng.random() < 0.5 else rng.choice(self.qa_team).id
            day = rng.choice(days)
            if coach == coachee.id or not self.by_id[coach].active(day):
                coach = paired  # the coach drops in instead
            if (coach == paired and not happened) or not self.by_id[coach].active(day):
                continue
            seen[coach] += 1
            rel = f"{folder}/{coach}--{coachee.id}-dropin-{seen[coach]}.yaml"
            out.append({"coach": coach, "coachee": coachee.id, "cycle": number,
                        "status": "complete", "date": day, "rel": rel, "main": False,
                        "rehearsed": None, "spared": spared})
        return out

    def write_note(self, n: dict[str, Any]) -> None:
        """Fill a note in along the coachee's journey (journeys.py) and write it.

        A step worked on for two cycles is secured at the next complete note, so
        only the planted coachee gets stuck; the coach's rates decide the rest.
        """
        rng, coachee, number, rel = self.rng, n["coachee"], n["cycle"], n["rel"]
        j = self.journeys.get(coachee)
        if j is None:
            j = self.journeys[coachee] = Journey(coachee)
        step = ((j.current_step(self.s.sequence) if j.notes else self.by_id[coachee].carry)
                or self.s.sequence[0])
        status = n["status"]
        note: dict[str, Any] = {"coach": n["coach"], "coachee": coachee, "cycle": number,
                                "status": status, "date": n["date"]}
        if status == "missed":
            note["missed_reason"] = rng.choice(MISSED_REASONS)
        elif status == "stub":
            note.update(observation=None, precise_praise=None, action_step=step,
                        step_secured=False, modelled=None, rehearsed=None, next_steps=None,
                        notes=None)
        else:
            rates = IDEAL if n["spared"] else self.rates[n["coach"]]
            if n["main"] and j.notes and rng.random() < rates.jumps:
                others = [s for s in self.s.sequence if s != step and s not in j.secured]
                step = rng.choice(others) if others else step
            secured = False
            stuck = self.stuck is not None and self.stuck[0] == coachee and number >= \
                self.stuck[1]
            if not stuck:
                secured = _cycles_on(j, step, number) >= 2 or (n["main"] and rng.random() < 0.4)
            observation = "lesson" if n["main"] and rng.random() < 0.85 else "drop-in"
            modelled = rng.random() < rates.modelling
            rehearsed = n["rehearsed"] if n["rehearsed"] is not None else \
                rng.random() < rates.rehearsal
            praise = (f"{rng.choice(PRAISE)} {rng.choice(PRAISE_END)}"
                      if rng.random() < rates.praise else None)
            next_steps = rng.choice(VAGUE_NEXT_STEPS if rng.random() < rates.vague
                                    else NEXT_STEPS)
            note.update(observation=observation, precise_praise=praise, action_step=step,
                        step_secured=secured, modelled=modelled, rehearsed=rehearsed,
                        next_steps=next_steps, notes=rng.choice(NOTE_TEXT))
            j.notes.append(NoteRecord(rel, n["coach"], coachee, number, status, n["date"],
                                      observation, step, secured, modelled, rehearsed,
                                      praise is not None, True))
            first = self.first_note.get(n["coach"])
            self.first_note[n["coach"]] = min(first, n["date"]) if first else n["date"]
            self.complete[number].append((n["coach"], rel, n["date"]))
        self.write(rel, self.note_yaml(note))
        self.out.notes += 1

    # -- quality assurance --
    def write_qa(self) -> None:
        rng, today = self.rng, self.today
        names: dict[str, int] = {}
        terms = [t for t in self.calendar.terms if t.start <= today]
        plants = self.choose_qa_plants(terms)
        hub_by_other = plants.get("hub-qa-not-by-expert")
        other_hub = next((h for h in self.hubs if h["id"] == hub_by_other), None)

        def record(kind: str, coach: str, by: str, day: dt.date, **extra: Any) -> str:
            if other_hub and coach in other_hub["coaches"] and by == other_hub["expert"] \
                    and day >= terms[-1].start:
                by = self.lead.id  # this half term the lead, not the hub's expert, QAs it
            base = f"qa/{day}-{kind}-{coach}"
            names[base] = names.get(base, 0) + 1
            rel = base + (f"-{names[base]}" if names[base] > 1 else "") + ".yaml"
            self.write(rel, record_text({"kind": kind, "coach": coach, "by": by, "date": day,
                                         **extra}))
            return rel

        observer = {p.id: self.lead.id for p in self.qa_team}
        observer[self.lead.id] = self.qa_team[1].id if len(self.qa_team) > 1 else self.lead.id
        for hub in self.hubs:
            for c in hub["coaches"]:
                observer[c] = hub["expert"]
        unobserved = plants.get("coach-not-observed")
        seq = [sid for strand, steps in self.curriculum if strand in self.rolled_out
               for sid in steps]
        outside = [sid for strand, steps in self.curriculum if strand not in self.rolled_out
                   for sid in steps]
        where: dict[str, int] = {}
        for cid in self.coach_ids:
            years = self.year - (self.by_id[cid].coach_since or self.year)
            where[cid] = rng.randint(0, min(len(seq) - 1, 2 * years))
        last_mode: dict[str, str] = {}
        every = self.rules.teach_meet_every
        days_all = [d for plan in self.plans for d in
                    self.cal.weekday_dates(plan.start, plan.end, self.rules.coaching_day)]
        meets = [d for d in days_all[every - 1::every] if d < today] if every else []
        since = meets[-1] if meets else None
        need = self.training_need(seq, since, terms, plants)
        seen: list[tuple[str, dt.date, str, bool]] = []
        for t in terms:
            days = [d for d in self.cal.teaching_days(t.start, min(t.end, today))
                    if d > self.shadow_day]
            for cid in self.coach_ids:
                coach = self.by_id[cid]
                if t is terms[-1] and cid == unobserved:
                    self.plant("coach-not-observed", "qa/", cid)
                    continue
                by = observer.get(cid) or rng.choice(self.qa_team).id
                if by == cid:
                    by = self.lead.id if cid != self.lead.id else self.qa_team[-1].id
                ok = [d for d in days if coach.active(d) and self.by_id[by].active(d)]
                if not ok:
                    continue
                mode = "live" if rng.random() < 0.7 else "video"
                if self.qa_rules.observation_modes == "both" and cid in last_mode \
                        and cid != plants.get("one-mode-only"):
                    mode = "video" if last_mode[cid] == "live" else "live"
                elif cid == plants.get("one-mode-only"):
                    mode = "live"
                last_mode[cid] = mode
                focus, secured = seq[where[cid]], rng.random() < SECURE_RATE
                day = rng.choice(ok)
                if t is terms[-1] and cid == plants.get("focus-not-rolled-out") and outside:
                    focus, secured = outside[0], False
                elif t is terms[-1] and need and cid in need[1] and since:
                    focus, secured = need[0], False  # seen since the last training
                    day = rng.choice([d for d in ok if d > since] or ok)
                elif secured:
                    where[cid] = min(where[cid] + 1, len(seq) - 1)
                seen.append((cid, day, focus, secured))
                rel = record("observation", cid, by, day, mode=mode, focus=focus,
                             secured=secured, feedback=rng.choice(QA_FEEDBACK))
                if focus in outside:
                    self.plant("focus-not-rolled-out", rel, cid)
                if cid == plants.get("one-mode-only") and t is terms[-1]:
                    self.plant("one-mode-only", rel, cid)
        for cid in self.coach_ids:
            if self.by_id[cid].coach_since != self.year:
                continue
            by = observer.get(cid, self.lead.id)
            if cid == self.late_shadow and cid in self.first_note:
                day = self.first_note[cid] + ONE_DAY
                while not self.cal.is_teaching_day(day):
                    day += ONE_DAY
                rel = record("shadowing", cid, by, min(day, today))
                self.plant("coached-before-shadowing", rel, cid)
            elif cid == plants.get("new-shadows-new"):
                rel = record("shadowing", cid, plants["shadowed-new"], self.shadow_day)
                self.plant("new-shadows-new", rel, cid)
            else:
                record("shadowing", cid, by, self.shadow_day)
        self.write_up_checks(record, observer, plants)
        if other_hub is not None:
            self.plant("hub-qa-not-by-expert", "pairings.yaml", other_hub["id"])
        self.write_training(meets, seen, seq)
        if need and since:
            self.plant("training-need", f"qa/ ({len(need[1])} observations since {since})",
                       need[0])

    def training_need(self, seq: list[str], since: dt.date | None, terms: list[Any],
                      plants: dict[str, str]) -> tuple[str, list[str]] | None:
        """A step several coaches are observed not yet secure in since the last Teach Meet:
        the first step of the latest strand rolled out, which the next plan should lead with."""
        if not (self.imperfect and since and seq and since >= terms[-1].start):
            return None
        strand = next(steps for sid, steps in self.curriculum if sid == self.rolled_out[-1])
        pool = [c for c in self.coach_ids if c not in plants.values()  # QA focus only
                and c != self.late_shadow and self.by_id[c].active(self.today)]
        count = min(len(pool), max(3, len(self.coach_ids) // 8))
        return (strand[0], sorted(self.rng.sample(pool, count))) if count >= 2 else None

    def write_training(self, meets: list[dt.date], seen: list[tuple[str, dt.date, str, bool]],
                       seq: list[str]) -> None:
        """A record of each Teach Meet and CPL so far: it practised what QA most often found
        not yet secure since the one before, and most coaches came."""
        before: dt.date | None = None
        for day in meets:
            found: dict[str, int] = defaultdict(int)
            for _cid, d, focus, secured in seen:
                if not secured and d < day and (before is None or d >= before) and focus in seq:
                    found[focus] += 1
            practised = sorted(found, key=lambda f: (-found[f], seq.index(f)))[:2] or seq[:1]
            came = [c for c in self.coach_ids if self.by_id[c].active(day)
                    and self.rng.random() < 0.9]
            self.write(f"training/{day}.yaml", record_text(
                {"date": day, "kind": "cpl", "focus": practised, "attended": came}))
            before = day

    def choose_qa_plants(self, terms: list[Any]) -> dict[str, str]:
        """Who carries each planted QA gap (none without imperfections)."""
        if not self.imperfect:
            return {}
        rng = self.rng
        plants: dict[str, str] = {}
        taken = {self.late_shadow}
        candidates = [c for c in self.coach_ids if c not in self.busy and c not in taken]
        if candidates:
            plants["coach-not-observed"] = rng.choice(candidates)
        ended = {n for n, p in enumerate(self.plans, 1) if p.end < self.today}
        wrote = sorted({c for n, notes in self.complete.items() if n in ended
                        for c, _, _ in notes})
        for kind, pool in (("never-checked", wrote), ("wrong-note", wrote),
                           ("focus-not-rolled-out", self.coach_ids),
                           ("one-mode-only", self.coach_ids if self.qa_rules.observation_modes
                            == "both" and len(terms) > 1 else [])):
            # a QA plant touches only QA records: only the people other gaps need are kept
            # apart (the coach never checked stays off every other list)
            apart = self.busy if kind in ("never-checked", "one-mode-only") else set()
            free = [c for c in pool if c not in apart and c not in plants.values()
                    and c != self.late_shadow and self.by_id[c].left is None]
            if free:
                plants[kind] = rng.choice(free)
        new = [c for c in self.coach_ids if self.by_id[c].coach_since == self.year
               and c != self.late_shadow]
        if len(new) >= 2:
            plants["new-shadows-new"], plants["shadowed-new"] = new[0], new[1]
        if self.hubs and len(terms) > 1:
            plants["hub-qa-not-by-expert"] = rng.choice(self.hubs)["id"]
        return plants

    def write_up_checks(self, record: Callable[..., str], observer: dict[str, str],
                        plants: dict[str, str]) -> None:
        """Each QA coach checks a write-up per ended cycle; every coach who wrote notes is
        checked at least once (but for the planted gaps)."""
        rng = self.rng
        never, wrong = plants.get("never-checked"), plants.get("wrong-note")
        checked: set[str] = set()
        last: dict[str, tuple[int, str]] = {}
        for number, notes in self.complete.items():
            if self.plans[number - 1].end >= self.today:
                continue
            check = self.plans[number - 1].end
            for writer, rel, _day in notes:
                if writer != never and self.by_id[writer].active(check):
                    last[writer] = (number, rel)
            for checker in self.qa_team:
                mine = [n for n in notes if n[0] not in (checker.id, never, wrong)]
                if not mine:
                    continue
                writer, rel, _day = rng.choice(mine)
                if self.by_id[writer].active(check) and checker.active(check):
                    record("write-up-check", writer, checker.id, check, note=rel)
                    checked.add(writer)
        for writer, (number, rel) in sorted(last.items()):
            check = self.plans[number - 1].end
            by = observer.get(writer, self.lead.id)
            if writer in checked or not self.by_id[by].active(check):
                continue
            if writer == wrong:
                other = next((r for w, r, _ in self.complete[number] if w != writer), None)
                if other is not None:
                    rel = record("write-up-check", writer, by, check, note=other)
                    self.plant("write-up-check-names-another-note", rel, writer)
                    continue
            record("write-up-check", writer, by, check, note=rel)
        if never is not None:
            self.plant("write-ups-never-checked", "qa/ (no write-up check)", never)
