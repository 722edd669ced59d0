"""The tube board: every tube as a cell, laid out in rows like the wooden board at JPL.

One ScrollView that draws only the lines on screen (the line API), so a board of ten
thousand tubes costs what a board of forty does. Each cell says what it holds in symbols as
well as colour, so it reads in 16 colours and under NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip

from tui.catalog.model import KIND_SYMBOL, STATUS_SYMBOL, Catalog
from tui.plain import fit, printable
from tui.widgets.tube_view import MARKED, MATCH_MARK, TubeView

CELL_HEIGHT = 4  # number and symbols, label, sol, and a spacer that marks the cursor
MAX_CELL = 24  # a wider cell would only show more space
CURSOR_MARK = "▀"
__all__ = ["CURSOR_MARK", "MARKED", "MATCH_MARK", "TubeBoard"]


class TubeBoard(TubeView):
    """The board of tubes. It shows a Catalog and moves a cursor; it never writes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tubeboard--rock-core",
        "tubeboard--regolith",
        "tubeboard--atmosphere",
        "tubeboard--witness",
        "tubeboard--empty",
        "tubeboard--cursor",
        "tubeboard--dimmed",
        "tubeboard--match",
        "tubeboard--mark",
    }

    def validate_cursor(self, tube: int) -> int:
        return max(1, min(self.catalog.board.tubes, tube))

    # State ---------------------------------------------------------------------------------

    def show(self, catalog: Catalog) -> None:
        """Show another catalogue, keeping the cursor on the same tube where it still exists."""
        self.set_reactive(TubeBoard.partial, False)
        self.catalog = catalog
        self._by_tube = catalog.by_tube()
        self.set_reactive(TubeBoard.cursor, self.validate_cursor(self.cursor))
        self._relayout()
        self.refresh()
        self.post_message(self.CursorMoved(self, self.cursor))  # its sample may have changed

    def order(self) -> Sequence[int]:
        return range(1, self.catalog.board.tubes + 1)

    def position(self, tube: int) -> int | None:
        return tube - 1 if 1 <= tube <= self.catalog.board.tubes else None

    def _scroll_to_cursor(self) -> None:
        self.scroll_to_region(self._region(self.cursor), animate=False, immediate=True)

    # Geometry ------------------------------------------------------------------------------

    @property
    def cell_width(self) -> int:
        digits = len(str(self.catalog.board.tubes))
        least = max(6, digits + 3) + 1  # content, then one column of gap
        fixed = self.catalog.board.columns
        width = self.scrollable_content_region.width or self.size.width
        if not fixed or not width:
            return least
        # As many columns as [board] asks, as wide as the terminal lets them be (up to
        # MAX_CELL), so whole names show when there is room: at 80 columns the shipped
        # board keeps its 7-wide cells and all its tubes on screen.
        return max(least, min(MAX_CELL, width // fixed))

    @property
    def columns(self) -> int:
        if self.catalog.board.columns:
            return self.catalog.board.columns
        width = self.scrollable_content_region.width or self.size.width
        return max(1, width // self.cell_width)

    @property
    def rows(self) -> int:
        return -(-self.catalog.board.tubes // self.columns)

    def _region(self, tube: int) -> Region:
        row, col = divmod(tube - 1, self.columns)
        return Region(col * self.cell_width, row * CELL_HEIGHT, self.cell_width, CELL_HEIGHT)

    def _relayout(self) -> None:
        self.virtual_size = Size(self.columns * self.cell_width, self.rows * CELL_HEIGHT)

    def _refresh_tube(self, tube: int) -> None:
        """Redraw one cell (less its column of gap, which never changes), not its whole row:
        only its bytes go to the terminal."""
        x, y, width, height = self._region(tube)
        scroll_x, scroll_y = self.scroll_offset
        self.refresh(Region(x - scroll_x, y - scroll_y, width - 1, height))

    def on_mount(self) -> None:
        self._relayout()

    def watch_has_focus(self, has_focus: bool) -> None:
        """Not restyled on focus, as Textual restyles every widget: no rule styles the board
        by focus (a test holds that true), and the restyle of the board and its nine
        component styles was a measurable part of the first frame, and again on every
        return from search (bench/RESULTS.md)."""

    def on_resize(self) -> None:
        self._relayout()
        self._scroll_to_cursor()

    # Actions -------------------------------------------------------------------------------

    def action_move(self, dx: int, dy: int) -> None:
        target = self.cursor + dx + dy * self.columns
        if 1 <= target <= self.catalog.board.tubes:
            self.move_to(target)

    def action_page(self, direction: int) -> None:
        visible_rows = max(1, self.scrollable_content_region.height // CELL_HEIGHT)
        target = self.cursor + direction * visible_rows * self.columns
        self.move_to(max(1, min(self.catalog.board.tubes, target)))

    # The mouse: everything is reachable without it; the wheel scrolls (ScrollView does).

    def tube_at(self, x: int, y: int) -> int | None:
        """The tube drawn at (x, y) of the widget, or None (a gap, past the last tube)."""
        scroll_x, scroll_y = self.scroll_offset
        column, within = divmod(x + scroll_x, self.cell_width)
        row = (y + scroll_y) // CELL_HEIGHT
        if within >= self.cell_width - 1 or column >= self.columns:
            return None  # the column of gap between cells
        tube = row * self.columns + column + 1
        return tube if 1 <= tube <= self.catalog.board.tubes else None

    def on_click(self, event: events.Click) -> None:
        """A click focuses the tube under it; a double-click opens its details."""
        tube = self.tube_at(event.x, event.y)
        if tube is None:
            return
        self.focus()
        self.cursor = tube
        if event.chain >= 2:
            self.post_message(self.Opened(self, tube))

    # Drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        virtual_y = y + scroll_y
        row, line = divmod(virtual_y, CELL_HEIGHT)
        width = self.scrollable_content_region.width
        base = self.visual_style.rich_style  # cached until the styles change; rich_style is not
        if row >= self.rows:
            return Strip.blank(width, base)
        columns, tubes = self.columns, self.catalog.board.tubes
        # The same for every cell of the line: worked out once, not per cell.
        cell = _Cell(self.cell_width - 1, len(str(tubes)), base, Segment(" ", base))
        first = row * columns + 1
        segments: list[Segment] = []
        for tube in range(first, min(first + columns, tubes + 1)):
            segments.extend(self._cell_line(tube, line, cell))
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, base)

    def _cell_line(self, tube: int, line: int, cell: _Cell) -> list[Segment]:
        width, digits, base, gap = cell
        sample = self._by_tube.get(tube)
        is_cursor = tube == self.cursor
        if line == CELL_HEIGHT - 1:
            # The spacer under a cell: a bar marks the cursor even where colour is off.
            if is_cursor:
                mark = self.get_component_rich_style("tubeboard--mark")
                return [Segment(CURSOR_MARK * width, base + mark), gap]
            return [Segment(" " * (width + 1), base)]
        if sample is None:
            style = base + self.get_component_rich_style("tubeboard--empty")
            text = [f"{tube:>{digits}}", "…" if self.partial else "empty", ""][line]
        else:
            style = base + self.get_component_rich_style(f"tubeboard--{sample.kind.value}")
            symbols = KIND_SYMBOL[sample.kind] + STATUS_SYMBOL[sample.status]
            if line == 0:
                text = f"{tube:>{digits}} {symbols}"
            elif line == 1:
                text = printable(sample.name[: width + 1])  # only what the cell can show
            else:
                text = f"s{sample.sol}" if sample.sol is not None else ""
        if line == 0 and tube in self.matches:
            text = fit(text, width - 1) + MATCH_MARK
            style += self.get_component_rich_style("tubeboard--match")
        if line == 2 and (tube in self.marked or tube in self.changes):
            # Since the last commit (+ ~ -), then the mark: both where the sol is not.
            suffix = self.changes.get(tube, "") + (MARKED if tube in self.marked else "")
            text = fit(text, width - len(suffix)) + suffix
        if self.dim is not None and self.dim(sample):
            style += self.get_component_rich_style("tubeboard--dimmed")
        if is_cursor:
            style += self.get_component_rich_style("tubeboard--cursor")
        return [Segment(fit(text, width), style), gap]


class _Cell(NamedTuple):
    """What every cell of one line shares."""

    width: int  # without the column of gap
    digits: int  # of the highest tube number, to right-align them all
    base: Style
    gap: Segment
