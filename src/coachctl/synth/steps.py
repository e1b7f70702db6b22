"""The step library, the coaching curriculum and a school's own sequence."""

from __future__ import annotations

import random

from coachctl.scaffold import packaged

ROLLED_OUT = {"hubs": 6, "reciprocal": 4, "leader-led": 3}
"""Coaching-curriculum strands rolled out so far, by pairing model: a school in its third
year of hubs has reached rehearsal; one in its first year of leader-led coaching has
rolled out praise, choosing the step and writing it."""


def _library_steps() -> tuple[list[list[str]], list[str], str, str]:
    """Step ids by strand (library), coaching-curriculum ids, and both files' text."""
    import yaml

    lib_text, cur_text = packaged("library.yaml"), packaged("coaching-curriculum.yaml")
    lib = yaml.safe_load(lib_text)
    cur = yaml.safe_load(cur_text)
    strands = [[s["id"] for s in strand["steps"]] for strand in lib["strands"]]
    coaching = [s["id"] for strand in cur["strands"] for s in strand["steps"]]
    return strands, coaching, lib_text, cur_text


def _curriculum(text: str) -> list[tuple[str, list[str]]]:
    """The coaching curriculum's strands in order: (strand id, its step ids)."""
    import yaml

    return [(strand["id"], [s["id"] for s in strand["steps"]])
            for strand in yaml.safe_load(text)["strands"]]


def _sequence(rng: random.Random, strands: list[list[str]]) -> list[str]:
    """The school's own sequence: the first few steps of each strand, in order."""
    return [sid for steps in strands for sid in steps[:rng.randint(2, min(5, len(steps)))]]
