"""What tui/textual_compat.py relies on in Textual's private members still holds."""

from __future__ import annotations

from textual.app import App

from tui.textual_compat import is_exiting


async def test_is_exiting_follows_app_exit() -> None:
    app: App[None] = App()
    async with app.run_test():
        assert hasattr(app, "_exit"), "Textual no longer has App._exit"
        assert not is_exiting(app)
        app.exit()
        assert is_exiting(app)
