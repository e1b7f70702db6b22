"""Remember what loading each file gave, so an unchanged programme is checked in a stat walk.

The cache lives in ``.coachctl-cache/`` inside the programme folder (git-ignored)
and holds two msgpack documents, plain data only (never pickled models):

* ``files.msgpack``: per file, its size, mtime, a content digest and what
  reading it gave (encoded by :mod:`coachctl.cachecodec`): a compact record
  (a note as a tuple of its :class:`~coachctl.models.NoteRecord` fields, any
  other file as its record's fields in plain msgpack, rebuilt on the way back
  in without pydantic, less any free text such as QA feedback: free text is
  never copied out of its file) and the file's own diagnostics;
* ``result.msgpack``: the programme's diagnostics after cross-file checks,
  keyed on every file's (path, size, mtime) and again on every file's
  (path, digest), so a programme in which nothing changed needs no reading;
* derived documents (``qa.msgpack``, ``report.msgpack``, ``staff-show-<id>.msgpack``):
  what a report computed from the whole programme (a
  :class:`coachctl.validation.Derived`), keyed on the result's content key and on the
  report's own code, so an unchanged programme's report needs no data at all;
* ``note-check-files.msgpack`` and ``note-check.msgpack`` (:data:`PART`): the same two
  documents for the few files ``note check`` last read (:func:`part_store`), so a note
  checked again unchanged is answered without reading, and a changed one is checked
  against what was kept of the files it refers to.

Nothing is trusted blindly. Each document is stored after a digest of its
bytes, so a flipped bit reads as a miss rather than a changed count, and
starts with a header naming this coachctl's version and a fingerprint of its
code; a corrupt, truncated or foreign document reads as empty and is
rewritten. A cache folder that is a symbolic link is neither read nor written,
and one that cannot be written is simply not kept. A file whose size or mtime
changed is read again unless its content digest still matches (so a CI that
restores the cache onto a fresh clone, with new mtimes, still hits), and an
entry whose file was modified within :data:`RACY_NS` of being read is always
confirmed by its digest (the "racy git" problem: an edit in the same clock
tick as the read leaves size and mtime unchanged). Writes are atomic.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import msgpack  # type: ignore[import-untyped]

from coachctl.codeprint import CHECKING, blake2b, fingerprint, sources
from coachctl.diagnostics import Diagnostic, decode_diagnostic, encode_diagnostic
from coachctl.files import Picked, Stat, Walk, part_files
from coachctl.layout import join

if TYPE_CHECKING:
    from coachctl.programme import FileResult

DIR = ".coachctl-cache"
FILES, RESULT = "files.msgpack", "result.msgpack"
CODE = "code.msgpack"
"""Fingerprints of coachctl's code, remembered against its sources' sizes and mtimes."""
PART = ("note-check-files.msgpack", "note-check.msgpack")
"""What ``note check`` keeps: the entries of the files it last read (the files named and
those they refer to) and its answer for them, apart from the whole programme's."""
RACY_NS = 2_000_000_000
"""Coarsest file-system timestamp granularity we allow for (FAT: 2 s)."""



class Entry(NamedTuple):
    """A file as read, in the form the cache keeps (msgpack writes it as a plain array).

    Workers make these (:func:`coachctl.reading.read_chunk`) and the :class:`Store` takes
    them; the record and diagnostics are held encoded (see :meth:`holding`), and come
    back as a :class:`~coachctl.programme.FileResult` (:func:`file_result`)."""

    size: int
    mtime_ns: int
    checked_ns: int
    """When the file was read: an entry for a file modified near then is confirmed."""
    digest: bytes
    kind: str | None
    record: Any = None
    diagnostics: Sequence[list[Any]] = ()

    def holding(self, record: Any, diagnostics: Iterable[Diagnostic] = ()) -> Entry:
        """This entry with what reading the file gave: a record and its own diagnostics."""
        return self._replace(record=(_codec or _records())[0](record), diagnostics=[
            encode_diagnostic(d, with_path=False) for d in diagnostics])


Stored = Sequence[Any]
"""An :class:`Entry`, or the list msgpack reads one back as (the same positions): the
store reads its entries by position rather than build 75,000 tuples on a warm run."""
_SIZE, _MTIME, _CHECKED, _DIGEST, _KIND, _RECORD, _DIAGS = range(len(Entry._fields))


def file_result(rel: str, entry: Stored, display: str) -> FileResult:
    """An entry (from a worker or from the cache) as the file's result in this run, its
    diagnostics named as the programme folder ``display`` says. Malformed: KeyError,
    TypeError, ValueError or IndexError."""
    kind, diags = entry[_KIND], entry[_DIAGS]
    path = join(display, rel) if diags else ""
    _, decode_record, result = _codec or _records()
    return result(rel, kind, decode_record(kind, entry[_RECORD], rel),
                  [decode_diagnostic(t, path) for t in diags])


_Codec = tuple[Callable[[Any], Any], Callable[[str, Any, str], Any], "type[FileResult]"]
_codec: _Codec | None = None


def _records() -> _Codec:
    """The records' codec and :class:`~coachctl.programme.FileResult`, imported on first
    use: they build the format's classes, which a run whose answer is a cached result
    (``note check`` of unchanged files) never needs."""
    global _codec
    from coachctl.cachecodec import decode_record, encode_record
    from coachctl.programme import FileResult

    _codec = (encode_record, decode_record, FileResult)
    return _codec


DIGEST_SIZE = 16


def digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=DIGEST_SIZE).digest()


# --- the store ---------------------------------------------------------------------------

def part_store(root: Path, display: str, only: Iterable[str]) -> Store:
    """The store of ``note check``: over the files checking ``only`` reads (see
    :func:`coachctl.files.part_files`), kept in :data:`PART`. ``display`` as
    :func:`coachctl.loader.load` names the programme. Its result is the answer for
    exactly those files, so an unchanged note is answered without reading anything."""
    return Store(root, display, Picked(root, part_files(root, only)), PART)


_KNOWN: dict[str, str] = {}
"""Fingerprints this process already has (a trust-wide run asks once per programme)."""


class Store:
    """One programme's cache for one run: look entries up, put new ones, save once."""

    def __init__(self, root: Path, display: str, walk: Walk,
                 documents: tuple[str, str] = (FILES, RESULT)) -> None:
        self.root, self.folder, self.display = root, root / DIR, display
        self.walk = walk
        self.documents = documents
        """Where the entries and the result are kept: a store over part of the programme
        (a note check's files) keeps its own, :data:`PART`."""
        self.started_ns = time.time_ns()
        self._entries: dict[str, Stored] | None = None
        self._confirmed: dict[str, Stored | None] = {}
        self._dirty = False
        self._result: list[Diagnostic] | None = None
        self._missed = False
        """:meth:`result` missed and no file was put since: it would miss again."""
        self.result_key: bytes | None = None
        """The content key of the programme result in force, once :meth:`result` hits or
        :meth:`save_result` saves: what derived documents are keyed on."""

    @property
    def files(self) -> int:
        return self.walk.count

    @functools.cached_property
    def stats(self) -> list[Stat]:
        """Every file walked as (path, size, mtime_ns), sorted: built only when files are
        looked up one by one (an unchanged programme's result needs just the walk)."""
        return self.walk.stats()

    # reading and writing documents

    def _load(self, name: str) -> Any:
        """A document's content, or None when it is missing, unreadable, not a regular file
        (a pipe in the cache must not hang a run), damaged or not msgpack at all."""
        try:
            if self.folder.is_symlink():  # never follow a link out of the programme
                return None
            fd = os.open(self.folder / name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with open(fd, "rb") as f:
                if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                    return None
                raw = f.read()
            if raw[:DIGEST_SIZE] != digest(raw[DIGEST_SIZE:]):
                return None  # a flipped bit must not silently change a count: rebuild
            return msgpack.unpackb(raw[DIGEST_SIZE:], raw=False)
        except Exception:
            return None

    def _read(self, name: str, code: str = CHECKING) -> Any:
        doc = self._load(name)
        if (isinstance(doc, list) and len(doc) == 2
                and doc[0] == ["coachctl", self.fingerprint(code)]):
            return doc[1]
        return None

    def _write(self, name: str, body: Any, code: str = CHECKING) -> None:
        """Atomically replace a document; a cache that cannot be written is simply not kept."""
        packed = msgpack.packb([["coachctl", self.fingerprint(code)], body], use_bin_type=True)
        self._replace(name, digest(packed) + packed)

    def _replace(self, name: str, data: bytes) -> None:
        import tempfile  # (shutil, random, compression: what a run that writes nothing skips)

        tmp = None
        try:
            if self.folder.is_symlink():
                return
            self.folder.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.folder / name)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def fingerprint(self, code: str) -> str:
        """:func:`coachctl.codeprint.fingerprint` of ``code``, taken from :data:`CODE` when
        coachctl's sources are as they were when it was remembered (same version, paths,
        sizes and mtimes, the newest settled :data:`RACY_NS` before): reading and hashing
        the sources is about 8 ms of a warm one-programme run, their stat walk about 1 ms.
        Computed, and remembered here, otherwise."""
        if code in _KNOWN:
            return _KNOWN[code]
        key, newest = sources()
        doc = self._load(CODE)
        codes: dict[str, str] = {}
        if (isinstance(doc, list) and len(doc) == 3 and doc[0] == key
                and isinstance(doc[1], int) and doc[1] - newest > RACY_NS
                and isinstance(doc[2], dict)):
            codes = doc[2]
        found = codes.get(code)
        if not isinstance(found, str):
            stamped = time.time_ns()  # before reading: an edit from now on moves an mtime
            found = codes[code] = fingerprint(code)
            packed = msgpack.packb([key, stamped, codes], use_bin_type=True)
            self._replace(CODE, digest(packed) + packed)
        _KNOWN[code] = found
        return found

    @property
    def entries(self) -> dict[str, Stored]:
        if self._entries is None:
            body = self._read(self.documents[0])
            self._entries = body if isinstance(body, dict) else {}
        return self._entries

    # per-file entries

    def lookup(self, rel: str, size: int, mtime_ns: int) -> FileResult | None:
        """What reading the file gave, if its entry still describes the file's content and
        is well formed, else None (read the file, and :meth:`put` what it gives)."""
        e = self._entry(rel, size, mtime_ns)
        if e is None:
            return None
        try:
            return file_result(rel, e, self.display)
        except (TypeError, ValueError, IndexError, KeyError):  # a malformed entry: read again
            return None

    def _entry(self, rel: str, size: int, mtime_ns: int) -> Stored | None:
        """The entry for a file if it still describes the file's content, else None."""
        e = self.entries.get(rel)
        try:
            if (e is not None and e[_SIZE] == size and e[_MTIME] == mtime_ns
                    and e[_CHECKED] - mtime_ns > RACY_NS):
                return e  # the common case, kept lean: a stat match long after the file settled
        except (TypeError, IndexError):
            return None
        if rel in self._confirmed:
            return self._confirmed[rel]
        try:
            if e is not None and e[_SIZE] == size:
                if not (e[_MTIME] == mtime_ns and e[_CHECKED] - mtime_ns > RACY_NS):
                    e = self._confirm(rel, e, mtime_ns)
            else:
                e = None
        except (TypeError, IndexError):  # a well-formed document with a malformed entry
            e = None
        self._confirmed[rel] = e
        return e

    def _confirm(self, rel: str, e: Stored, mtime_ns: int) -> Stored | None:
        """Size matches but the stat alone cannot be trusted: compare content digests."""
        try:
            with open(self.root / rel, "rb") as f:
                same = digest(f.read()) == e[_DIGEST]
        except OSError:
            return None
        if not same:
            return None
        e = self.entries[rel] = Entry._make(e)._replace(mtime_ns=mtime_ns,
                                                        checked_ns=self.started_ns)
        self._dirty = True
        return e

    def put(self, rel: str, entry: Entry) -> FileResult:
        """Remember what reading a file gave; give it as this run's result."""
        self.entries[rel] = entry
        self._confirmed[rel] = entry
        self._dirty = True
        self._missed = False  # a file read anew may make the saved result's content key match
        return file_result(rel, entry, self.display)

    def save(self) -> None:
        """Write the entries if anything changed, dropping files that no longer exist."""
        entries = self.entries
        if len(entries) != len(self.stats):
            live = {rel for rel, _, _ in self.stats}
            for rel in [r for r in entries if r not in live]:
                del entries[rel]
                self._dirty = True
        if self._dirty:
            self._write(self.documents[0], entries)
            self._dirty = False

    # the whole programme's result

    def _stat_key(self) -> bytes:
        """The programme folder's name and every file's path, size and mtime, hashed."""
        name = self.display.encode("utf-8", "surrogateescape")
        h = blake2b(len(name).to_bytes(8, "little") + name, digest_size=DIGEST_SIZE)
        for part in self.walk.key_parts():
            h.update(part)
        return h.digest()

    def _content_key(self) -> bytes | None:
        h = blake2b(self.display.encode(), digest_size=16)
        for rel, size, mtime in self.stats:
            e = self._entry(rel, size, mtime)
            if e is None:
                return None
            h.update(b"\0" + rel.encode() + b"\0" + e[_DIGEST])
        return h.digest()

    def result(self) -> list[Diagnostic] | None:
        """The programme's checked diagnostics, if no file changed since they were saved.

        First by stat alone (no file modified near the time of saving), then by
        content digests, which confirms and refreshes the per-file entries.
        """
        if self._result is not None or self._missed:
            return self._result
        body = self._read(self.documents[1])
        try:
            saved_ns, stat_key, content_key, diags = body
            if not (stat_key == self._stat_key() and saved_ns - self.walk.newest > RACY_NS):
                if content_key != self._content_key():
                    self._missed = True
                    return None
                self._save_result(content_key, diags)
            self._result = [decode_diagnostic(t) for t in diags]
        except (TypeError, ValueError, IndexError, KeyError):
            self._missed = True
            return None
        self.result_key = content_key
        return self._result

    def save_result(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Remember a full load's checked diagnostics (every file must have been looked up)."""
        key = self._content_key()
        if key is not None:
            self._save_result(key, [encode_diagnostic(d, True) for d in diagnostics])

    def _save_result(self, content_key: bytes, diags: list[Any]) -> None:
        self.save()
        self._write(self.documents[1], [self.started_ns, self._stat_key(), content_key, diags])
        self.result_key = content_key

    # what reports derive from the whole programme

    def derived(self, name: str, code: str) -> Any:
        """What the report in module ``code`` saved under ``name`` for exactly the programme
        whose result is in force (see :attr:`result_key`), else None."""
        body = self._read(name, code)
        if self.result_key is None or not (isinstance(body, list) and len(body) == 2):
            return None
        return body[1] if body[0] == self.result_key else None

    def save_derived(self, name: str, code: str, value: Any) -> None:
        """Remember what a report derived (plain data, no free text) from this programme."""
        if self.result_key is not None:
            self._write(name, [self.result_key, value], code)
