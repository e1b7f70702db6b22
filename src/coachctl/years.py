"""Next year's programme from this one: ``coachctl year start``.

A programme is one school's coaching for one academic year (docs/format.md);
the next year is a new folder beside it, so that every year's records stay as
they were. :func:`plan_year` works out its files from this year's:

* ``programme.yaml``: the new ``academic_year`` and that year's calendar in
  England's usual pattern (:func:`coachctl.calendar.english_year`, with the bank
  holidays of the ``holidays`` library); the school then edits its own term
  dates and INSET days. Everything else (cycle rules, QA, thresholds) is kept.
* ``staff.yaml``: everyone but the leavers (``left`` before the new year begins);
  a coach who was a new coach all this year (``new_coach: true``, joined by the
  year's first day) is a new coach no longer; each coachee's ``start_step`` is
  the step they would work on next (:meth:`coachctl.journeys.Journey.current_step`),
  so the steps they secured count as secured and next year's first stubs carry
  on where this year ended.
* ``pairings.yaml``: the pairings in force in this year's last cycle, from cycle 1,
  without leavers (or none, for a fresh ``pair suggest --all``); hubs carried,
  without leavers, a hub whose expert leaves dropped.
* ``steps/``: the library, sequence and coaching curriculum, byte for byte.

Each file is edited through :mod:`coachctl.yamledit`, so comments and layout
carry over; a file it cannot edit exactly (a comment on a line that goes) is
written afresh from its data and named in :attr:`YearPlan.rewritten`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coachctl import fsio, yamledit
from coachctl.calendar import SchoolCalendar, english_year
from coachctl.cycledates import year_cycles
from coachctl.journeys import journeys
from coachctl.lifecycle import current_step
from coachctl.programme import Programme
from coachctl.scaffold import calendar_dict
from coachctl.yamlout import dump
from coachctl.yamlsafe import parse_bytes

STEP_FILES = ("steps/library.yaml", "steps/sequence.yaml", "steps/coaching-curriculum.yaml")
COPIED = (*STEP_FILES, ".gitignore")


class CannotPlan(Exception):
    """Next year cannot be worked out from this one (a file unreadable, a bad year)."""


def year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def parse_year(text: str) -> int:
    """``2027-28`` → 2027; raises :class:`CannotPlan` unless it is a school year."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not m or (int(m[1]) + 1) % 100 != int(m[2]):
        raise CannotPlan(f"{text!r} is not an academic year such as 2027-28")
    return int(m[1])


@dataclass
class YearPlan:
    year: str
    """The new academic year, e.g. ``2027-28``."""
    last_cycle: int
    """This year's last cycle: the pairings in force in it are carried."""
    files: dict[str, bytes] = field(default_factory=dict)
    """Programme-relative path → content, for the new folder."""
    staff: int = 0
    leavers: list[str] = field(default_factory=list)
    no_longer_new: list[str] = field(default_factory=list)
    start_steps: dict[str, str] = field(default_factory=dict)
    """Coachee → the step they start next year on (only where it is not the first)."""
    finished: list[str] = field(default_factory=list)
    """Coachees who secured every step of the sequence: they start at its first step."""
    pairings: int = 0
    dropped_pairings: int = 0
    hubs: int = 0
    dropped_hubs: list[str] = field(default_factory=list)
    """Hubs whose expert leaves: their coaches need a hub."""
    rewritten: list[str] = field(default_factory=list)
    """Files written afresh from their data: their comments could not be carried."""


def plan_year(prog: Programme, start_year: int | None = None, *,
              pairings: bool = True) -> YearPlan:
    """Next year's files. Raises :class:`CannotPlan` or :class:`coachctl.yamledit.Refused`."""
    if prog.settings is None or prog.staff_file is None or prog.sequence is None:
        raise CannotPlan("programme.yaml, staff.yaml and steps/ must read cleanly first; "
                         "`coachctl validate` says why")
    this = parse_year(prog.settings.academic_year)
    start = this + 1 if start_year is None else start_year
    if start <= this:
        raise CannotPlan(f"{year_label(start)} is not after {prog.settings.academic_year}")
    calendar = english_year(start)
    first_day = SchoolCalendar(calendar).first_day
    old_first = SchoolCalendar(prog.settings.calendar).first_day
    cycles = year_cycles(prog)
    plan = YearPlan(year_label(start), cycles[-1].number if cycles else 0)

    leavers = {pid for pid, p in prog.staff.items() if p.left is not None and p.left < first_day}
    plan.leavers = sorted(leavers)
    plan.no_longer_new = sorted(
        pid for pid, p in prog.staff.items()
        if pid not in leavers and p.new_coach and (p.joined is None or p.joined <= old_first))
    journey_of = journeys(prog.notes)
    sequence = prog.sequence_ids
    for pid in sorted(prog.staff):
        if pid in leavers or not sequence:
            continue
        step = current_step(prog, pid, journey_of)
        if step is None:
            plan.finished.append(pid)
        elif step != sequence[0] or prog.staff[pid].start_step is not None:
            plan.start_steps[pid] = step
    plan.staff = len(prog.staff) - len(leavers)

    def programme_change(d: dict[str, Any]) -> None:
        d["academic_year"] = plan.year
        d["calendar"] = _unshared(calendar_dict(calendar))

    def staff_change(d: dict[str, Any]) -> None:
        entries = d.get("staff") or []
        for i in reversed(range(len(entries))):
            if entries[i].get("id") in leavers:
                del entries[i]
        for e in entries:
            pid = e.get("id")
            if pid in plan.no_longer_new:
                del e["new_coach"]
            if pid in plan.start_steps:
                yamledit.put(e, "start_step", plan.start_steps[pid], after=("joined", "left"))
            elif pid in plan.finished and "start_step" in e:
                del e["start_step"]

    def pairings_change(d: dict[str, Any]) -> None:
        carried, dropped = carry_pairings(d, leavers, plan.last_cycle, keep_pairs=pairings)
        plan.pairings, plan.dropped_pairings = carried, dropped
        plan.hubs = len(d.get("hubs") or [])

    for rel, change, header in (
            ("programme.yaml", programme_change, "The programme: school, calendar, cycle "
             "rules, QA, thresholds.\nSee docs/format.md."),
            ("staff.yaml", staff_change, "Everyone in the programme. Leavers stay, with a "
             "`left` date."),
            ("pairings.yaml", pairings_change, "Who coaches whom, from which cycle; hubs "
             "of coaches.")):
        plan.files[rel] = _carried(prog.root, rel, change, header, plan.rewritten)
    hubs_before = {h.id: h.expert for h in prog.pairings.hubs}
    plan.dropped_hubs = sorted(h for h, expert in hubs_before.items() if expert in leavers)
    for rel in COPIED:
        path = prog.root / rel
        if path.is_file() or rel != ".gitignore":
            try:
                plan.files[rel] = path.read_bytes()
            except OSError as e:
                raise CannotPlan(f"cannot read {prog.path(rel)}: {e.strerror}") from e
    return plan


def _unshared(value: Any) -> Any:
    """``value`` with no object in two places (a YAML writer would make it an alias)."""
    if isinstance(value, dict):
        return {k: _unshared(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unshared(v) for v in value]
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return value


def carry_pairings(d: dict[str, Any], leavers: set[str], last: int, *,
                   keep_pairs: bool = True) -> tuple[int, int]:
    """Turn this year's pairings.yaml value into next year's (in place): the pairings in
    force in cycle ``last``, from cycle 1, without ``leavers``; hubs without them.
    Returns (pairings carried, pairings dropped)."""
    carried = dropped = 0
    for key, people in (("groups", _group_people), ("reciprocal", _pair_people)):
        entries = d.get(key) or []
        for i in reversed(range(len(entries))):
            e = entries[i]
            in_force = (e.get("from_cycle", 1) <= last
                        and (e.get("until_cycle") is None or e["until_cycle"] >= last))
            if not in_force:
                del entries[i]
                continue
            if not keep_pairs or not people(e, leavers):
                del entries[i]
                dropped += 1
                continue
            carried += 1
            if "until_cycle" in e:
                del e["until_cycle"]
            if "from_cycle" in e:
                e["from_cycle"] = 1
    hubs = d.get("hubs") or []
    for i in reversed(range(len(hubs))):
        if hubs[i].get("expert") in leavers:
            del hubs[i]
            continue
        coaches = hubs[i].get("coaches") or []
        for j in reversed(range(len(coaches))):
            if coaches[j] in leavers:
                del coaches[j]
    return carried, dropped


def _group_people(g: dict[str, Any], leavers: set[str]) -> bool:
    """Take leavers out of a group; False when it has no coach or coachee left."""
    if g.get("coach") in leavers:
        return False
    coachees = g.get("coachees") or []
    for j in reversed(range(len(coachees))):
        if coachees[j] in leavers:
            del coachees[j]
    return bool(coachees)


def _pair_people(r: dict[str, Any], leavers: set[str]) -> bool:
    return not leavers & set(r.get("staff") or [])


def _carried(root: Path, rel: str, change: Callable[[dict[str, Any]], None], header: str,
             rewritten: list[str]) -> bytes:
    """``rel``'s bytes with ``change`` made through yamledit (comments kept), or, when it
    cannot be made exactly, its data with the change written afresh (named in
    ``rewritten``)."""
    try:
        before = (root / rel).read_bytes()
    except OSError as e:
        raise CannotPlan(f"cannot read {rel}: {e.strerror}") from e
    try:
        after = yamledit.edit(rel, before, change).after
        assert after is not None
        return after
    except yamledit.Refused:
        value = parse_bytes(before, rel).value
        if not isinstance(value, dict):
            raise
        change(value)
        rewritten.append(rel)
        return dump(value, header).encode("utf-8")


# --- writing the new folder ----------------------------------------------------------------

TMP_MARK = ".coachctl.tmp-"


def temp_folder(target: Path) -> Path:
    """Where the new programme is built before it is renamed into place, beside it."""
    return target.parent / f".{target.name}{TMP_MARK}{os.getpid()}"


def clean_stray(target: Path) -> list[Path]:
    """Remove what an interrupted ``year start`` into ``target`` left behind."""
    gone = []
    for stray in target.parent.glob(f".{glob_escape(target.name)}{TMP_MARK}*"):
        if stray.is_dir() and not stray.is_symlink():
            shutil.rmtree(stray, ignore_errors=True)
            gone.append(stray)
    return gone


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def state_of(target: Path, files: dict[str, bytes]) -> str:
    """``absent`` (missing or an empty folder), ``done`` (holds exactly ``files``), or
    ``other`` (anything else: it is never written into)."""
    if not target.exists():
        return "absent"
    if not target.is_dir():
        return "other"
    present = {p.relative_to(target).as_posix(): p for p in target.rglob("*")
               if p.is_file() and ".coachctl-cache" not in p.parts}
    if not any(target.iterdir()):
        return "absent"
    if set(present) == set(files) and all(present[r].read_bytes() == files[r] for r in files):
        return "done"
    return "other"


def build(folder: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into a new folder (which must not exist), each flushed to disk."""
    folder.mkdir(parents=False)
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not fsio.write_new(path, data.decode("utf-8")):
            raise FileExistsError(path)


def move_into_place(folder: Path, target: Path) -> None:
    """Rename the built folder to ``target`` in one step (an empty ``target`` is replaced):
    a crash leaves the new programme whole or not there at all."""
    if target.is_dir() and not any(target.iterdir()):
        target.rmdir()
    os.rename(folder, target)
