"""libyaml's errors as diagnostics, with hints a person can act on.

A syntax error becomes Y001 at its 1-based position, or Y005 for libyaml's own
nesting limit. The commonest mistake a teacher makes is a sentence in a
free-text field that YAML reads as syntax: that error names the field and the
line and shows the block layout that fixes it, never repeating the words.
"""

from __future__ import annotations

import re

import yaml

from coachctl.diagnostics import Diagnostic, make
from coachctl.yamlsafe.precheck import _YAML_BREAK
from coachctl.yamlsafe.safeloader import FREE_TEXT, MAX_DEPTH, _mark_span


def compose_error(e: yaml.MarkedYAMLError | yaml.reader.ReaderError, path: str,
                  text: str) -> Diagnostic:
    """What libyaml refused while composing ``text``, as one located diagnostic."""
    if isinstance(e, yaml.reader.ReaderError):  # control characters and the like
        pos = min(e.position, len(text))
        starts = [0, *(m.end() for m in _YAML_BREAK.finditer(text, 0, pos))]
        line, col = len(starts), pos - starts[-1] + 1
        char = e.character if isinstance(e.character, int) else ord(e.character)
        return make("Y001", f"control character U+{char:04X} is not allowed", path,
                    hint="remove the control character").at(line, col)
    if (isinstance(e, yaml.composer.ComposerError) and e.problem_mark is not None
            and "single document" in f"{e.context} {e.problem}"):
        return make("Y008", "the file holds more than one YAML document", path,
                    hint="a programme file is one document; remove the second "
                         "'---' or split the file").at(*_mark_span(e.problem_mark)[:2])
    return _syntax(e, path, text)


def _syntax(e: yaml.MarkedYAMLError, path: str, text: str = "") -> Diagnostic:
    mark = e.problem_mark or e.context_mark
    problem = e.problem or e.context or "syntax error"
    if text and (free := _free_text_syntax(e, path, text)) is not None:
        return free
    if "nesting depth" in problem:
        # libyaml 0.2.6 (PyYAML >= 6.0.4) refuses deep nesting itself; give the
        # same answer our own walker gives on older versions.
        d = make("Y005", f"the document is nested more than {MAX_DEPTH} levels deep", path,
                 hint="flatten the structure; programme files are a few levels deep")
        return d.at(*_mark_span(mark)[:2]) if mark is not None else d
    hint = None
    if e.context and e.context_mark is not None and e.context_mark is not mark:
        hint = f"{e.context} at line {e.context_mark.line + 1}"
    d = make("Y001", problem, path, hint=hint)
    return d.at(*_mark_span(mark)[:2]) if mark is not None else d


BLOCK_FIX = ("write the text as a block: '{key}: |' on its own line, then the text on the "
             "lines below it, indented two spaces; any words, colons, # signs and quotes are "
             "safe there (see docs/for-staff.md)")
_KEY_LINE = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_-]*)[ ]*:(?:[ ]+(.*))?$")


def _free_text_syntax(e: yaml.MarkedYAMLError, path: str, text: str) -> Diagnostic | None:
    """A syntax error in a free-text field's sentence: name the field and line, show the fix.

    The commonest mistake a teacher makes is a sentence that YAML reads as syntax
    (``next_steps: Try this: count down``). The line is found from libyaml's marks;
    the message names the field and line only, never the words (they are private).
    """
    lines = text.split("\n")
    marks = [m for m in (e.problem_mark, e.context_mark) if m is not None]
    for mark in marks:
        n = min(mark.line, len(lines) - 1)
        while n >= 0:
            m = _KEY_LINE.match(lines[n])
            if m is not None:
                break
            if not lines[n].strip() or lines[n].lstrip().startswith("#"):
                n = -1  # a blank line or a comment: not a sentence running on
                break
            n -= 1
        if n < 0 or m is None or m.group(1) not in FREE_TEXT:
            continue
        key, value = m.group(1), (m.group(2) or "")
        fix = BLOCK_FIX.format(key=key)
        if value.startswith(("|", ">")):
            what = (f"the text of '{key}' (the block starting on line {n + 1}) is not laid "
                    f"out as a block")
            fix = (f"type nothing after '{key}: |' on its line; put every line of the text "
                   "below it, each indented by the same two spaces (see docs/for-staff.md)")
        elif mark.line > n and "simple key" in (e.context or ""):
            what = (f"the text of '{key}' (line {n + 1}) runs on to the next line without "
                    "being indented")
        elif "mapping values" in (e.problem or ""):
            what = (f"the text of '{key}' on line {n + 1} has ': ' in it, which YAML reads "
                    "as a new key")
        else:
            what = (f"the text of '{key}' on line {n + 1} cannot be read as plain text "
                    "(YAML reads a quote or symbol at its start, or ': ' or ' #' inside, "
                    "as its own syntax)")
        col = m.start(2) + 1 if m.group(2) else len(lines[n]) + 1
        return make("Y001", what, path, hint=fix).at(n + 1, col)
    return _in_block(e, path, lines)


def _in_block(e: yaml.MarkedYAMLError, path: str, lines: list[str]) -> Diagnostic | None:
    """An indented line that breaks out of a free-text block (indented less than the rest)."""
    mark = e.problem_mark
    if mark is None or mark.line >= len(lines) or not lines[mark.line].startswith(" "):
        return None
    n = mark.line
    while n >= 0 and (lines[n].startswith(" ") or not lines[n].strip()):
        n -= 1
    m = _KEY_LINE.match(lines[n]) if n >= 0 else None
    if m is None or m.group(1) not in FREE_TEXT or not (m.group(2) or "").startswith("|"):
        return None
    key = m.group(1)
    return make("Y001", f"line {mark.line + 1}, in the text of '{key}' (the block starting on "
                f"line {n + 1}), is indented differently from the lines before it", path,
                hint="indent every line of the text by the same two spaces (see "
                     "docs/for-staff.md)").at(mark.line + 1, 1)
