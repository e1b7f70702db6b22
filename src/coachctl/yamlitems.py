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
import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

_TOP = re.compile(r"[^\s#]")


def changed_items(make_yaml: Callable[[str], Any], text: str, old: dict[str, Any],
                  new: dict[str, Any], change: Callable[[dict[str, Any]], None],
                  keep_lines: Callable[[str, str], str],
                  accept: Callable[[str], bool] = lambda text: True) -> str | None:
    """The new ``text`` when ``change`` (which takes ``old`` to ``new``) only alters
    entries of top-level block sequences, made by round-tripping those entries alone;
    else None. ``old`` is spent: the change may have run on parts of it."""
    if list(old) != list(new) or not text.endswith("\n"):
        return None
    changed: dict[str, list[int]] = {}
    grown = ""  # the last key, when entries are also added at the end of its sequence
    for key, value in old.items():
        if value == new[key]:
            continue
        after = new[key]
        if (not isinstance(value, list) or not isinstance(after, list)
                or len(value) > len(after)
                or (len(value) < len(after) and key != list(old)[-1])):
            return None
        grown = key if len(value) < len(after) else grown
        changed[key] = [i for i, (a, b) in enumerate(zip(value, after, strict=False))
                        if a != b]
    if not changed:
        return None
    lines = text.splitlines(keepends=True)
    spans: list[tuple[int, int, str, int]] = []  # first line, end line, key, index
    for key, indices in changed.items():
        starts = _entries(lines, key)
        if (starts is None or len(starts) != len(old[key]) + 1
                or (key == grown and starts[-1] != len(lines))):
            return None
        spans += [(starts[i], starts[i + 1], key, i) for i in indices]
    if grown:  # the new entries go after the last line, as the file's last block ends there
        out = io.StringIO()
        make_yaml(text).dump({grown: new[grown][len(old[grown]):]}, out)
        added = out.getvalue().partition("\n")[2]
        lines.append(added)
    # the entries left alone are shared with ``old``, which the change may therefore
    # touch: the caller no longer needs it
    hybrid = {k: list(v) if k in changed else copy.deepcopy(v) for k, v in old.items()}
    mapped = {(key, index): _Ordered(old[key][index]) for _, _, key, index in spans
              if isinstance(old[key][index], dict)}
    if len(mapped) == len(spans):
        for (key, index), item in mapped.items():
            hybrid[key][index] = item
        change(hybrid)
        if _only_these(hybrid, new, changed, {id(v) for v in mapped.values()}):
            edited = [(first, end, _scalar_lines(lines[first:end], old[key][index],
                                                 mapped[key, index]))
                      for first, end, key, index in spans]
            if all(new_lines is not None for *_, new_lines in edited):
                by_text = list(lines)
                for first, end, new_lines in sorted(edited, key=lambda x: -x[0]):
                    by_text[first:end] = new_lines or []
                if accept("".join(by_text)):
                    return "".join(by_text)
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
    if not _only_these(hybrid, new, changed, {id(item) for *_, item in loaded}):
        return None
    for first, end, key, yaml, doc, _ in sorted(loaded, key=lambda x: -x[0]):
        out = io.StringIO()
        yaml.dump(doc, out)
        head, _, body = out.getvalue().partition("\n")
        if head.rstrip() != f"{key}:":
            return None
        lines[first:end] = [keep_lines("".join(lines[first:end]), body)]
    return "".join(lines)


def removed_items(text: str, old: dict[str, Any], new: dict[str, Any],
                  change: Callable[[dict[str, Any]], None],
                  accept: Callable[[str], bool]) -> str | None:
    """The new ``text`` when ``change`` removes entries of top-level block sequences
    (leavers dropped) and sets one-line scalars in others, made by text alone; else None.
    A removed entry's lines go with it, so a comment among them makes ``accept`` refuse."""
    if list(old) != list(new) or not text.endswith("\n") or not any(
            isinstance(v, list) and isinstance(new[k], list) and len(new[k]) < len(v)
            for k, v in old.items()):
        return None
    lines = text.splitlines(keepends=True)
    hybrid: dict[str, Any] = {}
    starts: dict[str, list[int]] = {}
    for key, value in old.items():
        after = new[key]
        if value == after:
            hybrid[key] = copy.deepcopy(value)
            continue
        found = _entries(lines, key)
        if (not isinstance(value, list) or not isinstance(after, list) or found is None
                or len(after) > len(value) or len(found) != len(value) + 1
                or not all(isinstance(e, dict) for e in value)):
            return None
        hybrid[key] = [_Ordered(copy.deepcopy(e)) for e in value]
        starts[key] = found
    if not any(len(new[key]) < len(old[key]) for key in starts):
        return None
    given = {key: list(hybrid[key]) for key in starts}
    change(hybrid)
    if list(hybrid) != list(new) or any(hybrid[k] != new[k] for k in hybrid):
        return None
    edits: list[tuple[int, int, list[str]]] = []
    for key, found in starts.items():
        index = {id(e): i for i, e in enumerate(given[key])}
        kept = [index.get(id(e), -1) for e in hybrid[key]]
        if -1 in kept or kept != sorted(set(kept)):
            return None  # an entry replaced, added or moved
        for i, entry in enumerate(given[key]):
            first, end = found[i], found[i + 1]
            if i not in kept:
                edits.append((first, end, []))
            elif entry != old[key][i]:
                new_lines = _scalar_lines(lines[first:end], old[key][i], entry)
                if new_lines is None:
                    return None
                edits.append((first, end, new_lines))
    for first, end, new_lines in sorted(edits, key=lambda x: -x[0]):
        lines[first:end] = new_lines
    result = "".join(lines)
    return result if accept(result) else None


def _only_these(hybrid: dict[str, Any], new: dict[str, Any], changed: dict[str, list[int]],
                mine: set[int]) -> bool:
    """Whether the change, run on ``hybrid``, changed only the entries given to it as
    ``mine`` (kept as the same objects) and left every other value as ``new`` has it."""
    if list(hybrid) != list(new):
        return False
    for key, value in hybrid.items():
        if key not in changed:
            if value != new[key]:
                return False
            continue
        if not isinstance(value, list) or len(value) != len(new[key]):
            return False
        for i, item in enumerate(value):
            if (id(item) in mine) != (i in changed[key]) or (id(item) not in mine
                                                             and item != new[key][i]):
                return False
    return True


class _Ordered(dict[str, Any]):
    """A plain mapping that, like ruamel's, can take a key at a position (``put``)."""

    def insert(self, pos: int, key: str, value: Any) -> None:
        items = list(self.items())
        items.insert(pos, (key, value))
        self.clear()
        self.update(items)


_KEY = re.compile(r"( *)(?:- )?([A-Za-z_][\w-]*):(?: +([^\s#'\"|>&*!\[{%@`][^#]*?))?[ \t]*\n")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[ -][A-Za-z0-9]+)*")
_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _plain(value: Any) -> str | None:
    """``value`` as ruamel writes it where that is certain (ids, dates, numbers, booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) or type(value) is dt.date:
        return str(value)
    if isinstance(value, str) and _PLAIN.fullmatch(value) and value.lower() not in _WORDS:
        return value
    return None


def _scalar_lines(lines: list[str], old: dict[str, Any], new: dict[str, Any],
                  ) -> list[str] | None:
    """The entry's ``lines`` with one-line scalar values set, added or removed by text,
    where the result is certainly what ruamel writes; else None (ruamel does it)."""
    keys: dict[str, int] = {}  # key -> its line, for keys whose whole value is on it
    order: list[str] = []
    column = -1
    for j, line in enumerate(lines):
        m = _KEY.fullmatch(line)
        if m is None or (j > 0 and len(m[1]) != column) or (j == 0) != line.lstrip(
                ).startswith("- "):
            indent = len(line) - len(line.lstrip())
            if line.strip() and not line.lstrip().startswith("#"):
                if j == 0 or indent < column or (indent == column and not line.lstrip(
                        ).startswith("- ")):  # a sequence may sit at its key's indent
                    return None  # a key written otherwise: a flow value, a quoted key ...
                keys.pop(order[-1], None)  # its value goes on below: not one line
            continue
        column = len(m[1]) + (2 if j == 0 else 0)
        order.append(m[2])
        if m[3] is not None:
            keys[m[2]] = j
    if order != list(old):
        return None
    out = list(lines)
    removed = [k for k in old if k not in new]
    kept = [k for k in new if k in old]
    if kept != [k for k in old if k in new]:
        return None
    for key in old:
        if key in new and new[key] != old[key]:
            text = _plain(new[key])
            if key not in keys or text is None:
                return None
            m = _KEY.fullmatch(lines[keys[key]])
            assert m is not None
            out[keys[key]] = lines[keys[key]][:m.start(3)] + text + "\n"
    inserts: dict[int, list[str]] = {}
    for i, key in enumerate(new):
        if key in old:
            continue
        text = _plain(new[key])
        anchor = list(new)[i - 1] if i else None
        if text is None or anchor not in keys or anchor in removed:
            return None
        j = keys[anchor]
        following = lines[j + 1] if j + 1 < len(lines) else ""
        last = anchor == list(old)[-1]
        if not last and not _KEY.fullmatch(following):
            return None  # comments between: where ruamel puts the key is not certain
        inserts.setdefault(j, []).append(" " * column + f"{key}: {text}\n")
    for key in removed:
        if key not in keys or keys[key] == 0 or key == list(old)[-1]:
            return None
        out[keys[key]] = ""
    for j in sorted(inserts, reverse=True):
        out[j + 1:j + 1] = inserts[j]
    return [line for line in out if line]


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
