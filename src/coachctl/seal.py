"""Sealed notes: free text encrypted with age to the people who may read it.

In a programme whose programme.yaml has ``sealing:``, the free-text fields of a
note or QA record (:data:`~coachctl.models.TEXT_FIELDS`) live in one armored age
block, ``sealed.age``, whose plaintext is a JSON mapping of those fields. The
block is encrypted to the file's readers (:func:`readers`): for a note its coach
and coachee, for a QA record the coach and whoever quality-assured them, and in
both cases the programme's QA readers. Everything else stays plain, so every
report works without a key. Which fields are sealed, and to whom (id and key
fingerprint), stay plain too: reports count notes with praise, and ``reseal``
knows which notes need it, without decrypting anything.

This module plans; it writes nothing. Files are changed through
:mod:`coachctl.yamledit` (comments and layout kept, the result read back and
compared) and written by the caller with :func:`coachctl.yamledit.commit`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from coachctl import models as m
from coachctl.keys import fingerprint
from coachctl.programme import Programme
from coachctl.sealtext import BEGIN, END
from coachctl.yamledit import Edit, Refused, edit, put

NOTE_ORDER = [f.name for f in m.Note.__dataclass_fields__.values()]
QA_ORDER = [f.name for f in m.QaRecord.__dataclass_fields__.values()]


class CannotOpen(Exception):
    """None of the identities given is a reader of this block (or it is not an age file)."""


# --- age ---------------------------------------------------------------------------------

def armor(data: bytes) -> str:
    """age's ASCII armor: PEM-style, base64 in lines of 64 columns."""
    b64 = base64.b64encode(data).decode("ascii")
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return "\n".join([BEGIN, *lines, END]) + "\n"


def dearmor(text: str) -> bytes:
    lines = [ln.strip() for ln in text.strip().splitlines()]
    if len(lines) < 3 or lines[0] != BEGIN or lines[-1] != END:
        raise CannotOpen("not an armored age file")
    try:
        return base64.b64decode("".join(lines[1:-1]), validate=True)
    except ValueError as e:
        raise CannotOpen("not an armored age file") from e


def encrypt(fields: dict[str, str], recipients: Sequence[str]) -> str:
    """``fields`` as JSON, encrypted to the public keys ``recipients``, armored."""
    import pyrage

    keys = [pyrage.x25519.Recipient.from_str(r) for r in recipients]
    plaintext = json.dumps(fields, ensure_ascii=False).encode("utf-8")
    return armor(pyrage.encrypt(plaintext, keys))


def decrypt(block: str, identities: Sequence[Any]) -> dict[str, str]:
    """The fields sealed in ``block``; :class:`CannotOpen` if no identity opens it."""
    import pyrage

    data = dearmor(block)
    if not identities:
        raise CannotOpen("no identity given")
    try:
        value = json.loads(pyrage.decrypt(data, list(identities)).decode("utf-8"))
    except (pyrage.DecryptError, UnicodeDecodeError, ValueError) as e:
        raise CannotOpen("none of the identities given is a reader") from e
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise CannotOpen("the sealed block does not hold a mapping of text fields")
    return value


# --- readers -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Readers:
    """Who a file is sealed to now: ``keys`` maps each reader's id to their public key."""

    keys: dict[str, str]
    without_key: list[str] = field(default_factory=list)
    """Readers who cannot be sealed to (no ``age_key``, or not in staff.yaml)."""
    refused: str | None = None
    """Why the file must not be sealed (sealing.without_key: refuse), if so."""

    def tags(self) -> list[str]:
        """``ID:FINGERPRINT`` of each reader, as ``sealed.readers`` records them."""
        return sorted(f"{who}:{fingerprint(key)}" for who, key in self.keys.items())


def qa_readers(prog: Programme, coach: str) -> list[str]:
    """The programme's QA readers for a file about ``coach``'s coaching."""
    settings = prog.settings
    sealing = settings.sealing if settings else None
    if settings is None or sealing is None:
        return []
    out = list(sealing.qa_readers if sealing.qa_readers is not None else [settings.lead_coach])
    if sealing.hub_experts:
        out += [h.expert for h in prog.pairings.hubs if coach in h.coaches]
    return out


def readers(prog: Programme, first: str, second: str, today: dt.date) -> Readers:
    """The readers of a note (coach, coachee) or QA record (coach, by), as of ``today``.

    Someone who has left (``left`` before today) reads no more: they are not sealed to.
    """
    settings = prog.settings
    policy = settings.sealing.without_key if settings and settings.sealing else "refuse"
    keys: dict[str, str] = {}
    missing: list[str] = []
    for i, who in enumerate([first, second, *qa_readers(prog, first)]):
        person = prog.staff.get(who)
        if person is not None and person.left is not None and person.left < today:
            continue
        if person is None or person.age_key is None:
            if i < 2 and who not in missing:
                missing.append(who)
            continue
        keys.setdefault(who, person.age_key)
    refused = None
    if missing and policy == "refuse":
        refused = (f"{' and '.join(missing)} {'has' if len(missing) == 1 else 'have'} no "
                   "age_key in staff.yaml, and sealing.without_key is refuse")
    elif not keys:
        refused = "nobody who may read it has an age_key in staff.yaml"
    return Readers(keys, missing, refused)


def readers_of_file(prog: Programme, value: dict[str, Any], today: dt.date) -> Readers:
    """:func:`readers` for a note's or QA record's plain value."""
    if "by" in value or "kind" in value:
        return readers(prog, str(value.get("coach")), str(value.get("by")), today)
    return readers(prog, str(value.get("coach")), str(value.get("coachee")), today)


# --- planning edits ------------------------------------------------------------------------

def _order(value: dict[str, Any]) -> list[str]:
    return QA_ORDER if "kind" in value or "by" in value else NOTE_ORDER


def _flow(items: list[str], doc: Any) -> Any:
    if not hasattr(doc, "insert"):  # the plain value coachctl's own reader gives
        return list(items)
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _literal(text: str, doc: Any) -> Any:
    if not hasattr(doc, "insert") or "\n" not in text:
        return text
    from ruamel.yaml.scalarstring import LiteralScalarString

    return LiteralScalarString(text)


def plain_fields(value: dict[str, Any]) -> dict[str, str]:
    """The free-text fields a file's value holds in plain, with words in them (an empty
    block under a prompt is no text to seal)."""
    return {k: v for k in m.TEXT_FIELDS if isinstance(v := value.get(k), str) and m.filled(v)}


def sealed_block(value: dict[str, Any]) -> dict[str, Any] | None:
    block = value.get("sealed")
    return block if isinstance(block, dict) and isinstance(block.get("age"), str) else None


def open_file(value: dict[str, Any], identities: Sequence[Any]) -> dict[str, str]:
    """Every free-text field of a file: the sealed ones decrypted, plain ones over them."""
    block = sealed_block(value)
    fields = decrypt(block["age"], identities) if block else {}
    return {**fields, **plain_fields(value)}


def plan_seal(rel: str, before: bytes, value: dict[str, Any], to: Readers,
              fields: dict[str, str]) -> Edit:
    """The file with ``fields`` sealed to ``to`` and no free text left in plain.

    Each sealed field's lines become marker comments where they were, and the block
    goes last (:mod:`coachctl.sealtext`): every other line stays where it was."""
    if to.refused:
        raise Refused(f"{rel} not sealed: {to.refused}")
    order = _order(value)
    ordered = {k: fields[k] for k in m.TEXT_FIELDS if k in fields}
    armored = encrypt(ordered, list(to.keys.values()))

    def change(doc: dict[str, Any]) -> None:
        for k in ordered:
            doc.pop(k, None)
        block = {"fields": _flow(list(ordered), doc), "readers": _flow(to.tags(), doc),
                 "age": _literal(armored, doc)}
        doc.pop("sealed", None)
        put(doc, "sealed", block, after=order)
    return _quick_seal(rel, before, value, change, list(ordered), to.tags(), armored) or edit(
        rel, before, change)


def _quick_seal(rel: str, before: bytes, value: dict[str, Any], change: Any,
                fields: list[str], tags: list[str], armored: str) -> Edit | None:
    """:func:`plan_seal`'s edit made on the text (:func:`coachctl.sealtext.seal_text`),
    without a round-trip parse (ruamel's costs ten times the encryption), with every
    comment but those on the sealed fields' lines kept (:func:`_quick` holds the rest)."""
    from coachctl.sealtext import block as block_of
    from coachctl.sealtext import seal_text

    block = block_of(fields, tags, armored)

    def rewrite(text: str) -> str | None:
        new = seal_text(text, fields, block)
        same = _comments_outside(new, ["sealed"]) == _comments_outside(text, [*fields, "sealed"])
        return new if same else None
    return _quick(rel, before, value, change, rewrite)


def _comments_outside(text: str, fields: Iterable[str]) -> list[str]:
    """The comments of ``text`` but the marker lines, ``sealed:``'s and any ``#`` in the
    block scalars of ``fields`` (typed in a sentence there, it is text): what sealing
    must keep. A comment on a field's own line goes with the field, so the caller
    refuses to seal it rather than lose it."""
    from coachctl.sealtext import MORE, marker_of, split
    from coachctl.yamledit import _comments

    skip = set(fields)
    kept = []
    for key, lines in split(text):
        if key not in skip:
            kept += lines
        elif key != "sealed":  # the key's own line may carry a comment; a block's lines not
            block = lines[0].split(":", 1)[1].lstrip()[:1] in ("|", ">")
            kept += lines[:1] if block else lines
    return [c for c in _comments("".join(kept)) if marker_of(c) is None and c != MORE]


def _quick(rel: str, before: bytes, value: dict[str, Any], change: Any,
           rewrite: Any) -> Edit | None:
    """The edit ``rewrite`` makes on the file's text (``\n`` line ends, no byte-order
    mark; both put back as they were), held to what :func:`coachctl.yamledit.edit` holds
    an edit to: the result must read back as exactly the value ``change`` gives. None if
    not (or the text is not UTF-8, or has lone carriage returns): the caller makes the
    edit the careful way."""
    import copy

    from coachctl.yamlsafe import parse_bytes

    try:
        text = before.decode("utf-8")
    except UnicodeDecodeError:
        return None
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    crlf = "\r\n" in text
    text = text.removeprefix(bom).replace("\r\n", "\n") if crlf else text.removeprefix(bom)
    new = None if "\r" in text else rewrite(text)
    if new is None:
        return None
    expected = copy.deepcopy(value)
    change(expected)
    after = (bom + (new.replace("\n", "\r\n") if crlf else new)).encode("utf-8")
    reread = parse_bytes(after, rel)
    if reread.diagnostics or reread.value != expected:
        return None
    return Edit(rel, before, after)


def plan_unseal(rel: str, before: bytes, value: dict[str, Any],
                fields: dict[str, str]) -> Edit:
    """The file with its free text back in plain (for ``note edit``, and to show it):
    each field where its marker stands, else (a file sealed before markers) after the
    field it follows in the format's order."""
    from coachctl.sealtext import unseal_text

    order = _order(value)
    opened = {k: v for k, v in fields.items() if k not in plain_fields(value)}

    def change(doc: dict[str, Any]) -> None:
        doc.pop("sealed", None)
        for k in m.TEXT_FIELDS:
            if k in opened:
                put(doc, k, _literal(opened[k], doc), after=order[:order.index(k)])
    return (_quick(rel, before, value, change, lambda text: unseal_text(text, opened))
            or edit(rel, before, change))


def needs_reseal(value: dict[str, Any], to: Readers) -> bool:
    block = sealed_block(value)
    return block is not None and sorted(map(str, block.get("readers") or [])) != to.tags()


def current_holders(prog: Programme, value: dict[str, Any], today: dt.date) -> list[str]:
    """Who, among those the file is sealed to, still holds the key it was sealed to and
    has not left: the people who can open it now."""
    block = sealed_block(value) or {}
    out = []
    for tag in block.get("readers") or []:
        who, _, fp = str(tag).partition(":")
        person = prog.staff.get(who)
        if (person is not None and person.age_key is not None
                and fingerprint(person.age_key) == fp
                and (person.left is None or person.left >= today)):
            out.append(who)
    return out


# --- whole files -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Planned:
    """What sealing or resealing one file comes to."""

    rel: str
    edit: Edit | None
    """The change to make (None: nothing to write)."""
    status: str
    """``seal``, ``reseal``, ``sealed`` (nothing to do), ``no-text``, ``refused``,
    ``cannot-open`` (not by the identities given) or ``unreadable``."""
    why: str = ""


def read_value(rel: str, before: bytes) -> dict[str, Any] | None:
    """A note's or QA record's plain value, if it reads cleanly as a mapping."""
    from coachctl.yamlsafe import parse_bytes

    parsed = parse_bytes(before, rel)
    value = parsed.value
    return value if not parsed.diagnostics and isinstance(value, dict) else None


def plan_file(prog: Programme, rel: str, before: bytes, today: dt.date,
              identities: Sequence[Any] = (), *, reseal: bool = False) -> Planned:
    """Seal the file's plain free text (with ``reseal``, also re-encrypt a block whose
    readers changed). A block that has to be opened to do so is opened with
    ``identities``; if none opens it, the file is left as it is."""
    value = read_value(rel, before)
    if value is None:
        return Planned(rel, None, "unreadable", "does not read cleanly; "
                       "`coachctl validate` says why")
    plain, block = plain_fields(value), sealed_block(value)
    to = readers_of_file(prog, value, today)
    if not plain and (block is None or not reseal or not needs_reseal(value, to)):
        return Planned(rel, None, "sealed" if block else "no-text")
    if to.refused:
        return Planned(rel, None, "refused", to.refused)
    try:
        fields = open_file(value, identities) if block else plain
    except CannotOpen as e:
        return Planned(rel, None, "cannot-open", str(e))
    try:
        change = plan_seal(rel, before, value, to, fields)
    except Refused as e:
        return Planned(rel, None, "refused", str(e))
    return Planned(rel, change, "seal" if plain else "reseal")
