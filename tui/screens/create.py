"""The catalogue does not exist yet: offer to create it. Nothing is written until confirmed."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from tui.catalog.model import DEFAULT_TITLE, MAX_TUBES
from tui.plain import printable
from tui.screens import styles_beside


def new_catalogue_text(title: str, tubes: int) -> str:
    from tui.catalog.edit import render_value

    return (
        "#:schema ./catalog.schema.json\n"
        "# A tubeboard catalogue: one [[sample]] block per filled tube. Edit it by hand or\n"
        "# with `tubeboard`; run `tubeboard check` after editing by hand.\n"
        "\n"
        "[board]\n"
        f"title = {render_value(title)}\n"
        f"tubes = {tubes}\n"
    )


class CreateScreen(Screen[tuple[str, int] | None]):
    DEFAULT_CSS = styles_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "create", "Create", priority=True, id="create.create"),
        Binding("escape", "dismiss(None)", "Quit", id="create.quit"),
    ]

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="create"):
            yield Static(
                Content(f"{printable(self.path)} does not exist. Create it?"), id="create-title"
            )
            yield Label("board title")
            yield Input(DEFAULT_TITLE, id="title", compact=True)
            yield Label("number of tubes")
            yield Input("43", id="tubes", compact=True, type="integer")
            yield Static(Content(""), id="create-error", classes="error")
            yield Static(Content("Enter or ctrl+s create · Esc quit without writing"))

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_create()

    def action_create(self) -> None:
        title = self.query_one("#title", Input).value.strip() or DEFAULT_TITLE
        error = self.query_one("#create-error", Static)
        try:
            tubes = int(self.query_one("#tubes", Input).value)
        except ValueError:
            error.update(Content("the number of tubes must be a whole number"))
            return
        if not 1 <= tubes <= MAX_TUBES:
            error.update(Content(f"the number of tubes must be 1 to {MAX_TUBES:,}"))
            return
        self.dismiss((title, tubes))
