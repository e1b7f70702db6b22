"""Whole answers of ``staff show`` and ``cycle status``, kept in the programme's cache.

A lead coach types these between lessons; on an unchanged programme the answer for the same
person or cycle, the same day and the same folder name is read back from
``.coachctl-cache/`` as tables of plain data (:func:`coachctl.tables.encode_tables`), so a
warm run loads no record and imports neither the file format's classes nor the reports
that compute it (they are imported here only when the answer is computed). The tables hold
what the command prints: ids, counts, dates, staff names and step names from the library,
never a note's or a QA record's text.

An answer the command refuses (an unknown person, no such cycle, programme.yaml or
staff.yaml unreadable, dates far outside the year) is not kept: :data:`None` tells the
command to take its ordinary path, which says why.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachctl.tables import Table, decode_tables, encode_tables
from coachctl.validation import Checked, Derived, check_and_derive

if TYPE_CHECKING:
    from coachctl.programme import Programme

Progress = Callable[[int], None]

_NAMED = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
"""A staff id as staff.yaml allows it (:data:`coachctl.fieldtypes.Id`): safe in a file name."""


def _readable(checked: Checked) -> Programme | None:
    """The programme, unless the command would refuse it before answering."""
    prog = checked.programme
    if prog.settings is None or any(d.code == "R020" for d in checked.errors):
        return None
    return prog


def _cached(root: Path, display: str, today: dt.date, name: str, key: list[Any],
            compute: Callable[[Checked], list[Any] | None], progress: Progress | None,
            on_total: Progress | None) -> tuple[Checked, list[Any] | None]:
    """``compute``'s answer (tables first, then plain values), from the cache when it was
    computed for ``key`` (which holds the day and the folder name) from the same files."""

    def encode(found: list[Any] | None) -> list[Any] | None:
        tables = None if found is None else encode_tables(found[0])
        return None if tables is None or found is None else [key, tables, *found[1:]]

    def decode(value: list[Any] | None) -> list[Any] | None:
        if value is None or value[0] != key:
            raise ValueError("saved for another question")
        return [decode_tables(value[1]), *value[2:]]

    derived = Derived(name, __name__, lambda checked, _: compute(checked), encode, decode)
    return check_and_derive(root, display, today, derived, progress=progress,
                            on_total=on_total)


def staff_show(root: Path, display: str, who: str, today: dt.date, *,
               progress: Progress | None = None, on_total: Progress | None = None,
               ) -> tuple[Checked | None, list[Table] | None]:
    """``staff show WHO`` of one programme: the checked programme (empty when the answer
    came from the cache) and :func:`~coachctl.reports.journey.staff_journey`'s tables, or
    None where the command refuses or ``who`` is not a staff id (not looked up at all)."""
    if not _NAMED.fullmatch(who):
        return None, None

    def compute(checked: Checked) -> list[Any] | None:
        from coachctl.reports.journey import staff_journey

        prog = _readable(checked)
        if prog is None or prog.staff_file is None or who not in prog.staff:
            return None
        return [staff_journey(prog, who, today)]

    checked, found = _cached(root, display, today, f"staff-show-{who}.msgpack",
                             [who, today.toordinal(), display], compute, progress, on_total)
    return checked, None if found is None else found[0]


def cycle_status(root: Path, display: str, cycle: int | None, today: dt.date, *,
                 progress: Progress | None = None, on_total: Progress | None = None,
                 ) -> tuple[Checked, tuple[Table, int, list[tuple[str, int]]] | None]:
    """``cycle status`` of one programme: the checked programme (empty when the answer came
    from the cache) and the status table (:func:`~coachctl.reports.cycles.status_table`),
    the number of sessions and the count of each state; None where the command refuses."""

    def compute(checked: Checked) -> list[Any] | None:
        from coachctl import lifecycle
        from coachctl.reports.cycles import status_table
        from coachctl.sessions import default_cycle

        prog = _readable(checked)
        if prog is None:
            return None
        number = cycle if cycle is not None else default_cycle(prog, today)
        if number is None or number not in prog.cycles:
            return None
        st = lifecycle.cycle_status(prog, number, today)
        return [[status_table(st, today)], len(st.sessions), [[s, n] for s, n in
                                                             st.counts.items()]]

    checked, found = _cached(root, display, today, "cycle-status.msgpack",
                             [cycle, today.toordinal(), display], compute, progress, on_total)
    if found is None:
        return checked, None
    tables, sessions, counts = found
    return checked, (tables[0], int(sessions), [(str(s), int(n)) for s, n in counts])
