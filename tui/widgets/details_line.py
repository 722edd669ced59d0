"""One line under the board that always names the focused tube in full."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from tui.catalog.model import Sample
from tui.plain import clip, printable


def describe(tube: int, sample: Sample | None, partial: bool = False) -> str:
    if sample is None and partial:
        return f"tube {tube} · still reading the file…"
    if sample is None:
        return f"tube {tube} · empty · press a to add a sample"
    name = printable(clip(sample.name, 500))
    parts = [f"tube {tube}", name, sample.kind.value, sample.status.value]
    if sample.sol is not None:
        parts.append(f"sol {sample.sol}")
    if sample.date is not None:
        parts.append(sample.date.isoformat())
    return " · ".join(parts)


class DetailsLine(Widget):
    def __init__(self, tube: int, sample: Sample | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = describe(tube, sample)  # in the very first frame, not one after

    def show(self, tube: int, sample: Sample | None, partial: bool = False) -> None:
        self.text = describe(tube, sample, partial)
        self.refresh()

    def render(self) -> Content:
        return Content(self.text)
