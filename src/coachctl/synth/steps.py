"""The step library, the coaching curriculum, and a school's own sequence and strands rolled out.

Every generated programme ships the packaged library and curriculum as they are;
its sequence takes the first few steps of each library strand.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from coachctl.scaffold import packaged

ROLLED_OUT = {"hubs": 6, "reciprocal": 4, "leader-led": 3}
"""Coaching-curriculum strands rolled out so far, by pairing model: a school in its third
year of hubs has reached rehearsal; one in its first year of leader-led coaching has
rolled out praise, choosing the step and writing it."""


class Library(NamedTuple):
    """The packaged step files: the library's step ids by strand, and both files' text."""

    strands: list[list[str]]
    library_text: str
    curriculum_text: str


def library_steps() -> Library:
    """The packaged step library and coaching curriculum, read once per run."""
    import yaml

    lib_text, cur_text = packaged("library.yaml"), packaged("coaching-curriculum.yaml")
    lib = yaml.safe_load(lib_text)
    return Library([[s["id"] for s in strand["steps"]] for strand in lib["strands"]],
                   lib_text, cur_text)


def curriculum(text: str) -> list[tuple[str, list[str]]]:
    """The coaching curriculum's strands in order: (strand id, its step ids)."""
    import yaml

    return [(strand["id"], [s["id"] for s in strand["steps"]])
            for strand in yaml.safe_load(text)["strands"]]


def school_sequence(rng: random.Random, strands: list[list[str]]) -> list[str]:
    """The school's own sequence: the first few steps of each strand, in order."""
    return [sid for steps in strands for sid in steps[:rng.randint(2, min(5, len(steps)))]]


def rolled_out(strands: list[tuple[str, list[str]]], model: str) -> list[str]:
    """The coaching-curriculum strands a school with this pairing model has rolled out."""
    return [sid for sid, _ in strands[:ROLLED_OUT[model]]]
