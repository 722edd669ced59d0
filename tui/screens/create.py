"""The catalogue does not exist yet: offer to create it. Nothing is written until confirmed."""

from __future__ import annotations

from pathlib import Path
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
from tui.screens.field_keys import FIELD_KEYS
from tui.styles import styles_beside


def near_file(path: Path) -> str | None:
    """A file beside `path` whose name is one typo away (catalgo.toml for catalog.toml)."""
    import difflib

    try:
        names = [p.name for p in path.absolute().parent.iterdir() if p.is_file()]
    except OSError:
        return None
    near = difflib.get_close_matches(path.name, names, n=1, cutoff=0.8)
    return near[0] if near else None


class CreateScreen(Screen[tuple[str, int] | None]):
    """Offers to create a missing catalogue; writes nothing until ctrl+s."""

    DEFAULT_CSS = styles_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "create", "Create", priority=True, id="create.create"),
        *FIELD_KEYS,
        Binding("escape", "dismiss(None)", "Quit", id="create.quit"),
    ]

    def __init__(self, path: str, near: str | None = None) -> None:
        super().__init__()
        self.path, self.near = path, near

    def compose(self) -> ComposeResult:
        with Vertical(id="create"):
            yield Static(
                Content(f"{printable(self.path)} does not exist. Create it?"), id="create-title"
            )
            if self.near is not None:
                yield Static(
                    Content(f"Did you mean {printable(self.near)}? Esc, then open that one."),
                    id="create-near",
                    classes="error",
                )
            yield Label("board title")
            yield Input(DEFAULT_TITLE, id="title", compact=True)
            yield Label("number of tubes")
            yield Input("43", id="tubes", compact=True, type="integer")
            yield Static(Content(""), id="create-error", classes="error")
            yield Static(Content("ctrl+s create · Enter next field · Esc quit without writing"))

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # Only an explicit yes creates a file: Enter goes on to the next field, and from the
        # last one says how (a typo of a file name, answered with Enter, made a new file).
        if event.input.id == "title":
            self.query_one("#tubes", Input).focus()
        else:
            self.query_one("#create-error", Static).update(
                Content("press ctrl+s to create it, or Esc to quit without writing")
            )

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
