"""The tube board: every tube as a cell, laid out in rows like the wooden board at JPL.

One ScrollView that draws only the lines on screen (the line API), so a board of ten
thousand tubes costs what a board of forty does. Each cell says what it holds in symbols as
well as colour, so it reads in 16 colours and under NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.catalog.model import Catalog, Kind, Sample, Status
from tui.plain import fit, printable

KIND_SYMBOL = {Kind.ROCK_CORE: "■", Kind.REGOLITH: "░", Kind.ATMOSPHERE: "○", Kind.WITNESS: "♦"}
STATUS_SYMBOL = {Status.SEALED: "=", Status.UNSEALED: "!", Status.DEPOSITED: "▼"}
CELL_HEIGHT = 4  # number and symbols, label, sol, and a spacer that marks the cursor
CURSOR_MARK = "▀"
MATCH_MARK = "*"
MARKED = "√"  # a marked tube (space): in the 16-colour console font, and not colour alone


class TubeBoard(ScrollView, can_focus=True):
    """The board of tubes. It shows a Catalog and moves a cursor; it never writes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(0, -1)", "Up", show=False, id="board.up"),
        Binding("down,j", "move(0, 1)", "Down", show=False, id="board.down"),
        Binding("left,h", "move(-1, 0)", "Left", show=False, id="board.left"),
        Binding("right,l", "move(1, 0)", "Right", show=False, id="board.right"),
        Binding("home,g", "first", "First tube", show=False, id="board.first"),
        Binding("end,G", "last", "Last tube", show=False, id="board.last"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="board.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="board.page_down"),
        Binding("enter", "open", "Details", show=False, id="board.open"),
        Binding("space", "mark", "Mark or unmark", show=False, id="board.mark"),
        Binding("A", "mark_all", "Mark every match", show=False, id="board.mark_all"),
    ]

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

    class CursorMoved(Message):
        def __init__(self, tube: int) -> None:
            super().__init__()
            self.tube = tube

    class Opened(Message):
        def __init__(self, tube: int) -> None:
            super().__init__()
            self.tube = tube

    # The focused tube: kept on the board (validate_cursor), and every move redraws the two
    # tubes it touches and says so (watch_cursor posts CursorMoved).
    cursor: reactive[int] = reactive(1, init=False)
    # Tubes the search matches, marked with MATCH_MARK.
    matches: reactive[Collection[int]] = reactive(frozenset, init=False)
    # While the rest of a large file is read, a tube not in its head is unknown, not empty.
    partial: reactive[bool] = reactive(False, init=False)
    # Tubes marked for a change of many (S, d): each shows MARKED.
    marked: reactive[frozenset[int]] = reactive(frozenset, init=False)

    class MarksChanged(Message):
        """The marked tubes changed: the summary counts them."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.catalog = catalog
        self._by_tube: dict[int, Sample] = catalog.by_tube()
        self.dim: Callable[[Sample | None], bool] | None = None

    def validate_cursor(self, tube: int) -> int:
        return max(1, min(self.catalog.board.tubes, tube))

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_tube(old)
        self._refresh_tube(new)
        self.scroll_to_region(self._region(new), animate=False, immediate=True)
        self.post_message(self.CursorMoved(new))

    # State ---------------------------------------------------------------------------------

    def show(self, catalog: Catalog) -> None:
        """Show another catalogue, keeping the cursor on the same tube where it still exists."""
        self.set_reactive(TubeBoard.partial, False)
        self.catalog = catalog
        self._by_tube = catalog.by_tube()
        self.set_reactive(TubeBoard.cursor, self.validate_cursor(self.cursor))
        self.set_reactive(TubeBoard.marked, self.marked & catalog.by_tube().keys())
        self._relayout()
        self.refresh()
        self.post_message(self.CursorMoved(self.cursor))  # its sample may have changed

    def set_highlights(
        self, matches: Collection[int], dim: Callable[[Sample | None], bool] | None
    ) -> None:
        self.dim = dim
        self.set_reactive(TubeBoard.matches, matches)
        self.refresh()

    def watch_matches(self) -> None:
        self.refresh()

    def watch_partial(self) -> None:
        self.refresh()

    def watch_marked(self) -> None:
        self.refresh()
        self.post_message(self.MarksChanged())

    def action_mark(self) -> None:
        """Mark or unmark the focused tube; an empty tube has nothing to mark."""
        if self.cursor in self._by_tube:
            self.marked = self.marked ^ {self.cursor}

    def action_mark_all(self) -> None:
        """Mark every tube the search matches, or every filled tube when there is none."""
        self.marked = frozenset(self.matches or self._by_tube)

    def move_to(self, tube: int) -> None:
        self.cursor = tube
        # The same tube again still scrolls to it (a search's match may be off screen).
        self.scroll_to_region(self._region(self.cursor), animate=False, immediate=True)

    # Geometry ------------------------------------------------------------------------------

    @property
    def cell_width(self) -> int:
        digits = len(str(self.catalog.board.tubes))
        return max(6, digits + 3) + 1  # content, then one column of gap

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
        self.refresh_lines(self._region(tube).y, CELL_HEIGHT)

    def on_mount(self) -> None:
        self._relayout()

    def watch_has_focus(self, has_focus: bool) -> None:
        """Not restyled on focus, as Textual restyles every widget: no rule styles the board
        by focus (a test holds that true), and the restyle of the board and its nine
        component styles was a measurable part of the first frame, and again on every
        return from search (bench/RESULTS.md)."""

    def on_resize(self) -> None:
        self._relayout()
        self.scroll_to_region(self._region(self.cursor), animate=False, immediate=True)

    # Actions -------------------------------------------------------------------------------

    def action_move(self, dx: int, dy: int) -> None:
        target = self.cursor + dx + dy * self.columns
        if 1 <= target <= self.catalog.board.tubes:
            self.move_to(target)

    def action_first(self) -> None:
        self.move_to(1)

    def action_last(self) -> None:
        self.move_to(self.catalog.board.tubes)

    def action_page(self, direction: int) -> None:
        visible_rows = max(1, self.scrollable_content_region.height // CELL_HEIGHT)
        target = self.cursor + direction * visible_rows * self.columns
        self.move_to(max(1, min(self.catalog.board.tubes, target)))

    def action_open(self) -> None:
        self.post_message(self.Opened(self.cursor))

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
            self.post_message(self.Opened(tube))

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
        if line == 2 and tube in self.marked:
            text = fit(text, width - 1) + MARKED
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
