"""The search (`/`, `n`/`N`), the filter (`f`) and clearing them (Esc), for the board screen:
what the query matches, where the cursor goes, and what the views mark. The state is the
Finder's (tui/widgets/finder.py); the screen keeps the keys and hands each here."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Protocol

from tui.lazy import later
from tui.screens.answers import Asker
from tui.screens.flow import ask, start

if TYPE_CHECKING:
    from textual.widget import AwaitMount, Widget

    from tui.screens import filter_picker
    from tui.widgets import search_bar
    from tui.widgets.finder import Finder
    from tui.widgets.tube_view import TubeView
else:
    filter_picker = later("tui.screens.filter_picker")
    search_bar = later("tui.widgets.search_bar")


class Searcher(Asker, Protocol):
    """What the search needs of the board screen: what answers need, the finder, the view,
    the marks, and its widgets."""

    finder: Finder
    marked: frozenset[int]

    @property
    def view(self) -> TubeView: ...

    def apply_highlights(self) -> None: ...

    def query(self, selector: Any) -> Any: ...

    def query_one(self, selector: Any) -> Any: ...

    def mount(self, *widgets: Widget, before: Any = ..., after: Any = ...) -> AwaitMount: ...


class Searching:
    """The search bar, n/N, the filter and Esc, for the board screen."""

    def __init__(self, screen: Searcher, footer: type[Widget]) -> None:
        self.screen, self.footer = screen, footer

    def _bars(self) -> list[search_bar.SearchBar]:
        found = self.screen.query(search_bar.SearchBar).results(search_bar.SearchBar)
        return list(found)

    async def open(self) -> None:
        # Mounted on first use: the first screen has no need of it.
        if not self._bars():
            footer = self.screen.query_one(self.footer)
            await self.screen.mount(search_bar.SearchBar(), before=footer)
        self._bars()[0].open()

    def changed(self, text: str) -> None:
        finder = self.screen.finder
        finder.search(self.screen.workspace.catalog, text)
        self.screen.apply_highlights()
        self._bars()[0].show_error(finder.error)

    def submitted(self) -> None:
        view = self.screen.view
        view.focus()
        first = view.next_of(self.screen.finder.matches, 1, start=True)
        if first is not None:
            view.move_to(first)
        else:
            self.screen.notify("No tube matches the search.", markup=False)

    def next_match(self, step: int) -> None:
        target = self.screen.view.next_of(self.screen.finder.matches, step)
        if target is None:
            self.screen.notify(self.screen.finder.why_none(), markup=False)
        else:
            self.screen.view.move_to(target)

    def clear(self) -> None:
        for bar in self._bars():
            bar.close()
        self.screen.finder.clear()
        self.screen.marked = frozenset()
        self.screen.view.focus()
        self.screen.apply_highlights()

    def pick_filter(self) -> None:
        app = self.screen.app
        picked = ask(app, filter_picker.FilterPicker())
        start(app, self._filter(picked))

    async def _filter(self, picked: asyncio.Future[str | None]) -> None:
        if (choice := await picked) is not None:
            self.screen.finder.filter = None if choice == filter_picker.CLEAR else choice
            self.screen.apply_highlights()
