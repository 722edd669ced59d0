"""Tab and shift+Tab in a form, as priority bindings: the app moves the focus in the turn of
the key itself. Without them the key travels to the focused field and back up to the app
first, and text typed in the same read (`Tab Tab Run` over SSH) reached the field the focus
was leaving, where a list box dropped it."""

from __future__ import annotations

from textual.binding import Binding

FIELD_KEYS = [
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True, id="form.next"),
    Binding(
        "shift+tab",
        "app.focus_previous",
        "Previous field",
        show=False,
        priority=True,
        id="form.previous",
    ),
]
