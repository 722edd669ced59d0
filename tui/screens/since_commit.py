"""The marks of what changed since the last commit, kept current: started after the first
screen (it must not delay it), it asks the core's SinceCommit (tui/git_marks.py) from a worker
now and every few seconds after, and posts what it finds, as the watcher does for the file."""

from __future__ import annotations

from typing import Any

from textual.message import Message
from textual.screen import Screen

from tui.catalog.workspace import Workspace
from tui.git_marks import Marks, SinceCommit

POLL_SECONDS = 2.0


class MarksFound(Message):
    """What changed since the last commit, as found now."""

    def __init__(self, marks: Marks) -> None:
        super().__init__()
        self.marks = marks


class GitPoller:
    """Keeps the marks since the last commit current: asks the core from a worker, posts
    MarksFound."""

    def __init__(self, screen: Screen[Any], workspace: Workspace) -> None:
        self.screen, self.workspace = screen, workspace
        self.service = SinceCommit(workspace.store.path, workspace.store.parse)

    def start(self) -> None:
        self.screen.run_worker(self._first, thread=True, group="git", exclusive=True)

    def history(self, tube: int) -> list[str] | None:
        return self.service.history(tube, self.workspace.known_bytes)

    def _first(self) -> None:
        notice = self.service.open()
        app = self.screen.app
        if notice is not None:
            app.call_from_thread(
                app.notify, notice, title="git", severity="warning", timeout=20, markup=False
            )
        if self.service.repo is not None:
            self._look()
            app.call_from_thread(self.screen.set_interval, POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        self.screen.run_worker(self._look, thread=True, group="git", exclusive=True)

    def _look(self) -> None:
        shown = self.workspace.known_bytes
        if self.workspace.store.revision is None:
            marks = self.service.look(shown)
        else:  # a past board: what differs from the working file, as it is now
            marks = self.service.against_working(shown)
        if marks is not None:
            self.screen.app.call_from_thread(self.screen.post_message, MarksFound(marks))
