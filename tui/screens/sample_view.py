"""The full details of one sample: every field and key, notes wrapped."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.catalog.model import Sample
from tui.plain import printable
from tui.styles import styles_beside
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

    def __init__(
        self,
        tube: int,
        sample: Sample | None,
        history: Callable[[int], list[str] | None] | None = None,
    ) -> None:
        """`history`: the tube's history in git as lines, or None outside git; it is
        called in a worker, as a long history takes a while."""
        super().__init__()
        self.tube = tube
        self.sample = sample
        self.history = history

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="view"):
            yield Static(fields_content(self.tube, self.sample))
            if self.history is not None and self.sample is not None:
                yield Static(Content("History (git): loading…"), id="view-history")
            yield Static("Esc close · e edit", id="view-keys")

    def on_mount(self) -> None:
        if self.history is not None and self.sample is not None:
            self._load_history(self.history)

    @work(thread=True, exclusive=True)
    def _load_history(self, history: Callable[[int], list[str] | None]) -> None:
        lines = history(self.tube)
        self.app.call_from_thread(self._show_history, lines)

    def _show_history(self, lines: list[str] | None) -> None:
        found = self.query("#view-history")
        if not found:
            return
        if lines is None:
            found.first().remove()  # not in git after all
            return
        text = "\n".join(printable(line) for line in lines)  # names, subjects: data
        found.first(Static).update(Content.styled("History (git)", "bold") + Content("\n" + text))

    def action_scroll(self, lines: int) -> None:
        self.query_one("#view", VerticalScroll).scroll_relative(y=lines, animate=False)
