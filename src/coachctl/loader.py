"""Load a programme: every file read (or taken from the cache), then located diagnostics.

:func:`load` walks a programme (:mod:`coachctl.files`), takes what the cache
(:mod:`coachctl.cache`) still holds, reads the rest (:mod:`coachctl.reading`)
and builds the :class:`~coachctl.programme.Programme`. Cross-file checks
(:mod:`coachctl.checks`) then run on it, and :func:`locate` turns their key-path
pointers into lines and columns by re-reading only the files that have problems.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from coachctl import cache
from coachctl.diagnostics import Diagnostic, make
from coachctl.files import Stat, Walk, part_files, read_regular, scan_yaml
from coachctl.layout import SINGLETONS, join
from coachctl.programme import FileResult, Programme, attach

if TYPE_CHECKING:  # reading (and the format's checks it imports) only when a file is read
    from coachctl.reading import Progress


def open_store(root: Path, display: str | None = None) -> cache.Store:
    """The programme's cache, with every file walked and stat-ed."""
    return cache.Store(root, _display(root, display), Walk(root))


def open_part(root: Path, display: str | None, only: Iterable[str]) -> cache.Store:
    """The cache of a check of the files ``only`` names (``note check``), over those files
    and the ones they may refer to: see :func:`coachctl.cache.part_store`."""
    return cache.part_store(root, _display(root, display), only)


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
    (see :func:`open_store`; with ``only``, :func:`coachctl.cache.part_store` over the
    same files), files unchanged since it was saved are not read.
    """
    from coachctl.reading import read_files

    display = _display(root, display)
    prog = Programme(root=root, display=display)
    stats: list[Stat]
    if store:  # a whole programme's, or one over the files ``only`` names (cache.part_store)
        stats = store.stats
    elif only is None:
        stats = scan_yaml(root, stat=False)
    else:
        stats = [(rel, 0, 0) for rel in part_files(root, only)]
    prog.files = len(stats)
    if on_total:
        on_total(len(stats))
    found: dict[str, FileResult] = {}
    misses: list[str] = []
    for rel, size, mtime in stats:
        if store and (res := store.lookup(rel, size, mtime)) is not None:
            found[rel] = res
        else:
            misses.append(rel)
    if progress and found:
        progress(len(found))
    for done in read_files(root, misses, progress):
        for rel, entry in done:
            found[rel] = (store.put(rel, entry) if store
                          else cache.file_result(rel, entry, display))
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
        attach(prog, res)
    for kind in SINGLETONS:
        if kind not in prog.present:
            prog.diagnostics.append(make("P001", f"required file {kind} is missing",
                                         prog.path(kind), hint="`coachctl init` writes one"))
    return prog

# --- locating ------------------------------------------------------------------------

def locate(diagnostics: list[Diagnostic], prog: Programme) -> list[Diagnostic]:
    """Give every diagnostic that still has a key-path pointer its line and column.

    Only files with such diagnostics are read again; positions are not kept in
    memory between loading and checking, which matters at trust scale.
    """
    from coachctl.fieldtypes import TEXT_FIELDS
    from coachctl.reading import prefixes
    from coachctl.sealtext import marker_span
    from coachctl.yamlsafe import STREAM_BYTES, Parsed, parse_bytes, spans_of, top_level_span

    pending: dict[str, list[int]] = {}
    for i, d in enumerate(diagnostics):
        if d.pointer is not None:
            pending.setdefault(d.path, []).append(i)
    out = list(diagnostics)
    prefix = join(prog.display, "")
    root = str(prog.root)
    for path, idxs in pending.items():
        rel = path[len(prefix):]
        try:
            _, data = read_regular(os.path.join(root, rel))
        except OSError:
            data = None
        if data is not None:  # the fast path: every pointer a simple top-level key
            spans = [top_level_span(data, p[0]) if (p := out[i].pointer) and len(p) == 1
                     and isinstance(p[0], str) else None for i in idxs]
            if all(spans):
                for i, span in zip(idxs, spans, strict=True):
                    assert span is not None
                    out[i] = out[i].at(*span)
                continue
        wanted = prefixes(p for i in idxs if (p := out[i].pointer) is not None)
        parsed = ((data is not None and len(data) > STREAM_BYTES and spans_of(data, wanted))
                  or (parse_bytes(data, path) if data is not None else Parsed()))
        for i in idxs:
            d = out[i]
            assert d.pointer is not None
            span = parsed.span(d.pointer)
            if (data is not None and d.pointer and d.pointer[0] in TEXT_FIELDS
                    and d.pointer[:1] not in parsed.values):  # sealed: where its text was
                span = marker_span(data, str(d.pointer[0])) or span
            out[i] = d.at(*span) if span else d.at(1, 1)
    return out
