"""The samples as a table: one row per filled tube, sortable by any column (`t` on the board).

Drawn like the board, with the line API: only the rows on screen, so 100,000 rows cost what
100 do. A header and a rule stay on top; the row cursor is the focused tube (shared with the
board), the column cursor picks what `s` sorts by. Cells are cut with `…`, never wrapped, and
everything from the file goes through `printable` (names are data, never markup).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.strip import Strip

from tui.catalog.field_types import Choice, WholeNumber
from tui.catalog.model import SAMPLE_FIELDS, Catalog, Kind, Sample, own_columns
from tui.plain import fit, printable
from tui.styles import styles_beside
from tui.widgets.details_panel import format_value
from tui.widgets.tube_view import MARKED, MATCH_MARK, TubeView

HEADER = 2  # the column names and a rule under them
CURSOR_ROW = "▶"  # the focused row, where colour is off too
RULE, RULE_CURSOR = "─", "━"  # under the header; the heavy one under the column cursor
# Not ▲ ▼: ▼ is the deposited status symbol on the same screen.
ASCENDING, DESCENDING = "↑", "↓"
GUTTER = 4  # cursor, mark, match, changed since the last commit
NAME_WIDTH, TEXT_WIDTH, OWN_WIDTH = 24, 20, 16  # the most a column of that kind takes
WIDEST = 60  # the most any column takes, when the terminal has room for its values whole


class Column(NamedTuple):
    key: str  # a field of Sample, or a key of the user's own
    width: int
    right: bool  # numbers line up on the right
    text: Callable[[Sample], str]  # as the cell shows it ("" for unset)
    order: Callable[[Sample], Any]  # what it sorts by (None for unset: last)
    coloured: bool = False  # each cell in its value's colour, as the board colours kinds
    natural: int = 0  # as wide as its widest value, where there is room (up to WIDEST)


def _known(key: str, width: int, natural: int) -> Column:
    """A column of one of the sample's own fields, shown and sorted as its kind says (its
    own order is cheaper than _order at 100,000 rows)."""
    holds = SAMPLE_FIELDS[key].holds
    show = holds.labelled if isinstance(holds, Choice) else holds.show
    return Column(
        key,
        width,
        holds.right,
        lambda s: printable(show(getattr(s, key))),
        lambda s: holds.order(getattr(s, key)),
        isinstance(holds, Choice) and holds.choices is Kind,  # the theme has their colours
        natural,
    )


def _own(key: str, width: int, natural: int) -> Column:
    """A column of a key of the user's own: its values as the file has them."""
    return Column(
        key,
        width,
        False,
        lambda s: _shown(s.extra.get(key)),
        lambda s: _order(s.extra.get(key)),
        natural=natural,
    )


def _shown(value: object) -> str:
    return "" if value is None else printable(format_value(value))


def _order(value: object) -> Any:
    """Numbers by value, dates in time, text without case; unset (and blank) last."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return (1, str(value))
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return (1, value.isoformat())
    return (1, format_value(value).casefold())


def _set_values(samples: Sequence[Sample], key: str) -> Iterator[Any]:
    """Each sample's `key` where it is set, read in C: 100,000 rows are measured at once."""
    return filter(functools.partial(operator.is_not, None), map(operator.attrgetter(key), samples))


def columns_of(catalog: Catalog) -> list[Column]:
    """The sample's fields but its notes, then every key of the user's own any sample has,
    each as wide as its widest value (or its name, with room for the sort mark), up to a
    limit (`fitted` lets it go past where the terminal has room). Measured on the raw values,
    once per catalogue: cheap at 100,000 rows."""
    samples = catalog.samples

    def column(make: Callable[[str, int, int], Column], key: str, widest: int, cap: int) -> Column:
        natural = min(WIDEST, max(len(key) + 2, widest))
        return make(key, min(cap, natural), natural)

    columns = []
    for key, info in SAMPLE_FIELDS.items():
        if info.row == "notes":
            continue
        if info.choices is not None:  # a symbol, a space and the longest choice
            widest = 2 + max(len(choice.value) for choice in info.choices)
            cap = widest + len(key) + 2  # never cut
        elif isinstance(info.holds, WholeNumber):  # never cut
            highest = max(_set_values(samples, key), default=0)
            widest = len(str(highest))
            cap = widest + len(key) + 2
        else:
            widest = max(map(len, map(str, _set_values(samples, key))), default=0)
            cap = NAME_WIDTH if info.per_sample else TEXT_WIDTH  # the name: wider
        columns.append(column(_known, key, widest, cap))
    own = {key: max(map(len, map(str, values))) for key, values in own_columns(samples).items()}
    columns += [column(_own, key, widest, OWN_WIDTH) for key, widest in own.items()]
    return columns


def fitted(columns: Sequence[Column], room: int) -> list[Column]:
    """The columns widened into `room` cells: each column that its limit cuts grows towards
    its widest value, left to right, while the row still fits (no room: as they are)."""
    spare = room - row_width(columns)
    widened = []
    for column in columns:
        grow = max(0, min(column.natural - column.width, spare))
        spare -= grow
        widened.append(Column(column.key, column.width + grow, *column[2:]))
    return widened


class SampleTable(TubeView):
    """The table of samples. It shows a Catalog, sorts it and moves a cursor; it never writes."""

    DEFAULT_CSS = styles_beside(__file__)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort", "Sort by this column; again: reverse", show=False, id="table.sort"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "sampletable--header",
        "sampletable--column",
        "sampletable--cursor",
        "sampletable--cell",
        "sampletable--dimmed",
        "sampletable--match",
        "sampletable--rock-core",
        "sampletable--regolith",
        "sampletable--atmosphere",
        "sampletable--witness",
    }

    def __init__(self, catalog: Catalog, cursor: int, *, id: str | None = None) -> None:
        super().__init__(catalog, id=id)
        self.column = 0  # the column cursor: what `s` sorts by
        self.sort_key: str | None = None  # None: by tube
        self.reverse = False
        self.rows: list[int] = []  # tubes, in the order shown
        self._row_of: dict[int, int] = {}
        self._filled: list[int] = []  # tubes with a sample, in number order
        self.columns: list[Column] = []
        self._natural: list[Column] = []  # before `fitted` widens them to the terminal
        self._arrange(catalog)
        self.set_reactive(SampleTable.cursor, self.validate_cursor(cursor))

    # State ---------------------------------------------------------------------------------

    def _arrange(self, catalog: Catalog) -> None:
        """Rows and columns for `catalog`, in the sort chosen (which outlives edits and
        reloads; a sort by a key no sample has any more falls back to tube order)."""
        self.catalog = catalog
        self._by_tube = catalog.by_tube()
        self._filled = sorted(self._by_tube)
        current = self.columns[self.column].key if self.columns else None
        self._natural = columns_of(catalog)
        self.columns = fitted(self._natural, self.scrollable_content_region.width)
        keys = [c.key for c in self.columns]
        self.column = keys.index(current) if current in keys else min(self.column, len(keys) - 1)
        if self.sort_key not in keys:
            self.sort_key, self.reverse = None, False
        self.rows = self._sorted()
        self._row_of = {tube: i for i, tube in enumerate(self.rows)}
        self._size_to_columns()

    def _size_to_columns(self) -> None:
        self.virtual_size = Size(row_width(self.columns), len(self.rows) + HEADER)

    def _sorted(self) -> list[int]:
        if self.sort_key is None:
            return list(self._filled)
        column = next(c for c in self.columns if c.key == self.sort_key)
        keyed = [(column.order(self._by_tube[t]), t) for t in self._filled]
        # Stable: equal values stay in tube order, either way; unset ones last, either way.
        valued = sorted(
            (p for p in keyed if p[0] is not None), key=lambda p: p[0], reverse=self.reverse
        )
        return [t for _, t in valued] + [t for value, t in keyed if value is None]

    def show(self, catalog: Catalog) -> None:
        self.set_reactive(SampleTable.partial, False)
        self._arrange(catalog)
        self.set_reactive(SampleTable.cursor, self.validate_cursor(self.cursor))
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.CursorMoved(self, self.cursor))

    def validate_cursor(self, tube: int) -> int:
        """A tube the table shows: the tube itself, else the next filled one (an empty tube
        on the board), else the last; any tube while there is no sample."""
        if tube in self._by_tube or not self._filled:
            return tube
        at = bisect.bisect_left(self._filled, tube)
        return self._filled[min(at, len(self._filled) - 1)]

    def _refresh_tube(self, tube: int) -> None:
        if (row := self._row_of.get(tube)) is not None:
            self.refresh_lines(row + HEADER)

    def order(self) -> Sequence[int]:
        return self.rows

    def position(self, tube: int) -> int | None:
        return self._row_of.get(tube)

    # Geometry ------------------------------------------------------------------------------

    def _scroll_to_cursor(self) -> None:
        row = self._row_of.get(self.cursor)
        height = self.scrollable_content_region.height - HEADER
        if row is None or height <= 0:
            return
        top = self.scroll_offset.y
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)
        self._scroll_to_column()

    def _scroll_to_column(self) -> None:
        start, end = span(self.columns, self.column)
        left, width = self.scroll_offset.x, self.scrollable_content_region.width
        if start < left:
            self.scroll_to(x=0 if self.column == 0 else start, animate=False, immediate=True)
        elif end > left + width:
            self.scroll_to(x=end - width, animate=False, immediate=True)

    def on_resize(self) -> None:
        widened = fitted(self._natural, self.scrollable_content_region.width)
        if widened != self.columns:  # more room, or less: the columns follow
            self.columns = widened
            self._size_to_columns()
            self.refresh()
        self._scroll_to_cursor()

    # Actions -------------------------------------------------------------------------------

    def action_move(self, dx: int, dy: int) -> None:
        if dx:
            self.column = max(0, min(len(self.columns) - 1, self.column + dx))
            before = self.scroll_offset.x
            self._scroll_to_column()
            if self.scroll_offset.x == before:  # the header, its rule and the focused row
                self.refresh_lines(0, HEADER)
                row = self._row_of.get(self.cursor)
                if row is not None:
                    self.refresh_lines(row + HEADER)
            else:
                self.refresh()
        if dy:
            self._move_row(dy)

    def _move_row(self, rows: int) -> None:
        here = self._row_of.get(self.cursor)
        if here is not None:
            self.move_to(self.rows[max(0, min(len(self.rows) - 1, here + rows))])

    def action_page(self, direction: int) -> None:
        self._move_row(direction * max(1, self.scrollable_content_region.height - HEADER))

    def action_sort(self) -> None:
        """Sort by the column under the cursor; the same column again reverses the order."""
        key = self.columns[self.column].key
        self.reverse = not self.reverse if key == self.sort_key else False
        self.sort_key = key
        self._arrange(self.catalog)
        self._scroll_to_cursor()
        self.refresh()

    # The mouse: a click on a row focuses it, a double-click opens it, on the header sorts.

    def place_at(self, x: int, y: int) -> tuple[int | None, int | None]:
        """(column, tube) drawn at (x, y) of the widget; None where there is none."""
        scroll_x, scroll_y = self.scroll_offset
        column = column_at(self.columns, x + scroll_x)
        row = y - HEADER + scroll_y
        tube = self.rows[row] if y >= HEADER and 0 <= row < len(self.rows) else None
        return column, tube

    def on_click(self, event: events.Click) -> None:
        column, tube = self.place_at(event.x, event.y)
        self.focus()
        if column is not None:
            self.column = column
            self.refresh()
        if event.y == 0 and column is not None:
            self.action_sort()
        elif tube is not None:
            self.cursor = tube
            if event.chain >= 2:
                self.post_message(self.Opened(self, tube))

    # Drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.visual_style.rich_style
        edge = scroll_x + width  # a column cut there says so with "…"
        if y == 0:
            segments = self._header(base, edge)
        elif y == 1:
            segments = self._rule(base)
        else:
            row = y - HEADER + scroll_y
            if row >= len(self.rows):
                empty = "No samples yet: a adds one." if not self.rows and y == HEADER else ""
                segments = [Segment(" " * GUTTER + empty, base)]
            else:
                segments = self._row(self.rows[row], base, edge)
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, base)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"sampletable--{name}")

    def _header(self, base: Style, edge: int) -> list[Segment]:
        header = base + self._style("header")
        segments = [Segment(" " * GUTTER, header)]
        for index, (column, shown) in enumerate(_widths(self.columns, edge)):
            title = printable(column.key)
            if column.key == self.sort_key:
                title += " " + (DESCENDING if self.reverse else ASCENDING)
            style = header + self._style("column") if index == self.column else header
            segments += [Segment(_cell(title, column, shown), style), Segment(" ", header)]
        return segments

    def _rule(self, base: Style) -> list[Segment]:
        header = base + self._style("header")
        segments = [Segment(RULE * GUTTER, header)]
        for index, column in enumerate(self.columns):
            line = RULE_CURSOR if index == self.column else RULE
            segments += [Segment(line * column.width, header), Segment(RULE, header)]
        return segments

    def _row(self, tube: int, base: Style, edge: int) -> list[Segment]:
        sample = self._by_tube[tube]
        is_cursor = tube == self.cursor
        style = base
        if self.dim is not None and self.dim(sample):
            style += self._style("dimmed")
        if tube in self.matches:
            style += self._style("match")
        if is_cursor:
            style += self._style("cursor")
        gutter = (
            (CURSOR_ROW if is_cursor else " ")
            + (MARKED if tube in self.marked else " ")
            + (MATCH_MARK if tube in self.matches else " ")
            + self.changes.get(tube, " ")
        )
        segments = [Segment(gutter, style)]
        for index, (column, shown) in enumerate(_widths(self.columns, edge)):
            cell = style
            if column.coloured and not (self.dim is not None and self.dim(sample)):
                cell = style + self._style(getattr(sample, column.key).value)  # as on the board
            if is_cursor and index == self.column:
                cell += self._style("cell")
            text = _cell(column.text(sample), column, shown)
            segments += [Segment(text, cell), Segment(" ", style)]
        return segments


# Where the columns are: the cells between the gutter and each column, one space apart.


def row_width(columns: Sequence[Column]) -> int:
    """The cells a row takes: the gutter, then each column and the space after it."""
    return GUTTER + sum(c.width + 1 for c in columns)


def span(columns: Sequence[Column], index: int) -> tuple[int, int]:
    """The first cell of column `index` and one past its last."""
    start = row_width(columns[:index])
    return start, start + columns[index].width if columns else start


def column_at(columns: Sequence[Column], x: int) -> int | None:
    """The column drawn at cell `x` of the whole row, or None (the gutter, a space)."""
    left = GUTTER
    for index, column in enumerate(columns):
        if left <= x < left + column.width:
            return index
        left += column.width + 1
    return None


def _widths(columns: Sequence[Column], edge: int) -> list[tuple[Column, int]]:
    """Each column with how much of it shows left of `edge`: a column the edge cuts is cut
    with "…" rather than at a letter."""
    shown, left = [], GUTTER
    for column in columns:
        shown.append((column, max(1, min(column.width, edge - left))))
        left += column.width + 1
    return shown


def _cell(text: str, column: Column, shown: int) -> str:
    """`text` in `column`'s width, right-aligned for numbers, cut to what shows."""
    if column.right:
        text = text.rjust(column.width)
    return fit(fit(text, shown), column.width) if shown < column.width else fit(text, column.width)
