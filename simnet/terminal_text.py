"""Text from users (names, paths, values, messages quoting them) made safe to print on a terminal.

A scenario name or a file name is the user's, and a terminal obeys what it prints: escape
sequences recolour or retitle it, a carriage return overwrites a line, bidirectional controls
reorder what is read, and rich reads ``[bold]`` as markup (a stray ``[/x]`` even raises). Every
such text passes through ``visible`` (plain output) or ``literal`` (rich output) before printing,
so what the user wrote is shown, never obeyed.
"""

from __future__ import annotations

import unicodedata

from rich.markup import escape

KEPT_CONTROLS = frozenset("\n\t")
"""Controls printed as they are: messages span lines, and a tab only moves the cursor."""


def _shown(character: str) -> str:
    r"""A control or format character as an escape such as ``\x1b`` or ``\u202e``; others as they are."""
    if character in KEPT_CONTROLS or unicodedata.category(character) not in ("Cc", "Cf"):
        return character
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    r"""``text`` with control and format characters (escape sequences, ``\r``, bidi overrides) shown as escapes."""
    if text.isprintable():  # the common case: nothing to replace (newlines and tabs are not printable)
        return text
    return "".join(_shown(character) for character in text)


def literal(text: str) -> str:
    """``visible(text)`` with rich markup escaped, so rich prints it exactly as written."""
    return escape(visible(text))
