"""User text made safe to show: control and invisible characters become visible symbols and
never reach the terminal.

Markup is handled elsewhere by building Content from plain strings; this module handles what
Content does not: an ESC, a bell, a bidi override or a zero-width joiner in a sample name
would otherwise be written to the terminal as they are (and the terminal, not us, would
decide how wide the result is). Every surface that shows file text calls `printable`.
"""

from __future__ import annotations

import unicodedata

# Categories never sent raw: controls, format characters (zero-width joiners and spaces, the
# soft hyphen, a byte-order mark, bidi controls, tags) and the Unicode line and paragraph
# separators. Each shows as a symbol of its own, so its width is what we measured.
# A lone surrogate ("Cs") is a byte of a file name that is not UTF-8 (Python's
# surrogateescape): no terminal or file can take it as it is.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def _visible(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the byte the name holds, as Python writes it
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in _HIDDEN


MAX_SHOWN = 20_000  # characters of one field put on screen; the file keeps them all


def clip(text: str, limit: int = MAX_SHOWN) -> str:
    """At most `limit` characters, saying how many more the file holds."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters in the file)"


def printable(text: str, multiline: bool = False) -> str:
    """`text` with every control, format and separator character shown as a visible symbol.

    With `multiline`, newlines are kept and tabs become spaces; otherwise a newline shows
    as ␊ so a one-line field stays one line.
    """
    if text.isprintable():  # the usual case: nothing to do (isprintable is false for all of
        return text  # _HIDDEN and for newlines and tabs)
    out = []
    for char in text:
        if multiline and char == "\n":
            out.append(char)
        elif multiline and char == "\t":
            out.append("    ")
        elif _hidden(char):
            out.append(_visible(char))
        else:
            out.append(char)
    return "".join(out)


# Text boxes ---------------------------------------------------------------------------------
#
# Textual's Input and TextArea are not byte-faithful: TextArea splits lines on every Unicode
# line break (form feed, U+2028, NEL, ...) and joins them with one newline, and both draw
# control characters raw. A field is loaded with `editable(value)`, which such a box holds
# exactly, and read back with `restore(shown, value)`.


def _crlf_only(text: str) -> bool:
    return "\r\n" in text and text.count("\r") == text.count("\r\n") == text.count("\n")


def editable(text: str, multiline: bool = False) -> str:
    """`text` as a text box can hold and draw it exactly.

    Multi-line: newlines stay (CRLF too, when every line break is CRLF), and so do tabs; any
    other line break or hidden character shows as a symbol. One line: as `printable`."""
    if not multiline:
        return printable(text)
    keep = "\r\n" if _crlf_only(text) else "\n"
    out = []
    for char in text:
        if char == "\t" or char in keep:
            out.append(char)
        elif _hidden(char):
            out.append(_visible(char))
        else:
            out.append(char)
    return "".join(out)


def restore(shown: str, original: str, multiline: bool = False) -> str:
    """What a person left in a box loaded with `editable(original, multiline)`: each symbol
    that stood for a character of `original` becomes that character again, unless
    `original` also holds the symbol itself (then it cannot be told apart, and stays as
    typed)."""
    kept = editable(original, multiline)
    for char in set(original):
        if not _hidden(char) or char in kept:
            continue
        symbol = _visible(char)
        if symbol in shown and symbol not in original:
            shown = shown.replace(symbol, char)
    return shown


# Cell widths are Rich's, as Textual draws them. Imported in the two functions that measure:
# `check` and `export` show text through this module and must not load Rich.


def shorten(text: str, width: int) -> str:
    """At most `width` cells of `text`, with an ellipsis where it was cut."""
    from rich.cells import cell_len

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
    from rich.cells import set_cell_size

    return set_cell_size(shorten(text, width), width)
