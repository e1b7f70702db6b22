"""Where a run writes, and what it reports: files, counts and the planted gaps."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coachctl.synth.realism import Realism

HEADER = "Synthetic data written by `coachctl generate`: no real people or schools."

Manifest = list[dict[str, str]]
Progress = Callable[[int], None]


class GenerateError(Exception):
    """The generator cannot write where or what it was asked to."""


@dataclass
class Generated:
    """What a run wrote, and the quality-assurance gaps it planted on purpose."""

    programmes: int = 0
    files: int = 0
    notes: int = 0
    manifest: Manifest = field(default_factory=list)
    profiles: dict[str, Realism] = field(default_factory=dict)
    """Each programme's background rates, by its folder ("" for a single programme)."""


class _Out:
    """Writes files below one folder, counting them; creates each folder once."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.files = 0
        self.notes = 0
        self._dirs: set[str] = set()

    def write(self, rel: str, text: str) -> None:
        path = os.path.join(self.root, rel)
        folder = os.path.dirname(path)
        try:
            if folder not in self._dirs:
                os.makedirs(folder, exist_ok=True)
                self._dirs.add(folder)
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        except OSError as e:
            from coachctl.fsio import WriteError

            raise WriteError(Path(path), e, note=(
                f"{self.files:,} file(s) were written in {self.root} before the error; "
                "the folder is incomplete: delete it and run the command again")) from e
        self.files += 1


def _prepare(out_dir: Path) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise GenerateError(f"{out_dir} exists and is not an empty folder")
    out_dir.mkdir(parents=True, exist_ok=True)
