"""One line of counts: filled, per kind, per status, empty; shortened to fit the width."""

from __future__ import annotations

from collections import Counter

from textual.content import Content
from textual.widget import Widget

from tui.catalog.model import KIND_SYMBOL, STATUS_SYMBOL, Catalog, Kind, Status


def summary_lines(catalog: Catalog, note: str = "") -> list[str]:
    """The summary from the longest form to the shortest; the widget shows the first that fits."""
    filled, tubes = len(catalog.samples), catalog.board.tubes
    kinds = Counter(s.kind for s in catalog.samples)
    statuses = Counter(s.status for s in catalog.samples)
    long_kinds = [f"{KIND_SYMBOL[k]} {k.value} {kinds[k]}" for k in Kind if kinds[k]]
    long_status = [f"{STATUS_SYMBOL[s]} {s.value} {statuses[s]}" for s in Status if statuses[s]]
    # Sealed is the usual state; the shorter forms name only the unusual ones in words.
    notable = [line for line in long_status if not line.startswith(STATUS_SYMBOL[Status.SEALED])]
    short_kinds = [f"{KIND_SYMBOL[k]}{kinds[k]}" for k in Kind if kinds[k]]
    short_status = [f"{STATUS_SYMBOL[s]}{statuses[s]}" for s in Status if statuses[s]]
    tail = [note] if note else []
    empty = f"empty {tubes - filled}"
    return [
        " · ".join([f"filled {filled} of {tubes}", *long_kinds, *long_status, empty, *tail]),
        " · ".join([f"filled {filled} of {tubes}", " ".join(short_kinds), *notable, empty, *tail]),
        " · ".join(
            [
                f"filled {filled} of {tubes}",
                " ".join(short_kinds),
                " ".join(short_status),
                empty,
                *tail,
            ]
        ),
        " · ".join([f"{filled}/{tubes}", " ".join(short_kinds), " ".join(short_status), *tail]),
    ]


class Summary(Widget):
    """The counts under the board: filled, kinds, statuses, empties, and the notes."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.catalog = catalog
        self.note = ""
        self.partial = False

    def show(self, catalog: Catalog, note: str = "") -> None:
        self.catalog, self.note, self.partial = catalog, note, False
        self.refresh()

    def render(self) -> Content:
        if self.partial:
            return Content(f"{self.catalog.board.tubes:,} tubes · reading the file…")
        forms = summary_lines(self.catalog, self.note)
        width = self.size.width
        return Content(next((f for f in forms if len(f) <= width), forms[-1]))
