"""What changed since the last commit, as marks for the views: each tube whose record differs
from HEAD's. Textual-free: the app's poller (tui/screens/since_commit.py) asks it from a worker
and posts what it answers, as the watcher does for the file.

HEAD's object id and the digest of the bytes asked about are the cache key, so a save, a reload
or a commit made elsewhere (a new HEAD) is seen, and nothing is done while neither changes.
Outside a git work tree, without git, or for a file HEAD does not hold, nothing is marked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attr

if TYPE_CHECKING:  # the board screen holds Marks from its start; the rest comes with git
    from tui.catalog.changes import Version
    from tui.catalog.validate import Parsed
    from tui.gitrepo import Repo

PAUSED = "changes since last commit: paused while the file does not parse"
WORKING_PAUSED = "differences from the working file: paused while it does not parse"
DIFFER = ("differs from the working file", "differ from the working file")


@attr.frozen
class Marks:
    """Each changed tube's state (added, changed, deleted), or why none are shown now."""

    changes: Mapping[int, str] = attr.field(factory=dict)
    paused: str | None = None
    # What the count says: singular, plural ("differs from the working file" on a past board).
    what: tuple[str, str] = ("changed since last commit", "changed since last commit")

    def note(self) -> str:
        if self.paused is not None:
            return self.paused
        count = len(self.changes)
        return f"{count} {self.what[count != 1]}" if count else ""


class SinceCommit:
    """The catalogue's repository and HEAD's records; slow calls: ask from a worker."""

    def __init__(self, path: Path, parse: Callable[[bytes], Parsed]) -> None:
        self.path, self.parse = path, parse
        self.repo: Repo | None = None
        self._key: tuple[str, bytes] | None = None  # HEAD, and the bytes' digest
        self._committed: tuple[str, Version] | None = None  # HEAD and its records

    def open(self) -> str | None:
        """Find the repository; what to tell the user about its merge driver, if anything."""
        from tui.gitrepo import Repo

        self.repo = Repo.of(self.path)
        if self.repo is None:
            return None
        from tui.git_commands import merge_driver_problem  # the merge: only with git

        problem = merge_driver_problem(self.repo)
        return problem[0].upper() + problem[1:] if problem else None

    def look(self, raw: bytes) -> Marks | None:
        """The marks for the file's bytes `raw`; None when nothing changed since the last
        look (the same HEAD, the same bytes by content) or outside git."""
        from tui.catalog.changes import Version, changed_tubes
        from tui.catalog.patch import digest

        repo = self.repo
        if repo is None:
            return None
        head = repo.head()
        key = (head or "", digest(raw))  # by content: an id() is reused once freed
        if key == self._key:
            return None
        self._key = key
        if head is None:
            return Marks()
        if self._committed is None or self._committed[0] != head:
            committed = repo.show(head)
            version = Version.of(committed) if committed else Version(problem="not in HEAD")
            self._committed = (head, version)
        version = self._committed[1]
        parsed = self.parse(raw)
        if parsed.data is None:  # someone is mid-edit: every tube would look deleted
            return Marks(paused=PAUSED)
        records = parsed.data.get("sample", [])
        if version.problem is not None or not isinstance(records, list):
            return Marks()
        now = [r for r in records if isinstance(r, dict)]
        return Marks(changed_tubes(version.records, now))

    def against_working(self, shown: bytes) -> Marks | None:
        """For a past board (`--at`): each of its tubes whose record differs in the working
        file (`+` here and not there, `~` changed since, `-` empty here and filled there);
        None when the working file is as at the last look."""
        from tui.catalog.atomic import read_regular
        from tui.catalog.changes import Version, changed_tubes
        from tui.catalog.errors import ReadError
        from tui.catalog.patch import digest

        try:
            raw: bytes | None = read_regular(self.path)[0]
        except (OSError, ReadError):
            raw = None  # gone from the work tree: every record differs
        key = ("working file", digest(raw) if raw is not None else b"gone")
        if key == self._key:
            return None  # the working file as at the last look
        self._key = key
        working = Version.of(raw) if raw is not None else Version()
        if working.problem is not None:
            return Marks(paused=WORKING_PAUSED)
        past = Version.of(shown)
        return Marks(changed_tubes(working.records, past.records), what=DIFFER)

    def history(self, tube: int, raw: bytes) -> list[str] | None:
        """The sample in `tube`'s history in git, as lines (newest first); None outside git.
        Slow on a long history: call it off the event loop."""
        from tui.gitrepo import Repo, sample_history

        repo = self.repo or Repo.of(self.path)
        if repo is None:
            return None
        found = sample_history(repo, raw, tube, None)
        if isinstance(found, str):
            return [found]
        lines = []
        for entry in found:
            c = entry.commit
            lines.append(f"{c.short} {c.date} {c.author}  {c.subject}" if c else "uncommitted")
            lines += [f"    {line}" for line in entry.lines]
        return lines or ["no commits yet"]
