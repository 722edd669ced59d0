"""The line at the top: the catalogue's title and path.

Textual's Header draws the same line from four widgets (itself, an icon, the title and a
clock space) with four stylesheets, and lets a mouse click toggle its height. This is one
widget: a faster first frame (bench/RESULTS.md), and nothing here for a mouse.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from tui.plain import printable


class TitleBar(Widget):
    """The screen's title and sub-title, as Textual's Header shows them."""

    def on_mount(self) -> None:
        self.watch(self.screen, "title", self._retitle, init=False)
        self.watch(self.screen, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        # Both may come from the file (the board's title) or the command line (its path).
        return app.format_title(printable(title), printable(sub_title))
