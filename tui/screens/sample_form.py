"""The add/edit form: every field checked as you type, ctrl+s saves, Escape cancels."""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable
from typing import ClassVar, Protocol

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, TextArea

from tui.catalog.fields import build_sample, initial_text, read_field
from tui.catalog.model import SAMPLE_FIELDS, Catalog, Sample
from tui.catalog.workspace import Outcome, Refused, Saved, Waiting
from tui.plain import editable, printable, restore
from tui.screens.confirm import ConfirmScreen
from tui.screens.field_keys import FIELD_KEYS
from tui.screens.flow import ask, start
from tui.styles import styles_beside


class Listener(Protocol):
    """Whoever answers the form (the screen that opened it)."""

    def post_message(self, message: Message) -> bool: ...


INPUTS = tuple(k for k, info in SAMPLE_FIELDS.items() if info.row == "input")
SELECTS = tuple(k for k, info in SAMPLE_FIELDS.items() if info.row == "select")
NOTES = tuple(k for k, info in SAMPLE_FIELDS.items() if info.row == "notes")


class SampleForm(ModalScreen[Sample | None]):
    """Asks for a sample; never writes. ctrl+s posts `Submitted(sample)` to `reply_to` (the
    screen that opened it), which answers with `answer(outcome)`: the form closes on a save,
    and stays open with the message on a refusal or while a save waits. Dismissed with the
    saved sample, or None when cancelled."""

    class Submitted(Message):
        """The user asks to save `sample` (ctrl+s); the form waits for the answer."""

        def __init__(self, form: SampleForm, sample: Sample) -> None:
            super().__init__()
            self.form = form
            self.sample = sample

        @property
        def control(self) -> SampleForm:
            return self.form

    DEFAULT_CSS = styles_beside(__file__)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form.save"),
        *FIELD_KEYS,
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self,
        catalog_now: Callable[[], Catalog],
        sample: Sample | None,
        tube: int,
        *,
        reply_to: Listener,
    ) -> None:
        super().__init__()
        # The fields are checked against the catalogue as it is now, which may change on
        # disk while the form is open: the form asks, nobody writes into it.
        self.catalog_now = catalog_now
        self.editing = sample
        self.initial = initial_text(sample, tube)
        self.reply_to = reply_to
        self.loaded: dict[str, str] = {}  # what each box holds once loaded (see on_mount)
        self.waiting = False  # a save waits for another tubeboard's
        self.submitted: Sample | None = None

    @property
    def catalog(self) -> Catalog:
        return self.catalog_now()

    def compose(self) -> ComposeResult:
        title = "Add a sample" if self.editing is None else f"Edit tube {self.editing.tube}"
        with Vertical(id="form"):
            yield Label(Content(title), id="form-title")
            with Grid(id="form-fields"):
                # One row per field, as its definition says (model.SAMPLE_FIELDS).
                for field, info in SAMPLE_FIELDS.items():
                    if info.choices is not None:
                        yield from self._select_row(field, info.choices)
                    elif info.row == "notes":
                        yield from self._notes_row(field)
                    else:
                        yield from self._input_row(field, info.placeholder)
            yield Static(Content(""), id="form-message")
            yield Static(
                Content("ctrl+s save · esc cancel · tab/shift+tab move between fields"),
                id="form-keys",
            )

    def _notes_row(self, field: str) -> ComposeResult:
        yield Label(Content(field))
        yield TextArea(
            editable(self.initial[field], multiline=True),
            id=field,
            soft_wrap=True,
            compact=True,
            tab_behavior="focus",
        )
        yield Label(Content(""), id=f"{field}-error", classes="error")

    def _select_row(self, field: str, choices: type[enum.StrEnum]) -> ComposeResult:
        yield Label(Content(field))
        options = [(member.value, member.value) for member in choices]
        yield Select(options, value=self.initial[field], allow_blank=False, compact=True, id=field)
        yield Label(Content(""), id=f"{field}-error", classes="error")

    def _input_row(self, field: str, placeholder: str) -> ComposeResult:
        yield Label(Content(field))
        yield Input(
            editable(self.initial[field]),
            placeholder=placeholder,
            id=field,
            compact=True,
            select_on_focus=False,
        )
        yield Label(Content(""), id=f"{field}-error", classes="error")

    def on_mount(self) -> None:
        # What each box holds once loaded: a box left as it was is a field nobody edited,
        # whatever the box made of the file's text.
        self.loaded = self._shown()
        self.query_one("#name", Input).focus()

    # Reading the fields --------------------------------------------------------------------

    def _shown(self) -> dict[str, str]:
        """What each box holds, in the fields' order."""
        shown: dict[str, str] = {}
        for field in SAMPLE_FIELDS:
            if field in SELECTS:
                value = self.query_one(f"#{field}", Select).value
                shown[field] = value if isinstance(value, str) else ""
            elif field in NOTES:
                shown[field] = self.query_one(f"#{field}", TextArea).text
            else:
                shown[field] = self.query_one(f"#{field}", Input).value
        return shown

    def texts(self) -> dict[str, str]:
        """Each field's text: the original, exactly, where its box was left as loaded."""
        texts = {}
        for field, shown in self._shown().items():
            if shown == self.loaded[field]:
                texts[field] = self.initial[field]
            else:
                texts[field] = restore(shown, self.initial[field], multiline=field in NOTES)
        return texts

    def is_dirty(self) -> bool:
        return self._shown() != self.loaded

    def _show_error(self, field: str, message: str | None) -> None:
        label = self.query_one(f"#{field}-error", Label)
        label.update(Content(message or ""))
        label.set_class(bool(message), "-shown")
        # Not "-invalid": Input manages that class itself and clears it on blur.
        self.query_one(f"#{field}").set_class(bool(message), "-field-error")

    @on(Input.Changed)
    def _check_input(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        # Before the form is shown, a box holds its field's initial text.
        text = self.texts()[field] if self.loaded else self.initial[field]
        _, message = read_field(field, text, self.catalog, self.editing)
        self._show_error(field, message)
        if self.loaded:  # the whole sentence, which the field's column may cut
            self.query_one("#form-message", Static).update(Content(printable(message or "")))

    # Actions -------------------------------------------------------------------------------

    def action_save(self) -> None:
        sample, errors = build_sample(self.texts(), self.catalog, self.editing, self.initial)
        for field in self.initial:
            self._show_error(field, errors.get(field))
        message = self.query_one("#form-message", Static)
        if sample is None:
            first = next(f for f in self.initial if f in errors)
            self.query_one(f"#{first}").focus()
            message.update(Content("Fix the marked fields; nothing was saved."))
            return
        if self.editing is not None and sample == self.editing:
            self.dismiss(None)  # nothing changed: nothing to write
            return
        if self.waiting:
            return  # one save at a time
        self.submitted = sample
        self.reply_to.post_message(self.Submitted(self, sample))

    def answer(self, outcome: Outcome) -> None:
        """What became of the sample this form submitted."""
        message = self.query_one("#form-message", Static)
        self.waiting = isinstance(outcome, Waiting)
        if isinstance(outcome, Saved):
            self.dismiss(self.submitted)
        elif isinstance(outcome, Waiting):
            message.update(Content(printable(outcome.message)))
        elif isinstance(outcome, Refused):
            # A conflict or a write error: keep the form and what was typed.
            message.update(Content(printable(outcome.reason)))

    def action_cancel(self) -> None:
        if not self.is_dirty():
            self.dismiss(None)
            return

        start(self.app, self._discard(ask(self.app, ConfirmScreen("Discard what you typed?"))))

    async def _discard(self, discard: asyncio.Future[bool | None]) -> None:
        if await discard:
            self.dismiss(None)
