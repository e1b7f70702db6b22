"""Helpers for sealed-note tests: a copy of an example with sealing on and a key for all."""

from __future__ import annotations

import re
from pathlib import Path

import pyrage

from tests.conftest import copy_example, invoke


def give_keys(root: Path, keys: Path, only: set[str] | None = None) -> dict[str, Path]:
    """A fresh identity for every person in staff.yaml (or ``only`` those), their public
    key added to their entry; each identity file's path by id."""
    keys.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}

    def add(match: re.Match[str]) -> str:
        who = match[1]
        if only is not None and who not in only:
            return match[0]
        identity = pyrage.x25519.Identity.generate()
        made[who] = keys / f"{who}.txt"
        made[who].write_text(f"# {who}\n{identity}\n")
        return f"{match[0]}\n  age_key: {identity.to_public()}"

    staff = root / "staff.yaml"
    staff.write_text(re.sub(r"^- id: (\S+)", add, staff.read_text(), flags=re.MULTILINE))
    return made


def switch_on(root: Path, settings: str = "  without_key: qa-readers\n") -> None:
    with (root / "programme.yaml").open("a") as f:
        f.write("sealing:\n" + settings)


def texts(root: Path) -> list[Path]:
    return sorted([*root.glob("notes/*/*.yaml"), *root.glob("qa/*.yaml")])


def sealed_copy(example: str, where: Path, *, seal: bool = True) -> tuple[Path, dict[str, Path]]:
    """A copy of ``programmes/EXAMPLE`` with sealing on, keys for everyone and (``seal``)
    every note and QA record sealed."""
    root = where / example
    copy_example(example, root)
    keys = give_keys(root, where / "keys")
    switch_on(root)
    if seal:
        res = invoke("note", "seal", *texts(root))
        assert res.exit_code == 0, res.stderr
    return root, keys
