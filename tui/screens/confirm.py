"""A yes/no question: `y` confirms; `n` or Escape declines."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.plain import printable
from tui.styles import styles_beside


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: answers True for y, False for n or Esc."""

    DEFAULT_CSS = styles_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question  # plain text, may hold user text

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Content(printable(self.question)), id="confirm-question")
            yield Static(Content("y yes · n no"), id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
