"""Set fields on every marked tube: each field a sample may share with others (not its tube
or name, not its notes), as its kind says (a choice from a list, a number, a date, text). A
field left blank is left as it is on every tube."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from tui.catalog.fields import read_field
from tui.catalog.model import SAMPLE_FIELDS, Catalog
from tui.plain import printable
from tui.screens.field_keys import FIELD_KEYS
from tui.styles import styles_beside

# The fields set on many at once, in the fields' order (model.SAMPLE_FIELDS).
SHARED = tuple(
    key for key, info in SAMPLE_FIELDS.items() if not info.per_sample and info.row != "notes"
)


class BulkForm(ModalScreen[dict[str, Any] | None]):
    """Asks which fields to set on the marked tubes; dismissed with them ({} when none was
    filled in), or None when cancelled."""

    DEFAULT_CSS = styles_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Set", priority=True, id="bulk.save"),
        *FIELD_KEYS,
        Binding("escape", "dismiss(None)", "Cancel", id="bulk.cancel"),
    ]

    def __init__(self, count: int, catalog: Catalog) -> None:
        super().__init__()
        self.count, self.catalog = count, catalog

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk"):
            yield Label(Content(f"Set on the {self.count} marked tubes"), id="bulk-title")
            with Grid(id="bulk-fields"):
                for key in SHARED:
                    info = SAMPLE_FIELDS[key]
                    yield Label(Content(key))
                    if info.choices is not None:
                        options = [(c.value, c.value) for c in info.choices]
                        yield Select(options, prompt="(as it is)", compact=True, id=key)
                    else:
                        yield Input(placeholder="(as it is)", id=key, compact=True)
            yield Static(Content(""), id="bulk-message")
            yield Static(Content("ctrl+s set · esc cancel · one save, one undo"), id="bulk-keys")

    def action_save(self) -> None:
        changes: dict[str, Any] = {}
        problems: list[str] = []
        for key in SHARED:
            box = self.query_one(f"#{key}")
            if isinstance(box, Select):
                text = box.value if isinstance(box.value, str) else ""
            else:
                assert isinstance(box, Input)
                text = box.value.strip()
            if not text:
                continue  # left as it is on every tube
            value, problem = read_field(key, text, self.catalog, None)
            if problem is not None:
                problems.append(f"{key}: {problem}")
            else:
                changes[key] = value
        if problems:
            message = "; ".join(problems) + ". Nothing was set."
            self.query_one("#bulk-message", Static).update(Content(printable(message)))
            return
        self.dismiss(changes)
