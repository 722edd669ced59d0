"""Every field of the focused sample, the user's own keys included, with notes wrapped."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.catalog.model import SAMPLE_FIELDS, Sample
from tui.plain import clip, printable

MAX_KEYS_SHOWN = 200  # the user's own keys shown for one sample; the file keeps them all


def format_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, list):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} = {format_value(v)}" for k, v in value.items())
    return str(value)


def sample_fields(tube: int, sample: Sample | None) -> list[tuple[str, str]]:
    """(label, text) pairs for a sample, known fields first, then the user's own keys."""
    if sample is None:
        return [("tube", str(tube)), ("", "empty")]
    rows = []
    for key, info in SAMPLE_FIELDS.items():
        value = getattr(sample, key)
        if info.row != "notes" and (info.always_shown or value is not None):
            rows.append((key, info.holds.show(value)))
    keys = list(sample.extra.items())
    rows += [(key, format_value(value)) for key, value in keys[:MAX_KEYS_SHOWN]]
    if len(keys) > MAX_KEYS_SHOWN:
        rows.append(("", f"… and {len(keys) - MAX_KEYS_SHOWN:,} more keys of your own in the file"))
    # Notes last: they may run over many lines.
    rows += [
        (key, getattr(sample, key))
        for key, info in SAMPLE_FIELDS.items()
        if info.row == "notes" and getattr(sample, key)
    ]
    return rows


def fields_content(tube: int, sample: Sample | None) -> Content:
    parts: list[Content | tuple[str, str] | str] = []
    for label, text in sample_fields(tube, sample):
        if parts:
            parts.append("\n")
        if label:  # a label may be the name of a key of the user's own
            parts.append((f"{printable(label)}: ", "bold"))
        long = label in SAMPLE_FIELDS and SAMPLE_FIELDS[label].row == "notes"
        parts.append(printable(clip(text), multiline=long))
    return Content.assemble(*parts)


class DetailsPanel(VerticalScroll, can_focus=False):
    """Every field of the focused sample, beside the board when there is room."""

    def compose(self) -> ComposeResult:
        yield Static(id="details-text")

    def show(self, tube: int, sample: Sample | None) -> None:
        self.query_one("#details-text", Static).update(fields_content(tube, sample))
