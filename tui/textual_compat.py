"""Every private member of Textual that tubeboard relies on, in one place, each with a test
(tests/app/test_textual_compat.py) that fails if Textual changes under it."""

from __future__ import annotations

import functools
from typing import Any

from textual.app import App
from textual.filter import Monochrome, NoColor


def is_exiting(app: App[Any]) -> bool:
    """Whether `app.exit()` was called: keys typed right after `q` (a quick `qa`) must not
    open screens on an app that is closing. Textual keeps this in `App._exit`."""
    return bool(getattr(app, "_exit", False))


def no_colour_at_all(app: App[Any]) -> None:
    """Under NO_COLOR, draw in the terminal's own colours.

    Textual picks its NO_COLOR filter in App.__init__ from the theme of that moment: for a
    truecolor theme, Monochrome, which turns every colour into a grey. tubeboard's theme uses
    the terminal's default colours, whose grey is black: every cell came out black on black.
    NoColor drops the colours and keeps bold, reverse, underline and dim, which (with the
    symbols) carry the cursor, focus and dimming. The filters live in `App._filters`."""
    filters = getattr(app, "_filters", None)
    if not app.no_color or filters is None:
        return
    filters[:] = [NoColor() if isinstance(f, Monochrome) else f for f in filters]
    if not any(isinstance(f, NoColor) for f in filters):
        filters.append(NoColor())


@functools.cache
def printable_key_names() -> frozenset[str]:
    """The names Textual gives the keys of printable ASCII characters: `a`, `7`, `slash`,
    `question_mark`, `left_square_bracket`. Textual makes them in `keys._character_to_key`."""
    from textual.keys import _character_to_key

    return frozenset(_character_to_key(chr(code)) for code in range(0x21, 0x7F))


def refresh_truecolor_filter(app: App[Any]) -> None:
    """What Textual's theme watcher does for the ANSI-to-truecolor filter, for a first theme
    set without the watcher (which would parse all the CSS a second time at start-up).
    Textual does it in `App._refresh_truecolor_filter`."""
    app._refresh_truecolor_filter(app.ansi_theme)
