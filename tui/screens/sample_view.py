"""The full details of one sample: every field and key, notes wrapped."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.catalog.model import Sample
from tui.screens import styles_beside
from tui.widgets.details_panel import fields_content


class SampleView(ModalScreen[str | None]):
    """Dismissed with "edit" when the person asks to edit, else None."""

    DEFAULT_CSS = styles_beside(__file__)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "dismiss(None)", "Close", id="view.close"),
        Binding("e", "dismiss('edit')", "Edit", id="view.edit"),
        Binding("down,j", "scroll(1)", "Scroll down", show=False, id="view.scroll_down"),
        Binding("up,k", "scroll(-1)", "Scroll up", show=False, id="view.scroll_up"),
    ]

    def __init__(self, tube: int, sample: Sample | None) -> None:
        super().__init__()
        self.tube = tube
        self.sample = sample

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="view"):
            yield Static(fields_content(self.tube, self.sample))
            yield Static("Esc close · e edit", id="view-keys")

    def action_scroll(self, lines: int) -> None:
        self.query_one("#view", VerticalScroll).scroll_relative(y=lines, animate=False)
