"""User text made safe to show: control characters become visible, never reach the terminal.

Markup is handled elsewhere by building Content from plain strings; this module handles what
Content does not: an ESC, a bell or a bidi override in a sample name would otherwise be
written to the terminal as they are.
"""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len, set_cell_size

# Bidi controls can reorder what follows them on screen; show them rather than obey them.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


MAX_SHOWN = 20_000  # characters of one field put on screen; the file keeps them all


def clip(text: str, limit: int = MAX_SHOWN) -> str:
    """At most `limit` characters, saying how many more the file holds."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters in the file)"


def printable(text: str, multiline: bool = False) -> str:
    """`text` with every control character shown as a visible symbol.

    With `multiline`, newlines are kept and tabs become spaces; otherwise a newline shows
    as ␊ so a one-line field stays one line.
    """
    out = []
    for char in text:
        if multiline and char == "\n":
            out.append(char)
        elif multiline and char == "\t":
            out.append("    ")
        elif char in _BIDI or (unicodedata.category(char) == "Cc"):
            out.append(_visible(char))
        else:
            out.append(char)
    return "".join(out)


def shorten(text: str, width: int) -> str:
    """At most `width` cells of `text`, with an ellipsis where it was cut."""
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"


def fit(text: str, width: int) -> str:
    """Exactly `width` cells: cut with an ellipsis, or padded with spaces."""
    return set_cell_size(shorten(text, width), width)
