"""What every text field a loader reads must respect, whatever the file format.

Two rules, checked by :class:`~cartonet.ingest.csvread.CsvTable` on every field of every
record and by :func:`~cartonet.ingest.jsonfmt.read_json` on every string it keeps (ids,
labels, descriptions, string properties, relationship ends):

* **No control character** but tab, line feed and carriage return, and no lone UTF-16
  surrogate (JSON ``"\\ud800"``): a NUL byte or an escape sequence in an id or a label
  is a corrupted or hostile file, not data. The C1 range (U+0080–U+009F) is left alone on
  purpose: ESCO v1.1.1 has a few such characters in its English files (a right quote
  decoded twice), and they are harmless.
* **At most** :data:`MAX_FIELD_CHARS` **characters per field.** The longest field any
  loader reads in the real releases is about 3,000 characters (an ESCO skill group's
  description); a field a hundred times longer is a broken file (a quote never closed), and
  a cap keeps one bad file from filling the store's memory.

Both give a sentence for a bad-record message (``file:line: <sentence>``), or None.
"""

from __future__ import annotations

import re

MAX_FIELD_CHARS = 100_000
"""Longest accepted field (id, label, description, property...), in characters."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# a lone UTF-16 surrogate (JSON "\\ud800") is no character at all: no store can write it
_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(text: str, what: str, *, one_line: bool = False) -> str | None:
    """Why ``text`` (named ``what`` in the message) breaks a rule above, or None.

    ``one_line`` also refuses tab, line feed and carriage return (for ids).

    Example
    -------
    >>> text_problem("abc", "id") is None
    True
    >>> text_problem("a\\x00b", "id")
    'id contains a control character (U+0000 at position 2)'
    >>> text_problem("x" * 100_001, "label")
    'label is 100,001 characters long (at most 100,000)'
    """
    if len(text) > MAX_FIELD_CHARS:
        return f"{what} is {len(text):,} characters long (at most {MAX_FIELD_CHARS:,})"
    found = (_ANY_CONTROL if one_line else _CONTROL).search(text)
    if found is not None:
        return (
            f"{what} contains a control character "
            f"(U+{ord(found.group()):04X} at position {found.start() + 1})"
        )
    found = _SURROGATE.search(text)
    if found is not None:
        return (
            f"{what} contains a lone surrogate (U+{ord(found.group()):04X} at position "
            f"{found.start() + 1}), which is not a character"
        )
    return None
