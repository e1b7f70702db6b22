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

import difflib
import os
import posixpath
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from coachctl import models as m
from coachctl.diagnostics import Diagnostic, make
from coachctl.yamlsafe import Parsed, parse_bytes

PROGRAMME_FILE = "programme.yaml"
SINGLETONS: dict[str, type[BaseModel]] = {
    "programme.yaml": m.Programme,
    "staff.yaml": m.StaffFile,
    "pairings.yaml": m.PairingsFile,
    "steps/library.yaml": m.LibraryFile,
    "steps/coaching-curriculum.yaml": m.LibraryFile,
    "steps/sequence.yaml": m.SequenceFile,
}
FOLDERS: dict[str, type[BaseModel]] = {"cycles": m.Cycle, "notes": m.Note, "qa": m.QaRecord}
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


def model_for(kind: str) -> type[BaseModel]:
    return SINGLETONS.get(kind) or FOLDERS[kind]


# --- finding files -------------------------------------------------------------------

def find_programmes(path: Path) -> list[Path]:
    """Programme folders at or below ``path`` (a folder holding programme.yaml), sorted.

    A file inside a programme names that programme.
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
        if PROGRAMME_FILE in filenames:
            found.append(Path(dirpath))
            dirnames[:] = []
    return found


def list_yaml(root: Path) -> list[str]:
    """Every .yaml/.yml file below ``root`` as a sorted posix path relative to it."""
    out: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as it:
            for entry in it:
                name = entry.name
                if entry.is_dir(follow_symlinks=False):
                    if name not in SKIP_DIRS and not name.startswith("."):
                        walk(entry.path, prefix + name + "/")
                elif name.endswith((".yaml", ".yml")):
                    out.append(prefix + name)

    walk(str(root), "")
    out.sort()
    return out


# --- reading one file ----------------------------------------------------------------

@dataclass(slots=True)
class FileResult:
    rel: str
    kind: str | None
    record: Any
    diagnostics: list[Diagnostic]


def read_file(root: str, rel: str, display: str) -> FileResult:
    """Read, parse and schema-check one file. Never raises for the file's content."""
    path = join(display, rel)
    kind = kind_of(rel)
    if kind is None:
        return FileResult(rel, None, None, [make(
            "P002", "coachctl does not read a YAML file here", path,
            hint="see docs/format.md for where each kind of file lives")])
    try:
        with open(os.path.join(root, rel), "rb") as f:
            data = f.read(8 * 1024 * 1024 + 1)
    except OSError as e:
        return FileResult(rel, kind, None, [make("Y011", f"cannot read the file: {e.strerror}",
                                                 path)])
    parsed = parse_bytes(data, path)
    record = None
    if parsed.value is not None:
        record = validate(kind, parsed, path, parsed.diagnostics)
    if isinstance(record, m.Note):
        return FileResult(rel, kind, m.NoteRecord.of(record, rel), parsed.diagnostics)
    return FileResult(rel, kind, record, parsed.diagnostics)


def validate(kind: str, parsed: Parsed, path: str, out: list[Diagnostic]) -> BaseModel | None:
    """Check a parsed value against its kind's model; append located diagnostics to ``out``."""
    model = model_for(kind)
    value = parsed.value
    if kind == PROGRAMME_FILE and value.get("format") != m.FORMAT_VERSION:
        out.append(make("S005", f"format {value.get('format')!r} is not supported; this "
                        f"coachctl reads format {m.FORMAT_VERSION}", path,
                        hint=f"set 'format: {m.FORMAT_VERSION}'").at(
                            *(parsed.span(("format",)) or (1, 1, 1, 1))))
        return None
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            if any(loc[: i + 1] in parsed.flagged for i in range(len(loc))):
                continue
            out.append(_schema_diagnostic(model, err, loc, parsed, path))
        return None


_DATE_ERRORS = {"date_type", "date_parsing", "date_from_datetime_inexact",
                "date_from_datetime_parsing", "date_future", "date_past"}


def _schema_diagnostic(model: type[BaseModel], err: Any, loc: m_Pointer, parsed: Parsed,
                       path: str) -> Diagnostic:
    kind = err["type"]
    where = ".".join(str(p) for p in loc) or "(top level)"
    hint = None
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = (f"did you mean '{close[0]}'?" if close
                else f"allowed keys here: {', '.join(allowed)}" if allowed else None)
        d = make("S001", f"unknown key '{key}'", path, hint=hint)
        span = parsed.span(loc, key=True)
    elif kind == "missing":
        d = make("S002", f"missing key '{loc[-1]}'" + (f" in {'.'.join(map(str, loc[:-1]))}"
                                                       if len(loc) > 1 else ""), path)
        span = parsed.span(loc[:-1])
    else:
        code = "S004" if kind in _DATE_ERRORS else "S003"
        got = err.get("input")
        shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
        if len(shown) > 40:
            shown = shown[:37] + "..."
        hint = _yaml_trap_hint(got, err["msg"])
        d = make(code, f"{where}: {err['msg'].rstrip('.')} (got {shown})", path, hint=hint)
        span = parsed.span(loc)
    return d.at(*span) if span else d.at(1, 1)


m_Pointer = tuple[Any, ...]


def _yaml_trap_hint(got: Any, msg: str) -> str | None:
    if isinstance(got, bool) and "string" in msg:
        return "YAML reads unquoted yes/no/on/off/true/false as booleans: quote the value"
    if isinstance(got, int | float) and not isinstance(got, bool) and "string" in msg:
        return "YAML read this as a number (14:00 is read as 840): quote the value"
    if isinstance(got, str) and "valid date" in msg:
        return "write dates as YYYY-MM-DD without quotes"
    return None


def _fields_at(model: type[BaseModel], loc: m_Pointer) -> list[str]:
    """The keys allowed at ``loc`` inside ``model``, for "did you mean" hints."""
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
    settings: m.Programme | None = None
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
    diagnostics: list[Diagnostic] = field(default_factory=list)
    present: set[str] = field(default_factory=set)
    """Kinds of file that exist (parsed or not), so a broken file is not also 'missing'."""

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


def read_files(root: Path, rels: Sequence[str], display: str,
               progress: Progress | None = None) -> Iterable[FileResult]:
    """Read files one by one (see :mod:`coachctl.loader` for the per-file pipeline)."""
    base = str(root)
    for rel in rels:
        yield read_file(base, rel, display)
        if progress:
            progress(1)


def load(root: Path, display: str | None = None, *, progress: Progress | None = None,
         on_total: Callable[[int], None] | None = None,
         only: Iterable[str] | None = None) -> Programme:
    """Read every file of the programme at ``root``. Cross-file checks are separate.

    With ``only`` (programme-relative paths), read just those files plus the
    ones they may refer to (programme, staff, pairings, steps, cycles): the
    fast path for checking a few notes before a commit.
    """
    display = display if display is not None else str(root)
    display = display.rstrip("/") or "."
    prog = Programme(root=root, display=display)
    if only is None:
        rels = list_yaml(root)
    else:
        wanted = set(only)
        cycles = root / "cycles"
        rels = sorted(wanted | {k for k in SINGLETONS if (root / k).is_file()}
                      | ({f"cycles/{p.name}" for p in cycles.iterdir() if p.suffix == ".yaml"}
                         if cycles.is_dir() else set()))
    prog.files = len(rels)
    if on_total:
        on_total(len(rels))
    for res in read_files(root, rels, display, progress):
        prog.diagnostics.extend(res.diagnostics)
        if res.kind is None:
            continue
        prog.present.add(res.kind)
        _attach(prog, res)
    for kind in SINGLETONS:
        if kind not in prog.present:
            prog.diagnostics.append(make("P001", f"required file {kind} is missing",
                                         prog.path(kind), hint="`coachctl init` writes one"))
    return prog


def _attach(prog: Programme, res: FileResult) -> None:
    rec = res.record
    if rec is None:
        return
    if isinstance(rec, m.NoteRecord):
        prog.notes.append(rec)
    elif isinstance(rec, m.QaRecord):
        prog.qa.append((res.rel, rec))
    elif isinstance(rec, m.Cycle):
        if rec.number in prog.cycles:
            prog.diagnostics.append(make(
                "R004", f"cycle {rec.number} is also defined in {prog.cycle_paths[rec.number]}",
                prog.path(res.rel), ("number",)))
        else:
            prog.cycles[rec.number] = rec
            prog.cycle_paths[rec.number] = res.rel
    elif isinstance(rec, m.Programme):
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
    pending: dict[str, list[int]] = {}
    for i, d in enumerate(diagnostics):
        if d.pointer is not None:
            pending.setdefault(d.path, []).append(i)
    out = list(diagnostics)
    prefix = join(prog.display, "")
    for path, idxs in pending.items():
        rel = path[len(prefix):]
        try:
            parsed = parse_bytes((prog.root / rel).read_bytes(), path)
        except OSError:
            parsed = Parsed()
        for i in idxs:
            d = out[i]
            assert d.pointer is not None
            span = parsed.span(d.pointer)
            out[i] = d.at(*span) if span else d.at(1, 1)
    return out
