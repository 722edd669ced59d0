"""Watching the catalogue on disk: its own small object that posts messages to the screen
it serves, as toolong keeps its watcher apart.

Every POLL_SECONDS it asks the workspace for a look at the file (a stat, and a read only when
that changed); changed bytes are parsed in a worker thread, since ten thousand records take
half a second. What it finds arrives as `CatalogChanged` (the bytes and their parse) or
`CatalogBroken` (the file could not be read), for the screen to hand to the workspace.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message
from textual.screen import Screen

from tui.catalog.validate import Parsed, Problem
from tui.catalog.workspace import Broken, Workspace

POLL_SECONDS = 0.25  # a change on disk shows within a second


class CatalogChanged(Message):
    """The file on disk holds new bytes (or the same again after a moment away)."""

    def __init__(self, raw: bytes, parsed: Parsed) -> None:
        super().__init__()
        self.raw = raw
        self.parsed = parsed


class CatalogBroken(Message):
    """The file on disk cannot be read now."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__()
        self.problems = problems


class PermissionsChanged(Message):
    """Whether the file may be written changed (a chmod changes no byte)."""


class Watcher:
    """Watches the file on disk and posts what it finds to the screen."""

    def __init__(self, screen: Screen[Any], workspace: Workspace) -> None:
        self.screen = screen
        self.workspace = workspace
        self.writable: str | None = workspace.read_only()

    def start(self) -> None:
        self.screen.set_interval(POLL_SECONDS, self.look)

    def look(self) -> None:
        read_only = self.workspace.read_only()
        if read_only != self.writable:
            self.writable = read_only
            self.screen.post_message(PermissionsChanged())
        found = self.workspace.look()
        if isinstance(found, Broken):
            self.screen.post_message(CatalogBroken(found.problems))
        elif found is not None:
            self.screen.run_worker(
                lambda: self._parse(found), thread=True, exclusive=True, group="reload"
            )

    def _parse(self, raw: bytes) -> None:
        parsed = self.workspace.store.parse(raw)
        self.screen.app.call_from_thread(self.screen.post_message, CatalogChanged(raw, parsed))
