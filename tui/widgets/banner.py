"""The line under the board that says why it cannot be edited now, if it cannot."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.catalog.workspace import Workspace
from tui.plain import printable


def banner_text(workspace: Workspace, read_only: str | None) -> str:
    name = workspace.name
    if workspace.partial:
        size = len(workspace.known_bytes) / 1e6
        return f"reading the rest of {name} ({size:.1f} MB); edits in a moment"
    if workspace.problems:
        first = workspace.problems[0]
        count = len(workspace.problems)
        return (
            f"{name} has {count} problem{'s' if count > 1 else ''} on disk "
            f"(line {first.line}:{first.col}: {first.message}); showing the last "
            "good board, read-only, until it is fixed"
        )
    if read_only:
        return f"read-only: {read_only}; you can look but not change"
    return ""


class Banner(Static):
    """Why the board cannot be edited now (read-only, broken on disk), above it."""

    def show(self, workspace: Workspace, read_only: str | None) -> None:
        text = banner_text(workspace, read_only)
        self.update(Content(printable(text)))  # the file's name and messages are user text
        self.set_class(bool(text), "-shown")
