"""What every QA gap reads: the programme, today, its sessions and QA windows."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coachctl.calendar import SchoolCalendar
from coachctl.diagnostics import Diagnostic
from coachctl.programme import Programme
from coachctl.sessions import Session, current_cycle, sessions, started_cycles

if TYPE_CHECKING:  # a warm qa's gaps come from the cache: no record class
    from coachctl.models import Cycle, Expectations, NoteRecord, QaRecord, QaRules, Thresholds


def _rules() -> QaRules:
    from coachctl.models import QaRules

    return QaRules()


def _thresholds() -> Thresholds:
    from coachctl.models import Thresholds

    return Thresholds()


@dataclass
class QaContext:
    prog: Programme
    today: dt.date
    sessions: list[Session] = field(default_factory=list)
    calendar: SchoolCalendar | None = None
    rules: QaRules = field(default_factory=_rules)
    thresholds: Thresholds = field(default_factory=_thresholds)
    current: Cycle | None = None
    expectations: Expectations | None = None
    _active: dict[str, bool] = field(default_factory=dict, init=False, repr=False)
    _current: list[Session] | None = field(default=None, init=False, repr=False)
    _dated: tuple[list[dt.date], list[NoteRecord]] | None = field(
        default=None, init=False, repr=False)
    """Answers kept for the gaps that ask again (about 3,500 times in a 2,700-note year):
    the same comparisons with ``today``, so the span it records is the same."""

    @classmethod
    def of(cls, prog: Programme, today: dt.date) -> QaContext:
        s = prog.settings
        return cls(prog, today, list(sessions(prog, started_cycles(prog, today))),
                   SchoolCalendar(s.calendar) if s else None,
                   s.qa if s else _rules(), s.thresholds if s else _thresholds(),
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
        if (known := self._active.get(who)) is not None:
            return known
        person = self.prog.staff.get(who)
        active = self._active[who] = person is None or person.active_on(self.today)
        return active

    def complete_between(self, start: dt.date, end: dt.date) -> list[NoteRecord]:
        """Complete notes dated from ``start`` to ``end`` (both included), in date order:
        the notes sorted once, then each window a slice of them."""
        if self._dated is None:
            dated = sorted((n for n in self.prog.notes
                            if n.status == "complete" and n.date is not None),
                           key=_date_of)
            self._dated = ([_date_of(n) for n in dated], dated)
        days, notes = self._dated
        return notes[bisect.bisect_left(days, start):bisect.bisect_right(days, end)]

    def current_sessions(self) -> list[Session]:
        """Sessions planned in the current cycle between people still on the staff today
        (one list, shared by every gap that asks: read it, do not change it)."""
        if self.current is None:
            return []
        if self._current is None:
            self._current = [s for s in self.sessions if s.cycle == self.current.number
                             and self.active_today(s.coach) and self.active_today(s.coachee)]
        return self._current

    def staff_pointer(self, who: str) -> tuple[str, tuple[str | int, ...] | None]:
        staff = self.prog.staff_file.staff if self.prog.staff_file else []
        i = next((i for i, p in enumerate(staff) if p.id == who), None)
        return self.prog.path("staff.yaml"), None if i is None else ("staff", i, "id")


def _date_of(note: NoteRecord) -> dt.date:
    assert note.date is not None
    return note.date


Gap = Callable[[QaContext], Iterator[Diagnostic]]


QA_OF_COACHING = ("observation", "write-up-check", "check-in")
"""QA record kinds that quality-assure a coach's coaching (shadowing does not)."""
