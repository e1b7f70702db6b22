"""Editing files that people also edit by hand, changing only what was meant.

Every command that changes an existing programme file (``cycle close``,
``staff leave``, and any future roster or pairing command) goes through here:

1. :func:`edit` parses the file with ruamel.yaml's round-trip loader, applies a
   change to the parsed document and dumps it again, so comments, key order,
   quoting, flow or block style, blank lines and line endings (CRLF stays CRLF)
   are kept. The same change is applied to the value coachctl's own safe reader
   gives for the original, and the new text is read back with that reader: if it
   does not parse cleanly, or its value is not exactly the expected one, the edit
   is refused (:class:`Refused`) and nothing is written. :func:`delete` plans a
   file's removal the same way. A change that only appends to the block sequence
   ending the file (someone added to staff.yaml) dumps just the new items
   (:func:`_appended`), and a change to some entries of such sequences round-trips
   just those entries (:mod:`coachctl.yamlitems`), under the same checks.
2. :func:`new_errors` checks the whole programme as it would be with the new
   contents, without writing anything: the errors the edits would bring.
3. :func:`commit` writes each change atomically (:mod:`coachctl.fsio`) if the file
   still holds what was read; the caller holds the programme's write lock.

A change is a function that mutates a mapping in place. It must work on plain
``dict``/``list`` values as well as ruamel's commented ones: use :func:`put` to set
a key and ordinary ``del``/``insert``/``append`` otherwise.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coachctl import checks, fsio
from coachctl.diagnostics import Diagnostic, Severity
from coachctl.layout import kind_of
from coachctl.loader import locate
from coachctl.programme import FileResult, Programme, attach
from coachctl.reading import read_one
from coachctl.yamlitems import changed_items, removed_items
from coachctl.yamlsafe import parse_bytes, plain_value

Change = Callable[[dict[str, Any]], None]


class Refused(Exception):
    """An edit that cannot be made safely; nothing was written."""


@dataclass(frozen=True, slots=True)
class Edit:
    """One file's planned change: its bytes now, and after (``None``: delete it)."""

    rel: str
    """Programme-relative posix path."""
    before: bytes
    after: bytes | None

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def diff(self, name: str) -> str:
        """A unified diff of the change, naming the file ``name``."""
        old = self.before.decode("utf-8").replace("\r\n", "\n").splitlines(keepends=True)
        new = ("" if self.after is None else self.after.decode("utf-8")
               ).replace("\r\n", "\n").splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, name,
                                            "/dev/null" if self.after is None else name))


# --- one file ----------------------------------------------------------------------------

def put(mapping: dict[str, Any], key: str, value: Any, *, after: Sequence[str] = ()) -> None:
    """Set ``mapping[key]``; a new key goes after the last of ``after`` present, else last.

    On a round-trip mapping a new last key takes over the comment and blank lines
    that followed the old last value, so they stay at the end of the entry.
    """
    if key in mapping or not hasattr(mapping, "insert"):
        mapping[key] = value
        return
    keys = list(mapping)
    anchors = [keys.index(k) for k in after if k in mapping]
    pos = max(anchors) + 1 if anchors else len(keys)
    if pos == len(keys) and keys:
        _move_trailing_comment(mapping, keys[-1], key)
    mapping.insert(pos, key, value)


def _move_trailing_comment(mapping: Any, old: str, new: str) -> None:
    items = getattr(getattr(mapping, "ca", None), "items", None)
    if items is None or old not in items:
        return
    tokens = items[old]
    if len(tokens) < 3 or tokens[2] is None:
        return
    value: str = tokens[2].value
    if value.startswith("\n"):  # no comment on the old key's line: all of it follows
        items[new] = [None, None, tokens[2], None]
        tokens[2] = None
        return
    newline = value.find("\n")
    if newline == -1 or newline == len(value) - 1:
        return  # only a comment on the old key's own line: it stays there
    trailing = copy.copy(tokens[2])
    tokens[2].value = value[: newline + 1]
    trailing.value = value[newline:]
    items[new] = [None, None, trailing, None]


def _yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.default_flow_style = False
    offset = _sequence_offset(text)
    yaml.indent(mapping=_mapping_indent(text), sequence=offset + 2, offset=offset)
    return yaml


def _mapping_indent(text: str) -> int:
    m = re.search(r"^( *)[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)[^\s#-]",
                  text, re.MULTILINE)
    if m and len(m[2]) > len(m[1]):
        return len(m[2]) - len(m[1])
    return 2


def _sequence_offset(text: str) -> int:
    m = re.search(r"^( *)[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)- ",
                  text, re.MULTILINE)
    return max(0, len(m[2]) - len(m[1])) if m else 0


def edit(rel: str, before: bytes, change: Change) -> Edit:
    """Plan ``change`` to the file holding ``before``; refuse if it cannot be done exactly."""
    value = _clean(before, rel)
    if not isinstance(value, dict):
        raise Refused(f"{rel} does not read cleanly; `coachctl validate` says why")
    expected = copy.deepcopy(value)
    change(expected)
    if expected == value:
        return Edit(rel, before, before)
    text = before.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    crlf = "\r\n" in text
    text = text.removeprefix(bom).replace("\r\n", "\n")
    yaml = _yaml(text)
    try:
        new = _appended(yaml, text, value, expected)
        if new is None:
            def accept(new: str) -> bool:
                return (_comments(new) == _comments(text)
                        and _clean(new.encode("utf-8"), rel) == expected)

            new = (removed_items(text, value, expected, change, accept)
                   or changed_items(_yaml, text, value, expected, change, _keep_lines, accept))
        if new is None:
            doc = yaml.load(text)
            change(doc)
            out = io.StringIO()
            yaml.dump(doc, out)
            new = _keep_lines(text, _keep_header(text, out.getvalue()))
    except Exception as e:  # ruamel's own errors: the edit cannot be made by machine
        raise Refused(f"{rel} could not be edited safely ({type(e).__name__}); "
                      "nothing written") from e
    if text and not text.endswith("\n"):
        new = new.removesuffix("\n")
    if _comments(new) != _comments(text):
        raise Refused(f"editing {rel} would lose or move a comment; nothing written "
                      "(edit it by hand)")
    after = (bom + (new.replace("\n", "\r\n") if crlf else new)).encode("utf-8")
    if _clean(after, rel) != expected:
        raise Refused(f"editing {rel} would change more than intended; nothing written "
                      "(edit it by hand)")
    return Edit(rel, before, after)


def _clean(data: bytes, rel: str) -> Any:
    """The value the safe reader gives a file it reads without a diagnostic, else None
    (its fast path first: a clean staff.yaml reads in a third of the time)."""
    value = plain_value(data)
    if value is not None:
        return value
    parsed = parse_bytes(data, rel)
    return None if parsed.diagnostics else parsed.value


def _appended(yaml: Any, text: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """The new text when the change only appends items to the block sequence that ends the
    file (a person added at the end of staff.yaml), else None.

    Only the new items are dumped, in the file's own indentation, and added after the last
    line: the rest of the file is not re-read by ruamel, which on a school's staff.yaml is
    most of an edit's time. The caller checks the result exactly as any other edit's.
    """
    keys = list(new)
    if not keys or keys != list(old) or not text.endswith("\n"):
        return None
    last = keys[-1]
    before, after = old[last], new[last]
    if (any(old[k] != new[k] for k in keys[:-1]) or not isinstance(before, list)
            or not isinstance(after, list) or not before or len(after) <= len(before)
            or after[: len(before)] != before):
        return None
    tops = re.findall(r"^([^\s#][^\n]*)$", text, re.MULTILINE)
    heads = [line for line in tops if not line.startswith("-")]
    if not heads or not re.fullmatch(rf"{re.escape(last)}:[ \t]*(?:#.*)?", heads[-1]):
        return None  # the sequence is not the file's last block, or is written in flow style
    out = io.StringIO()
    yaml.dump({last: after[len(before):]}, out)
    _, _, items = out.getvalue().partition("\n")
    return text + items


_HEADER = re.compile(r"\A(?:[ \t]*(?:#[^\n]*)?\n)+")


def _keep_header(old: str, new: str) -> str:
    """``new`` with the comment lines that open ``old`` (ruamel drops them before a flow
    mapping)."""
    head = _HEADER.match(old)
    if head and not new.startswith(head[0]):
        return head[0] + new.removeprefix(head[0].lstrip("\n"))
    return new


def _keep_lines(old: str, new: str) -> str:
    """``new`` with each line ruamel only re-spaced (``key : v`` as ``key: v``) as it was."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "replace" and i2 - i1 == j2 - j1:
            out += [o if _squeeze(o) == _squeeze(n) else n
                    for o, n in zip(a[i1:i2], b[j1:j2], strict=True)]
        else:
            out += b[j1:j2]
    return "".join(out)


def _squeeze(line: str) -> str:
    return re.sub(r"\s+", "", line)


def _comments(text: str) -> list[str]:
    """Every comment in ``text``, in order (a ``#`` at a line's start or after a space,
    outside quotes)."""
    found = []
    for line in text.splitlines():
        quote = None
        for i, ch in enumerate(line):
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "'\"" and (i == 0 or line[i - 1] in " \t[{,:-"):
                quote = ch
            elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
                found.append(line[i:].rstrip())
                break
    return found


def edit_file(root: Path, rel: str, change: Change) -> Edit:
    """:func:`edit` on the file at ``root / rel``."""
    return edit(rel, _read(root, rel), change)


def delete(root: Path, rel: str) -> Edit:
    """Plan the removal of ``root / rel``."""
    return Edit(rel, _read(root, rel), None)


def _read(root: Path, rel: str) -> bytes:
    try:
        return (root / rel).read_bytes()
    except OSError as e:
        raise Refused(f"cannot read {rel}: {e.strerror}; nothing written") from e


# --- the whole programme -----------------------------------------------------------------

def preview(prog: Programme, edits: Iterable[Edit]) -> Programme:
    """The programme as it would be read with ``edits`` made (nothing is written)."""
    edits = [e for e in edits if e.changed]
    rels = {e.rel for e in edits}
    paths = {prog.path(rel) for rel in rels}
    kinds = {kind_of(rel) for rel in rels}
    new = dataclasses.replace(
        prog, staff={} if "staff.yaml" in kinds else dict(prog.staff),
        staff_file=None if "staff.yaml" in kinds else prog.staff_file,
        cycles={n: c for n, c in prog.cycles.items() if prog.cycle_paths[n] not in rels},
        cycle_paths={n: p for n, p in prog.cycle_paths.items() if p not in rels},
        notes=[n for n in prog.notes if n.path not in rels],
        qa=[(r, q) for r, q in prog.qa if r not in rels],
        planned_qa=[(r, q) for r, q in prog.planned_qa if r not in rels],
        diagnostics=[d for d in prog.diagnostics if d.path not in paths],
        present=set(prog.present))
    if "pairings.yaml" in kinds:
        new.pairings = type(prog.pairings)()
    for e in edits:
        if e.rel in ("programme.yaml", "steps/library.yaml", "steps/sequence.yaml",
                     "steps/coaching-curriculum.yaml"):
            raise ValueError(f"previewing an edit of {e.rel} is not supported")
        if e.after is None:
            continue
        kind = kind_of(e.rel)
        record, diags = read_one(kind, e.after, prog.path(e.rel))
        new.diagnostics.extend(diags)
        attach(new, FileResult(e.rel, kind, record, diags))
    return new


def _key(d: Diagnostic) -> tuple[str, str, str]:
    return (d.code, d.path, d.message)


def new_errors(prog: Programme, edits: Sequence[Edit], *,
               only_new: bool = True) -> list[Diagnostic]:
    """Errors the programme would have with ``edits`` made that it does not have now
    (every error it would have, unless ``only_new``).

    A new error in an edited file is located in its new contents; an error it has
    now is given as it is now."""
    now: dict[tuple[str, str, str], list[Diagnostic]] = {}
    for d in prog.diagnostics + checks.run(prog):
        if d.severity is Severity.ERROR:
            now.setdefault(_key(d), []).append(d)
    after = preview(prog, edits)
    by_path = {prog.path(e.rel): e for e in edits if e.changed}
    out: list[Diagnostic] = []
    for d in after.diagnostics + checks.run(after):
        if d.severity is not Severity.ERROR:
            continue
        if now.get(_key(d)):
            same = now[_key(d)].pop(0)
            if not only_new:
                out.append(same)
            continue
        e = by_path.get(d.path)
        if e is not None and d.pointer is not None:
            span = parse_bytes(e.after or b"", d.path).span(d.pointer)
            out.append(d.at(*span) if span else d.at(1, 1))
        else:
            out.append(d)
    return sorted(locate(out, prog), key=Diagnostic.sort_key)


def commit(root: Path, edits: Sequence[Edit]) -> list[Edit]:
    """Make each changed edit, in order, if its file still holds what was read.

    Call under :func:`coachctl.fsio.lock`. Returns the edits made; raises
    :class:`Refused` at the first file someone changed meanwhile (the edits
    before it are made, the rest are not: a re-run completes the work).
    """
    done: list[Edit] = []
    todo = [e for e in edits if e.changed]
    for i, e in enumerate(todo):
        path = root / e.rel
        try:
            ok = (fsio.remove(path, e.before) if e.after is None
                  else fsio.rewrite(path, e.after, e.before))
        except fsio.WriteError as err:  # say what this batch did and did not write
            raise fsio.WriteError(path, err.error, written=[root / d.rel for d in done],
                                  not_written=[root / d.rel for d in todo[i:]]) from err
        if not ok:
            raise Refused(f"{e.rel} changed while coachctl was working; run the command again")
        done.append(e)
    return done
