"""Pick a kind or a status to filter by; the board dims the rest."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.catalog.model import KIND_SYMBOL, STATUS_SYMBOL, Kind, Status
from tui.styles import styles_beside

CLEAR = "all"


class FilterPicker(ModalScreen[str | None]):
    """Dismissed with "kind:<value>", "status:<value>", "all", or None when cancelled."""

    DEFAULT_CSS = styles_beside(__file__)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss(None)", "Cancel", id="filter.cancel")
    ]

    def compose(self) -> ComposeResult:
        options = [Option(Content("all tubes (no filter)"), id=CLEAR)]
        options += [
            Option(Content(f"{KIND_SYMBOL[k]} {k.value}"), id=f"kind:{k.value}") for k in Kind
        ]
        options += [
            Option(Content(f"{STATUS_SYMBOL[s]} {s.value}"), id=f"status:{s.value}") for s in Status
        ]
        with Vertical(id="filter"):
            yield Static(Content("Show only… (Enter picks, Esc cancels)"))
            yield OptionList(*options, id="filter-options")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
