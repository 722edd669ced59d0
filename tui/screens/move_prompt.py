"""Which tube a sample moves to: a number, Enter to move, Esc to stay."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.plain import printable
from tui.styles import styles_beside


class MovePrompt(ModalScreen[int | None]):
    """Dismissed with the tube number typed, or None."""

    DEFAULT_CSS = styles_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="move.cancel"),
    ]

    def __init__(self, tube: int, name: str, count: int = 1) -> None:
        super().__init__()
        self.tube, self.sample_name, self.count = tube, name, count

    def compose(self) -> ComposeResult:
        with Vertical(id="move"):
            if self.count > 1:  # a block: the marked samples, their order and gaps kept
                text = f"Move the {self.count} marked samples, the first in tube {self.tube}, to:"
            else:
                text = f"Move tube {self.tube}, {printable(self.sample_name)!r}, to tube:"
            yield Static(Content(text))
            yield Input(id="move-to", type="integer", compact=True)
            yield Static(Content("Enter move · Esc stay"), id="move-keys")

    def on_mount(self) -> None:
        self.query_one("#move-to", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(int(event.value))
        except ValueError:
            self.dismiss(None)
