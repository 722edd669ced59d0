"""The `/` search box, and the line under it that says why a query cannot be read."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from tui.plain import printable


class SearchBar(Vertical):
    """The `/` box and the line that says why a query cannot be read."""

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="words, or kind:rock-core status:sealed sol>500 date:2022 ...",
            id="search",
            compact=True,
        )
        yield Static(id="search-error")

    def open(self) -> None:
        self.add_class("-shown")
        self.query_one("#search", Input).focus()

    def close(self) -> None:
        self.query_one("#search", Input).value = ""
        self.show_error(None)
        self.remove_class("-shown")

    def show_error(self, error: object | None) -> None:
        line = self.query_one("#search-error", Static)
        line.update(Content(printable(str(error or ""))))
        line.set_class(error is not None, "-shown")
