"""The catalogue's git repository, through the `git` command (as tig and lazygit use it).

Outside a work tree, or without git installed, `Repo.of` answers None at once and every git
feature is simply absent. Nothing here imports Textual.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

import attr

if TYPE_CHECKING:
    from tui.catalog.locate import Found
    from tui.catalog.store import AtRevision

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
    """The catalogue's git work tree, asked through the `git` command."""

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
        # cat-file, not show: the bytes as committed, whatever textconv a config names.
        return self.git("cat-file", "blob", f"{oid}:{self.path}")

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


@attr.frozen
class Past:
    """A catalogue as a commit had it (`--at`): its bytes, the line the board's title says
    of the commit, and the commit as a sheet or a page says it (see `described`)."""

    raw: bytes
    said: str
    commit: str

    def store(self, path: Path) -> AtRevision:
        """The store that reads these bytes as the catalogue at `path`, never written."""
        from tui.catalog.store import AtRevision

        return AtRevision(path, self.raw, self.said, self.commit)


def at_revision(catalogue: Path, rev: str) -> Past | str:
    """The catalogue's bytes at `rev` and what says which commit that is; or why there are
    none."""
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
    return Past(raw, f"{said}, {commit.date}: {commit.subject}", _sheet_words(commit))


def _sheet_words(commit: Commit) -> str:
    return f"{commit.short} ({commit.date})"  # a subject can run to lines


def described(path: Path, at: str | None = None) -> str | None:
    """The git commit a sheet or a page shows, `at`'s, else HEAD's, as its short hash and
    day, and "changes not committed yet" when the file differs from it; None outside git."""
    repo = Repo.of(path)
    if repo is None:
        return None
    oid = repo.resolve(at) if at else repo.head()
    commit = repo.describe(oid) if oid else None
    if commit is None:
        return None
    said = _sheet_words(commit)
    if at is None:
        committed = repo.show(commit.oid)
        if committed is None:  # the file is not in HEAD: no commit speaks for it
            listed = repo.git(
                "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--", repo.path
            )
            return "ignores this file" if listed else "does not track this file"
        try:
            now: bytes | None = path.read_bytes()
        except OSError:
            now = None
        if committed != now:
            said += ", and changes not committed yet"
    return said


def _commits(out: bytes) -> list[Commit]:
    commits = []
    for entry in out.decode("utf-8", "replace").split("\x1e"):
        fields = entry.strip("\n").split("\x00")
        if len(fields) == 5:
            commits.append(Commit(*fields))
    return commits


# Every git command: a path is a path, never a pattern (`*`, `[`, a leading `:`), names come
# out unquoted, and no pager is ever started.
GIT = ("git", "--no-pager", "--literal-pathspecs", "-c", "core.quotePath=false")


def _run(folder: Path, *args: str) -> bytes | None:
    """git's output, or None when it fails (or cannot run)."""
    try:
        done = subprocess.run(
            [*GIT, *args], cwd=folder, capture_output=True, check=False, timeout=60
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
    """Every sample change in the file's history, newest first, the uncommitted first of all.
    Each version is read through one `git cat-file --batch`, and only its blocks the version
    before did not have are parsed (bench (j))."""
    from tui.catalog import changes

    entries = []
    before = changes.Version()
    with _Blobs(repo) as blobs:
        for commit in repo.commits():
            now, changed = before.then(blobs.get(f"{commit.oid}:{repo.path}"))
            entries.append(Entry(commit, tuple(_lines(now, changed))))
            if now.problem is None:
                before = now
    if working is not None:
        now, changed = before.then(working)
        lines = tuple(_lines(now, changed))
        if lines:
            entries.append(Entry(None, lines))
    return entries[::-1]


def _lines(now: object, changed: Sequence[object]) -> list[str]:
    from tui.catalog import changes

    assert isinstance(now, changes.Version)
    if now.problem is not None:
        return [now.problem]
    return [
        f"tube {change.tube} {change.name!r}: {', '.join(change.words())}"
        for change in changed
        if isinstance(change, changes.RecordChange)
    ]


def sample_history(
    repo: Repo, working: bytes | None, tube: int | None, name: str | None
) -> list[Entry] | str:
    """The commits that changed one sample's record, newest first, the uncommitted change
    first of all; or why there is none to follow. Each version's record is found by the
    sample's name, else its tube, as the previous (newer) version had them, so a move or a
    rename is followed; a version is searched, not read whole (bench (j))."""
    from tui.catalog import changes
    from tui.catalog.edit import same_data
    from tui.catalog.locate import find

    def same(a: Found | None, b: Found) -> bool:
        if a is None:
            return False
        if a.block == b.block:
            return True
        return a.record is not None and b.record is not None and same_data(a.record, b.record)

    with _Blobs(repo) as blobs:
        head = repo.head()
        current = find(working, tube, name) if working is not None else None
        wanted: tuple[object, str | None] = (tube, name)
        if current is not None and current.record is not None:
            wanted = (current.tube(), current.name())
        raw = blobs.get(f"{head}:{repo.path}") if head else None
        committed = find(raw, *wanted) if raw is not None else None
        entries: list[Entry] = []
        if not (committed and current and same(committed, current)) and (committed or current):
            before = committed.record if committed else None
            after = current.record if current else None
            words = changes.record_words(before, after)
            if current is not None and after is None:
                words = ["the record does not parse"]
            entries.append(Entry(None, (", ".join(words),)))
        if committed is None:
            if current is None:
                return "no sample " + (f"in tube {tube}" if tube is not None else f"named {name!r}")
            return entries
        # Newest first: what each commit made of the record and what it was before.
        found: list[tuple[Commit, Found | None, Found]] = []
        if committed.record is not None:
            wanted = (committed.tube(), committed.name())
        searched: dict[tuple[str, object, str | None], Found | None] = {}

        def search(blob: str | None) -> Found | None:
            if blob is None:
                return None
            key = (blob, *wanted)
            if key not in searched:
                raw = blobs.get(blob)
                searched[key] = None if raw is None else find(raw, *wanted)
            return searched[key]

        for commit, parents, blob in _changes_of(repo):
            new = search(blob)
            if new is None:
                continue  # not in this version: a branch from before it was added
            olds = [search(parent) for parent in parents]
            if any(same(old, new) for old in olds):
                continue
            old = olds[0] if olds else None
            if parents and parents[0] and (old is None or old.name() != new.name()):
                # Not there by its name: renamed (and perhaps moved) here, or added. The
                # whole two versions say which record of the parent it was, if any.
                paired = _paired(blobs.get(parents[0]), blobs.get(blob) if blob else None, new)
                old = paired or old  # a parent that does not parse: as found by its tube
            found.append((commit, old, new))
            if old is None:
                break  # added here
            if old.record is not None:
                wanted = (old.tube(), old.name())
    # A version that did not parse is said, and the next change is told against the last
    # version that did.
    for at, (commit, old, new) in enumerate(found):
        if new.record is None:
            words = ["the record did not parse here"]
        elif old is None:
            words = changes.record_words(None, new.record)
        else:
            older = (
                r for r in [old.record, *(n.record for _, _, n in found[at + 1 :])] if r is not None
            )
            words = changes.record_words(next(older, None), new.record)
        entries.append(Entry(commit, (", ".join(words),)))
    return entries


def _paired(before: bytes | None, after: bytes | None, new: Found) -> Found | None:
    """The record of `before` that `new` (a record of `after`) was, as `diff` pairs records
    (by name, by tube, by designation or facts when renamed and moved at once), found in
    `before`'s text; None when it was added."""
    from tui.catalog import changes
    from tui.catalog.identity import ident
    from tui.catalog.locate import find

    if before is None or after is None or new.record is None:
        return None
    olds, news = changes.Version.of(before).records, changes.Version.of(after).records
    mine = [j for j, record in enumerate(news) if ident(record) == ident(new.record)]
    became = {j: i for i, j in changes.match(list(olds), list(news)).items()}
    if len(mine) != 1 or (i := became.get(mine[0])) is None:
        return None
    return find(before, *ident(olds[i]))


_NO_BLOB = "0" * 40


def _changes_of(repo: Repo) -> list[tuple[Commit, list[str | None], str | None]]:
    """Each commit that changed the file, newest first, with the file's blob in each parent
    (None: not there) and in the commit. Reading git's raw diff costs no blob."""
    out = repo.git(
        "log",
        f"--format=%x1e{_FORMAT[:-4]}%x00",
        "--date=short",
        "-c",
        "--raw",
        "-z",
        "--no-abbrev",
        "--no-renames",
        "--",
        repo.path,
    )
    # --no-abbrev makes %h whole too: shorten as git would for this repository.
    short = len((repo.git("rev-parse", "--short", "HEAD") or b"1234567").strip())
    changed = []
    for part in (out or b"").decode("utf-8", "replace").split("\x1e")[1:]:
        fields = part.split("\x00")
        if len(fields) < 6:
            continue
        commit = Commit(fields[0], fields[0][:short], *fields[2:5])
        # With -z each raw line is `:modes oids status` NUL `path` NUL, the path unquoted.
        raw = fields[5:]
        for at, head in enumerate(raw[:-1]):
            head = head.strip()
            if not head.startswith(":") or raw[at + 1] != repo.path:
                continue
            parents = len(head) - len(head.lstrip(":"))
            oids = head.lstrip(":").split()[parents + 1 : 2 * parents + 2]
            blobs = [None if oid == _NO_BLOB else oid for oid in oids]
            changed.append((commit, blobs[:-1], blobs[-1]))
    return changed


def _widen(pipe: IO[bytes] | None) -> None:
    """A 1 MB pipe where Linux allows it: versions of megabytes come through it in a
    sixteenth of the reads (bench (j))."""
    import fcntl

    size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if pipe is None or size is None:
        return
    # Above /proc/sys/fs/pipe-max-size, the default pipe still works.
    with contextlib.suppress(OSError):
        fcntl.fcntl(pipe.fileno(), size, 1 << 20)


class _Blobs:
    """Objects read through one `git cat-file --batch` (one process for hundreds of
    versions), the last few kept. Keeping them matters beyond a version asked for again: with
    none alive, the allocator hands each freed 2 MB version back to the system and faults the
    next one's pages in anew: 10 times the page faults and twice the time of `log --tube` at
    10,000 samples x 500 commits (bench/RESULTS.md)."""

    def __init__(self, repo: Repo) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        try:
            self._process = subprocess.Popen(
                [*GIT, "cat-file", "--batch"],
                cwd=repo.top,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            pass
        else:
            _widen(self._process.stdout)
        self._kept: dict[str, bytes | None] = {}
        self._top = repo.top

    def __enter__(self) -> _Blobs:
        return self

    def __exit__(self, *_: object) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()

    def get(self, name: str) -> bytes | None:
        if name in self._kept:
            return self._kept[name]
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            return None
        if "\n" in name:  # the batch reads names a line each: this one on its own
            return _run(self._top, "cat-file", "blob", name)
        try:
            process.stdin.write(name.encode() + b"\n")
            process.stdin.flush()
            header = process.stdout.readline().split()
            data = None
            if len(header) == 3 and header[1] == b"blob":
                data = process.stdout.read(int(header[2]) + 1)[:-1]
            elif len(header) == 3:
                process.stdout.read(int(header[2]) + 1)
        except (OSError, ValueError):
            return None
        if len(self._kept) >= 4:
            del self._kept[next(iter(self._kept))]
        self._kept[name] = data
        return data
