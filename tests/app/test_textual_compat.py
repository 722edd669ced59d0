"""What tui/textual_compat.py relies on in Textual's private members still holds."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.filter import Monochrome, NoColor

from tui.textual_compat import is_exiting, no_colour_at_all, printable_key_names


async def test_is_exiting_follows_app_exit() -> None:
    app: App[None] = App()
    async with app.run_test():
        assert hasattr(app, "_exit"), "Textual no longer has App._exit"
        assert not is_exiting(app)
        app.exit()
        assert is_exiting(app)


def test_no_colour_replaces_textuals_monochrome_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app: App[None] = App()
    assert hasattr(app, "_filters"), "Textual no longer keeps its line filters in App._filters"
    assert any(isinstance(f, Monochrome) for f in app._filters), "Textual changed its NO_COLOR"
    no_colour_at_all(app)
    assert not any(isinstance(f, Monochrome) for f in app._filters)
    assert sum(isinstance(f, NoColor) for f in app._filters) == 1


def test_printable_key_names_are_textuals() -> None:
    names = printable_key_names()
    assert {"a", "Z", "7", "slash", "question_mark", "left_square_bracket"} <= names
    assert len(names) == 94


def test_partial_updates_start_at_the_change_and_never_split_a_wide_character() -> None:
    """send_only_what_changed replaces ChopsUpdate.render_segments: it relies on Textual's
    ChopsUpdate(chops, spans, chop_ends), each chop a Strip at an x offset."""
    import inspect

    from rich.console import Console
    from rich.segment import Segment
    from textual._compositor import ChopsUpdate
    from textual.strip import Strip

    from tui.textual_compat import send_only_what_changed

    assert list(inspect.signature(ChopsUpdate.__init__).parameters) == [
        "self",
        "chops",
        "spans",
        "chop_ends",
    ]
    send_only_what_changed()
    console = Console(color_system=None, force_terminal=True, width=80)
    strip = Strip([Segment("abcdef"), Segment("火星"), Segment("xyz")])  # 13 cells
    update = ChopsUpdate([{0: strip}], [(0, 3, 5)], [[13]])
    assert update.render_segments(console) == "\x1b[1;4Hde"  # from column 4, not 1
    # A change that starts on the second half of 火 starts at 火; one that ends on the first
    # half of 星 ends after it.
    update = ChopsUpdate([{0: strip}], [(0, 7, 9)], [[13]])
    assert update.render_segments(console) == "\x1b[1;7H火星"


def test_a_whole_line_already_shown_is_not_sent_again() -> None:
    """skip_lines_already_shown replaces LayoutUpdate.render_segments: it relies on Textual's
    LayoutUpdate(strips, region), a list of strips per screen line from region.y."""
    import inspect

    from rich.console import Console
    from rich.segment import Segment
    from textual._compositor import ChopsUpdate, LayoutUpdate
    from textual.app import App
    from textual.geometry import Region
    from textual.strip import Strip

    from tui.textual_compat import skip_lines_already_shown

    assert list(inspect.signature(LayoutUpdate.__init__).parameters) == [
        "self",
        "strips",
        "region",
    ]
    skip_lines_already_shown(App())
    console = Console(color_system=None, force_terminal=True, width=10)
    lines = [[Strip([Segment("line one  ")])], [Strip([Segment("line two  ")])]]
    region = Region(0, 0, 10, 2)
    assert LayoutUpdate(lines, region).render_segments(console) == (
        "\x1b[1;1Hline one  \x1b[2;1Hline two  "
    )
    assert LayoutUpdate(lines, region).render_segments(console) == ""  # shown already
    changed = [lines[0], [Strip([Segment("line 2    ")])]]
    # (its four trailing spaces reach the right edge: one erase, tui/terminal_text.py)
    assert LayoutUpdate(changed, region).render_segments(console) == "\x1b[2;1Hline 2\x1b[K"
    # A partial update of line 1 means it must be sent whole next time.
    ChopsUpdate([{0: Strip([Segment("LINE")])}], [(0, 0, 4)], [[10]]).render_segments(console)
    assert LayoutUpdate(changed, region).render_segments(console) == "\x1b[1;1Hline one  "
    # So must everything after a resize.
    bigger = LayoutUpdate(changed, Region(0, 0, 12, 2)).render_segments(console)
    assert bigger.count("line") == 2


async def test_with_middleware_puts_a_middleware_in_textual_serves_app() -> None:
    """serve's guard relies on textual-serve building its aiohttp app in Server._make_app."""
    from textual_serve.server import Server

    from tui.textual_compat import with_middleware

    assert hasattr(Server, "_make_app"), "textual-serve no longer builds its app in _make_app"

    async def middleware(request: object, handler: object) -> object:
        raise AssertionError("not called here")

    server = with_middleware(Server, middleware)("true")
    app = await server._make_app()
    assert middleware in list(app.middlewares)
    assert {r.method for r in app.router.routes()} >= {"GET"}


def test_footer_action_reads_textuals_footer_key() -> None:
    from textual.widgets._footer import FooterKey

    from tui.textual_compat import footer_action

    key = FooterKey("a", "a", "Add", "add")
    assert footer_action(key) == "add"
    assert footer_action(object()) is None
