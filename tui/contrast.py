"""Text that reads in every theme on every terminal: a run whose colours are too close is
sent in black or white instead, whichever stands out more from its background.

A theme is drawn in truecolor; on a 256- or 16-colour terminal each colour becomes the nearest
the terminal has, and two colours far apart can become two close ones (nord's rock-core tube:
white on brown, then white on yellow, 1.4:1). Only the codes the terminal receives say what it
shows, so the check is made on those, in `terminal_text`, with WCAG's contrast ratio and
xterm's default palette for the 16 colours. Runs in the terminal's own foreground or on its
own background are left alone: what those colours are is the person's choice, not known here.
"""

from __future__ import annotations

import functools

# WCAG's ratios for text: AA for ordinary text (the details line, the summary, every label),
# 3:1 for text the terminal is asked to dim (a tube that does not match a search), which stays
# dimmer than the rest and still reads.
MIN_RATIO, MIN_RATIO_DIM = 4.5, 3.0

# xterm's default palette for the 16 ANSI colours.
XTERM_16 = (
    (0x00, 0x00, 0x00), (0xCD, 0x00, 0x00), (0x00, 0xCD, 0x00), (0xCD, 0xCD, 0x00),
    (0x00, 0x00, 0xEE), (0xCD, 0x00, 0xCD), (0x00, 0xCD, 0xCD), (0xE5, 0xE5, 0xE5),
    (0x7F, 0x7F, 0x7F), (0xFF, 0x00, 0x00), (0x00, 0xFF, 0x00), (0xFF, 0xFF, 0x00),
    (0x5C, 0x5C, 0xFF), (0xFF, 0x00, 0xFF), (0x00, 0xFF, 0xFF), (0xFF, 0xFF, 0xFF),
)  # fmt: skip
_CUBE = (0, 95, 135, 175, 215, 255)

RGB = tuple[int, int, int]


def rgb_of(code: str) -> RGB | None:
    """The colour an SGR colour code shows ("31", "41", "38;5;208", "48;2;1;2;3"), or None
    for one this does not know."""
    parts = [int(p) for p in code.split(";")]
    first = parts[0]
    if len(parts) == 1:
        if 30 <= first <= 37 or 40 <= first <= 47:
            return XTERM_16[first % 10]
        if 90 <= first <= 97 or 100 <= first <= 107:
            return XTERM_16[8 + first % 10]
        return None
    if parts[1] == 5 and len(parts) == 3:
        return _indexed(parts[2])
    if parts[1] == 2 and len(parts) == 5:
        r, g, b = parts[2:]
        return (r, g, b)
    return None


def _indexed(n: int) -> RGB | None:
    if 0 <= n < 16:
        return XTERM_16[n]
    if 16 <= n < 232:
        n -= 16
        return (_CUBE[n // 36], _CUBE[n // 6 % 6], _CUBE[n % 6])
    if 232 <= n < 256:
        grey = 8 + 10 * (n - 232)
        return (grey, grey, grey)
    return None


def _luminance(colour: RGB) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: RGB, b: RGB) -> float:
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@functools.lru_cache(maxsize=1024)
def legible_ink(ink: str, paper: str, foreground: bool = True, least: float = MIN_RATIO) -> str:
    """`ink` (an SGR colour code) if it reads on `paper` (another) at `least`:1, else the
    colour nearest `ink` that does, in the same colour system: one of the 16, one of the
    256, or `ink` mixed towards black or white. `foreground`: whether `ink` is a foreground
    code (38, 30-37, 90-97) or, in reverse video, a background one."""
    text, back = rgb_of(ink), rgb_of(paper)
    if text is None or back is None or ratio(text, back) >= least:
        return ink
    base = 38 if foreground else 48
    if ";2;" in ink:
        r, g, b = _mixed(text, back, least)
        return f"{base};2;{r};{g};{b}"
    if ";5;" in ink:
        palette = [c for n in range(256) if (c := _indexed(n)) is not None]
        return f"{base};5;{_nearest(palette, text, back, least)}"
    n = _nearest(list(XTERM_16), text, back, least)
    if foreground:
        return str(30 + n if n < 8 else 90 + n - 8)
    return str(40 + n if n < 8 else 100 + n - 8)


def _mixed(colour: RGB, back: RGB, least: float) -> RGB:
    """`colour` moved towards black or white (whichever stands out more from `back`) just
    far enough to read on it."""
    end: RGB = (0, 0, 0) if ratio((0, 0, 0), back) >= ratio((255,) * 3, back) else (255, 255, 255)
    for step in range(1, 21):
        t = step / 20
        mixed = tuple(round(c + (e - c) * t) for c, e in zip(colour, end, strict=True))
        if ratio(mixed, back) >= least:  # type: ignore[arg-type]
            return mixed  # type: ignore[return-value]
    return end


def _nearest(palette: list[RGB], colour: RGB, back: RGB, least: float) -> int:
    """The index of the palette colour nearest `colour` that reads on `back` (the one that
    stands out most, where none reads)."""
    reads = [n for n, c in enumerate(palette) if ratio(c, back) >= least]
    if not reads:
        return max(range(len(palette)), key=lambda n: ratio(palette[n], back))
    return min(
        reads, key=lambda n: sum((a - b) ** 2 for a, b in zip(palette[n], colour, strict=True))
    )
