"""Where the timeline draws things, worked out without Textual: the samples in time order and
their campaigns (once a catalogue), each sample's column and lane and its name's place (once
a width, zoom and height), and the axis's ticks. TimelineView (timeline.py) draws a plan."""

from __future__ import annotations

import datetime as dt
import math

import attr
from rich.cells import cell_len

from tui.catalog.model import Catalog, Sample
from tui.plain import printable, shorten

LANDING = dt.date(2021, 2, 18)  # Perseverance's sol 0
SOL_DAYS = 1.0274912517  # a Martian solar day, in Earth days
NO_CAMPAIGN = "(no campaign)"
PUSH = 4  # the most columns a sample moves right of its time to be seen beside another
NAME_WIDTH = 16  # the most cells a name takes
TICK = "┆"
# Sols between the axis's ticks: the first at least ten columns apart at the zoom.
_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10**4, 10**5, 10**9)

Names = list[tuple[int, str, int]]  # a line of names: (column, name, tube), left to right


def sol_of(sample: Sample) -> float | None:
    """Where a sample sits in time: its sol, else the sol its date falls on."""
    if sample.sol is not None:
        return float(sample.sol)
    if sample.date is not None:
        return (sample.date - LANDING).days / SOL_DAYS
    return None


class InTime:
    """A catalogue's samples in time order, and the campaigns (rows) in the order they
    begin: paid once a catalogue (a sort of them all)."""

    def __init__(self, catalog: Catalog) -> None:
        self.by_tube = by_tube = catalog.by_tube()
        # (sol, tube) pairs sort as wanted with no key to call: tubes differ.
        self.timed = sorted(
            (sol, s.tube) for s in catalog.samples if (sol := sol_of(s)) is not None
        )
        self.order = [tube for _, tube in self.timed]
        self.index = {tube: i for i, tube in enumerate(self.order)}
        campaigns = [by_tube[tube].campaign or NO_CAMPAIGN for tube in self.order]
        self.rows = list(dict.fromkeys(campaigns))
        row_of = {name: i for i, name in enumerate(self.rows)}
        self.rows_in_time = [row_of[campaign] for campaign in campaigns]


@attr.frozen
class Plan:
    """Where each sample and name is drawn for one width, zoom and lane height."""

    first: float  # the sol of column 0
    span: float  # sols a column, at zoom 1
    zoom: float
    lane: int  # lines a campaign takes: its symbols, then its names
    placed: dict[int, tuple[int, int]]  # tube -> (row, column)
    by_row: list[list[tuple[int, int]]]  # each row's (column, tube), in column order
    shown: list[dict[int, int]]  # each row's column -> the tube drawn there (the last)
    names: list[list[Names]]  # each row's lines of names
    widest: int  # the last column used

    @property
    def per_column(self) -> float:
        return self.span / self.zoom

    def column_of(self, sol: float) -> int:
        return int((sol - self.first) / self.per_column)


def place(in_time: InTime, room: int, zoom: float, lane: int) -> Plan:
    """Each sample at its sol, one column per `span` sols, moved right while the column is
    taken in its row; then its name under it on the lane's first free line."""
    timed = in_time.timed
    first = timed[0][0] if timed else 0.0
    last = timed[-1][0] if timed else 0.0
    span = max(1.0, (last - first) / room)
    per_column = span / zoom
    placed: dict[int, tuple[int, int]] = {}
    # Each row's samples by column, for moving without a scan of them all; and the one
    # drawn in each column (the last in time), so a line costs its width, not its samples.
    by_row: list[list[tuple[int, int]]] = [[] for _ in in_time.rows]
    shown: list[dict[int, int]] = [{} for _ in in_time.rows]
    widest = 0
    for (sol, tube), row in zip(timed, in_time.rows_in_time, strict=True):
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
    names = [_names_of(in_time, taken, lane - 1) for taken in by_row]
    return Plan(first, span, zoom, lane, placed, by_row, shown, names, widest)


def _names_of(in_time: InTime, taken: list[tuple[int, int]], count: int) -> list[Names]:
    """A lane's names, each at its sample's column on the first of `count` lines where it
    does not touch the name before it; a name with no such line is not shown."""
    lines: list[Names] = [[] for _ in range(count)]
    ends = [-1] * count  # where each line's last name ends
    if not count:
        return lines
    for column, tube in taken:
        if column <= min(ends):  # no line free here: the name is not made (100,000 samples)
            continue
        free = next(i for i, end in enumerate(ends) if end < column)
        name = shorten(printable(in_time.by_tube[tube].name), NAME_WIDTH)
        lines[free].append((column, name, tube))
        ends[free] = column + cell_len(name)
    return lines


def sol_marks(plan: Plan, low: float, high: float) -> list[tuple[int, str]]:
    """A tick every round number of sols between `low` and `high`, ten columns apart or
    more, as (column, text)."""
    step = next(s for s in _STEPS if s / plan.per_column >= 10)
    value = math.ceil(low / step) * step
    marks = []
    while value <= high:
        marks.append((plan.column_of(value), f"{TICK}{value}"))
        value += step
    return marks


def year_marks(plan: Plan, low: float, high: float) -> list[tuple[int, str]]:
    """Where each Earth year begins (its 1 January, at the sol it falls on), after the year
    the screen's first column is in, at that column."""
    first_year = (LANDING + dt.timedelta(days=max(0.0, low) * SOL_DAYS)).year
    marks = [(plan.column_of(low), str(first_year))]
    for year in range(first_year, first_year + 200):
        sol = (dt.date(year, 1, 1) - LANDING).days / SOL_DAYS
        if sol > high:
            break
        if sol > low:
            column = plan.column_of(sol)
            if column - marks[-1][0] <= len(marks[-1][1]):  # too near the first: in its place
                marks[-1] = (column, f"{TICK}{year}")
            else:
                marks.append((column, f"{TICK}{year}"))
    return marks


def marks_text(marks: list[tuple[int, str]], left: int, room: int) -> str:
    """The texts at their columns, from column `left`, `room` wide, none over another."""
    chars = [" "] * room
    end = -1
    for column, text in marks:
        at = column - left
        if end < at < room:
            for i, char in enumerate(text[: room - at]):
                chars[at + i] = char
            end = at + len(text)
    return "".join(chars)
