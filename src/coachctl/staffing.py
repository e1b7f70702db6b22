"""New people in staff.yaml: ``coachctl staff add`` and ``coachctl staff import``.

A school's management information system (MIS) exports its staff as a CSV
file: a name (or forename and surname), a job title, a department and a start
date, under column names that differ from one MIS to the next. :func:`read_export`
reads such a file whatever Excel did to it (a byte-order mark, Windows-1252,
semicolons), maps its columns and role words to staff.yaml's fields and reports
every problem located to ``file:line:col`` (codes ``I001``-``I005``).

:func:`plan_import` then compares the export with staff.yaml:

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

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coachctl import yamledit
from coachctl.diagnostics import Diagnostic, make
from coachctl.models import StaffMember
from coachctl.programme import Programme

ROLES = ("teacher", "ect", "middle-leader", "senior-leader", "support")

ROLE_WORDS: dict[str, str] = {
    "teacher": "teacher", "classroom teacher": "teacher", "main scale teacher": "teacher",
    "upper pay scale teacher": "teacher", "qualified teacher": "teacher",
    "unqualified teacher": "teacher",
    "lead practitioner": "teacher", "supply teacher": "teacher",
    "ect": "ect", "early career teacher": "ect", "ect1": "ect", "ect2": "ect",
    "ect year 1": "ect", "ect year 2": "ect", "nqt": "ect", "newly qualified teacher": "ect",
    "middle leader": "middle-leader", "head of department": "middle-leader",
    "head of faculty": "middle-leader", "head of year": "middle-leader",
    "subject leader": "middle-leader", "curriculum leader": "middle-leader",
    "second in department": "middle-leader", "senco": "middle-leader",
    "senior leader": "senior-leader", "headteacher": "senior-leader",
    "head teacher": "senior-leader", "principal": "senior-leader",
    "vice principal": "senior-leader", "deputy headteacher": "senior-leader",
    "deputy head": "senior-leader", "assistant headteacher": "senior-leader",
    "assistant head": "senior-leader", "assistant principal": "senior-leader",
    "support": "support", "teaching assistant": "support", "learning support assistant": "support",
    "cover supervisor": "support", "technician": "support", "hlta": "support",
    "higher level teaching assistant": "support",
}
"""Job titles an MIS export uses, lower case, and the staff.yaml role each means. A
school adds its own with ``--map-role`` or a mapping file's ``roles:``."""

FIELDS = ("id", "name", "first_name", "last_name", "role", "department", "joined")

COLUMN_WORDS: dict[str, str] = {
    "id": "id", "coachctl id": "id",
    "name": "name", "full name": "name", "staff name": "name", "display name": "name",
    "first name": "first_name", "forename": "first_name", "preferred forename": "first_name",
    "legal forename": "first_name", "given name": "first_name",
    "last name": "last_name", "surname": "last_name", "preferred surname": "last_name",
    "legal surname": "last_name", "family name": "last_name",
    "role": "role", "job title": "role", "post": "role", "job role": "role",
    "position": "role", "staff role": "role",
    "department": "department", "dept": "department", "faculty": "department",
    "subject": "department",
    "joined": "joined", "start date": "joined", "employment start": "joined",
    "employment start date": "joined", "date joined": "joined", "date of arrival": "joined",
}
"""Column headings MIS exports use (lower case) and the field each holds."""


def words(text: str) -> str:
    """``text`` folded for matching: lower case, accents and punctuation gone, one space."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded.lower()).split())


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


def role_of(word: str, extra: Mapping[str, str] = {}) -> str | None:
    """The staff.yaml role a job title means, or None."""
    key = words(word)
    mapped = {words(k): v for k, v in extra.items()}
    if key in mapped:
        return mapped[key]
    if key.replace(" ", "-") in ROLES:
        return key.replace(" ", "-")
    return ROLE_WORDS.get(key)


# --- reading an export ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Row:
    """One person in the export, as staff.yaml fields, with the line they are on."""

    line: int
    name: str
    role: str
    department: str
    joined: dt.date | None = None
    id: str | None = None


@dataclass
class ExportMap:
    """How to read an export: column heading → field, job title → role."""

    columns: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)


class MappingError(ValueError):
    """A ``--map`` option or mapping file that cannot be used (a usage error)."""


def parse_maps(maps: Iterable[str], roles: Iterable[str], file: Path | None) -> ExportMap:
    """``--map COLUMN=FIELD``, ``--map-role TITLE=ROLE`` and a mapping file (YAML with
    ``columns:`` and ``roles:`` mappings); the options win over the file."""
    out = ExportMap()
    if file is not None:
        from coachctl.yamlsafe import parse_bytes

        try:
            data = file.read_bytes()
        except OSError as e:
            raise MappingError(f"{file}: cannot read: {e.strerror}") from e
        parsed = parse_bytes(data, file.as_posix())
        value = parsed.value
        if parsed.diagnostics or not isinstance(value, dict) or set(value) - {"columns",
                                                                             "roles"}:
            raise MappingError(f"{file}: a mapping file is YAML with `columns:` "
                               "(heading: field) and `roles:` (job title: role)")
        for key, target in (("columns", out.columns), ("roles", out.roles)):
            pairs = value.get(key) or {}
            if not isinstance(pairs, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                      for k, v in pairs.items()):
                raise MappingError(f"{file}: `{key}:` maps text to text")
            target.update(pairs)
    for option, items, target in (("--map", maps, out.columns), ("--map-role", roles,
                                                                 out.roles)):
        for item in items:
            left, eq, right = item.rpartition("=")
            if not eq or not left.strip() or not right.strip():
                raise MappingError(f"{option} {item!r}: write {option} 'Column=field'")
            target[left.strip()] = right.strip()
    for heading, f in out.columns.items():
        if f not in FIELDS:
            raise MappingError(f"column {heading!r} mapped to {f!r}: a field is one of "
                               + ", ".join(FIELDS))
    for title, role in out.roles.items():
        if role not in ROLES:
            raise MappingError(f"job title {title!r} mapped to {role!r}: a role is one of "
                               + ", ".join(ROLES))
    return out


def decode(data: bytes) -> tuple[str, str]:
    """The export's text and its encoding: UTF-8 (with or without a byte-order mark), else
    Windows-1252, the encoding Excel saves "CSV" in. Raises UnicodeDecodeError."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252"), "cp1252"


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def parse_date(text: str) -> dt.date | None:
    """YYYY-MM-DD, or DD/MM/YYYY as UK exports write it (also with ``-`` or ``.``)."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        try:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    return None


def read_export(path: Path, display: str, mapping: ExportMap) -> tuple[list[Row], list[Diagnostic]]:
    """The people in an export, or the problems that stop it being read (all of them).

    Raises OSError when the file cannot be read at all."""
    data = path.read_bytes()
    try:
        text, _ = decode(data)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return [], [make("I004", "not UTF-8 or Windows-1252 text (byte "
                         f"0x{data[e.start]:02x})", display).at(line, 1)]
    if "\x00" in text:  # UTF-16 (Excel's "Unicode text"), or a workbook or other binary
        line = text[: text.index("\x00")].count("\n") + 1
        return [], [make("I004", "not text: it holds NUL bytes (UTF-16, or a spreadsheet "
                         "file rather than CSV)", display).at(line, 1)]
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [make("I001", "no header line: the first line names the columns",
                         display).at(1, 1)]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]))
    try:
        table = list(reader)
    except csv.Error as e:
        return [], [make("I005", f"not CSV: {e}", display).at(reader.line_num, 1)]
    header = table[0]
    fields = _fields(header, mapping)
    problems = _missing(header, fields, display)
    if problems:
        return [], problems
    rows: list[Row] = []
    line_of = _line_numbers(text, reader)
    for i, cells in enumerate(table[1:], start=1):
        line = line_of[i] if i < len(line_of) else i + 1
        if not any(c.strip() for c in cells):
            continue
        row, diags = _row(cells, header, fields, mapping, display, line)
        problems += diags
        if row is not None:
            rows.append(row)
    return rows, problems


def _line_numbers(text: str, reader: Any) -> list[int]:
    """The line each record starts on (a quoted cell may span lines)."""
    out = []
    again = csv.reader(io.StringIO(text, newline=""), dialect=reader.dialect)
    start = 1
    for _ in again:
        out.append(start)
        start = again.line_num + 1
    return out


def _fields(header: list[str], mapping: ExportMap) -> dict[str, int]:
    """Field → column index: the mapping's headings first, then the usual words."""
    found: dict[str, int] = {}
    mapped = {words(k): v for k, v in mapping.columns.items()}
    for table in (mapped, COLUMN_WORDS):
        for i, heading in enumerate(header):
            f = table.get(words(heading))
            if f is not None and f not in found and i not in found.values():
                found[f] = i
    return found


def _missing(header: list[str], fields: dict[str, int], display: str) -> list[Diagnostic]:
    need = ["role", "department"]
    if "name" not in fields and not {"first_name", "last_name"} <= set(fields):
        need.insert(0, "name")
    out = []
    for f in need:
        if f not in fields:
            hint = (f"map a column to it: --map 'Heading={f}' (columns here: "
                    + ", ".join(repr(h) for h in header) + ")")
            out.append(make("I001", f"no column for {f!r}", display, hint=hint).at(1, 1))
    return out


def _col(header: list[str], index: int) -> int:
    return 1 + sum(len(h) + 1 for h in header[:index])


def _row(cells: list[str], header: list[str], fields: dict[str, int], mapping: ExportMap,
         display: str, line: int) -> tuple[Row | None, list[Diagnostic]]:
    def cell(f: str) -> str:
        i = fields.get(f)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    def at(f: str) -> tuple[int, int]:
        return line, _col(cells, fields.get(f, 0))

    problems: list[Diagnostic] = []
    if len(cells) < len(header):
        problems.append(make("I005", f"{len(cells)} cells where the header has {len(header)}",
                             display, hint="a cell holding the separator needs quotes"
                             ).at(line, 1))
        return None, problems
    name = cell("name") or " ".join(p for p in (cell("first_name"), cell("last_name")) if p)
    for f, value in (("name", name), ("department", cell("department")),
                     ("role", cell("role"))):
        if not value:
            problems.append(make("I005", f"no {f}", display).at(*at(f)))
    role = role_of(cell("role"), mapping.roles) if cell("role") else None
    if cell("role") and role is None:
        problems.append(make("I003", f"job title {cell('role')!r} is not a role coachctl "
                             "knows", display,
                             hint=f"map it: --map-role '{cell('role')}=teacher' (a role is one of "
                             + ", ".join(ROLES) + ")").at(*at("role")))
    joined = None
    if cell("joined"):
        joined = parse_date(cell("joined"))
        if joined is None:
            problems.append(make("I002", f"start date {cell('joined')!r} is not a date",
                                 display, hint="write YYYY-MM-DD or DD/MM/YYYY"
                                 ).at(*at("joined")))
    pid = cell("id").lower() or None
    if pid is not None and not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", pid):
        problems.append(make("I002", f"id {cell('id')!r} is not an id (lower-case letters, "
                             "digits, '.', '_', '-')", display).at(*at("id")))
    if problems or role is None:
        return None, problems
    return Row(line, name, role, cell("department"), joined, pid), []


# --- comparing with staff.yaml -------------------------------------------------------------

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
