"""Round-trip only the entries an edit changes, not the whole file.

ruamel.yaml's round-trip reader is pure Python: on a school's staff.yaml (200
people) reading and writing it back takes most of an edit command's time, though
``staff leave`` changes one person and ``pair end`` a few pairs. When a change
only alters some entries of the block sequences at the top of a file (``staff:``,
``groups:``, ...), with as many entries after it as before, :func:`changed_items`
hands ruamel just those entries' lines, each under its own key as in the file,
applies the change to them and puts their new lines back in place. Every other
line is left exactly as it was. Anything else (a new top-level key, an entry
added, removed or replaced, a flow-style sequence, lines it cannot split into
the entries the safe reader found) gives None, and the caller round-trips the
whole file. The caller checks the result exactly as any other edit's (comments
kept, the new text read back equal to the intended value).
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable
from typing import Any

_TOP = re.compile(r"[^\s#]")


def changed_items(make_yaml: Callable[[str], Any], text: str, old: dict[str, Any],
                  new: dict[str, Any], change: Callable[[dict[str, Any]], None],
                  keep_lines: Callable[[str, str], str]) -> str | None:
    """The new ``text`` when ``change`` (which takes ``old`` to ``new``) only alters
    entries of top-level block sequences, made by round-tripping those entries alone;
    else None. ``old`` is spent: the change may have run on parts of it."""
    if list(old) != list(new) or not text.endswith("\n"):
        return None
    changed: dict[str, list[int]] = {}
    for key, value in old.items():
        if value == new[key]:
            continue
        after = new[key]
        if (not isinstance(value, list) or not isinstance(after, list)
                or len(value) != len(after)):
            return None
        changed[key] = [i for i, (a, b) in enumerate(zip(value, after, strict=True)) if a != b]
    if not changed:
        return None
    lines = text.splitlines(keepends=True)
    spans: list[tuple[int, int, str, int]] = []  # first line, end line, key, index
    for key, indices in changed.items():
        starts = _entries(lines, key)
        if starts is None or len(starts) != len(old[key]) + 1:
            return None
        spans += [(starts[i], starts[i + 1], key, i) for i in indices]
    # the entries left alone are shared with ``old``, which the change may therefore
    # touch: the caller no longer needs it
    hybrid = {k: list(v) if k in changed else copy.deepcopy(v) for k, v in old.items()}
    loaded: list[tuple[int, int, str, Any, Any, Any]] = []
    for first, end, key, index in spans:
        mini = f"{key}:\n" + "".join(lines[first:end])
        yaml = make_yaml(mini)  # the entry's own indentation, as the whole file's may differ
        doc = yaml.load(mini)
        if not isinstance(doc, dict) or len(doc.get(key) or ()) != 1:
            return None
        hybrid[key][index] = doc[key][0]
        loaded.append((first, end, key, yaml, doc, hybrid[key][index]))
    change(hybrid)
    if list(hybrid) != list(new):
        return None
    mine = {id(item) for *_, item in loaded}
    for key, value in hybrid.items():
        if key not in changed:
            if value != new[key]:
                return None
            continue
        if not isinstance(value, list) or len(value) != len(new[key]):
            return None
        for i, item in enumerate(value):
            if (id(item) in mine) != (i in changed[key]) or (id(item) not in mine
                                                             and item != new[key][i]):
                return None
    for first, end, key, yaml, doc, _ in sorted(loaded, key=lambda x: -x[0]):
        out = io.StringIO()
        yaml.dump(doc, out)
        head, _, body = out.getvalue().partition("\n")
        if head.rstrip() != f"{key}:":
            return None
        lines[first:end] = [keep_lines("".join(lines[first:end]), body)]
    return "".join(lines)


def _entries(lines: list[str], key: str) -> list[int] | None:
    """The line index of each entry of the block sequence under the top-level ``key``,
    then the index where the sequence ends (the next top-level key, or the end)."""
    head = re.compile(rf"{re.escape(key)}:[ \t]*(?:#[^\n]*)?\n")
    heads = [i for i, line in enumerate(lines) if head.fullmatch(line)]
    if len(heads) != 1:
        return None
    i = heads[0] + 1
    while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
        i += 1
    m = re.match(r"( *)- ", lines[i]) if i < len(lines) else None
    if m is None:
        return None
    dash = m[0]
    starts = []
    for j in range(i, len(lines)):
        if lines[j].startswith(dash):
            starts.append(j)
        elif _TOP.match(lines[j]):
            return [*starts, j]
    return [*starts, len(lines)]
