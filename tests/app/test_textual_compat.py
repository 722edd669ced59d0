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
