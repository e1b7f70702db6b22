"""The way in to a checked programme: load every file, run the cross-file checks, locate
every problem, reusing the programme's cache (.coachctl-cache/) when nothing changed.

Every command that reads a programme goes through here, so ``cycle start``,
``stats`` and ``qa`` see exactly what ``validate`` sees:

* :func:`check_programme`: a programme and every diagnostic about it (:class:`Checked`);
  also the diagnostics alone (``data=False``, validate) and a few files checked
  against the rest (``only``, note check);
* :func:`check_and_derive`: the same plus what a report derives from it
  (a :class:`Derived`), cached per programme with the days it holds for, so an
  unchanged programme's report loads no data at all;
* :func:`read_part`: a few files and those they refer to, read but not checked, for a
  command that writes or opens one file (note new, note seal) and must stay fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from coachctl.diagnostics import Diagnostic, Summary, summarise
from coachctl.loader import load, locate, open_part, open_store
from coachctl.programme import Programme

if TYPE_CHECKING:
    from coachctl.cache import Store

Progress = Callable[[int], None]
T = TypeVar("T")


@dataclass
class Checked:
    """A loaded programme and every diagnostic about it, located and sorted."""

    programme: Programme
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def check_programme(root: Path, display: str | None = None, *, cache: bool = True,
                    data: bool = True, only: Collection[str] | None = None,
                    progress: Progress | None = None, on_total: Progress | None = None,
                    store: Store | None = None) -> Checked:
    """Load and check a programme, reusing .coachctl-cache/ unless ``cache`` is False.

    With ``data=False`` the caller wants only diagnostics and the file count, so an
    unchanged programme is not loaded at all, and the Programme returned is always
    empty (a trust's notes are not held in memory while its other programmes load).
    With ``only`` (programme-relative paths) just those files are checked, against
    the files they refer to: the fast path of ``note check``, cached apart from the
    whole programme's result (``store``: :func:`coachctl.loader.open_part` over ``only``,
    if the caller has opened it already). Its Programme holds only the files read.
    ``progress`` is told of files as they are read, ``on_total`` how many there are.
    """
    if only is not None:
        return _check_part(root, display, only,
                           store or (open_part(root, display, only) if cache else None))
    store = open_store(root, display) if cache else None
    if store and not data and (cached := store.result()) is not None:
        return Checked(Programme(root, store.display, files=store.files), cached)
    checked = _checked(root, display, store, progress, on_total)
    if not data:
        checked.programme = Programme(root, checked.programme.display,
                                      files=checked.programme.files)
    return checked


def _checked(root: Path, display: str | None, store: Store | None,
             progress: Progress | None, on_total: Progress | None) -> Checked:
    prog = load(root, display, progress=progress, on_total=on_total, store=store)
    diags = store.result() if store else None
    if diags is None:
        from coachctl import checks

        diags = locate(prog.diagnostics + checks.run(prog), prog)
        diags.sort(key=Diagnostic.sort_key)
        if store:
            store.save_result(diags)
    return Checked(prog, diags)


def _check_part(root: Path, display: str | None, only: Collection[str],
                store: Store | None) -> Checked:
    """The files ``only`` names, checked against those they refer to: their diagnostics
    only, from ``store`` when none of those files changed (the answer is then not loaded)."""
    if store and (cached := store.result()) is not None:
        return Checked(Programme(root, store.display, files=store.files), cached)
    from coachctl import checks
    from coachctl.layout import kind_of

    prog = load(root, display, only=only, store=store)
    named = {prog.path(rel) for rel in only}
    records_only = all(kind_of(rel) in checks.RECORD_KINDS for rel in only)
    found = [d for d in prog.diagnostics + checks.run(prog, named, records_only=records_only)
             if d.path in named]
    if any(d.pointer is not None for d in found):  # else nothing to locate, nor to import
        found = locate(found, prog)
    found.sort(key=Diagnostic.sort_key)
    if store:
        store.save_result(found)
    return Checked(prog, found)


def read_part(root: Path, display: str | None = None, *, only: Collection[str]) -> Programme:
    """The files ``only`` names (programme-relative) and those they may refer to
    (programme, staff, pairings, steps, cycles), read but not checked and without the
    cache: what a command that writes or opens one file needs, fast at any size."""
    return load(root, display, only=only)


# --- what reports derive from a checked programme, cached ------------------------------

@dataclass(frozen=True)
class Derived(Generic[T]):
    """What a report computes from a whole checked programme and ``today``, and how it is
    kept in the programme's cache (plain data for msgpack, never free text).

    The cached value is used while no file has changed, nor the code of ``code`` (the
    report's module, with all it imports), nor the answer to any comparison ``compute``
    made with ``today`` (it is given a :class:`~coachctl.datewatch.WatchedDate`)."""

    name: str
    """The document's file name in .coachctl-cache/ (``qa.msgpack``)."""
    code: str
    """The module that computes it (``__name__``): editing it makes the cache miss."""
    compute: Callable[[Checked, dt.date], T]
    encode: Callable[[T], Any]
    decode: Callable[[Any], T]
    """Raises TypeError, ValueError, IndexError, KeyError or AttributeError for data not
    in the shape ``encode`` writes (a document from older code): computed again."""


def check_and_derive(root: Path, display: str | None, today: dt.date, derived: Derived[T], *,
                     progress: Progress | None = None, on_total: Progress | None = None,
                     ) -> tuple[Checked, T]:
    """:func:`check_programme` a programme and compute ``derived`` from it, both from the cache when
    neither a file, nor the code, nor anything ``today`` is compared with has changed:
    then no data is loaded (and the Programme returned is empty)."""
    store = open_store(root, display)
    if (diagnostics := store.result()) is not None:
        try:
            first, last, saved = store.derived(derived.name, derived.code)
            if first <= today.toordinal() <= last:
                return (Checked(Programme(root, store.display, files=store.files), diagnostics),
                        derived.decode(saved))
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            pass  # none saved, or not in a shape this code wrote: compute again
    from coachctl.datewatch import WatchedDate

    checked = _checked(root, display, store, progress, on_total)
    watched = WatchedDate.of(today)
    value = derived.compute(checked, watched)
    store.save_derived(derived.name, derived.code, [*watched.span, derived.encode(value)])
    return checked, value


def summary_of(results: list[Checked]) -> Summary:
    return summarise((d for r in results for d in r.diagnostics),
                     sum(r.programme.files for r in results))
