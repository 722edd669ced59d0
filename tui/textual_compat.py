"""Every private member of Textual that tubeboard relies on, in one place, each with a test
(tests/app/test_textual_compat.py) that fails if Textual changes under it."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.filter import Monochrome, NoColor

from tui import terminal_text


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


def send_only_what_changed() -> None:
    """Send the terminal only the changed part of a line, not everything left of it.

    Textual's ChopsUpdate (textual/_compositor.py) writes a partial update of a line from the
    start of the widget's strip to the end of the changed span: a cursor move in the last
    column of the board sent every cell of its row before it, four lines deep. This replaces
    `ChopsUpdate.render_segments` with one that starts at the changed span too (at a
    character boundary, so a wide character is never split). The screen ends the same;
    bench (f) measures the bytes (bench/RESULTS.md). Installed once, by the app."""
    from textual._compositor import ChopsUpdate

    if getattr(ChopsUpdate.render_segments, "_tubeboard", False):
        return
    from rich.control import Control

    def render_segments(self: Any, console: Any) -> str:
        pieces: list[tuple[int, int, str]] = []  # (x, y, text), each drawn from a move
        move_to = Control.move_to
        sent = _SENT.get(console)
        for y, x1, x2 in self.spans:
            chops = self.chops[y]
            whole = sent is not None and sent.size is not None and (x1, x2) == (0, sent.size[0])
            if sent is not None and whole and None not in chops.values():
                # The whole line: sent only if the terminal does not show it already.
                text = "".join(strip.render(console) for strip in chops.values())
                if sent.lines.get(y) != text:
                    sent.lines[y] = text
                    pieces.append((0, y, text))
                continue
            if sent is not None:
                sent.lines.pop(y, None)  # no longer the whole line as last sent
            for end, (x, strip) in zip(self.chop_ends[y], chops.items(), strict=False):
                if strip is None or x > x2 or end <= x1:
                    continue
                start = _boundary(strip, max(0, x1 - x))
                stop = _boundary(strip, min(end, x2) - x, after=True)
                pieces.append((x + start, y, strip.crop(start, stop).render(console)))
        # Column by column, not line by line (pieces never overlap, and each begins with a
        # move): a cell's lines share their style, so it is sent once (terminal_text). No
        # line feed between lines either, as Textual sends: each piece begins with a move.
        pieces.sort(key=lambda piece: (piece[0], piece[1]))
        text = "".join(move_to(x, y).segment.text + drawn for x, y, drawn in pieces)
        return terminal_text.tighten(text, console.width)

    render_segments._tubeboard = True  # type: ignore[attr-defined]
    ChopsUpdate.render_segments = render_segments  # type: ignore[method-assign]


def _boundary(strip: Any, offset: int, after: bool = False) -> int:
    """The last character boundary of `strip` at or before cell `offset` (with `after`, the
    first at or after it)."""
    from rich.cells import cell_len

    position = 0
    for segment in strip:
        width = cell_len(segment.text)
        if position + width <= offset:
            position += width
            continue
        for char in segment.text:
            size = cell_len(char)
            if position + size > offset:
                return position + size if after and position < offset else position
            position += size
        return position
    return position


class _Sent:
    """What the terminal shows, line by line, as this app last drew it."""

    def __init__(self) -> None:
        self.size: tuple[int, int] | None = None
        self.lines: dict[int, str] = {}


_SENT: weakref.WeakKeyDictionary[Any, _Sent] = weakref.WeakKeyDictionary()


def skip_lines_already_shown(app: App[Any]) -> None:
    """Never send a whole line the terminal already shows.

    Textual paints the first screen whole three times as it settles (on the screen's
    resume, after the footer learns its keys, after every widget learns its size): 20,645
    bytes where one paint is under 8,000 (bench (f)). Textual's LayoutUpdate (a whole-line
    paint, textual/_compositor.py) is replaced by one that remembers each line it sent, per
    console, and skips a line sent before; a partial update (ChopsUpdate) or a new size
    forgets the lines it touches, and so does a suspend or resume of the app, after which
    the terminal's contents are not ours."""
    from textual._compositor import LayoutUpdate

    send_only_what_changed()

    if getattr(LayoutUpdate.render_segments, "_tubeboard", False):
        return
    from rich.control import Control

    def render_segments(self: Any, console: Any) -> str:
        sent = _SENT.setdefault(console, _Sent())
        size = (self.region.width, self.region.height)
        if sent.size != size:
            sent.size, sent.lines = size, {}
        out: list[str] = []
        x = self.region.x
        for y, line in enumerate(self.strips, self.region.y):
            text = "".join(strip.render(console) for strip in line)
            if sent.lines.get(y) == text:
                continue
            sent.lines[y] = text
            out += [Control.move_to(x, y).segment.text, text]
        return terminal_text.tighten("".join(out), console.width)

    render_segments._tubeboard = True  # type: ignore[attr-defined]
    LayoutUpdate.render_segments = render_segments  # type: ignore[method-assign]


def forget_lines_on_suspend(app: App[Any]) -> None:
    """After a suspend (ctrl+z) the terminal shows what others drew: send every line again.
    Called once the app runs (signals need a running app)."""

    def forget(_: object = None) -> None:
        _SENT.pop(app.console, None)

    app.app_suspend_signal.subscribe(app, forget)
    app.app_resume_signal.subscribe(app, forget)


def with_middleware(server_class: type[Any], middleware: Callable[..., Any]) -> type[Any]:
    """textual-serve's Server with an aiohttp middleware in front of every route (the page,
    the WebSocket, downloads, static files). The one place it builds its web app is the
    private `Server._make_app`; middlewares must be in the app before it starts."""

    class WithMiddleware(server_class):  # type: ignore[misc]
        async def _make_app(self) -> Any:
            app = await super()._make_app()
            app.middlewares.append(middleware)
            return app

    return WithMiddleware


def footer_action(widget: object) -> str | None:
    """The action a footer key offers, or None for any other widget of the footer. Textual
    keeps its FooterKey in the private module `textual.widgets._footer`."""
    from textual.widgets._footer import FooterKey

    return widget.action if isinstance(widget, FooterKey) else None
