"""The samples along time (`T`): one row per campaign, each sample its kind's symbol at its
sol (or, without a sol, at the sol its date falls on), the cursor on the focused sample.

Drawn like the board, with the line API: only the rows on screen, and each row only the
columns on screen. `+`/`-` zoom (more or fewer columns a sol), left/right move along time,
up/down to the nearest sample in the campaign above or below.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.strip import Strip

from tui.catalog.model import KIND_SYMBOL, Catalog, Sample
from tui.plain import fit, printable
from tui.styles import styles_beside
from tui.widgets.tube_view import MARKED, TubeView

LABEL = 14  # the campaign's name, cut with …
HEADER = 1  # the span of sols shown
LANDING = dt.date(2021, 2, 18)  # Perseverance's sol 0
SOL_DAYS = 1.0274912517  # a Martian solar day, in Earth days
NO_CAMPAIGN = "(no campaign)"
ZOOMS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
PUSH = 4  # the most columns a sample moves right of its time to be seen beside another


def sol_of(sample: Sample) -> float | None:
    """Where a sample sits in time: its sol, else the sol its date falls on."""
    if sample.sol is not None:
        return float(sample.sol)
    if sample.date is not None:
        return (sample.date - LANDING).days / SOL_DAYS
    return None


class TimelineView(TubeView):
    """Samples along time. It shows a Catalog and moves a cursor; it never writes."""

    DEFAULT_CSS = styles_beside(__file__)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign", "zoom(1)", "Zoom in (timeline)", show=False, id="timeline.in"),
        Binding("minus", "zoom(-1)", "Zoom out (timeline)", show=False, id="timeline.out"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--label",
        "timeline--axis",
        "timeline--cursor",
        "timeline--match",
        "timeline--dimmed",
    }

    def __init__(self, catalog: Catalog, cursor: int, *, id: str | None = None) -> None:
        super().__init__(catalog, id=id)
        self.zoom = 1.0
        self.rows: list[str] = []
        self.placed: dict[int, tuple[int, int]] = {}  # tube -> (row, column)
        self.order_: list[int] = []  # tubes along time
        self._timed: list[tuple[float, int]] = []  # (sol, tube) in time order
        self._rows_in_time: list[int] = []
        self._placed_for = (-1, 0.0)
        self.by_row: list[list[tuple[int, int]]] = []
        self.shown: list[dict[int, int]] = []
        self._index: dict[int, int] = {}
        self._layout(catalog)
        self.set_reactive(TimelineView.cursor, self.validate_cursor(cursor))

    # State ---------------------------------------------------------------------------------

    def _layout(self, catalog: Catalog) -> None:
        """Rows (campaigns in the order they begin) and the samples in time order: paid
        once a catalogue (a sort of them all), then placed for the width."""
        self.catalog = catalog
        self._by_tube = by_tube = catalog.by_tube()
        # (sol, tube) pairs sort as wanted with no key to call: tubes differ.
        self._timed = sorted(
            (sol, s.tube) for s in catalog.samples if (sol := sol_of(s)) is not None
        )
        self.order_ = [tube for _, tube in self._timed]
        self._index = {tube: i for i, tube in enumerate(self.order_)}
        campaigns = [by_tube[tube].campaign or NO_CAMPAIGN for tube in self.order_]
        self.rows = list(dict.fromkeys(campaigns))
        row_of = {name: i for i, name in enumerate(self.rows)}
        self._rows_in_time = [row_of[campaign] for campaign in campaigns]
        self._placed_for = (-1, 0.0)
        self._place()

    def _place(self) -> None:
        """Where each sample sits: its sol at one column per `span` sols, moved right while
        the column is taken in its row. Done again only when the room or the zoom changed
        (a view shown again is resized: at 100,000 samples a placing costs 0.1 s)."""
        room = max(8, self._width() - LABEL - 2 - 1)
        if self._placed_for == (room, self.zoom):
            return
        self._placed_for = (room, self.zoom)
        timed = self._timed
        self.first = first = timed[0][0] if timed else 0.0
        last = timed[-1][0] if timed else 0.0
        self.span = max(1.0, (last - first) / room)  # sols a column, at zoom 1
        per_column = self.span / self.zoom
        placed: dict[int, tuple[int, int]] = {}
        # Each row's samples by column, for moving without a scan of them all; and the one
        # drawn in each column (the last in time), so a line costs its width, not its samples.
        by_row: list[list[tuple[int, int]]] = [[] for _ in self.rows]
        shown: list[dict[int, int]] = [{} for _ in self.rows]
        widest = 0
        for (sol, tube), row in zip(timed, self._rows_in_time, strict=True):
            column = int((sol - first) / per_column)
            taken = by_row[row]
            if taken and taken[-1][0] >= column:  # in time order: only the last can clash
                # Moved right a few columns at most: a crowded stretch (thousands of sols
                # a column) shares columns rather than running off far from its time.
                column = min(taken[-1][0] + 1, column + PUSH)
            taken.append((column, tube))
            shown[row][column] = tube
            placed[tube] = (row, column)
            widest = max(widest, column)
        self.placed, self.by_row, self.shown = placed, by_row, shown
        self.virtual_size = Size(LABEL + 2 + widest + 1, HEADER + len(self.rows) + 1)

    def _width(self) -> int:
        """The room for lines; before the first layout, the screen's less the scrollbar's
        (so that the first show does not place every sample twice)."""
        if width := self.scrollable_content_region.width:
            return width
        try:
            return self.app.size.width - 1
        except RuntimeError:  # no app yet (Textual's NoActiveAppError)
            return 79

    def show(self, catalog: Catalog) -> None:
        self.set_reactive(TimelineView.partial, False)
        self._layout(catalog)
        self.set_reactive(TimelineView.cursor, self.validate_cursor(self.cursor))
        self.refresh()
        self.post_message(self.CursorMoved(self, self.cursor))

    def validate_cursor(self, tube: int) -> int:
        """A tube on the timeline: itself, else the nearest by number."""
        if tube in self.placed or not self.placed:
            return tube
        return min(self.placed, key=lambda t: (abs(t - tube), t))

    def _refresh_tube(self, tube: int) -> None:
        if (place := self.placed.get(tube)) is not None:  # its row; a scroll redraws them all
            self.refresh_lines(HEADER + place[0])

    def order(self) -> Sequence[int]:
        return self.order_

    def position(self, tube: int) -> int | None:
        return self._index.get(tube)

    def _scroll_to_cursor(self) -> None:
        """Keep the cursor's sample on screen: its column across, its row down (the axis
        line stays at the top)."""
        place = self.placed.get(self.cursor)
        region = self.scrollable_content_region
        width, height = region.width - LABEL - 2, region.height - HEADER
        if place is None or width <= 0 or height <= 0:
            return
        (row, column), (left, top) = place, self.scroll_offset
        x = column if column < left else column - width + 1 if column >= left + width else left
        y = row if row < top else row - height + 1 if row >= top + height else top
        if (x, y) != (left, top):
            self.scroll_to(x=x, y=y, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._place()
        self._scroll_to_cursor()

    # Actions -------------------------------------------------------------------------------

    def action_move(self, dx: int, dy: int) -> None:
        here = self.position(self.cursor)
        if here is None:
            return
        if dx:
            self.move_to(self.order_[max(0, min(len(self.order_) - 1, here + dx))])
        elif dy:
            row, column = self.placed[self.cursor]
            row += dy
            if 0 <= row < len(self.by_row) and self.by_row[row]:
                others = self.by_row[row]
                at = bisect.bisect_left(others, (column, 0))
                near = others[max(0, at - 1) : at + 1]
                self.move_to(min(near, key=lambda p: (abs(p[0] - column), p[1]))[1])

    def action_page(self, direction: int) -> None:
        self.action_move(direction * 10, 0)

    def action_zoom(self, step: int) -> None:
        at = ZOOMS.index(self.zoom) if self.zoom in ZOOMS else 2
        self.zoom = ZOOMS[max(0, min(len(ZOOMS) - 1, at + step))]
        self._place()
        self._scroll_to_cursor()
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        column = event.x - LABEL - 2 + self.scroll_offset.x
        row = event.y - HEADER + self.scroll_offset.y
        hit = self.shown[row].get(column) if 0 <= row < len(self.rows) else None
        self.focus()
        if hit is not None:  # the sample drawn there
            self.cursor = hit
            if event.chain >= 2:
                self.post_message(self.Opened(self, hit))

    # Drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.visual_style.rich_style
        left = self.scroll_offset.x
        room = max(0, width - LABEL - 2)
        if not self.placed:
            text = "No sample has a sol or a date yet." if y == 0 else ""
            return Strip([Segment(fit(text, width), base)])
        if y == 0:
            low = self.first + left * self.span / self.zoom
            high = self.first + (left + room) * self.span / self.zoom
            text = f"{'sol':<{LABEL}}  {low:.0f} … {high:.0f}  (+/- zoom)"
            return Strip([Segment(fit(text, width), base + self._style("axis"))])
        row = y - HEADER + self.scroll_offset.y  # the axis line stays; the rows scroll
        if row >= len(self.rows):
            return Strip.blank(width, base)
        label = Segment(fit(printable(self.rows[row]), LABEL) + "  ", base + self._style("label"))
        blank = Segment(" ", base)
        shown = self.shown[row]
        cells = [
            blank if (t := shown.get(c)) is None else self._mark(t, base)
            for c in range(left, left + room)
        ]
        focus = self.placed.get(self.cursor)
        if focus is not None and focus[0] == row and 0 <= focus[1] - left < room:
            cells[focus[1] - left] = self._mark(self.cursor, base)  # never under another
        return Strip([label, *cells]).simplify()

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"timeline--{name}")

    def _mark(self, tube: int, base: Style) -> Segment:
        sample = self._by_tube[tube]
        symbol = MARKED if tube in self.marked else KIND_SYMBOL[sample.kind]
        style = base
        if self.dim is not None and self.dim(sample):
            style += self._style("dimmed")
        if tube in self.matches:
            style += self._style("match")
        if tube == self.cursor:
            style += self._style("cursor")
        return Segment(symbol, style)
