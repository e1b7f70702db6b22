"""Diagnostic codes: what each declares (:class:`Code`), and the reader's own codes.

Codes are stable: once released a code keeps its meaning, and a retired code
is never reused. The letter says where a problem is found:

* ``Y`` the file cannot be read as safe YAML (syntax, encoding, tags, ...);
* ``S`` the file reads but does not match the format (unknown keys, types);
* ``P`` the programme folder itself (missing or unrecognised files);
* ``R`` references and rules across files (ids, dates, pairings, notes);
* ``Q`` quality-assurance gaps found by ``coachctl qa``;
* ``I`` a staff export (CSV) that ``coachctl staff import`` cannot read.
* ``X`` the school's own expectations (programme.yaml ``expectations``, the completion
  target) not met, found by ``coachctl qa``.

This module holds the reader's codes, Y, S and P, with R004, which the loader emits
for staff ids and cycle numbers listed twice: code the rules build on emits them by id
(``make("Y001", ...)``), so they are declared below the rules. Every other code is
declared beside the rule that emits it (the R codes in :mod:`coachctl.checks`, Q and X
in :mod:`coachctl.reports.gaps`, I in :mod:`coachctl.staff_export`);
:mod:`coachctl.registry` collects them all for ``coachctl explain``.

Each code's ``example`` is a minimal case that triggers it; the tests hold a failing
fixture for every code: tests/test_codes.py for the Y, S, P, R and I codes
(``FIXTURES``, ``IMPORT_FIXTURES``), tests/test_qa.py for the Q and X codes (``CASES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Code:
    """What a diagnostic code means: its severity, and the text ``coachctl explain`` prints.

    A rule declares its codes beside the check that emits them and passes the
    constant to :func:`coachctl.diagnostics.make`, which takes the severity from it.
    """

    code: str
    severity: Severity
    title: str
    explanation: str
    example: str
    fix: str


E, W = Severity.ERROR, Severity.WARNING

_ALL = [
    # --- Y: reading the file ---------------------------------------------------
    Code("Y001", E, "YAML syntax error",
         "The file is not well-formed YAML, so nothing in it can be checked. The commonest "
         "case is a sentence typed on a free-text field's own line that YAML reads as "
         "syntax (a second ': ', or a quote or symbol at its start): then the message names "
         "the field and line (never the words) and the hint shows the block layout.",
         "coach: asmith\nnext_steps: Try this: count down from five\n",
         "Close the bracket or quote, or fix the indentation. Write free text as a block: "
         "`next_steps: |` on its own line and the text below it, indented two spaces "
         "(docs/for-staff.md)."),
    Code("Y002", E, "tab used for indentation",
         "YAML forbids tabs in indentation; editors often insert them silently.",
         "staff:\n\t- id: asmith\n", "Indent with spaces (two per level is usual)."),
    Code("Y003", E, "duplicate key",
         "A key appears twice in one mapping. PyYAML would silently keep the last value "
         "and lose the first; coachctl refuses to guess.",
         "coach: asmith\ncoach: bjones\n", "Delete one of the two keys."),
    Code("Y004", E, "tag not allowed",
         "Explicit tags such as !!python/object can make YAML loaders run code or build "
         "unexpected objects. Programme files hold plain data only.",
         "coach: !!python/object/apply:os.system [ls]\n",
         "Remove the tag and write a plain value."),
    Code("Y005", E, "too many aliases",
         "Anchors and aliases (&a / *a) that expand to a huge document ('billion laughs') "
         "are refused before they can exhaust memory.",
         "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b, *b, *b]   # ... and so on\n",
         "Write values out in full; programme files rarely need aliases."),
    Code("Y006", E, "not valid UTF-8",
         "Every programme file must be UTF-8. Files saved as Latin-1 or Windows-1252 "
         "(e.g. a name with an accent pasted from a spreadsheet) fail here.",
         "name: Zo\\xe9 Martin   # byte 0xE9 is Latin-1, not UTF-8\n",
         "Re-save the file as UTF-8 in your editor."),
    Code("Y007", E, "empty file",
         "The file holds no YAML document (only whitespace or comments).",
         "# nothing here\n", "Fill the file in (see `coachctl note new`) or delete it."),
    Code("Y008", E, "more than one YAML document",
         "A programme file holds exactly one document; a second `---` usually means two "
         "files were pasted together.",
         "coach: asmith\n---\ncoach: bjones\n", "Split the documents into separate files."),
    Code("Y009", E, "wrong root type",
         "The file's top level must be a mapping of keys to values.",
         "- asmith\n- bjones\n", "Start the file with the keys its kind expects."),
    Code("Y010", E, "file too large",
         "Programme files are small; one over the size limit (8 MiB) is refused unread.",
         "(a 20 MB note file)", "Split the file, or remove what was pasted into it by mistake."),
    Code("Y011", E, "file cannot be read",
         "The operating system refused to read the file, or to list a folder's files "
         "(permissions, a broken link).",
         "(a note file with mode 000)", "Fix the file's permissions or remove the broken link."),
    Code("Y012", E, "unresolved merge conflict",
         "Two people changed the same lines and git could not combine them, so it left "
         "both versions in the file between conflict markers: `<<<<<<<` (your version), "
         "`=======`, `>>>>>>>` (theirs). Until the markers are gone nothing in the file "
         "can be read. The diagnostic points at the first marker line.",
         "coach: asmith\n<<<<<<< HEAD\nrehearsed: true\n=======\nrehearsed: false\n"
         ">>>>>>> their-branch\n",
         "Keep the lines you want from between the markers, delete the three marker lines, "
         "run `coachctl note check FILE`, then `git add FILE` and finish the merge "
         "(`git commit`). docs/for-staff.md walks through it."),
    Code("Y013", E, "free text cut short by ' #'",
         "In a free-text field written on the key's line (`next_steps: ...`), a space "
         "then `#` starts a YAML comment: the words after it are silently dropped. "
         "The message names the field and line, never the words.",
         "next_steps: Count down from five #then wait for silence\n",
         "Write free text as a block: `next_steps: |` on its own line and the text on the "
         "lines below it, indented two spaces, where `#`, `: ` and quotes are plain text. "
         "A comment of your own goes on a line of its own, above the key."),
    Code("Y014", E, "files not checked because a file they depend on is broken",
         "A file others refer to (a cycle file, staff.yaml, the step library) could not be "
         "read, so the files that refer to it could not be checked against it. Rather than "
         "an error in each of them (every note of the cycle 'unknown cycle'), coachctl "
         "reports the cause once and this one summary: how many files, and which checks "
         "were held back. In `note check`, it is reported on each note named.",
         "# cycles/cycle-04.yaml has a syntax error (Y001)\n"
         "# so the 87 notes in notes/cycle-04/ cannot be checked against cycle 4\n",
         "Fix the broken file's own error; the held-back checks then run again."),
    # --- S: schema -------------------------------------------------------------
    Code("S001", E, "unknown key",
         "Keys are checked against the format so that a typo does not silently drop data.",
         "coach: asmith\ncoachee: bjones\nrehearse: true   # should be `rehearsed`\n",
         "Use the key the hint suggests, or see docs/format.md for the file's keys."),
    Code("S002", E, "missing key",
         "A key the format requires is absent.",
         "# notes/cycle-01/asmith--bjones.yaml without `coachee:`\ncoach: asmith\ncycle: 1\n",
         "Add the key."),
    Code("S003", E, "wrong type or value",
         "A value has the wrong type or is not one of the allowed values. Remember YAML 1.1 "
         "traps: unquoted `no` is false, `14:00` is the number 840, `1e3` is a float. A whole "
         "number longer than 18 digits, and a value its explicit tag cannot read "
         "(`!!int twelve`), are S003 too. The message says what is expected in words, and "
         "the hint gives the value to write when only the case is wrong (`ECT`: `ect`).",
         "observation: walkthrough   # must be drop-in or lesson\n",
         "Use an allowed value, and quote strings that YAML would read as something else."),
    Code("S004", E, "bad date",
         "Dates are written as YYYY-MM-DD, unquoted, and must exist on the calendar.",
         "date: 2026-02-30\n", "Write a real date as YYYY-MM-DD."),
    Code("S005", E, "unsupported format version",
         "programme.yaml names the format version its files follow; this coachctl reads "
         "version 1.",
         "format: 7\n", "Set `format: 1`, or upgrade coachctl."),
    # --- P: the programme folder ----------------------------------------------
    Code("P001", E, "required file missing",
         "A programme folder must hold programme.yaml, staff.yaml, pairings.yaml and the "
         "three files under steps/.",
         "(a programme folder with no staff.yaml)", "Create the file; `coachctl init` shows each."),
    Code("P002", W, "unrecognised file",
         "A YAML file sits where coachctl does not look for one, so nothing in it is "
         "checked or counted (often a note saved in the wrong folder).",
         "(notes.yaml at the programme root)",
         "Move it where its kind belongs (see docs/format.md) or rename it to end in .txt."),
    Code("P003", W, "note file in the wrong place",
         "Notes live at notes/cycle-NN/COACH--COACHEE.yaml so that each pair's note for a "
         "cycle has one obvious path and two people never edit the same file.",
         "# notes/cycle-02/asmith--bjones.yaml\ncycle: 3\n",
         "Move the file to the path the hint gives (git mv)."),
    Code("P004", E, "link leaves the programme",
         "A symbolic link in the programme points outside it. coachctl never follows such a "
         "link: a committed link could otherwise put a CI runner's own files (say "
         "/etc/passwd) into a public build log. Nothing behind the link is read or shown.",
         "(cycles/cycle-09.yaml -> /etc/passwd)",
         "Put the file itself in the programme, or remove the link (git rm)."),
    Code("P005", W, "folder is a symbolic link",
         "A folder in the programme is a symbolic link. coachctl does not read through it, "
         "so nothing in it is checked or counted.",
         "(notes/cycle-04 -> ../archive/cycle-04)",
         "Move the folder into the programme, or remove the link."),
    Code("P006", E, "not a regular file",
         "Something named like a programme file is a named pipe (FIFO), socket or device. "
         "coachctl never opens one: reading it could hang or read without end.",
         "(notes/cycle-01/a--b.yaml made with mkfifo)",
         "Remove it, and put the file it stands for in its place."),
    # --- R: references and rules ----------------------------------------------
    Code("R004", E, "duplicate id",
         "Ids must be unique: two staff, steps, hubs or cycles with one id make every "
         "reference to it ambiguous.",
         "staff:\n  - id: asmith ...\n  - id: asmith ...\n", "Give each its own id."),
]

READER: dict[str, Code] = {c.code: c for c in _ALL}
"""The reader's codes by id: :func:`coachctl.diagnostics.make` looks an id up here."""

