"""Where each kind of file lives in a programme folder, and what it is read into.

The one place the folder layout is spelled out: the single files
(:data:`SINGLETONS`), the folders of one-file-per-record kinds
(:data:`FOLDERS`), where a cycle's file and a pair's note go, and which files
may hold what a coach wrote. Everything that needs a path (the loader, the
checks, the commands that write files) asks here.
"""

from __future__ import annotations

import functools
import posixpath
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

PROGRAMME_FILE = "programme.yaml"
SINGLETONS: dict[str, str] = {
    "programme.yaml": "ProgrammeSettings",
    "staff.yaml": "StaffFile",
    "pairings.yaml": "PairingsFile",
    "steps/library.yaml": "LibraryFile",
    "steps/coaching-curriculum.yaml": "LibraryFile",
    "steps/sequence.yaml": "SequenceFile",
}
"""The single files, each with the name of its class in :mod:`coachctl.models` (a name, so
that knowing the layout does not build the record classes: see :func:`record_class`)."""
FOLDERS: dict[str, str] = {"cycles": "Cycle", "notes": "Note", "qa": "QaRecord",
                           "training": "TrainingRecord"}
PRIVATE_FOLDERS = ("notes", "qa")
"""The folders whose files hold private free text (session notes, QA records)."""
SKIP_DIRS = {".git", ".coachctl-cache", "node_modules", "__pycache__"}


def join(display: str, rel: str) -> str:
    """A file's name in diagnostics: the programme folder as the user typed it, then ``rel``."""
    return rel if display in ("", ".") else posixpath.join(display, rel)


def kind_of(rel: str) -> str | None:
    """The kind of file at ``rel`` (a programme-relative posix path), or None if unknown."""
    if rel in SINGLETONS:
        return rel
    top, sep, _ = rel.partition("/")
    return top if sep and top in FOLDERS else None


@functools.cache
def models() -> Any:
    """:mod:`coachctl.models`, imported when a record is first built, encoded or attached:
    what only needs the layout, or a cached answer, builds no record class."""
    from coachctl import models

    return models


@functools.cache
def record_class(kind: str) -> type:
    """The class (in :mod:`coachctl.models`) a file of this kind is read into."""
    cls: type = getattr(models(), SINGLETONS.get(kind) or FOLDERS[kind])
    return cls


def model_for(kind: str) -> type[BaseModel]:
    """The strict pydantic model a file of this kind is validated against."""
    from coachctl.validators import model_of

    return model_of(record_class(kind))


# --- cycles and notes ----------------------------------------------------------------

def cycle_path(number: int) -> str:
    """Where cycle ``number``'s file lives, relative to the programme."""
    return f"cycles/cycle-{number:02d}.yaml"


CYCLE_FILE = re.compile(r"^cycles/cycle-0*(\d+)\.ya?ml$")
"""A cycle's file (programme-relative); group 1 is its number."""


def notes_folder(cycle: int) -> str:
    """The folder of a cycle's notes, relative to the programme."""
    return f"notes/cycle-{cycle:02d}"


def note_path(cycle: int, coach: str, coachee: str, suffix: str | None = None) -> str:
    """Where a pair's note for a cycle lives, relative to the programme.

    More notes for the pair in the cycle (drop-ins) add a suffix: ``-dropin-2``.
    """
    tail = f"-{suffix}" if suffix else ""
    return f"{notes_folder(cycle)}/{coach}--{coachee}{tail}.yaml"


def notes_of_coachee(coachee: str) -> tuple[str, ...]:
    """Globs (programme-relative) matching every note of ``coachee``, drop-ins included."""
    return (f"notes/cycle-*/*--{coachee}.yaml", f"notes/cycle-*/*--{coachee}-*.yaml")


def in_private_folder(path: str) -> bool:
    """Whether the file at ``path`` (as diagnostics name it) sits in notes/ or qa/, whose
    files hold private free text (see :mod:`coachctl.privacy` for what else may)."""
    folders = f"/{path.rpartition('/')[0]}/"
    return any(f"/{name}/" in folders for name in PRIVATE_FOLDERS)


# --- QA records ----------------------------------------------------------------------

def qa_path(day: object, coach: str, kind: str) -> str:
    """Where a QA record goes by convention, relative to the programme:
    ``qa/DATE-COACH-KIND.yaml`` (any name under ``qa/`` is read)."""
    return f"qa/{day}-{coach}-{kind}.yaml"
