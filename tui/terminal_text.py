"""Fewer bytes for the same screen: what the terminal receives, rewritten before it is sent.

Every styled run Textual writes is self-contained: its full style, its text, a reset
(`ESC[30;47m 1 ESC[0m`). Over SSH each byte counts (bench (f): a cursor move sent 383 bytes).
`tighten` keeps track of the style the terminal is in and sends only what changes it, the
shorter of a difference or a reset with the whole style; a style that is the default after a
reset is not sent at all; and spaces in the default style that run to the right edge of the
screen become one erase to the end of the line (`ESC[K`). Cursor moves and all other
sequences pass as they are. Anything it does not understand (an SGR code it does not model)
sends the text unchanged. The screen the terminal shows is the same, cell for cell (a test
replays both, tests/app/test_terminal_text.py), but for one thing it changes on purpose: text
whose colours would not stand apart is sent in a colour that does (tui/contrast.py).
"""

from __future__ import annotations

import re

from rich.cells import cell_len

from tui import contrast

_TOKEN = re.compile(r"\x1b\[([0-9;:?]*)([@-~])|\x1b.|\n|\r|[^\x1b\n\r]+", re.S)

# Attribute: (its code, the code that turns it off). Bold and dim share one off code (22).
_FLAGS = {
    1: "bold",
    2: "dim",
    3: "italic",
    4: "underline",
    5: "blink",
    7: "reverse",
    8: "conceal",
    9: "strike",
    53: "overline",
}
_ON = {name: code for code, name in _FLAGS.items()}
_OFF = {
    22: ("bold", "dim"),
    23: ("italic",),
    24: ("underline",),
    25: ("blink",),
    27: ("reverse",),
    28: ("conceal",),
    29: ("strike",),
    55: ("overline",),
}
_OFF_CODE = {name: code for code, names in _OFF.items() for name in names}
_ORDER = ("bold", "dim", "italic", "underline", "blink", "reverse", "conceal", "strike",
          "overline", "fg", "bg")  # fmt: skip

State = dict[str, str]  # attribute -> its code ("1", "38;5;12"); absent: the default


class _NotModelled(Exception):
    """An SGR code this module does not model: the text is sent as it was."""


def _apply(state: State, params: str) -> State:
    """`state` after `ESC[<params>m`."""
    if ":" in params:
        raise _NotModelled(params)
    numbers = [int(p) if p else 0 for p in params.split(";")] if params else [0]
    new = dict(state)
    i = 0
    while i < len(numbers):
        n = numbers[i]
        if n == 0:
            new = {}
        elif n in _FLAGS:
            new[_FLAGS[n]] = str(n)
        elif n in _OFF:
            for name in _OFF[n]:
                new.pop(name, None)
        elif 30 <= n <= 37 or 90 <= n <= 97:
            new["fg"] = str(n)
        elif 40 <= n <= 47 or 100 <= n <= 107:
            new["bg"] = str(n)
        elif n == 39:
            new.pop("fg", None)
        elif n == 49:
            new.pop("bg", None)
        elif n in (38, 48) and i + 1 < len(numbers) and numbers[i + 1] in (2, 5):
            size = 3 if numbers[i + 1] == 2 else 1
            if i + 2 + size > len(numbers):
                raise _NotModelled(params)
            new["fg" if n == 38 else "bg"] = ";".join(map(str, numbers[i : i + 2 + size]))
            i += 1 + size
        else:
            raise _NotModelled(params)
        i += 1
    return new


def _transition(have: State, want: State) -> str:
    """The shortest SGR that takes the terminal from `have` to `want` ("" if none)."""
    if have == want:
        return ""
    full = "\x1b[0" + "".join(f";{want[k]}" for k in _ORDER if k in want) + "m"
    codes: list[str] = []
    dropped = [k for k in have if k not in want]
    if any(k in ("bold", "dim") for k in dropped):
        codes.append("22")
    codes += [str(_OFF_CODE[k]) for k in dropped if k in _OFF_CODE and k not in ("bold", "dim")]
    codes += ["39" for k in dropped if k == "fg"] + ["49" for k in dropped if k == "bg"]
    for key in _ORDER:
        if key in want and (
            have.get(key) != want[key] or ("22" in codes and key in ("bold", "dim"))
        ):
            codes.append(want[key])
    diff = "\x1b[" + ";".join(codes) + "m"
    return diff if len(diff) < len(full) else full


def tighten(text: str, width: int, legible: bool = True) -> str:
    """`text` as fewer bytes that leave the same screen `width` columns wide; with `legible`,
    text too close in colour to its background is sent in the nearest colour that stands
    apart from it (tui/contrast.py)."""
    try:
        return _erase_to_end(_minimal_styles(text, legible), width)
    except _NotModelled:
        return text


def _legible(state: State) -> State:
    """`state` with its text colour changed where it would not read on its background."""
    fg, bg = state.get("fg"), state.get("bg")
    if fg is None or bg is None:
        return state  # the terminal's own colour on one side: not known here
    least = contrast.MIN_RATIO_DIM if "dim" in state else contrast.MIN_RATIO
    if "reverse" in state:  # the background code is what the text shows in
        shown = contrast.legible_ink(bg, fg, False, least)
        return state if shown == bg else {**state, "bg": shown}
    shown = contrast.legible_ink(fg, bg, True, least)
    return state if shown == fg else {**state, "fg": shown}


def _minimal_styles(text: str, legible: bool) -> str:
    out: list[str] = []
    have: State = {}  # as Textual assumes: every run it sends ends in a reset
    want: State = {}  # as Textual asked for it
    shown: State = {}  # as it is sent: `want`, made legible
    for match in _TOKEN.finditer(text):
        token = match[0]
        if match[2] == "m" and not (match[1] or "").startswith("?"):
            want = _apply(want, match[1] or "")
            shown = _legible(want) if legible else want
        elif token[0] != "\x1b" or match[2] == "H":
            if token[0] != "\x1b" and token not in "\r\n":
                out.append(_transition(have, shown))
                have = shown
            out.append(token)
        else:  # another sequence (an erase, a mode): it may use the style in force
            out.append(_transition(have, shown))
            have = shown
            out.append(token)
    out.append(_transition(have, shown))
    return "".join(out)


def _erase_to_end(text: str, width: int) -> str:
    """Spaces in the default style that reach the right edge, followed by a cursor move or
    nothing, sent as one erase to the end of the line."""
    tokens = [m for m in _TOKEN.finditer(text)]
    out: list[str] = []
    column: int | None = None
    plain = True  # the terminal is in the default style (after a reset, or from the start)
    for index, match in enumerate(tokens):
        token = match[0]
        if match[2] == "H":
            parts = (match[1] or "1;1").split(";")
            column = int(parts[1] or 1) - 1 if len(parts) > 1 else 0
        elif match[2] == "m":
            plain = (match[1] or "0") in ("0", "")
        elif token[0] == "\x1b" or token in "\r\n":
            column = None if token not in "\r" else 0
        else:
            start = column
            column = None if column is None else column + cell_len(token)
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            ends_line = following is None or following[2] == "H"
            kept = token.rstrip(" ")
            if (
                plain
                and start is not None
                and column == width
                and ends_line
                and len(token) - len(kept) > 3
            ):
                out.append(kept + "\x1b[K")
                continue
        out.append(token)
    return "".join(out)
