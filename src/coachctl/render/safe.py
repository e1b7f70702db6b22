"""What every renderer does to text from the files before it reaches a person or a program.

A name, a department, a school or a file name is typed by someone, and may
hold anything: an escape sequence that recolours, retitles or clears a
terminal, a newline that splits one line of `--format concise` into two, a
bidirectional override that shows text other than it is, or a cell that a
spreadsheet runs as a formula (`=HYPERLINK(...)`). Two functions, one for
each kind of output, used by every renderer:

* :func:`printable` for terminal text (diagnostics, tables, plain lines):
  control characters and invisible bidirectional controls are shown escaped
  (``\\n``, ``\\x1b``, ``\\u202e``), never sent raw;
* :func:`csv_cell` for CSV: the same escaping, and a text cell starting with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``,
  as OWASP's CSV-injection guidance says, so a spreadsheet shows it as text.
  Numbers are written as numbers; booleans as ``yes``/``no``, as the table
  shows them.

JSON needs neither: the JSON encoder escapes control characters itself, and a
JSON reader takes strings as strings.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters a spreadsheet may read as a formula (OWASP CSV injection)."""


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def printable(text: str) -> str:
    """``text`` with every control character and bidirectional control escaped, so what
    reaches the terminal is only what it shows, on one line."""
    return _UNSAFE.sub(_escape, text)


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: empty for None, ISO dates, ``yes``/``no``, numbers as they
    are, text made printable and, if it could start a formula, prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return ("'" if text.startswith(FORMULA_START) else "") + printable(text)
