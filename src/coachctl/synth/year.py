"""One school-year being generated: what every generator of the year reads, and where it writes.

A :class:`School` carries over from year to year; a :class:`Year` holds one
year's facts (calendar, cycles, staff, rules, the realism profile) and the
manifest of planted gaps. The generators in ``pairings``, ``notes``, ``qa``
and ``training`` each take the ``Year`` (and what the generators before them
returned); ``programme.run_year`` runs them in order.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from coachctl.calendar import SchoolCalendar
from coachctl.models import CycleRules, QaRules, Thresholds
from coachctl.synth.calendar import cycle_plans, school_calendar
from coachctl.synth.output import Files, Manifest, NoteYaml
from coachctl.synth.realism import Realism
from coachctl.synth.staff import Names, Person, new_staff
from coachctl.synth.steps import Library, curriculum, rolled_out, school_sequence


@dataclass
class School:
    """What carries over from one year to the next: name, sequence, staff and ids."""

    name: str
    rng: random.Random
    names: Names
    sequence: list[str]
    staff: list[Person]

    @classmethod
    def drawn(cls, name: str, rng: random.Random, library: Library,
              staff: int | tuple[int, int], start_year: int) -> School:
        """A new school: its sequence, then its staff (``staff`` people, or a number in
        that range) as they are in the year starting ``start_year``."""
        names = Names(rng)
        sequence = school_sequence(rng, library.strands)
        count = staff if isinstance(staff, int) else rng.randint(*staff)
        return cls(name, rng, names, sequence, new_staff(rng, names, count, start_year))


class Year:
    """One programme (a school's year) being written into ``out`` below ``prefix``.

    Everything random comes from the school's one ``rng``, in the order the
    generators run, so the same arguments always give the same bytes.
    """

    def __init__(self, school: School, start_year: int, model: str, today: dt.date,
                 imperfections: bool, fresh: bool, realism: Realism, out: Files, prefix: str,
                 library: Library, note_yaml: NoteYaml) -> None:
        self.s, self.rng, self.year, self.model = school, school.rng, start_year, model
        self.today, self.imperfect, self.realism = today, imperfections, realism
        self.fresh = fresh
        """The school's first year in the output: a few coaches are new and shadow first."""
        self.out, self.prefix, self.library, self.note_yaml = out, prefix, library, note_yaml
        self.manifest: Manifest = []
        self.rules, self.thresholds = CycleRules(), Thresholds()
        self.qa_rules = QaRules(observation_modes="both" if model == "hubs" else "any")
        self.curriculum = curriculum(library.curriculum_text)
        self.rolled_out = rolled_out(self.curriculum, model)
        self.calendar = school_calendar(self.rng, start_year)
        self.cal = SchoolCalendar(self.calendar)
        self.plans = cycle_plans(self.cal, self.rules, today)
        self.shadow_day = next(self.cal.teaching_days(self.cal.first_day, self.cal.last_day))
        """New coaches shadow an experienced one on the first teaching day."""
        self.staff = school.staff
        self.by_id = {p.id: p for p in self.staff}
        self.lead = self.staff[0]
        self.busy: set[str] = set()
        """People the background and other plants leave alone: the lead, mentors, the QA
        team, new coaches, and whoever already carries a planted gap."""

    def plant(self, kind: str, file: str, person: str) -> None:
        """List a deliberate gap in the manifest (``file`` relative to the programme)."""
        self.manifest.append({"kind": kind, "file": self.prefix + file, "person": person})

    def write(self, rel: str, text: str) -> None:
        self.out.write(self.prefix + rel, text)

    def new_coach(self, pid: str) -> bool:
        """Whether ``pid`` coaches for the first time this year."""
        return self.by_id[pid].coach_since == self.year

    def closed(self, number: int) -> bool:
        """Whether cycle ``number`` ended before today."""
        return self.plans[number - 1].end < self.today
