"""One line under the board that always names the focused tube in full."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from tui.catalog.model import Sample
from tui.plain import clip, printable, shorten


def describe(tube: int, sample: Sample | None, partial: bool = False, width: int = 0) -> str:
    """The line for a tube; with `width`, the name is shortened so the rest still fits (a
    long name without spaces would otherwise wrap out of the one line, taking all after it)."""
    if sample is None and partial:
        return f"tube {tube} · still reading the file…"
    if sample is None:
        return f"tube {tube} · empty · press a to add a sample"
    name = printable(clip(sample.name, 500))
    rest = [sample.kind.value, sample.status.value]
    if sample.sol is not None:
        rest.append(f"sol {sample.sol}")
    if sample.date is not None:
        rest.append(sample.date.isoformat())
    if width:
        room = width - cell_len(" · ".join([f"tube {tube}", "", *rest]))
        name = shorten(name, max(room, 8))
    return " · ".join([f"tube {tube}", name, *rest])


class DetailsLine(Widget):
    """The focused tube in full, on one line."""

    def __init__(self, tube: int, sample: Sample | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: tuple[int, Sample | None, bool] = (tube, sample, False)

    def show(self, tube: int, sample: Sample | None, partial: bool = False) -> None:
        self.shown = (tube, sample, partial)
        self.refresh()

    @property
    def text(self) -> str:
        return describe(*self.shown)

    def render(self) -> Content:
        return Content(describe(*self.shown, width=self.content_size.width))
