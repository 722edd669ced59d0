"""What the board and the table share: one catalogue shown, one focused tube, the search's
matches, the filter's dimming and the marked tubes, and the keys that move and mark.

Both are views: they draw what the screen gives them and say what the user asked for in
messages. The marks belong to the screen (every view shows the same ones, S and d act on
them), and so do their keys: a mark made by space must be there for a `d` typed with it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView

from tui.catalog.model import Catalog, Sample

MATCH_MARK = "*"
MARKED = "√"  # a marked tube (space): in the 16-colour console font, and not colour alone
# Since the last commit (git), as symbols, not colour alone.
CHANGE_SYMBOL = {"added": "+", "changed": "~", "deleted": "-"}


class TubeView(ScrollView, can_focus=True):
    """A view of the tubes that moves a cursor over them; it never writes."""

    # The ids are the board's: a key the user gives `board.up` moves up in the table too.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(0, -1)", "Up", show=False, id="board.up"),
        Binding("down,j", "move(0, 1)", "Down", show=False, id="board.down"),
        Binding("left,h", "move(-1, 0)", "Left (table: column)", show=False, id="board.left"),
        Binding("right,l", "move(1, 0)", "Right (table: column)", show=False, id="board.right"),
        Binding("home,g", "first", "First tube", show=False, id="board.first"),
        Binding("end,G", "last", "Last tube", show=False, id="board.last"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="board.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="board.page_down"),
        Binding("enter", "open", "Details", show=False, id="board.open"),
    ]

    class CursorMoved(Message):
        """The focused tube is now `tube`. A burst of moves (keys held down, or arriving
        together over SSH) is shown once, where it ends."""

        def __init__(self, view: TubeView, tube: int) -> None:
            super().__init__()
            self.view, self.tube = view, tube

        @property
        def control(self) -> TubeView:
            return self.view

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, TubeView.CursorMoved) and message.view is self.view

    class Opened(Message):
        """The user asked to see the whole record of `tube` (Enter, or a click)."""

        def __init__(self, view: TubeView, tube: int) -> None:
            super().__init__()
            self.view, self.tube = view, tube

        @property
        def control(self) -> TubeView:
            return self.view

    # The focused tube; every move redraws only what it touches (so no repaint of the whole
    # view: that was every line of the board sent again on each key) and posts CursorMoved.
    cursor: reactive[int] = reactive(1, init=False, repaint=False)
    # While the rest of a large file is read, a tube not in its head is unknown, not empty.
    partial: reactive[bool] = reactive(False, init=False)

    def __init__(
        self, catalog: Catalog, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.catalog = catalog
        self._by_tube: dict[int, Sample] = catalog.by_tube()
        self.matches: Collection[int] = frozenset()  # the search's, marked MATCH_MARK
        self.marked: frozenset[int] = frozenset()  # for a change of many, marked MARKED
        self.dim: Callable[[Sample | None], bool] | None = None  # the filter's
        self.changes: Mapping[int, str] = {}  # since the last commit: tube -> its symbol

    def set_highlights(
        self,
        matches: Collection[int],
        dim: Callable[[Sample | None], bool] | None,
        marked: frozenset[int],
        changes: Mapping[int, str] | None = None,
    ) -> None:
        """What to mark: the search's matches, the filter's dimming, the marked tubes, and
        what changed since the last commit (tube -> "added", "changed" or "deleted")."""
        self.matches, self.dim, self.marked = matches, dim, marked
        self.changes = {t: CHANGE_SYMBOL[what] for t, what in (changes or {}).items()}
        self.refresh()

    def watch_partial(self) -> None:
        self.refresh()

    def show(self, catalog: Catalog) -> None:
        """Show another catalogue, keeping the cursor on the same tube where it can."""
        raise NotImplementedError

    def validate_cursor(self, tube: int) -> int:
        """The tube this view can focus for `tube` (Textual's validator of `cursor`)."""
        return tube

    def watch_cursor(self, old: int, new: int) -> None:
        """Redraw what the move touches, keep the cursor in view, and say where it went."""
        self._refresh_tube(old)
        self._refresh_tube(new)
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self, new))

    def move_to(self, tube: int) -> None:
        """Focus `tube` and scroll it into view, even when it is focused already (a search's
        match may be off screen)."""
        self.cursor = tube
        self._scroll_to_cursor()

    def _refresh_tube(self, tube: int) -> None:
        """Redraw where `tube` shows, and no more: only those bytes go to the terminal."""
        raise NotImplementedError

    def _scroll_to_cursor(self) -> None:
        raise NotImplementedError

    def order(self) -> Sequence[int]:
        """The tubes in the order this view shows them, for n/N."""
        raise NotImplementedError

    def position(self, tube: int) -> int | None:
        """Where `tube` is in `order()`, or None when this view does not show it."""
        raise NotImplementedError

    def next_of(self, tubes: Collection[int], step: int, start: bool = False) -> int | None:
        """The next of `tubes` after the cursor in this view's order (before it, with step
        -1), wrapping around, the cursor's own tube last; from the start, the first."""
        order, wanted = self.order(), frozenset(tubes)
        if not wanted or not order:
            return None
        here = None if start else self.position(self.cursor)
        if here is None:
            here = -1 if step > 0 else len(order)
        count = len(order)
        for offset in range(1, count + 1):
            tube = order[(here + offset * step) % count]
            if tube in wanted:
                return tube
        return None

    def action_first(self) -> None:
        """The first tube in this view's order (g)."""
        if order := self.order():
            self.move_to(order[0])

    def action_last(self) -> None:
        """The last tube in this view's order (G)."""
        if order := self.order():
            self.move_to(order[-1])

    def action_open(self) -> None:
        self.post_message(self.Opened(self, self.cursor))
