"""Reading a programme's files: bytes -> safe YAML -> the strict model -> a record.

The pipeline for one file is: bytes -> :func:`coachctl.yamlsafe.parse_bytes`
(safe YAML, positions) -> the strict model for the file's kind (by its path,
see :mod:`coachctl.layout`) -> a record. Problems at any stage become located
diagnostics; a file that fails still lets every other file be checked.
:func:`read_files` shares the work across worker processes when there are many.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachctl import cache
from coachctl import models as m
from coachctl.diagnostics import Diagnostic, make
from coachctl.files import odd_entry, prefetch, read_regular
from coachctl.layout import PROGRAMME_FILE, kind_of, model_for, record_class

if TYPE_CHECKING:  # a warm run reads no YAML, validates nothing and starts no worker
    from concurrent.futures import ProcessPoolExecutor

    from pydantic import TypeAdapter, ValidationError

Progress = Callable[[int], None]


def read_chunk(root: str, rels: Sequence[str]) -> list[tuple[str, cache.Entry]]:
    """Read, parse and schema-check files; give each as a cache entry (plain data).

    Runs in worker processes, so it returns only compact, picklable values:
    no node trees, no models. Clean files take the fast path
    (:func:`~coachctl.yamlsafe.plain_value`, then one pydantic call for all
    the notes; in a chunk of fewer than :data:`QUICK_FILES`,
    :func:`~coachctl.quickcheck.accept` first, which needs no pydantic); any
    file with something to report is read again the careful way
    (:func:`read_one`), so its diagnostics are exactly what they would be alone.
    Diagnostics are named by ``rel``; :func:`coachctl.cache.file_result` renames them.
    """
    from coachctl.quickcheck import accept
    from coachctl.yamlsafe import plain_value

    started = time.time_ns()
    quick = len(rels) < QUICK_FILES
    out: list[tuple[str, cache.Entry]] = []
    notes: list[tuple[int, bytes, Any, cache.Entry]] = []
    odds = [odd_entry(root, rel) for rel in rels]  # before anything is opened
    if len(rels) >= PREFETCH_MIN:
        prefetch(os.path.join(root, rel) for rel, odd in zip(rels, odds, strict=True)
                 if odd is None and rel.endswith((".yaml", ".yml")) and kind_of(rel))
    for rel, odd in zip(rels, odds, strict=True):
        kind = kind_of(rel)
        path = os.path.join(root, rel)
        folder = not rel.endswith((".yaml", ".yml"))
        if odd is not None or folder:
            out.append((rel, cache.Entry(0, 0, started, b"", None if folder else kind)
                        .holding(None, [odd] if odd else [])))
            continue
        try:
            if kind is None:  # not read at all: where it is says enough
                st, data = os.stat(path), b""
            else:
                st, data = read_regular(path)
        except OSError as e:
            out.append((rel, cache.Entry(0, 0, started, b"", kind).holding(None, [
                make("Y011", f"cannot read the file: {e.strerror}", rel)])))
            continue
        entry = cache.Entry(st.st_size, st.st_mtime_ns, started, cache.digest(data), kind)
        if kind is None or kind == PROGRAMME_FILE or (value := plain_value(data)) is None:
            entry = entry.holding(*read_one(kind, data, rel))
        elif quick and (record := accept(record_class(kind), value)) is not None:
            entry = entry.holding(m.NoteRecord.of(record, rel) if kind == "notes" else record)
        elif kind == "notes":
            notes.append((len(out), data, value, entry))
        else:
            record, exc = _validated(kind, value)
            entry = (entry.holding(record) if exc is None
                     else entry.holding(*_read_big(kind, data, rel, value, exc)))
        out.append((rel, entry))
    for (i, data, _, entry), note in zip(notes, _validate_notes([v for _, _, v, _ in notes]),
                                         strict=True):
        rel = out[i][0]
        out[i] = (rel, entry.holding(*read_one("notes", data, rel)) if note is None
                  else entry.holding(m.NoteRecord.of(note, rel)))
    return out


PREFETCH_MIN = 8
"""From this many files to read, ask the kernel for all of them first
(:func:`~coachctl.files.prefetch`); a warm run that re-reads an edited note or two does
not pay for it."""
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


def read_one(kind: str | None, data: bytes, path: str) -> tuple[Any, list[Diagnostic]]:
    """The careful path for one file's bytes: parse with positions, check, locate problems."""
    from coachctl.privacy import redact_all
    from coachctl.schema_errors import validate  # (a clean file, the common case, needs none)
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


def prefixes(pointers: Iterable[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    return {p[:i] for p in pointers for i in range(len(p) + 1)}


def _read_big(kind: str, data: bytes, path: str, value: Any,
              exc: ValidationError) -> tuple[Any, list[Diagnostic]]:
    """:func:`read_one` for a plainly written file that fails its model: a big one is
    located by streaming (see :func:`~coachctl.yamlsafe.spans_of`), not by holding a
    position for every value, which for a 25,000-person staff.yaml doubled the memory."""
    from coachctl.privacy import redact_all
    from coachctl.schema_errors import validate
    from coachctl.yamlsafe import STREAM_BYTES, spans_of

    parsed = (spans_of(data, prefixes(tuple(e["loc"]) for e in exc.errors(include_url=False)))
              if len(data) > STREAM_BYTES else None)
    if parsed is None:
        return read_one(kind, data, path)
    parsed.value = value
    validate(kind, parsed, path, parsed.diagnostics)
    return None, redact_all(parsed.diagnostics, kind, data)


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
        import atexit
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if sys.platform == "linux" else "spawn"
        _pool = ProcessPoolExecutor(min(cpus or 1, 8), multiprocessing.get_context(method))
        atexit.register(_close)
    return _pool


def _close() -> None:
    """Shut the pool down while the interpreter is whole: left to the garbage collector at
    exit, its manager thread's clean-up runs after multiprocessing is torn down and prints
    an "Exception ignored" traceback."""
    global _pool
    if _pool is not None:
        _pool.shutdown()
        _pool = None


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
