"""Every diagnostic code coachctl can emit, by id: the registry that ``coachctl explain``,
the summary by code (``coachctl qa``) and the tests read.

Each code is declared once, as a :class:`~coachctl.codes.Code` beside what emits it
(yamllint-style): the reader's codes (Y, S, P, and R004 for what the loader finds
twice) in :mod:`coachctl.codes`, every other one in the module of its rule, which passes
it to :func:`~coachctl.diagnostics.make`. A rule module lists its codes in ``CODES``;
:func:`_declared` names the modules for each letter. A new rule in a module listed
there needs no change here.

Looking up a reader code imports nothing more. The first lookup of another letter
imports the modules that declare that letter's codes (listing every code imports them
all), so a warm run, whose diagnostics come from the cache, imports a rule module only
to print a title of its letter (``qa``'s summary names R008 and R009): ``validate``,
``stats`` and the other reports import none to print what they found.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from coachctl.codes import READER, Code

LETTERS = "YSPRIQX"
"""The letters in the order ``coachctl explain --all`` lists them; by number in each."""


def _declared(letter: str) -> tuple[Code, ...]:
    """The codes of ``letter`` that rule modules declare (the reader's are in READER)."""
    if letter == "R":
        from coachctl.checks import dates, ids, notes, pairings, sealing

        return (*ids.CODES, *dates.CODES, *pairings.CODES, *notes.CODES, *sealing.CODES)
    if letter in ("Q", "X"):
        from coachctl.reports.gaps import coaches, expectations, pairs
        from coachctl.reports.gaps import notes as note_gaps

        return (*coaches.CODES, *note_gaps.CODES, *pairs.CODES, *expectations.CODES)
    if letter == "I":
        from coachctl import staff_export

        return staff_export.CODES
    return ()


def _order(code: str) -> tuple[int, str]:
    return LETTERS.index(code[0]), code


class Registry(Mapping[str, Code]):
    """Code id → :class:`~coachctl.codes.Code`, loading a letter's rule modules on first
    use."""

    def __init__(self) -> None:
        self._letters: dict[str, dict[str, Code]] = {}

    def _of(self, letter: str) -> dict[str, Code]:
        found = self._letters.get(letter)
        if found is None:
            found = self._letters[letter] = {c.code: c for c in _declared(letter)}
        return found

    def __getitem__(self, code: str) -> Code:
        if code in READER:
            return READER[code]
        return self._of(code[:1])[code]

    def __iter__(self) -> Iterator[str]:
        every = set(READER).union(*(self._of(letter) for letter in LETTERS))
        return iter(sorted(every, key=_order))

    def __len__(self) -> int:
        return sum(1 for _ in self)


CODES: Mapping[str, Code] = Registry()
"""Every code, listed in :data:`LETTERS` order and by number in each letter."""
