"""Set one field on every marked tube: status (a choice), campaign and site (text). A field
left blank is left as it is on every tube."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from tui.catalog.model import Status
from tui.styles import styles_beside


class BulkForm(ModalScreen[dict[str, Any] | None]):
    """Dismissed with the fields to set ({} when none was filled in), or None."""

    DEFAULT_CSS = styles_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Set", priority=True, id="bulk.save"),
        Binding("escape", "dismiss(None)", "Cancel", id="bulk.cancel"),
    ]

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk"):
            yield Label(Content(f"Set on the {self.count} marked tubes"), id="bulk-title")
            with Grid(id="bulk-fields"):
                yield Label(Content("status"))
                options = [(s.value, s.value) for s in Status]
                yield Select(options, prompt="(as it is)", compact=True, id="status")
                for field in ("campaign", "site"):
                    yield Label(Content(field))
                    yield Input(placeholder="(as it is)", id=field, compact=True)
            yield Static(Content("ctrl+s set · esc cancel · one save, one undo"), id="bulk-keys")

    def on_mount(self) -> None:
        self.query_one("#status", Select).focus()

    def action_save(self) -> None:
        changes: dict[str, Any] = {}
        status = self.query_one("#status", Select).value
        if isinstance(status, str):
            changes["status"] = Status(status)
        for field in ("campaign", "site"):
            text = self.query_one(f"#{field}", Input).value.strip()
            if text:
                changes[field] = text
        self.dismiss(changes)
