"""The catalogue's git repository, through the `git` command (as tig and lazygit use it).

Outside a work tree, or without git installed, `Repo.of` answers None at once and every git
feature is simply absent. Nothing here imports Textual.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import attr

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@attr.frozen
class Commit:
    oid: str
    short: str
    date: str  # YYYY-MM-DD, the author's
    author: str
    subject: str


@attr.frozen
class Repo:
    top: Path
    path: str  # the catalogue, relative to `top`, with forward slashes

    @classmethod
    def of(cls, catalogue: Path) -> Repo | None:
        """The work tree `catalogue` is tracked in, or None."""
        if shutil.which("git") is None:
            return None
        folder = catalogue.resolve().parent
        if not folder.is_dir():
            return None
        top = _run(folder, "rev-parse", "--show-toplevel")
        if top is None:
            return None
        try:
            relative = catalogue.resolve().relative_to(Path(top.decode().strip()))
        except ValueError:
            return None
        return cls(Path(top.decode().strip()), relative.as_posix())

    def git(self, *args: str) -> bytes | None:
        return _run(self.top, *args)

    def head(self) -> str | None:
        """HEAD's object id, or None before the first commit."""
        out = self.git("rev-parse", "--verify", "-q", "HEAD")
        return out.decode().strip() if out else None

    def resolve(self, rev: str) -> str | None:
        """A commit for `rev`: anything git names (a hash, a tag, HEAD~3), or a day
        (YYYY-MM-DD: the last commit on or before that day)."""
        if rev.startswith("-"):
            return None  # never an option to git
        if _DAY.fullmatch(rev):
            try:
                day = dt.date.fromisoformat(rev)
            except ValueError:
                return None
            out = self.git("rev-list", "-1", f"--before={day.isoformat()} 23:59:59", "HEAD")
        else:
            out = self.git("rev-parse", "--verify", "-q", f"{rev}^{{commit}}")
        oid = out.decode().strip() if out else ""
        return oid or None

    def show(self, oid: str) -> bytes | None:
        """The catalogue's bytes at commit `oid`, or None when it was not there."""
        return self.git("show", f"{oid}:{self.path}")

    def describe(self, oid: str) -> Commit | None:
        out = self.git("show", "-s", f"--format={_FORMAT}", "--date=short", oid)
        commits = _commits(out or b"")
        return commits[0] if commits else None

    def commits(self) -> list[Commit]:
        """Every commit of this branch that changed the catalogue, oldest first (a merge is
        one change: what it brought)."""
        out = self.git(
            "log",
            "--first-parent",
            "--reverse",
            f"--format={_FORMAT}",
            "--date=short",
            "--",
            self.path,
        )
        return _commits(out or b"")


_FORMAT = "%H%x00%h%x00%ad%x00%an%x00%s%x1e"


def at_revision(catalogue: Path, rev: str) -> tuple[bytes, str] | str:
    """The catalogue's bytes at `rev` and a line that says which commit that is; or why
    there are none."""
    repo = Repo.of(catalogue)
    if repo is None:
        return f"--at needs git: {catalogue} is not in a git work tree"
    oid = repo.resolve(rev)
    commit = repo.describe(oid) if oid else None
    if oid is None or commit is None:
        return f"--at: no commit {rev!r} in this repository"
    raw = repo.show(oid)
    if raw is None:
        return f"--at: {repo.path} is not in commit {commit.short} ({commit.date})"
    said = rev if rev == commit.short else f"{rev} = {commit.short}"
    return raw, f"{said}, {commit.date}: {commit.subject}"


def _commits(out: bytes) -> list[Commit]:
    commits = []
    for entry in out.decode("utf-8", "replace").split("\x1e"):
        fields = entry.strip("\n").split("\x00")
        if len(fields) == 5:
            commits.append(Commit(*fields))
    return commits


def _run(folder: Path, *args: str) -> bytes | None:
    """git's output, or None when it fails (or cannot run)."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


# History -------------------------------------------------------------------------------------


@attr.frozen
class Entry:
    """One commit's changes (or the uncommitted ones: `commit` None), in words."""

    commit: Commit | None
    lines: tuple[str, ...]


def history(repo: Repo, working: bytes | None) -> list[Entry]:
    """Every sample change in the file's history, newest first, the uncommitted first of all."""
    from tui.catalog import changes

    entries = []
    before = changes.Version()
    for commit in repo.commits():
        now = changes.Version.of(repo.show(commit.oid))
        entries.append(Entry(commit, tuple(_lines(before, now))))
        if now.problem is None:
            before = now
    if working is not None:
        now = changes.Version.of(working)
        lines = tuple(_lines(before, now))
        if lines:
            entries.append(Entry(None, lines))
    return entries[::-1]


def _lines(before: object, now: object) -> list[str]:
    from tui.catalog import changes

    assert isinstance(before, changes.Version) and isinstance(now, changes.Version)
    if now.problem is not None:
        return [now.problem]
    return [
        f"tube {change.tube} {change.name!r}: {', '.join(change.words())}"
        for change in changes.diff(before.records, now.records)
    ]


def sample_history(
    repo: Repo, working: bytes | None, tube: int | None, name: str | None
) -> list[Entry] | str:
    """The commits that changed one sample's record, newest first, the uncommitted change
    first of all; or why there is none to follow. git follows the record's lines back through
    moves and renames (`git log -L`), so this costs a few diffs, not a parse per commit."""
    from tui.catalog import changes
    from tui.catalog.document import Document
    from tui.catalog.edit import record_span, same_data
    from tui.catalog.model import name_key
    from tui.catalog.validate import parse_bytes

    def find(raw: bytes | None) -> tuple[int, dict[str, object], str] | None:
        if raw is None:
            return None
        parsed = parse_bytes(raw)
        records = (parsed.data or {}).get("sample", [])
        if not isinstance(records, list):
            return None
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                continue
            wanted_name = name is not None and isinstance(record.get("name"), str)
            if (tube is not None and record.get("tube") == tube) or (
                wanted_name and name_key(str(record["name"])) == name_key(name or "")
            ):
                return index, record, parsed.text
        return None

    head = repo.head()
    committed = find(repo.show(head)) if head else None
    current = find(working)
    entries: list[Entry] = []
    if current is not None or committed is not None:
        before = committed[1] if committed else None
        after = current[1] if current else None
        if not (before is not None and after is not None and same_data(before, after)):
            entries.append(Entry(None, tuple([", ".join(changes.record_words(before, after))])))
    if committed is None:
        if current is None:
            return "no sample " + (f"in tube {tube}" if tube is not None else f"named {name!r}")
        return entries
    index, _, text = committed
    start, end = record_span(Document(text), index)
    first = text.count("\n", 0, start) + 1
    last = text.count("\n", 0, end) + (0 if text[end - 1 : end] == "\n" else 1)
    out = repo.git(
        "log",
        f"-L{first},{last}:{repo.path}",
        f"--format=\x1e{_FORMAT}",
        "--date=short",
        "--no-color",
    )
    parts = (out or b"").decode("utf-8", "replace").split("\x1e")
    found = [
        (commits[0], *_sides(patch))
        for header, patch in zip(parts[1::2], parts[2::2], strict=False)
        if (commits := _commits(header.encode()))
    ]
    # Newest first; a version that did not parse is said, and the next change is told
    # against the last version that did.
    parsed = [changes.block_record(new) for _, _, new in found]
    for at, (commit, old, _) in enumerate(found):
        after = parsed[at]
        before = next((r for r in parsed[at + 1 :] if r is not None), None)
        if after is None:
            words = ["the record did not parse here"]
        elif not old.strip():
            words = changes.record_words(None, after)
        else:
            words = changes.record_words(before, after)
        entries.append(Entry(commit, (", ".join(words),)))
    return entries


def _sides(patch: str) -> tuple[str, str]:
    """The old and the new text of a `git log -L` patch of one range."""
    old: list[str] = []
    new: list[str] = []
    body = patch.split("\n@@", 1)
    if len(body) < 2:
        return "", ""
    for line in body[1].split("\n")[1:]:
        if line.startswith((" ", "-")) and not line.startswith("--- "):
            old.append(line[1:])
        if line.startswith((" ", "+")) and not line.startswith("+++ "):
            new.append(line[1:])
    return "\n".join(old) + "\n", "\n".join(new) + "\n"
