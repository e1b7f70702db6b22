"""Who coaches whom in a generated year (pairings.yaml), and the changes of people mid-year.

:class:`StaffPairing` pairs the staff as the school's pairing model does and
picks the QA team; :class:`MidYearChanges` then plants what changes during
the year: a re-pairing from the middle cycle and, with imperfections, a coach
who leaves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from coachctl.models import PairingsFile
from coachctl.synth.staff import DEPARTMENT_ORDER, Person, is_experienced
from coachctl.synth.year import Year
from coachctl.validators import validate


@dataclass
class Pairings:
    """pairings.yaml's groups, reciprocal pairs and hubs, and who is coaching this year."""

    groups: list[dict[str, Any]] = field(default_factory=list)
    reciprocal: list[dict[str, Any]] = field(default_factory=list)
    hubs: list[dict[str, Any]] = field(default_factory=list)
    qa_team: list[Person] = field(default_factory=list)
    """The lead coach, then the expert coaches: who quality-assures the coaching."""
    mentor_ids: set[str] = field(default_factory=set)
    coach_ids: list[str] = field(default_factory=list)
    """Everyone who coaches this year (and the QA team), in staff order."""
    seniority: dict[str, float] = field(default_factory=dict)
    """Leader-led only: how senior each person is (a coach is senior to their coachees)."""
    late_shadow: str | None = None
    """A new coach planted to coach before they shadow (with imperfections)."""

    def as_dict(self) -> dict[str, Any]:
        """pairings.yaml as written (and as ``coachctl staff leave`` edits it)."""
        return {"groups": self.groups, "reciprocal": self.reciprocal, "hubs": self.hubs}

    def file(self) -> PairingsFile:
        return validate(PairingsFile, self.as_dict())


class StaffPairing:
    """Generates the year's pairings by the school's pairing model.

    ECTs are coached by their mentors; the rest pair up reciprocally with a
    colleague from a neighbouring department (hubs: the expert coaches pair
    among themselves, and each quality-assures a hub of coaches), or, leader-led,
    senior and middle leaders coach up to four colleagues each. A school's first
    year has at least two new coaches, who shadow before they coach.
    """

    def __init__(self, y: Year) -> None:
        self.y = y
        self.p = Pairings()

    def run(self) -> Pairings:
        y = self.y
        self.mentors()
        active = [p for p in y.staff if p.left is None]
        if y.model == "leader-led":
            self.choose_experts(2)
            self.leader_led(active)
        else:
            self.reciprocal(active)
        self.coaches()
        if y.model == "hubs":
            self.make_hubs()
        late = [pid for pid in self.p.coach_ids if y.new_coach(pid)]
        self.p.late_shadow = late[0] if y.imperfect and len(late) > 1 else None
        return self.p

    def mentors(self) -> None:
        """ECTs get an experienced mentor in their department (another if none)."""
        y, taken = self.y, self.p.mentor_ids
        for ect in (p for p in y.staff if p.role == "ect"):
            if ect.mentor in y.by_id and ect.mentor not in taken:
                taken.add(ect.mentor)
                continue
            pool = [p for p in y.staff if is_experienced(p, y.year) and p.id not in taken]
            same = [p for p in pool if p.department == ect.department]
            mentor = y.rng.choice(same or pool)
            ect.mentor = mentor.id
            taken.add(mentor.id)

    def choose_experts(self, count: int) -> None:
        """Expert coaches, last year's first; with the lead they are the QA team."""
        y = self.y
        was = [p for p in y.staff if p.expert]
        for p in y.staff:
            p.expert = False
        pool = [p for p in y.staff if is_experienced(p, y.year)
                and p.id not in self.p.mentor_ids and p.coach_since]
        y.rng.shuffle(pool)
        pool.sort(key=lambda p: p not in was)
        for p in pool[:count]:
            p.expert = True
        self.p.qa_team = [y.lead, *(p for p in y.staff if p.expert)]

    def by_department(self, people: list[Person]) -> list[Person]:
        people = list(people)
        self.y.rng.shuffle(people)
        return sorted(people, key=lambda p: DEPARTMENT_ORDER.get(p.department, 99))

    def pair_up(self, people: list[Person], reason: str | None = None) -> None:
        """Reciprocal pairs of neighbours; an odd one out is coached by the last pair's first."""
        for a, b in zip(people[::2], people[1::2], strict=False):
            self.p.reciprocal.append({"staff": [a.id, b.id], "from_cycle": 1})
        if len(people) % 2 and len(people) > 2:
            self.p.groups.append({"coach": people[-3].id, "coachees": [people[-1].id],
                                  "from_cycle": 1,
                                  "reason": reason or "odd one out of the pairs"})

    def reciprocal(self, active: list[Person]) -> None:
        """Reciprocal pairs and hubs: ECTs with their mentors, everyone else in pairs."""
        y = self.y
        ects = [p for p in active if p.role == "ect"]
        pool = [p for p in active if p.role != "ect"]
        hubs = max(2, round((len(pool) - 1) / 11)) if y.model == "hubs" else 2
        self.choose_experts(hubs)
        for ect in ects:
            assert ect.mentor is not None
            self.p.groups.append({"coach": ect.mentor, "coachees": [ect.id], "from_cycle": 1,
                                  "reason": "ECT coached by their mentor"})
        leaders = [p for p in pool if p in self.p.qa_team] if y.model == "hubs" else []
        self.pair_up(self.by_department(leaders), "expert coaches coach each other")
        self.pair_up(self.by_department([p for p in pool if p not in leaders]))

    def leader_led(self, active: list[Person]) -> None:
        """Senior and middle leaders coach up to four each, in their department if they can."""
        y = self.y
        rank = {"senior-leader": 3, "middle-leader": 2}
        coaches = [p for p in active if p.role in rank]
        load: dict[str, list[str]] = {p.id: [] for p in coaches}
        seniority: dict[str, float] = {p.id: rank.get(p.role, 1) for p in active}
        seniority[y.lead.id] = 4
        coachees = sorted((p for p in active if p is not y.lead),
                          key=lambda p: -seniority[p.id])
        spare = [p for p in active if p.role == "teacher" and is_experienced(p, y.year)]
        y.rng.shuffle(spare)
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
                self.p.groups.append({"coach": k.id, "coachees": load[k.id], "from_cycle": 1})
        self.p.seniority = seniority

    def coaches(self) -> None:
        """Who coaches this year; those who never coached before start now."""
        y, p = self.y, self.p
        coaches = {g["coach"] for g in p.groups} | {s for r in p.reciprocal for s in r["staff"]}
        p.coach_ids = [q.id for q in y.staff if q.id in coaches or q in p.qa_team]
        for pid in p.coach_ids:
            if y.by_id[pid].coach_since is None:
                y.by_id[pid].coach_since = y.year
        new = [c for c in p.coach_ids if y.new_coach(c)]
        if y.fresh and len(new) < 2:  # a few new coaches, who shadow first
            special = {y.lead.id, *p.mentor_ids, *(q.id for q in p.qa_team)}
            extra = [c for c in p.coach_ids if c not in new and c not in special]
            for c in y.rng.sample(extra, min(2 - len(new), len(extra))):
                y.by_id[c].coach_since = y.year

    def make_hubs(self) -> None:
        """Each expert coach quality-assures a hub of coaches from neighbouring departments."""
        y, p = self.y, self.p
        members = self.by_department([y.by_id[c] for c in p.coach_ids
                                      if y.by_id[c] not in p.qa_team])
        experts = p.qa_team[1:]
        cut = [i * len(members) // len(experts) for i in range(len(experts) + 1)]
        for i, expert in enumerate(experts):
            chunk = members[cut[i]:cut[i + 1]]
            if chunk:
                p.hubs.append({"id": f"hub-{i + 1}", "name": f"{expert.name}'s hub",
                               "expert": expert.id, "coaches": [q.id for q in chunk]})


class MidYearChanges:
    """Plants the year's changes of people, as real programmes have them.

    From the middle cycle (``change_cycle``) one coachee moves coach (leader-led)
    or two reciprocal pairs swap partners; with imperfections a coach leaves
    half-way through and their coachees are left without a coach (the
    ``leaver`` gap). Everyone involved joins ``Year.busy``, so no other gap
    lands on them.
    """

    def __init__(self, y: Year, p: Pairings) -> None:
        self.y, self.p = y, p
        n = len(y.plans)
        self.change_cycle = max(2, min(n, 7) // 2 + 1)

    def run(self) -> None:
        y, p = self.y, self.p
        y.busy |= {y.lead.id, *p.mentor_ids, *(q.id for q in p.qa_team)}
        y.busy |= {q.id for q in y.staff if q.coach_since == y.year}
        if y.model == "leader-led":
            self.move_coachee()
        else:
            self.swap_pairs()
        n = len(y.plans)
        if y.imperfect and n >= 2:
            self.plant_leaver(max(1, n // 2))

    def move_coachee(self) -> None:
        """One teacher moves to a more senior coach with room, to balance loads."""
        y, p, k = self.y, self.p, self.change_cycle
        for g in p.groups:
            mover = next((c for c in g["coachees"] if y.by_id[c].role == "teacher"
                          and c not in y.busy), None)
            if mover is None or len(g["coachees"]) < 2:
                continue
            target = next((t for t in p.groups if t is not g
                           and len(t["coachees"]) < 4
                           and p.seniority[t["coach"]] > p.seniority[mover]), None)
            if target is None:
                continue
            g["coachees"].remove(mover)
            p.groups.append({"coach": g["coach"], "coachees": [mover], "from_cycle": 1,
                             "until_cycle": k - 1})
            p.groups.append({"coach": target["coach"], "coachees": [mover], "from_cycle": k,
                             "reason": "re-paired mid-year to balance coaches' loads"})
            y.busy |= {mover, g["coach"], target["coach"]}
            return

    def swap_pairs(self) -> None:
        """Two reciprocal pairs swap partners."""
        y, p, k = self.y, self.p, self.change_cycle
        free = [r for r in p.reciprocal if not set(r["staff"]) & y.busy]
        if len(free) < 2:
            return
        r1, r2 = y.rng.sample(free, 2)
        (a, b), (c, d) = r1["staff"], r2["staff"]
        r1["until_cycle"] = r2["until_cycle"] = k - 1
        why = "re-paired mid-year on development needs"
        p.reciprocal += [{"staff": [a, c], "from_cycle": k, "reason": why},
                         {"staff": [b, d], "from_cycle": k, "reason": why}]
        y.busy |= {a, b, c, d}

    def plant_leaver(self, cycle: int) -> None:
        """A coach leaves at the end of ``cycle``; their pairings end with it (as
        ``coachctl staff leave`` ends them) but their coachees are not re-paired."""
        y = self.y
        coachees: dict[str, list[str]] = defaultdict(list)
        for pair in self.p.file().pairs(cycle):
            coachees[pair.coach].append(pair.coachee)
        candidates = [q for q in y.staff if coachees.get(q.id) and q.id not in y.busy
                      and q.role in ("teacher", "middle-leader") and q.left is None
                      and not set(coachees[q.id]) & y.busy]
        if not candidates:
            return
        leaver = min(candidates, key=lambda q: len(coachees[q.id]))
        leaver.left = y.plans[cycle - 1].end
        from coachctl.roster import end_pairings

        end_pairings(self.p.as_dict(), leaver.id, cycle)
        y.busy |= {leaver.id, *coachees[leaver.id]}
        y.plant("leaver", "staff.yaml", leaver.id)
