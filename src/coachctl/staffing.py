"""New people in staff.yaml: ``coachctl staff add`` and ``coachctl staff import``.

:func:`coachctl.staff_export.read_export` reads the school's MIS export into rows;
:func:`plan_import` then compares them with staff.yaml:

* a person in the export and not in staff.yaml is added, with an id made from
  their name (:func:`new_id`);
* a person in both whose role, department or name differs is a *change*:
  reported, and written only when asked (``--update``);
* a person in staff.yaml, not in the export, who has not left is a *possible
  leaver*: listed, never changed (``coachctl staff leave`` records a leaver).

People are matched by id when the export has an id column, else by name
(letter case, accents and spacing aside). Every edit goes through
:mod:`coachctl.yamledit`, so staff.yaml keeps its comments and layout, and a
re-run of the same export changes nothing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from coachctl import yamledit
from coachctl.models import StaffMember
from coachctl.programme import Programme
from coachctl.staff_export import Row, words


def new_id(name: str, taken: Iterable[str]) -> str:
    """An id as docs/format.md makes them: first initial and surname, lower case ASCII
    (``Jo Smith`` → ``jsmith``, ``Zoë O'Brien`` → ``zobrien``); if taken, ``jsmith2``,
    ``jsmith3``, ..."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    parts = ["".join(ch for ch in part if ch.isalnum()) for part in folded.split()]
    parts = [p for p in parts if p]
    base = parts[0][0] + "".join(parts[1:]) if parts else ""
    base = (base or "staff")[:60]
    used = set(taken)
    pid, n = base, 1
    while pid in used:
        n += 1
        pid = f"{base}{n}"
    return pid


@dataclass(frozen=True, slots=True)
class Change:
    who: str
    field: str
    now: str
    export: str


@dataclass
class ImportPlan:
    added: list[tuple[str, Row]] = field(default_factory=list)
    """(new id, row), in the export's order."""
    changes: list[Change] = field(default_factory=list)
    possible_leavers: list[str] = field(default_factory=list)
    """In staff.yaml, active today, not in the export: never changed."""
    left_but_listed: list[str] = field(default_factory=list)
    """In the export but with ``left`` on or before today in staff.yaml: never changed (a
    rejoiner's ``left`` is removed by hand; an export can lag behind a leaver)."""
    duplicates: list[Row] = field(default_factory=list)
    """Rows naming someone an earlier row already named: skipped."""
    ambiguous: list[tuple[Row, list[str]]] = field(default_factory=list)
    """Rows whose name is that of several people in staff.yaml: skipped (an id column
    tells them apart)."""
    edits: list[yamledit.Edit] = field(default_factory=list)


def _match(staff: Mapping[str, StaffMember], row: Row,
           by_name: Mapping[str, list[str]]) -> str | None:
    if row.id is not None:
        return row.id if row.id in staff else None
    same = by_name.get(words(row.name), [])
    return same[0] if len(same) == 1 else None


def plan_import(prog: Programme, rows: list[Row], today: dt.date, *,
                update: bool = False) -> ImportPlan:
    """What ``staff import`` writes. Raises :class:`coachctl.yamledit.Refused`."""
    plan = ImportPlan()
    by_name = _names(prog)
    taken = set(prog.staff)
    seen: set[str] = set()
    for row in rows:
        pid = _match(prog.staff, row, by_name)
        same = by_name.get(words(row.name), [])
        if pid is None and row.id is None and len(same) > 1:
            plan.ambiguous.append((row, same))
            seen.update(same)
            continue
        if pid is None:
            key = row.id or f"name:{words(row.name)}"
            if key in seen:
                plan.duplicates.append(row)
                continue
            seen.add(key)
            new = row.id or new_id(row.name, taken)
            taken.add(new)
            plan.added.append((new, row))
            continue
        if pid in seen:
            plan.duplicates.append(row)
            continue
        seen.add(pid)
        person = prog.staff[pid]
        if person.left is not None and person.left <= today:
            plan.left_but_listed.append(pid)
        for f in ("name", "role", "department"):
            now, theirs = str(getattr(person, f)), str(getattr(row, f))
            if (words(now) if f == "name" else now) != (words(theirs) if f == "name"
                                                          else theirs):
                plan.changes.append(Change(pid, f, now, theirs))
    plan.possible_leavers = sorted(
        pid for pid, p in prog.staff.items()
        if pid not in seen and p.left is None and (p.joined is None or p.joined <= today))
    applied = plan.changes if update else []
    if plan.added or applied:
        plan.edits.append(yamledit.edit_file(
            prog.root, "staff.yaml", lambda d: _apply(d, plan.added, applied)))
    return plan


def entry(pid: str, row: Row) -> dict[str, Any]:
    """A new person's staff.yaml entry, keys in the order docs/format.md shows."""
    out: dict[str, Any] = {"id": pid, "name": row.name, "role": row.role,
                           "department": row.department}
    if row.joined is not None:
        out["joined"] = row.joined
    return out


def _apply(doc: dict[str, Any], added: list[tuple[str, Row]], changes: list[Change]) -> None:
    entries = doc["staff"]
    have = {e.get("id") for e in entries}
    for change in changes:
        for e in entries:
            if e.get("id") == change.who:
                yamledit.put(e, change.field, change.export)
    for pid, row in added:
        if pid not in have:
            entries.append(entry(pid, row))


def plan_add(prog: Programme, row: Row) -> tuple[str, list[yamledit.Edit]]:
    """``staff add``: (the person's id, the edit). Adding someone already there with the
    same name, role and department (by ``--id``, or by name) is no change.

    Raises :class:`ValueError` when the id or name is someone else's."""
    names = _names(prog)
    existing = _match(prog.staff, row, names)
    if existing is None and row.id is None and words(row.name) in names:
        same = names[words(row.name)]
        raise ValueError(f"{row.name!r} is already in staff.yaml as " + ", ".join(same)
                         + "; to add another person of that name, give them an --id")
    if existing is not None:
        person = prog.staff[existing]
        differ = [f for f in ("name", "role", "department")
                  if (words(str(getattr(person, f))) if f == "name" else getattr(person, f))
                  != (words(getattr(row, f)) if f == "name" else getattr(row, f))]
        if differ and row.id is None:
            raise ValueError(f"{row.name!r} is already in staff.yaml as {existing} ("
                             f"{person.role}, {person.department}); to add another person "
                             "of that name, give them an --id")
        if differ:
            raise ValueError(f"{existing} is already in staff.yaml, with another "
                             + ", ".join(differ) + " (" + ", ".join(
                                 f"{f}: {getattr(person, f)}" for f in differ) + ")")
        return existing, []
    pid = row.id or new_id(row.name, prog.staff)
    return pid, [yamledit.edit_file(prog.root, "staff.yaml", lambda d: _apply(d, [(pid, row)],
                                                                              []))]


def _names(prog: Programme) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pid, person in prog.staff.items():
        out.setdefault(words(person.name), []).append(pid)
    return out
