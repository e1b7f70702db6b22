"""`note seal` and `reseal` killed with SIGKILL at random moments: every note is whole,
as it was or as it will be (sealed, opening to the same text), never broken; a re-run
completes the work. Sealing is random, so "as it will be" is checked by opening it."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import yaml

from coachctl import keys, seal
from coachctl.models import TEXT_FIELDS
from tests.sealing import sealed_copy, texts
from tests.test_kill import kill

KILLS = 3


def start(*args: str | Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "coachctl", *map(str, args)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def text_of(path: Path, identity: Path) -> dict[str, str]:
    """The file's free text (fields with words), opened if sealed; fails if the file is
    not whole."""
    value = yaml.safe_load(path.read_bytes())
    assert isinstance(value, dict), path
    block = value.get("sealed")
    plain = {k: v for k in TEXT_FIELDS if (v := value.get(k))}
    if block is None:
        return plain
    assert not plain, path
    return seal.decrypt(block["age"], keys.load([identity]))


def killed_runs(args: list[str | Path], root: Path, check: object) -> None:
    rng = random.Random(int(os.environ.get("COACHCTL_KILL_SEED", "9")))
    began = time.monotonic()
    proc = start(*args)
    time.sleep(0.5)
    kill(proc)
    duration = max(time.monotonic() - began, 1.0)
    for _ in range(KILLS):
        proc = start(*args)
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        kill(proc)
        check()  # type: ignore[operator]
    assert start(*args).wait(timeout=120) in (0, 1)
    assert not list(root.rglob("*.coachctl.tmp"))


def test_killed_seal_and_reseal_leave_every_note_whole(tmp_path: Path) -> None:
    root, ids = sealed_copy("ashby-vale-school", tmp_path, seal=False)
    lead = ids[yaml.safe_load((root / "programme.yaml").read_text())["lead_coach"]]
    files = texts(root)
    originals = {p: text_of(p, lead) for p in files}

    def whole() -> None:
        for p in files:
            assert text_of(p, lead) == originals[p], p

    killed_runs(["note", "seal", *files], root, whole)
    whole()
    assert all("sealed:" in p.read_text() for p in files if originals[p])

    # a new QA reader: every sealed file is resealed to include them
    reader = sorted(set(ids) - {lead.stem})[0]
    with (root / "programme.yaml").open("a") as f:
        f.write(f"  qa_readers: [{lead.stem}, {reader}]\n")
    killed_runs(["reseal", root, "--identity", lead], root, whole)
    whole()
    for p in files:
        if originals[p]:
            assert text_of(p, ids[reader]) == originals[p], p
