"""The samples along time (`T`): one lane per campaign, each sample its kind's symbol at its
sol (or, without a sol, at the sol its date falls on), the cursor on the focused sample. An
axis on top says the sols and the Earth years; where the screen has room, each lane has lines
under its symbols for the samples' names, each name at its sample's place where it fits.

Drawn like the board, with the line API: only the lines on screen, and each line only the
columns on screen. `+`/`-` zoom (more or fewer columns a sol), left/right move along time,
up/down to the nearest sample in the campaign above or below.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.strip import Strip

from tui.catalog.model import KIND_SYMBOL, Catalog
from tui.plain import fit, printable
from tui.styles import styles_beside
from tui.widgets.timeline_plan import (
    NAME_WIDTH,
    InTime,
    Names,
    Plan,
    marks_text,
    place,
    sol_marks,
    year_marks,
)
from tui.widgets.tube_view import MARKED, TubeView

LABEL = 14  # the campaign's name, cut with …
HEADER = 2  # the axis: sols, then Earth years
NAME_LINES = 3  # the most lines of names under a lane's symbols
ZOOMS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


class TimelineView(TubeView):
    """Samples along time. It shows a Catalog and moves a cursor; it never writes."""

    DEFAULT_CSS = styles_beside(__file__)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign", "zoom(1)", "Zoom in (timeline)", show=False, id="timeline.in"),
        Binding("minus", "zoom(-1)", "Zoom out (timeline)", show=False, id="timeline.out"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--label",
        "timeline--name",
        "timeline--axis",
        "timeline--cursor",
        "timeline--match",
        "timeline--dimmed",
    }

    in_time: InTime  # the samples in time order: once a catalogue (`_layout`)
    plan: Plan  # where each is drawn: once a width, zoom and height (`_place`)

    @property
    def placed(self) -> dict[int, tuple[int, int]]:
        """Tube -> (row, column), as the plan has them."""
        return self.plan.placed

    def __init__(self, catalog: Catalog, cursor: int, *, id: str | None = None) -> None:
        super().__init__(catalog, id=id)
        self.zoom = 1.0
        self._placed_for: tuple[int, float, int] = (-1, 0.0, 0)
        self._layout(catalog)
        self.set_reactive(TimelineView.cursor, self.validate_cursor(cursor))

    # State ---------------------------------------------------------------------------------

    def _layout(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.in_time = InTime(catalog)
        self._placed_for = (-1, 0.0, 0)
        self._place()

    def _place(self) -> None:
        """The plan for the room, the zoom and the lines a lane has (as many names' lines as
        the height gives every lane, up to NAME_LINES). Made again only when one of those
        changed (a view shown again is resized: at 100,000 samples a placing costs 0.1 s)."""
        room = max(8, self._width() - LABEL - 2 - 1)
        lines = (self._height() - HEADER) // max(1, len(self.in_time.rows)) - 1
        lane = 1 + max(0, min(NAME_LINES, lines))
        if self._placed_for == (room, self.zoom, lane):
            return
        self._placed_for = (room, self.zoom, lane)
        self.plan = plan = place(self.in_time, room, self.zoom, lane)
        self.virtual_size = Size(
            LABEL + 2 + plan.widest + 1, HEADER + len(self.in_time.rows) * lane + 1
        )

    def _width(self) -> int:
        """The room for lines; before the first layout, the screen's less the scrollbar's
        (so that the first show does not place every sample twice)."""
        if width := self.scrollable_content_region.width:
            return width
        try:
            return self.app.size.width - 1
        except RuntimeError:  # no app yet (Textual's NoActiveAppError)
            return 79

    def _height(self) -> int:
        if height := self.scrollable_content_region.height:
            return height
        try:
            return self.app.size.height - 6  # the title, summary, details and footer lines
        except RuntimeError:
            return 18

    def sols_shown(self) -> tuple[float, float]:
        """The first and last sol the screen's columns show."""
        room = max(0, self.scrollable_content_region.width - LABEL - 2)
        plan, left = self.plan, self.scroll_offset.x
        return plan.first + left * plan.per_column, plan.first + (left + room) * plan.per_column

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
        if (place := self.placed.get(tube)) is not None:  # its lane; a scroll redraws them all
            top = HEADER + place[0] * self.plan.lane - self.scroll_offset.y
            self.refresh_lines(max(HEADER, top), self.plan.lane)

    def order(self) -> Sequence[int]:
        return self.in_time.order

    def position(self, tube: int) -> int | None:
        return self.in_time.index.get(tube)

    def _scroll_to_cursor(self) -> None:
        """Keep the cursor's sample on screen: its column across, its row down (the axis
        line stays at the top)."""
        place = self.placed.get(self.cursor)
        region = self.scrollable_content_region
        width, height = region.width - LABEL - 2, region.height - HEADER
        if place is None or width <= 0 or height <= 0:
            return
        (row, column), (left, top) = place, self.scroll_offset
        lane = self.plan.lane
        first, last = row * lane, row * lane + lane - 1  # the lane's lines
        x = column if column < left else column - width + 1 if column >= left + width else left
        y = first if first < top else last - height + 1 if last >= top + height else top
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
        order, by_row = self.in_time.order, self.plan.by_row
        if dx:
            self.move_to(order[max(0, min(len(order) - 1, here + dx))])
        elif dy:
            row, column = self.placed[self.cursor]
            row += dy
            if 0 <= row < len(by_row) and by_row[row]:
                others = by_row[row]
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
        line = event.y - HEADER + self.scroll_offset.y
        row, sub = divmod(line, self.plan.lane)
        hit = None
        if line >= 0 and row < len(self.in_time.rows):
            if sub == 0:
                hit = self.plan.shown[row].get(column)
            else:  # a name: the sample it names
                names = self.plan.names[row][sub - 1]
                hit = next((t for c, n, t in names if c <= column < c + cell_len(n)), None)
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
        if y < HEADER:
            marks = (sol_marks if y == 0 else year_marks)(self.plan, *self.sols_shown())
            text = f"{'sol' if y == 0 else 'Earth year':<{LABEL}}  "
            text += marks_text(marks, left, room)
            return Strip([Segment(text, base + self._style("axis"))])
        line = y - HEADER + self.scroll_offset.y  # the axis stays; the lanes scroll
        row, sub = divmod(line, self.plan.lane)
        if row >= len(self.in_time.rows):
            return Strip.blank(width, base)
        name = fit(printable(self.in_time.rows[row]), LABEL) if sub == 0 else " " * LABEL
        label = Segment(name + "  ", base + self._style("label"))
        if sub:
            return Strip([label, *self._names_line(self.plan.names[row][sub - 1], room, base)])
        blank = Segment(" ", base)
        shown = self.plan.shown[row]
        cells = [
            blank if (t := shown.get(c)) is None else self._mark(t, base)
            for c in range(left, left + room)
        ]
        focus = self.placed.get(self.cursor)
        if focus is not None and focus[0] == row and 0 <= focus[1] - left < room:
            cells[focus[1] - left] = self._mark(self.cursor, base)  # never under another
        return Strip([label, *cells]).simplify()

    def _names_line(self, names: Names, room: int, base: Style) -> list[Segment]:
        """A line of a lane's names, each in its sample's style (the cursor's, a match's)."""
        left = self.scroll_offset.x
        out: list[Segment] = []
        at = 0  # the screen column drawn up to
        start = bisect.bisect_left(names, (left - NAME_WIDTH, "", 0))
        for column, name, tube in names[start:]:
            begin = column - left
            if begin >= room:
                break
            end = begin + cell_len(name)
            if end <= 0:
                continue
            shown = name if begin >= 0 else fit(name[-begin:], end)
            begin = max(0, begin)
            if begin > at:
                out.append(Segment(" " * (begin - at), base))
            shown = fit(shown, min(cell_len(shown), room - begin))
            out.append(Segment(shown, self._name_style(tube, base)))
            at = begin + cell_len(shown)
        if at < room:
            out.append(Segment(" " * (room - at), base))
        return out

    def _name_style(self, tube: int, base: Style) -> Style:
        return self._tube_style(tube, base + self._style("name"))

    def _tube_style(self, tube: int, style: Style) -> Style:
        """`style` as a sample's symbol or name is drawn: dimmed, matched, the cursor."""
        sample = self.in_time.by_tube[tube]
        if self.dim is not None and self.dim(sample):
            style += self._style("dimmed")
        if tube in self.matches:
            style += self._style("match")
        if tube == self.cursor:
            style += self._style("cursor")
        return style

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"timeline--{name}")

    def _mark(self, tube: int, base: Style) -> Segment:
        sample = self.in_time.by_tube[tube]
        symbol = MARKED if tube in self.marked else KIND_SYMBOL[sample.kind]
        return Segment(symbol, self._tube_style(tube, base))
