"""What every QA gap reads: the programme, today, its sessions and QA windows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from coachctl.calendar import SchoolCalendar
from coachctl.diagnostics import Diagnostic
from coachctl.models import Cycle, Expectations, QaRecord, QaRules, Thresholds
from coachctl.programme import Programme
from coachctl.sessions import Session, current_cycle, sessions, started_cycles


@dataclass
class QaContext:
    prog: Programme
    today: dt.date
    sessions: list[Session] = field(default_factory=list)
    calendar: SchoolCalendar | None = None
    rules: QaRules = field(default_factory=QaRules)
    thresholds: Thresholds = field(default_factory=Thresholds)
    current: Cycle | None = None
    expectations: Expectations | None = None

    @classmethod
    def of(cls, prog: Programme, today: dt.date) -> QaContext:
        s = prog.settings
        return cls(prog, today, list(sessions(prog, started_cycles(prog, today))),
                   SchoolCalendar(s.calendar) if s else None,
                   s.qa if s else QaRules(), s.thresholds if s else Thresholds(),
                   current_cycle(prog, today), s.expectations if s else None)

    def window(self, day: dt.date, cadence: str) -> str | None:
        """The QA window (a half term's name, a term's, or 'year') ``day`` falls in."""
        return self.calendar.period_of(day, cadence) if self.calendar else None

    def qa_in_window(self, cadence: str, kinds: tuple[str, ...]) -> list[QaRecord]:
        """QA records of these kinds dated in today's window, up to today."""
        now = self.window(self.today, cadence)
        return [q for _, q in self.prog.qa if q.kind in kinds and q.date <= self.today
                and self.window(q.date, cadence) == now]

    def active_today(self, who: str) -> bool:
        person = self.prog.staff.get(who)
        return person is None or person.active_on(self.today)

    def current_sessions(self) -> list[Session]:
        """Sessions planned in the current cycle between people still on the staff today."""
        if self.current is None:
            return []
        return [s for s in self.sessions if s.cycle == self.current.number
                and self.active_today(s.coach) and self.active_today(s.coachee)]

    def staff_pointer(self, who: str) -> tuple[str, tuple[str | int, ...] | None]:
        staff = self.prog.staff_file.staff if self.prog.staff_file else []
        i = next((i for i, p in enumerate(staff) if p.id == who), None)
        return self.prog.path("staff.yaml"), None if i is None else ("staff", i, "id")


Gap = Callable[[QaContext], Iterator[Diagnostic]]


QA_OF_COACHING = ("observation", "write-up-check", "check-in")
"""QA record kinds that quality-assure a coach's coaching (shadowing does not)."""
