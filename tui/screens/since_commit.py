"""What changed since the last commit: each tube whose record differs from HEAD's, for the
board and the table to mark and the summary to count.

Started after the first screen (it must not delay it), and looked at again every few seconds
in a worker: HEAD's object id and the bytes the app knows are the cache key, so a save, a
reload or a commit made elsewhere (a new HEAD) is seen, and nothing is done while neither
changes. Outside a git work tree, without git, or for a file HEAD does not hold, it stops at
once and nothing is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.catalog.changes import Version, changed_tubes
from tui.catalog.patch import digest
from tui.gitrepo import Repo

if TYPE_CHECKING:
    from textual.timer import Timer

    from tui.screens.board_screen import BoardScreen

POLL_SECONDS = 2.0
PAUSED = "changes since last commit: paused while the file does not parse"


class SinceCommit:
    def __init__(self, screen: BoardScreen) -> None:
        self.screen = screen
        self.changes: dict[int, str] = {}
        self.paused: str | None = None  # why the changes are not shown, when they are not
        self._repo: Repo | None = None
        self._timer: Timer | None = None
        self._key: tuple[str, bytes] | None = None  # HEAD, and the known bytes' digest
        self._committed: tuple[str, Version] | None = None  # HEAD and its records

    def start(self) -> None:
        """Look now, off the event loop, and every few seconds after; the screen shows it."""
        self.screen.since_commit = self
        self.screen.run_worker(self._first, thread=True, group="git", exclusive=True)

    @property
    def in_git(self) -> bool:
        return self._repo is not None

    def history(self, tube: int) -> list[str] | None:
        """The sample in `tube`'s history in git, as lines (newest first); None outside git.
        Slow on a long history: call it off the event loop."""
        from tui.gitrepo import sample_history

        repo = self._repo or Repo.of(self.screen.workspace.store.path)
        if repo is None:
            return None
        found = sample_history(repo, self.screen.workspace.known_bytes, tube, None)
        if isinstance(found, str):
            return [found]
        lines = []
        for entry in found:
            c = entry.commit
            lines.append(f"{c.short} {c.date} {c.author}  {c.subject}" if c else "uncommitted")
            lines += [f"    {line}" for line in entry.lines]
        return lines or ["no commits yet"]

    def note(self) -> str:
        if self.paused is not None:
            return self.paused
        count = len(self.changes)
        return f"{count} changed since last commit" if count else ""

    def _first(self) -> None:
        self._repo = Repo.of(self.screen.workspace.store.path)
        if self._repo is not None and self.screen.workspace.store.revision is None:
            from tui.git_commands import merge_driver_problem  # the merge: only with git

            problem = merge_driver_problem(self._repo)
            if problem is not None:
                self.screen.app.call_from_thread(
                    self.screen.app.notify,
                    problem[0].upper() + problem[1:],
                    title="git",
                    severity="warning",
                    timeout=20,
                    markup=False,
                )
            self._look()
            self.screen.app.call_from_thread(self._poll_later)

    def _poll_later(self) -> None:
        self._timer = self.screen.set_interval(POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        self.screen.run_worker(self._look, thread=True, group="git", exclusive=True)

    def _look(self) -> None:
        """Off the event loop: the changes, when HEAD or the known bytes changed."""
        repo, workspace = self._repo, self.screen.workspace
        if repo is None:
            return
        head = repo.head()
        raw = workspace.known_bytes
        # The bytes by their content: an id() is reused once its object is freed.
        key = (head or "", digest(raw))
        if key == self._key:
            return
        self._key = key
        if head is None:
            found: dict[int, str] = {}
        else:
            if self._committed is None or self._committed[0] != head:
                committed = repo.show(head)
                self._committed = (head, Version.of(committed) if committed else Version())
                if committed is None:  # HEAD does not hold the file: nothing to compare
                    self._committed = (head, Version(problem="not in HEAD"))
            version = self._committed[1]
            parsed = workspace.store.parse(raw)  # the parse the app has, when it has it
            records = (parsed.data or {}).get("sample", [])
            if parsed.data is None:
                # Someone is mid-edit: every tube would look deleted. Say so, mark none.
                self.screen.app.call_from_thread(self._found, {}, PAUSED)
                return
            if version.problem is not None or not isinstance(records, list):
                found = {}
            else:
                found = changed_tubes(version.records, [r for r in records if isinstance(r, dict)])
        self.screen.app.call_from_thread(self._found, found, None)

    def _found(self, changes: dict[int, str], paused: str | None) -> None:
        if changes != self.changes or paused != self.paused:
            self.changes, self.paused = changes, paused
            self.screen.apply_highlights()
