"""Find programmes, read every file in one, and hand back typed data plus diagnostics.

The pipeline for one file is: bytes -> :func:`coachctl.yamlsafe.parse_bytes`
(safe YAML, positions) -> the strict model for the file's kind (by its path,
see :data:`KINDS`) -> a record. Problems at any stage become located
diagnostics; a file that fails still lets every other file be checked.

Cross-file checks (:mod:`coachctl.checks`) then run on the :class:`Programme`
this builds, and :func:`locate` turns their key-path pointers into lines and
columns by re-reading only the files that have problems.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import stat as st_mode
import sys
import time
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachctl import cache
from coachctl import models as m
from coachctl.diagnostics import Diagnostic, make

if TYPE_CHECKING:  # a warm run reads no YAML, validates nothing and starts no worker
    from concurrent.futures import ProcessPoolExecutor

    from pydantic import BaseModel, TypeAdapter, ValidationError

    from coachctl.yamlsafe import Parsed

PROGRAMME_FILE = "programme.yaml"
SINGLETONS: dict[str, type] = {
    "programme.yaml": m.ProgrammeSettings,
    "staff.yaml": m.StaffFile,
    "pairings.yaml": m.PairingsFile,
    "steps/library.yaml": m.LibraryFile,
    "steps/coaching-curriculum.yaml": m.LibraryFile,
    "steps/sequence.yaml": m.SequenceFile,
}
FOLDERS: dict[str, type] = {"cycles": m.Cycle, "notes": m.Note, "qa": m.QaRecord,
                             "training": m.TrainingRecord}
SKIP_DIRS = {".git", ".coachctl-cache", "node_modules", "__pycache__"}

Progress = Callable[[int], None]


def join(display: str, rel: str) -> str:
    """A file's name in diagnostics: the programme folder as the user typed it, then ``rel``."""
    return rel if display in ("", ".") else posixpath.join(display, rel)


def kind_of(rel: str) -> str | None:
    """The kind of file at ``rel`` (a programme-relative posix path), or None if unknown."""
    if rel in SINGLETONS:
        return rel
    top, sep, _ = rel.partition("/")
    return top if sep and top in FOLDERS else None


def record_class(kind: str) -> type:
    """The class (in :mod:`coachctl.models`) a file of this kind is read into."""
    return SINGLETONS.get(kind) or FOLDERS[kind]


def model_for(kind: str) -> type[BaseModel]:
    """The strict pydantic model a file of this kind is validated against."""
    from coachctl.validators import model_of

    return model_of(record_class(kind))


# --- finding files -------------------------------------------------------------------

def find_programmes(path: Path, links: list[Path] | None = None) -> list[Path]:
    """Programme folders at or below ``path`` (a folder holding programme.yaml), sorted.

    A file inside a programme names that programme. A folder below ``path`` that is a
    symbolic link is never followed; with ``links``, the ones that hold a programme.yaml
    are added to it, so the caller can say so rather than skip them in silence.
    """
    if path.is_file():
        for parent in path.resolve().parents:
            if (parent / PROGRAMME_FILE).is_file():
                return [parent]
        return []
    if (path / PROGRAMME_FILE).is_file():
        return [path]
    found = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        if links is not None:
            links.extend(Path(dirpath, d) for d in dirnames
                         if os.path.islink(os.path.join(dirpath, d))
                         and os.path.isfile(os.path.join(dirpath, d, PROGRAMME_FILE)))
        if PROGRAMME_FILE in filenames:
            found.append(Path(dirpath))
            dirnames[:] = []
    return found


def scan_yaml(root: Path, *, stat: bool = True) -> list[cache.Stat]:
    """Every .yaml/.yml file below ``root``: (posix path relative to it, size, mtime_ns), sorted.

    Without ``stat``, size and mtime are 0 (a stat per file is the floor of a warm run and
    wasted on a cold one). What must be looked at closer has size -1, which no cache entry
    matches: a symbolic link or anything but a regular file named like a programme file,
    and (named without .yaml) a folder that is a symbolic link or cannot be listed, so
    :func:`read_chunk` reports it rather than it being skipped in silence.
    """
    out: list[cache.Stat] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            it = os.scandir(folder)
        except OSError:
            out.append((prefix.rstrip("/") or ".", -1, 0))
            return
        with it:
            for entry in it:
                name = entry.name
                try:
                    link = entry.is_symlink()
                    folder_like = entry.is_dir()
                except OSError:
                    link, folder_like = True, False
                if folder_like:
                    if name in SKIP_DIRS or name.startswith("."):
                        continue
                    if link:
                        out.append((prefix + name, -1, 0))
                    else:
                        walk(entry.path, prefix + name + "/")
                elif name.endswith((".yaml", ".yml")):
                    if link or not entry.is_file(follow_symlinks=False):
                        out.append((prefix + name, -1, 0))
                        continue
                    if not stat:
                        out.append((prefix + name, 0, 0))
                        continue
                    try:
                        st = entry.stat()
                    except OSError:
                        st = None
                    out.append((prefix + name, st.st_size, st.st_mtime_ns) if st
                               else (prefix + name, -1, 0))

    walk(str(root), "")
    out.sort()
    return out


_KINDS_OF_NODE = ((st_mode.S_ISFIFO, "named pipe (FIFO)"), (st_mode.S_ISSOCK, "socket"),
                  (st_mode.S_ISCHR, "character device"), (st_mode.S_ISBLK, "block device"))


def odd_entry(root: str, rel: str) -> Diagnostic | None:
    """What is wrong with the thing at ``rel`` that is not a plain file or folder, if anything.

    A symbolic link that leaves the programme is never followed (P004); a folder that is a
    link is not read through (P005); a pipe, socket or device is never opened (P006); a
    folder that cannot be listed is Y011. Diagnostics name ``rel``, never a link's target.
    """
    path = os.path.join(root, rel)
    try:
        lst = os.lstat(path)
    except OSError:
        return None  # gone, or unreadable: opening it says so
    mode = lst.st_mode
    if st_mode.S_ISLNK(mode):
        real, base = os.path.realpath(path), os.path.realpath(root)
        if os.path.commonpath([real, base]) != base:
            return make("P004", "a symbolic link to somewhere outside the programme is not "
                        "followed", rel, hint="put the file itself here, or remove the link")
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return None  # a dangling link inside the programme: opening it says so (Y011)
        if st_mode.S_ISDIR(mode):
            return make("P005", "this folder is a symbolic link; coachctl does not read "
                        "through it", rel, hint="move the folder here, or remove the link")
    if st_mode.S_ISDIR(mode):
        try:
            os.scandir(path).close()
        except OSError as e:
            return make("Y011", f"cannot list the folder: {e.strerror}", rel,
                        hint="fix the folder's permissions")
        return None
    for test, what in _KINDS_OF_NODE:
        if test(mode):
            return make("P006", f"this is a {what}, not a file; coachctl does not read it", rel,
                        hint="remove it, or replace it with the file it stands for")
    return None


def read_regular(path: str) -> tuple[os.stat_result, bytes]:
    """A regular file's status and bytes (at most :data:`MAX_READ`); OSError for anything else.

    Opened without blocking, so a named pipe put in a file's place never hangs a run.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not st_mode.S_ISREG(st.st_mode):
            raise OSError(0, "not a regular file")
        return st, f.read(MAX_READ)


# --- reading files -------------------------------------------------------------------

@dataclass(slots=True)
class FileResult:
    rel: str
    kind: str | None
    record: Any
    diagnostics: list[Diagnostic]


def read_chunk(root: str, rels: Sequence[str]) -> list[tuple[str, cache.Entry]]:
    """Read, parse and schema-check files; give each as a cache entry (plain data).

    Runs in worker processes, so it returns only compact, picklable values:
    no node trees, no models. Clean files take the fast path
    (:func:`~coachctl.yamlsafe.plain_value`, then one pydantic call for all
    the notes; in a chunk of fewer than :data:`QUICK_FILES`,
    :func:`~coachctl.quickcheck.accept` first, which needs no pydantic); any
    file with something to report is read again the careful way
    (:func:`read_one`), so its diagnostics are exactly what they would be alone.
    Diagnostics are named by ``rel``; :func:`decode` renames them.
    """
    from coachctl.quickcheck import accept
    from coachctl.yamlsafe import plain_value

    started = time.time_ns()
    quick = len(rels) < QUICK_FILES
    out: list[tuple[str, cache.Entry]] = []
    notes: list[tuple[int, bytes, Any]] = []
    for rel in rels:
        kind = kind_of(rel)
        path = os.path.join(root, rel)
        folder = not rel.endswith((".yaml", ".yml"))
        odd = odd_entry(root, rel)
        if odd is not None or folder:
            out.append((rel, [0, 0, started, b"", None if folder else kind, None,
                              [_encode(odd)] if odd else []]))
            continue
        try:
            if kind is None:  # not read at all: where it is says enough
                st, data = os.stat(path), b""
            else:
                st, data = read_regular(path)
        except OSError as e:
            out.append((rel, [0, 0, started, b"", kind, None,
                              [_encode(make("Y011", f"cannot read the file: {e.strerror}", rel))]]))
            continue
        entry: cache.Entry = [st.st_size, st.st_mtime_ns, started, cache.digest(data), kind,
                              None, []]
        out.append((rel, entry))
        if kind is None or kind == PROGRAMME_FILE or (value := plain_value(data)) is None:
            _fill(entry, *read_one(kind, data, rel))
        elif quick and (record := accept(record_class(kind), value)) is not None:
            entry[cache.RECORD] = cache.encode_record(
                m.NoteRecord.of(record, rel) if kind == "notes" else record)
        elif kind == "notes":
            notes.append((len(out) - 1, data, value))
        else:
            record, exc = _validated(kind, value)
            if exc is None:
                entry[cache.RECORD] = cache.encode_record(record)
            else:
                _fill(entry, *_read_big(kind, data, rel, value, exc))
    for (i, data, _), note in zip(notes, _validate_notes([v for _, _, v in notes]), strict=True):
        rel, entry = out[i]
        if note is None:
            _fill(entry, *read_one("notes", data, rel))
        else:
            entry[cache.RECORD] = cache.encode_record(m.NoteRecord.of(note, rel))
    return out


MAX_READ = 8 * 1024 * 1024 + 1
QUICK_FILES = 200
"""Below this many files to read, checking clean ones in Python first costs less than
importing pydantic and building its models (a note check reads about a dozen)."""


def _validated(kind: str, value: Any) -> tuple[Any, ValidationError | None]:
    """``value`` as its kind's record if its model accepts it, else why not."""
    from pydantic import ValidationError

    from coachctl.validators import validate

    try:
        return validate(record_class(kind), value), None
    except ValidationError as exc:
        return None, exc


_notes_adapter: TypeAdapter[list[Any]] | None = None


def _validate_notes(values: list[Any]) -> list[Any]:
    """Validate many notes in one pydantic call (about half the cost of one call each):
    each a model with :class:`~coachctl.models.Note`'s fields, or None if it has problems."""
    global _notes_adapter
    if not values:
        return []
    from pydantic import TypeAdapter, ValidationError

    if _notes_adapter is None:
        _notes_adapter = TypeAdapter(list[model_for("notes")])  # type: ignore[arg-type,misc]
    try:
        return list(_notes_adapter.validate_python(values))
    except ValidationError as exc:
        bad = {e["loc"][0] for e in exc.errors(include_url=False)}
    good = [v for i, v in enumerate(values) if i not in bad]
    it = iter(_notes_adapter.validate_python(good))
    return [None if i in bad else next(it) for i in range(len(values))]


def _fill(entry: cache.Entry, record: Any, diagnostics: list[Diagnostic]) -> None:
    entry[cache.RECORD] = cache.encode_record(record)
    entry[cache.DIAGS] = [_encode(d) for d in diagnostics]


def _encode(d: Diagnostic) -> list[Any]:
    return cache.encode_diagnostic(d, with_path=False)


def read_one(kind: str | None, data: bytes, path: str) -> tuple[Any, list[Diagnostic]]:
    """The careful path for one file's bytes: parse with positions, check, locate problems."""
    from coachctl.privacy import redact_all
    from coachctl.yamlsafe import parse_bytes

    if kind is None:
        return None, [make("P002", "coachctl does not read a YAML file here", path,
                           hint="see docs/format.md for where each kind of file lives")]
    parsed = parse_bytes(data, path)
    record = None
    if parsed.value is not None:
        record = validate(kind, parsed, path, parsed.diagnostics)
    # The one place a file's diagnostics are made before being cached or shown: a file
    # that may hold what a coach wrote keeps its text out of every message and hint.
    diagnostics = redact_all(parsed.diagnostics, kind, data)
    if isinstance(record, m.Note):
        return m.NoteRecord.of(record, path), diagnostics
    return record, diagnostics


def _prefixes(pointers: Iterable[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    return {p[:i] for p in pointers for i in range(len(p) + 1)}


def _read_big(kind: str, data: bytes, path: str, value: Any,
              exc: ValidationError) -> tuple[Any, list[Diagnostic]]:
    """:func:`read_one` for a plainly written file that fails its model: a big one is
    located by streaming (see :func:`~coachctl.yamlsafe.spans_of`), not by holding a
    position for every value, which for a 25,000-person staff.yaml doubled the memory."""
    from coachctl.privacy import redact_all
    from coachctl.yamlsafe import STREAM_BYTES, spans_of

    parsed = (spans_of(data, _prefixes(tuple(e["loc"]) for e in exc.errors(include_url=False)))
              if len(data) > STREAM_BYTES else None)
    if parsed is None:
        return read_one(kind, data, path)
    parsed.value = value
    validate(kind, parsed, path, parsed.diagnostics)
    return None, redact_all(parsed.diagnostics, kind, data)


def decode(rel: str, entry: cache.Entry, display: str) -> FileResult:
    """A cache entry (from a worker or from the cache) as a file's result in this run."""
    kind, diags = entry[cache.KIND], entry[cache.DIAGS]
    path = join(display, rel) if diags else ""
    return FileResult(rel, kind, cache.decode_record(kind, entry[cache.RECORD], rel),
                      [cache.decode_diagnostic(t, path) for t in diags])


def validate(kind: str, parsed: Parsed, path: str, out: list[Diagnostic]) -> Any:
    """Check a parsed value against its kind's model; append located diagnostics to ``out``.

    Gives the file's record (see :func:`record_class`), or None."""
    from coachctl.quickcheck import accept

    value = parsed.value
    if kind == PROGRAMME_FILE and value.get("format") != m.FORMAT_VERSION:
        out.append(make("S005", f"format {shown(value.get('format'))} is not supported; this "
                        f"coachctl reads format {m.FORMAT_VERSION}", path,
                        hint=f"set 'format: {m.FORMAT_VERSION}'").at(
                            *(parsed.span(("format",)) or (1, 1, 1, 1))))
        return None
    if (quick := accept(record_class(kind), value)) is not None:
        return quick  # certainly what the model gives: no need for pydantic
    from pydantic import ValidationError

    from coachctl.validators import record

    model = model_for(kind)
    try:
        return record(model.model_validate(value))
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            if any(loc[: i + 1] in parsed.flagged for i in range(len(loc))):
                continue
            out.append(_schema_diagnostic(model, err, loc, parsed, path))
        return None


_DATE_ERRORS = {"date_type", "date_parsing", "date_from_datetime_inexact",
                "date_from_datetime_parsing", "date_future", "date_past"}
_PATTERNS = {
    r"^[a-z0-9][a-z0-9._-]*$": "an id: lower-case letters, digits, '.', '_' or '-' (like asmith)",
    r"^\d{4}-\d{2}$": "an academic year like 2026-27",
    r"^([01]\d|2[0-3]):[0-5]\d$": "a 24-hour time like 14:00, in quotes",
    r"^age1[02-9ac-hj-np-z]{58}$": "an age public key: age1 and 58 more letters and digits, "
                                   "as `coachctl key init` prints it",
    r"^[a-z0-9][a-z0-9._-]*:[0-9a-f]{8}$": "a reader: a staff id, a colon and the key's "
                                            "8-character fingerprint (coachctl writes these)",
}
"""Each pattern a model uses, in the reader's words (tests check every pattern has one)."""
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _schema_diagnostic(model: type[BaseModel], err: Any, loc: m_Pointer, parsed: Parsed,
                       path: str) -> Diagnostic:
    kind = err["type"]
    hint = None
    if kind == "extra_forbidden":
        import difflib

        key = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = (f"did you mean {close[0]!r}?" if close
                else f"allowed keys here: {', '.join(allowed)}" if allowed else None)
        inside = f" in {where(loc[:-1], parsed.value)}" if len(loc) > 1 else ""
        d = make("S001", f"unknown key {key!r}{inside}", path, hint=hint)
        span = parsed.span(loc, key=True)
    elif kind == "missing":
        inside = f" in {where(loc[:-1], parsed.value)}" if len(loc) > 1 else ""
        d = make("S002", f"missing key {str(loc[-1])!r}{inside}", path)
        span = parsed.span(loc[:-1])
    else:
        code = "S004" if kind in _DATE_ERRORS else "S003"
        got = err.get("input")
        what, hint = _wording(kind, err, got)
        private = bool(loc) and loc[-1] in m.PRIVATE_FIELDS
        d = make(code, f"{where(loc, parsed.value)} {what} (got {shown(got, private)})", path,
                 hint=hint or _yaml_trap_hint(got, kind))
        span = parsed.span(loc)
    return d.at(*span) if span else d.at(1, 1)


m_Pointer = tuple[Any, ...]


def where(loc: m_Pointer, value: Any) -> str:
    """A position in a file in the reader's words: ``staff entry 29 (id dclarke): joined``.

    List items are counted from 1 and named by their id when they have one.
    """
    out = ""
    current = value
    after_item = False
    for part in loc:
        if isinstance(part, int):
            item = current[part] if isinstance(current, list) and 0 <= part < len(current) else None
            ident = item.get("id") if isinstance(item, dict) else None
            named = f" (id {ident})" if isinstance(ident, str) and _ID.match(ident) else ""
            out += f" entry {part + 1}{named}"
            current, after_item = item, True
        else:
            out += (": " if after_item else "." if out else "") + str(part)
            current = current.get(part) if isinstance(current, dict) else None
            after_item = False
    return out.strip() or "the file"


def shown(got: Any, private: bool = False) -> str:
    """A value from the file as a message shows it: YAML's words, text quoted and short."""
    if isinstance(got, bool):
        return str(got).lower()
    if got is None:
        return "nothing (an empty value)"
    if isinstance(got, dict):
        return "a mapping"
    if isinstance(got, list):
        return "a list"
    if isinstance(got, int):
        return str(got) if abs(got) < 10**18 else "a very long number"
    if isinstance(got, float | dt.date):
        return str(got)
    if isinstance(got, str):
        if private:
            return "text"
        return repr(got if len(got) <= 40 else got[:37] + "...")
    return type(got).__name__


def _choices(err: Any) -> list[str]:
    return re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))


def _wording(kind: str, err: Any, got: Any) -> tuple[str, str | None]:
    """What a pydantic error means, in the reader's words, and a hint when one helps."""
    ctx = err.get("ctx") or {}
    lower = got.strip().lower() if isinstance(got, str) else None
    if kind in ("literal_error", "enum"):
        choices = _choices(err)
        hint = f"only the case is wrong: write {lower!r}" if lower in choices else None
        return f"must be one of {', '.join(choices)}", hint
    if kind == "string_pattern_mismatch":
        desc = _PATTERNS.get(str(ctx.get("pattern")), "in the form docs/format.md describes")
        pattern = re.compile(str(ctx.get("pattern", "")))
        hint = (f"only the case is wrong: write {lower!r}"
                if lower is not None and lower != got and pattern.match(lower) else None)
        return f"must be {desc}", hint
    if kind in _DATE_ERRORS:
        hint = ("write the date alone, without a time" if isinstance(got, dt.datetime)
                else None)
        return "must be a date like 2026-09-07", hint
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return ("must not be empty" if n == 1 else f"must be at least {n} characters"), None
    if kind == "string_too_long":
        return f"is too long: at most {ctx.get('max_length', 0):,} characters", None
    if kind in ("too_short", "too_long"):
        n = ctx.get("min_length" if kind == "too_short" else "max_length", 0)
        entries = "entry" if n == 1 else "entries"
        return ((f"needs at least {n} {entries}" if kind == "too_short"
                 else f"takes at most {n} {entries}, not {ctx.get('actual_length')}"), None)
    bounds = {"greater_than_equal": ("at least", "ge"), "less_than_equal": ("at most", "le"),
              "greater_than": ("more than", "gt"), "less_than": ("less than", "lt")}
    if kind in bounds:
        bound, key = bounds[kind]
        limit = ctx.get(key)
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        return f"must be {bound} {limit}", None
    return _WORDS.get(kind) or _fallback(err), None


_WORDS = {
    "string_type": "must be text",
    "int_type": "must be a whole number", "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number", "float_parsing": "must be a number",
    "bool_type": "must be true or false", "bool_parsing": "must be true or false",
    "list_type": "must be a list (one '- ' line per entry)",
    "model_type": "must be a mapping of keys and values",
    "dict_type": "must be a mapping of keys and values",
    "model_attributes_type": "must be a mapping of keys and values",
}


def _fallback(err: Any) -> str:
    message = re.sub(r"pattern '.*'", "the expected form", str(err.get("msg", "is not valid")))
    return message.rstrip(".").replace("Input should", "should")


def _yaml_trap_hint(got: Any, kind: str) -> str | None:
    if isinstance(got, bool) and kind == "string_type":
        return "YAML reads unquoted yes/no/on/off/true/false as booleans: quote the value"
    if isinstance(got, int | float) and not isinstance(got, bool) and kind == "string_type":
        return "YAML read this as a number (14:00 is read as 840): quote the value"
    if isinstance(got, str) and kind in _DATE_ERRORS:
        return ("write dates as YYYY-MM-DD without quotes"
                if re.match(r"^\s*\d{4}-\d\d?-\d\d?\s*$", got) else "write dates as YYYY-MM-DD")
    return None


def _fields_at(model: type[BaseModel], loc: m_Pointer) -> list[str]:
    """The keys allowed at ``loc`` inside ``model``, for "did you mean" hints."""
    from pydantic import BaseModel

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(part))
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """Unwrap list[X], X | None and Annotated[X, ...] down to a model class, if any."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


# --- a whole programme --------------------------------------------------------------

@dataclass
class Programme:
    """One programme's data, as far as it could be read, and what went wrong reading it."""

    root: Path
    display: str
    """The programme folder as diagnostics should name it (as the user typed it)."""
    files: int = 0
    settings: m.ProgrammeSettings | None = None
    staff: dict[str, m.StaffMember] = field(default_factory=dict)
    staff_file: m.StaffFile | None = None
    pairings: m.PairingsFile = field(default_factory=m.PairingsFile)
    library: m.LibraryFile | None = None
    curriculum: m.LibraryFile | None = None
    sequence: m.SequenceFile | None = None
    cycles: dict[int, m.Cycle] = field(default_factory=dict)
    cycle_paths: dict[int, str] = field(default_factory=dict)
    notes: list[m.NoteRecord] = field(default_factory=list)
    qa: list[tuple[str, m.QaRecord]] = field(default_factory=list)
    training: list[tuple[str, m.TrainingRecord]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    present: set[str] = field(default_factory=set)
    """Kinds of file that exist (parsed or not), so a broken file is not also 'missing'."""
    unread: list[str] = field(default_factory=list)
    """Files of a known kind that exist but could not be read or did not fit the format:
    checks against them are held back (see :func:`coachctl.checks.run`)."""

    def path(self, rel: str) -> str:
        return join(self.display, rel)

    @property
    def steps(self) -> dict[str, m.Step]:
        return _steps(self.library)

    @property
    def coaching_steps(self) -> dict[str, m.Step]:
        return _steps(self.curriculum)

    @property
    def sequence_ids(self) -> list[str]:
        return list(self.sequence.steps) if self.sequence else []


def _steps(lib: m.LibraryFile | None) -> dict[str, m.Step]:
    return {s.id: s for strand in lib.strands for s in strand.steps} if lib else {}


CHUNK = 256
"""Files per task: big enough to amortise a pydantic call and a round trip to a worker."""
PARALLEL_MIN = 1_000
"""Below this many files to read, one process is quicker than starting to share the work."""
_pool: ProcessPoolExecutor | None = None


def _workers() -> ProcessPoolExecutor | None:
    """A process pool kept for the life of the run (a trust is many programmes)."""
    global _pool
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (cpus or 1) < 2:
        return None
    if _pool is None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if sys.platform == "linux" else "spawn"
        _pool = ProcessPoolExecutor(min(cpus or 1, 8), multiprocessing.get_context(method))
    return _pool


def read_files(root: Path, rels: Sequence[str], progress: Progress | None = None,
               ) -> Iterator[list[tuple[str, cache.Entry]]]:
    """Read files in chunks, in order: across worker processes when there are many.

    If a worker dies (killed, out of memory), the rest is read in this process.
    """
    global _pool
    if not rels:
        return
    base = str(root)
    chunks = [rels[i:i + CHUNK] for i in range(0, len(rels), CHUNK)]
    pool = _workers() if len(rels) >= PARALLEL_MIN else None
    results: Iterator[list[tuple[str, cache.Entry]]] = iter(())
    if pool is not None:  # a few files (a note check) are read here, importing no pool
        from concurrent.futures.process import BrokenProcessPool

        try:
            results = pool.map(read_chunk, [base] * len(chunks), chunks)
        except BrokenProcessPool:
            pool = _pool = None
    for chunk in chunks:
        if pool is None:
            done = read_chunk(base, chunk)
        else:
            try:
                done = next(results)
            except BrokenProcessPool:
                pool = _pool = None
                done = read_chunk(base, chunk)
        if progress:
            progress(len(chunk))
        yield done


def open_store(root: Path, display: str | None = None) -> cache.Store:
    """The programme's cache, with every file walked and stat-ed."""
    return cache.Store(root, _display(root, display), scan_yaml(root))


def _display(root: Path, display: str | None) -> str:
    display = display if display is not None else str(root)
    return display.rstrip("/") or "."


def load(root: Path, display: str | None = None, *, progress: Progress | None = None,
         on_total: Callable[[int], None] | None = None,
         only: Iterable[str] | None = None, store: cache.Store | None = None) -> Programme:
    """Read every file of the programme at ``root``. Cross-file checks are separate.

    With ``only`` (programme-relative paths), read just those files plus the
    ones they may refer to (programme, staff, pairings, steps, cycles): the
    fast path for checking a few notes before a commit. With a ``store``
    (see :func:`open_store`), files unchanged since it was saved are not read.
    """
    display = _display(root, display)
    prog = Programme(root=root, display=display)
    stats: list[cache.Stat]
    if only is None:
        stats = store.stats if store else scan_yaml(root, stat=False)
    else:
        wanted = set(only)
        cycles = root / "cycles"
        rels = sorted(wanted | {k for k in SINGLETONS if (root / k).is_file()}
                      | ({f"cycles/{p.name}" for p in cycles.iterdir() if p.suffix == ".yaml"}
                         if cycles.is_dir() else set()))
        stats = [_stat(root, rel) for rel in rels] if store else [(rel, 0, 0) for rel in rels]
    prog.files = len(stats)
    if on_total:
        on_total(len(stats))
    found: dict[str, FileResult] = {}
    misses: list[str] = []
    for rel, size, mtime in stats:
        entry = store.lookup(rel, size, mtime) if store else None
        try:
            if entry is not None:
                found[rel] = decode(rel, entry, display)
                continue
        except (TypeError, ValueError, IndexError, KeyError):  # a malformed entry: read again
            pass
        misses.append(rel)
    if progress and found:
        progress(len(found))
    for done in read_files(root, misses, progress):
        for rel, entry in done:
            if store:
                store.put(rel, entry)
            found[rel] = decode(rel, entry, display)
    if store:
        store.save()
    for rel, _, _ in stats:
        res = found[rel]
        prog.diagnostics.extend(res.diagnostics)
        if res.kind is None:
            continue
        prog.present.add(res.kind)
        if res.record is None:
            prog.unread.append(res.rel)
        _attach(prog, res)
    for kind in SINGLETONS:
        if kind not in prog.present:
            prog.diagnostics.append(make("P001", f"required file {kind} is missing",
                                         prog.path(kind), hint="`coachctl init` writes one"))
    return prog


def _stat(root: Path, rel: str) -> cache.Stat:
    try:
        st = os.stat(root / rel)
    except OSError:
        return (rel, -1, 0)
    return (rel, st.st_size, st.st_mtime_ns)


def _attach(prog: Programme, res: FileResult) -> None:
    rec = res.record
    if rec is None:
        return
    if isinstance(rec, m.NoteRecord):
        prog.notes.append(rec)
    elif isinstance(rec, m.QaRecord):
        prog.qa.append((res.rel, rec))
    elif isinstance(rec, m.TrainingRecord):
        prog.training.append((res.rel, rec))
    elif isinstance(rec, m.Cycle):
        if rec.number in prog.cycles:
            prog.diagnostics.append(make(
                "R004", f"cycle {rec.number} is also defined in {prog.cycle_paths[rec.number]}",
                prog.path(res.rel), ("number",)))
        else:
            prog.cycles[rec.number] = rec
            prog.cycle_paths[rec.number] = res.rel
    elif isinstance(rec, m.ProgrammeSettings):
        prog.settings = rec
    elif isinstance(rec, m.StaffFile):
        prog.staff_file = rec
        for i, person in enumerate(rec.staff):
            if person.id in prog.staff:
                prog.diagnostics.append(make("R004", f"staff id '{person.id}' is listed twice",
                                             prog.path(res.rel), ("staff", i, "id")))
            else:
                prog.staff[person.id] = person
    elif isinstance(rec, m.PairingsFile):
        prog.pairings = rec
    elif isinstance(rec, m.SequenceFile):
        prog.sequence = rec
    elif res.kind == "steps/library.yaml":
        prog.library = rec
    else:
        prog.curriculum = rec


# --- locating ------------------------------------------------------------------------

def locate(diagnostics: list[Diagnostic], prog: Programme) -> list[Diagnostic]:
    """Give every diagnostic that still has a key-path pointer its line and column.

    Only files with such diagnostics are read again; positions are not kept in
    memory between loading and checking, which matters at trust scale.
    """
    from coachctl.yamlsafe import STREAM_BYTES, Parsed, parse_bytes, spans_of, top_level_spans

    pending: dict[str, list[int]] = {}
    for i, d in enumerate(diagnostics):
        if d.pointer is not None:
            pending.setdefault(d.path, []).append(i)
    out = list(diagnostics)
    prefix = join(prog.display, "")
    for path, idxs in pending.items():
        rel = path[len(prefix):]
        try:
            _, data = read_regular(str(prog.root / rel))
        except OSError:
            data = None
        if data is not None:  # the fast path: every pointer a simple top-level key
            quick = top_level_spans(data)
            spans = [quick.get(p[0]) if (p := out[i].pointer) and len(p) == 1
                     and isinstance(p[0], str) else None for i in idxs]
            if all(spans):
                for i, span in zip(idxs, spans, strict=True):
                    assert span is not None
                    out[i] = out[i].at(*span)
                continue
        wanted = _prefixes(p for i in idxs if (p := out[i].pointer) is not None)
        parsed = ((data is not None and len(data) > STREAM_BYTES and spans_of(data, wanted))
                  or (parse_bytes(data, path) if data is not None else Parsed()))
        for i in idxs:
            d = out[i]
            assert d.pointer is not None
            span = parsed.span(d.pointer)
            out[i] = d.at(*span) if span else d.at(1, 1)
    return out
