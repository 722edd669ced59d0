"""The views of the tubes and the switch between them: the board, the table (`t`) and the
timeline (`T`), each a TubeView on the same focused tube. Kept apart from the base view, which
knows none of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.catalog.model import Catalog
from tui.lazy import later
from tui.widgets.tube_view import TubeView

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from tui.widgets import board, sample_table, timeline
else:
    board = later("tui.widgets.board")
    sample_table = later("tui.widgets.sample_table")
    timeline = later("tui.widgets.timeline")


def active_view(screen: DOMNode) -> TubeView:
    """The view `screen` shows in its #main: the board, or the table."""
    return screen.query_one("#main > TubeView.-active", TubeView)


async def switch_view(screen: DOMNode, catalog: Catalog, view: str = "table") -> TubeView:
    """Show `view` ("table" or "timeline") in `screen`'s #main on the same focused tube, or
    the board again when it shows already. Each is made on first use: a session that never
    asks pays nothing for it."""
    was = active_view(screen)
    wanted = sample_table.SampleTable if view == "table" else timeline.TimelineView
    now: TubeView
    if isinstance(was, wanted):
        now = screen.query_one(board.TubeBoard)
    else:
        found = screen.query(wanted)
        if found:
            now = found.first(wanted)
        else:
            now = wanted(catalog, was.cursor, id=view)
            await screen.query_one("#main").mount(now, after=was)
    if now.catalog is not catalog:  # a hidden view is not kept current
        now.show(catalog)
    was.remove_class("-active")
    now.add_class("-active")
    now.move_to(now.validate_cursor(was.cursor))
    # Said even when the view's cursor was there already (no move, no message): the details
    # line must name what Enter opens now.
    now.post_message(now.CursorMoved(now, now.cursor))
    return now
