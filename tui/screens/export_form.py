"""Export… and Labels… from the palette: which format and which file, Enter to write."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from tui.catalog.export import FILE_FORMATS, SUFFIX
from tui.plain import printable
from tui.screens.field_keys import FIELD_KEYS
from tui.styles import styles_beside


class ExportForm(ModalScreen[tuple[str, str] | None]):
    """Dismissed with (format, file), or None. `fmt` fixed ("labels") shows no choice."""

    DEFAULT_CSS = styles_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="export.cancel"),
        *FIELD_KEYS,
    ]

    def __init__(self, what: str, catalogue: Path, fmt: str | None = None) -> None:
        super().__init__()
        self.what, self.catalogue, self.fixed = what, catalogue, fmt
        self.typed = False  # the file box is the person's once they type in it

    def default_file(self, fmt: str) -> str:
        suffix = SUFFIX.get(fmt, fmt)
        name = f"{self.catalogue.stem}-labels" if fmt == "labels" else self.catalogue.stem
        return str(self.catalogue.with_name(f"{name}.{suffix}"))

    def compose(self) -> ComposeResult:
        fmt = self.fixed or "csv"
        with Vertical(id="export"):
            yield Static(Content(printable(self.what)))
            if self.fixed is None:
                options = [(name, name) for name in FILE_FORMATS]
                yield Select(options, value=fmt, allow_blank=False, id="export-format")
            yield Input(self.default_file(fmt), id="export-file", compact=True)
            yield Static(Content("Enter write · Esc cancel"), id="export-keys")

    def on_mount(self) -> None:
        self.query_one("#export-file", Input).focus()

    @on(Select.Changed, "#export-format")
    def _format(self, event: Select.Changed) -> None:
        if not self.typed and isinstance(event.value, str):
            self.query_one("#export-file", Input).value = self.default_file(event.value)

    @on(Input.Changed, "#export-file")
    def _typed(self, event: Input.Changed) -> None:
        fmt = self.fixed or str(self.query_one("#export-format", Select).value)
        self.typed = event.value != self.default_file(fmt)

    @on(Input.Submitted, "#export-file")
    def _submitted(self, event: Input.Submitted) -> None:
        fmt = self.fixed or str(self.query_one("#export-format", Select).value)
        self.dismiss((fmt, event.value.strip()) if event.value.strip() else None)
