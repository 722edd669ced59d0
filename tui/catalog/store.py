"""Load and save a catalogue file: lock, re-read, edit the current text, verify, replace.

Every change is applied to the text as it is on disk at the moment of saving, under a lock,
so an edit never overwrites what someone else wrote in the meantime.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attr

from tui.catalog.model import SAMPLE_KEYS, Catalog, Sample, field_changes
from tui.catalog.validate import (
    BOM,
    Parsed,
    parse_bytes,
    parse_text,
    sample_from_record,
    sets_tubes,
)

if TYPE_CHECKING:
    from tui.catalog.edit import Change
    from tui.catalog.patch import Patch

TEMP_SUFFIX = ".tubeboard-tmp"
BACKUP_SUFFIX = ".tubeboard-backup"
LOCK_TIMEOUT = 5.0
SAVE_ATTEMPTS = 3  # a save redone on the new text when another program wrote meanwhile


class StoreError(Exception):
    """A problem with the file, worded for the person using the app."""


class ReadError(StoreError):
    """The file could not be read at all."""


class ConflictError(StoreError):
    """The change no longer fits the file as it is on disk now."""


class SaveError(StoreError):
    """The file could not be written; it was left as it was."""


class Busy(StoreError):
    """Another tubeboard holds the lock, and the caller asked not to wait for it."""


class ChangedMeanwhile(ConflictError):
    """Another program replaced or rewrote the file between our read and our write; our
    write was taken back (or never made)."""


# Far beyond a catalogue of 100,000 tubes (about 20 MB), and small enough to read and parse.
MAX_FILE_BYTES = 256 * 1024 * 1024


@attr.frozen
class Known:
    """The file as a save read it: what must still be there when the new file goes in."""

    identity: tuple[int, int, int, int]  # device, inode, size, modification time (ns)
    data: bytes


def identity_of(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _kind_of(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def read_regular(
    path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES
) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its stat, read through one descriptor.

    A named pipe would block forever and /dev/zero never ends, so anything but a regular
    file is refused (opened without blocking, then checked), and so is a file over `limit`
    bytes. Raises OSError, or ReadError with the reason in words."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, "is a folder")
            raise ReadError(
                f"cannot read {os.fspath(path)}: it is {_kind_of(info.st_mode)}, not a regular file"
            )
        chunks, got = [], 0
        while chunk := os.read(fd, max(info.st_size - got, 0) + 65536):
            got += len(chunk)
            if got > limit:
                break
            chunks.append(chunk)
        if got > limit:
            raise ReadError(
                f"cannot read {os.fspath(path)}: it is over {limit // 2**20} MB, far larger "
                "than any catalogue; is it the right file?"
            )
        info = os.fstat(fd)  # after the read: a writer meanwhile shows in its time and size
        return b"".join(chunks), info
    finally:
        os.close(fd)


class Store:
    """One catalogue file on disk. Widgets ask it; they never open the file themselves."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        # The bytes the last write replaced, and the bytes it wrote: what undo needs.
        self.last_write: tuple[bytes, bytes] | None = None
        self._cache: tuple[bytes, Parsed] | None = None
        self._retired: tuple[bytes, Parsed] | None = None
        # The replaced file, held open after a save: its blocks are freed when it is closed,
        # off the path between a keystroke and the write (a rename over a file's last name
        # frees them at once, which takes a while for a large one).
        self._replaced: int | None = None
        # The app runs the after-write full check in a worker thread; others run it inline.
        self.defer_full_check = False
        # Writes still to be checked by a full re-parse, oldest first: (before, written, text,
        # the data it must parse to).
        self.pending_checks: list[tuple[bytes, bytes, str, dict[str, Any]]] = []
        # A copy of the file, made ahead of the next save (see Spare); taken by one save.
        self._spare: Spare | None = None
        self._spare_lock = threading.Lock()
        self._warm_lock = threading.Lock()

    @property
    def real_path(self) -> Path:
        # Writes go to the target of a symlink, so the link stays a link.
        return Path(os.path.realpath(self.path))

    def read(self) -> Parsed:
        return self.parse(self.read_bytes())

    def fingerprint(self) -> tuple[int, int, int, int] | None:
        """What changes when the file does: inode (a rename), size, and times."""
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)

    def read_only_reason(self) -> str | None:
        """Why a save could not work here, or None. A save writes a file beside the
        catalogue and renames it, so the folder must be writable as well as the file.
        A file nobody may write (no write bit at all) is read-only even for root: someone
        made it so on purpose."""
        real = self.real_path
        try:
            mode = os.stat(real).st_mode
        except OSError:
            mode = 0o200
        if not os.access(real, os.W_OK) or not mode & 0o222:
            return f"{self.path} is read-only"
        if not os.access(real.parent, os.W_OK | os.X_OK):
            return f"the folder of {self.path} is read-only"
        return None

    # Changes -------------------------------------------------------------------------------

    # The edit module is imported where a change is made: opening a file never needs it.
    # Each change takes the lock first. With wait=False it raises Busy at once if another
    # tubeboard holds it, so the app can wait in a worker thread, not on its event loop.

    def add(self, sample: Sample, wait: bool = True) -> Catalog:
        from tui.catalog import edit

        def change(parsed: Parsed, catalog: Catalog) -> tuple[Change, int]:
            _check_room(parsed, catalog, sample)
            _check_name_free(catalog, sample)
            assert parsed.data is not None
            made = edit.add(parsed.text, parsed.data, sample.to_toml(), parsed)
            return made, len(catalog.samples)

        return self._change(change, wait)

    def edit(self, old: Sample, new: Sample, wait: bool = True) -> Catalog:
        from tui.catalog import edit

        def change(parsed: Parsed, catalog: Catalog) -> tuple[Change, int]:
            index = _find(catalog, old)
            if new.tube != old.tube:
                _check_room(parsed, catalog, new)
            _check_name_free(catalog, new, ignore=index)
            assert parsed.data is not None
            record = merge_record(parsed.data["sample"][index], old, new)
            return edit.replace(parsed.document, parsed.data, index, record), index

        return self._change(change, wait)

    def delete(self, old: Sample, wait: bool = True) -> Catalog:
        from tui.catalog import edit

        def change(parsed: Parsed, catalog: Catalog) -> tuple[Change, int]:
            index = _find(catalog, old)
            assert parsed.data is not None
            return edit.delete(parsed.document, parsed.data, index), index

        return self._change(change, wait)

    def create(self, text: str) -> Catalog:
        """Write a new catalogue file; refuse if one appeared in the meantime."""
        parsed = parse_text(text)
        if parsed.catalog is None:
            raise SaveError("the new catalogue would not be valid; nothing was written")
        if not self.path.absolute().parent.is_dir():
            raise SaveError(f"the folder {self.path.absolute().parent} does not exist")
        with self._lock():
            if self.path.exists():
                raise ConflictError(f"{self.path} exists now; it was not overwritten")
            write_atomic(self.path, text.encode("utf-8"))
        return parsed.catalog

    def write_schema_beside(self) -> Path | None:
        """Put catalog.schema.json beside a new catalogue, for its `#:schema` line.

        Only where there is none: an existing one may be the person's own. Returns the path
        written, or None."""
        from tui.catalog.schema import SCHEMA_FILE, schema_text

        target = self.path.parent / SCHEMA_FILE
        if target.exists() or target.is_symlink():
            return None
        write_atomic(target, schema_text().encode("utf-8"))
        return target

    def restore(self, current: bytes, previous: bytes, wait: bool = True) -> Catalog:
        """Put back `previous`, but only if the file still holds exactly `current`."""
        return self._put_back(lambda now: previous if now == current else None, wait)

    def revert(self, patch: Patch, wait: bool = True) -> Catalog:
        """Take back the write `patch` describes, but only if the file still holds exactly
        what that write left."""
        return self._put_back(patch.undo, wait)

    def _put_back(self, previous_of: Callable[[bytes], bytes | None], wait: bool) -> Catalog:
        with self._lock(wait):
            self._check_writable()
            remove_leftovers(self.real_path)
            known = self.read_known()
            current = known.data
            previous = previous_of(current)
            if previous is None:
                raise ConflictError(f"{self.path} has changed since; it was not put back")
            parsed = self.parse(previous)
            if parsed.catalog is None:
                raise SaveError("the earlier text is not a valid catalogue; nothing was written")
            write_atomic(self.path, previous, expect=known)
            self.last_write = (current, previous)
        return parsed.catalog

    def layout_refusal(self) -> str | None:
        """Why the file as last read cannot be edited here though it is valid, or None."""
        cached = self._cache
        if cached is None:
            return None
        parsed = cached[1]
        if parsed.catalog is None or not parsed.may_be_inline:
            return None
        from tui.catalog.edit import INLINE_MESSAGE

        return INLINE_MESSAGE if parsed.document.is_inline() else None

    def _check_writable(self) -> None:
        """At the moment of saving, not only when the file was opened: a chmod meanwhile."""
        reason = self.read_only_reason()
        if reason is not None:
            raise SaveError(f"{reason} now; nothing was written")

    def read_bytes(self) -> bytes:
        return self.read_known().data

    def read_known(self) -> Known:
        try:
            data, info = read_regular(self.path)
        except OSError as error:
            raise ReadError(f"cannot read {self.path}: {_reason(error)}") from None
        cached = self._cache
        if cached is not None and cached[0] == data:
            data = cached[0]  # the same object: the parse and the spare know it by identity
        return Known(identity_of(info), data)

    def parse(self, raw: bytes) -> Parsed:
        """The parse of `raw`, reusing the last one when the bytes are the same: a save
        re-reads the file, but need not re-parse ten thousand records nobody touched."""
        cached = self._cache
        if cached is not None and cached[0] == raw:
            return cached[1]
        parsed = parse_bytes(raw)
        self._cache = (raw, parsed)
        return parsed

    def _change(
        self, change: Callable[[Parsed, Catalog], tuple[Change, int]], wait: bool
    ) -> Catalog:
        with self._lock(wait):
            self._check_writable()
            remove_leftovers(self.real_path)
            # Another program may replace the file between our read and our write (the lock
            # keeps out only tubeboard): the write then takes itself back, and the change is
            # made again on the file as it is now.
            for attempt in range(SAVE_ATTEMPTS):
                try:
                    catalog = self._change_once(change)
                    break
                except ChangedMeanwhile:
                    if attempt == SAVE_ATTEMPTS - 1:
                        raise
        if not self.defer_full_check:
            self.run_full_check()
            self._let_go()
        return catalog

    def _change_once(self, change: Callable[[Parsed, Catalog], tuple[Change, int]]) -> Catalog:
        from tui.catalog import edit

        known = self.read_known()
        raw = known.data
        parsed = self.parse(raw)
        if parsed.catalog is None:
            first = parsed.errors[0]
            raise ConflictError(
                f"{self.path} has problems now (line {first.line}: {first.message}); "
                "fix it first, nothing was written"
            )
        try:
            made, index = change(parsed, parsed.catalog)
            # The record's own window proves the edit when it can; the whole text is
            # parsed again before writing only where it cannot.
            checked_whole = not edit.verify_window(parsed.text, made)
            if checked_whole:
                edit.verify(made.text, made.data)
        except edit.EditError as error:
            raise SaveError(str(error)) from None
        catalog = _updated(parsed, parsed.catalog, made, index)
        data = _encoded(raw, parsed, made)
        self._let_go()
        self._replaced = _hold(self.real_path)
        spare = self._take_spare()
        if spare is not None and made.appended and spare.content is raw:
            spare.same = len(raw)  # known without comparing: the file and the spare are raw
        try:
            write_atomic(self.path, data, spare, expect=known)
        finally:
            if spare is not None:
                spare.close()  # used or not, a spare serves one save
        self.last_write = (raw, data)
        written = Parsed(made.text, (), catalog, made.data, parsed.bom)
        if made.appended:
            # An appended [[sample]] block cannot make the samples an inline array.
            written.may_be_inline = parsed.may_be_inline
        # The old parse is freed later, off the path between a keystroke and the write:
        # freeing a large file's index takes a while.
        self._retired = self._cache
        self._cache = (data, written)
        if not checked_whole:
            self.pending_checks.append((raw, data, made.text, made.data))
        return catalog

    def run_full_check(self) -> None:
        """Parse the whole written text again and compare it with what was meant.

        The window check before writing already proves the edit; this is the belt to its
        braces, run after the write (in a worker thread, in the app). Should it ever
        disagree, the file is put back as it was, if nobody wrote since, and SaveError says so.
        """
        while self.pending_checks:
            self._full_check(*self.pending_checks.pop(0))

    def _full_check(self, before: bytes, written: bytes, text: str, data: dict[str, Any]) -> None:
        from tui.catalog import edit

        try:
            edit.verify(text, data)
        except edit.EditError:
            try:
                self.restore(written, before)
            except StoreError:
                raise SaveError(
                    f"the last save to {self.path} did not read back as intended, and the file "
                    "changed since, so it was not put back; check it with `tubeboard check`"
                ) from None
            raise SaveError(
                f"the last save to {self.path} did not read back as intended; "
                "the file was put back as it was"
            ) from None

    def warm(self) -> None:
        """Build what the next edit needs, ahead of it: the position index of the text, the
        inline-array hint, the index of names, and a spare copy of the file to write it into."""
        # Ready for the first edit and the spare's write, off their path: the edit module,
        # the patch module, and the exchange call (ctypes and the C library take ms to load).
        import tui.catalog.edit
        import tui.catalog.patch  # noqa: F401
        from tui.catalog.exchange import prepare

        prepare()

        # One at a time: a second caller finds the work done rather than doing it twice.
        with self._warm_lock:
            self._warm()

    def _warm(self) -> None:
        self._retired = None
        self._let_go()
        cached = self._cache
        if cached is None:
            return
        parsed = cached[1]
        _ = parsed.document, parsed.may_be_inline
        if parsed.catalog is not None:
            parsed.catalog.tube_named("")
        current = self._spare
        if current is None or current.content is not cached[0]:
            spare = Spare.make(self.real_path.parent, cached[0])
            with self._spare_lock:
                self._spare, current = spare, self._spare
            if current is not None:
                current.close()

    def _let_go(self) -> None:
        held, self._replaced = self._replaced, None
        if held is not None:
            os.close(held)

    def _take_spare(self) -> Spare | None:
        with self._spare_lock:
            spare, self._spare = self._spare, None
        return spare

    def close(self) -> None:
        """Let go of the spare copy and the replaced file, if any."""
        self._let_go()
        spare = self._take_spare()
        if spare is not None:
            spare.close()

    @contextlib.contextmanager
    def _lock(self, wait: bool = True) -> Iterator[None]:
        """An advisory lock on a sidecar file. The catalogue itself is replaced by rename, so
        a lock on its inode would protect nothing. The kernel drops a dead process's lock, so a
        crash never blocks anyone. The holder unlinks the sidecar before letting go, and a
        waiter that wakes on an unlinked sidecar tries again, so no file is left behind."""
        real = self.real_path
        lock_path = real.with_name(f".{real.name}.lock")
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as error:
                raise SaveError(f"cannot save {self.path}: {_reason(error)}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if not wait:
                    raise Busy(f"{self.path} is being saved by another tubeboard") from None
                if time.monotonic() > deadline:
                    raise ConflictError(
                        f"{self.path} is being saved by someone else; try again"
                    ) from None
                time.sleep(0.02)
                continue
            try:
                current = os.stat(lock_path).st_ino
            except FileNotFoundError:
                current = None
            if current == os.fstat(fd).st_ino:
                break
            os.close(fd)  # the previous holder removed this sidecar: take a fresh one
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.unlink(lock_path)
            os.close(fd)


def _check_room(parsed: Parsed, catalog: Catalog, sample: Sample) -> None:
    taken = catalog.sample_at(sample.tube)
    if taken is not None:
        raise ConflictError(f"tube {sample.tube} is already filled by {taken.name!r}")
    if sets_tubes(parsed.data) and sample.tube > catalog.board.tubes:
        raise ConflictError(
            f"tube {sample.tube} is out of range: the board has tubes 1..{catalog.board.tubes}"
        )


def _encoded(raw: bytes, parsed: Parsed, made: Change) -> bytes:
    """The bytes of the new text. An append adds the new block's bytes to the old ones,
    rather than encoding the whole (possibly large) text again."""
    if made.appended:
        return raw + made.text[len(parsed.text) :].encode("utf-8")
    return ((BOM if parsed.bom else "") + made.text).encode("utf-8")


def _updated(parsed: Parsed, catalog: Catalog, made: Change, index: int) -> Catalog:
    """The catalogue after the change, without reading the whole text again."""
    records = made.data.get("sample", [])
    sample = None if len(records) < len(catalog.samples) else sample_from_record(records[index])
    board = catalog.board
    if not sets_tubes(made.data):
        # Without `tubes`, the board is as long as its highest tube.
        board = attr.evolve(board, tubes=max((r["tube"] for r in records), default=1))
    return catalog.changed(index, sample, board)


def merge_record(raw: dict[str, Any], old: Sample, new: Sample) -> dict[str, Any]:
    """The record as it should read after the edit: what changed, and nothing else."""
    from tui.catalog import edit

    record = dict(raw)
    new_data = new.to_toml()
    for key in SAMPLE_KEYS:
        if getattr(new, key) == getattr(old, key):
            continue
        if key == "status":
            record[key] = new.status.value  # an explicit value reads better than a gone line
        elif key in new_data:
            record[key] = new_data[key]
        else:
            record.pop(key, None)
    for key in old.extra.keys() - new.extra.keys():
        record.pop(key, None)
    for key, value in new.extra.items():
        if key not in old.extra or not edit.same_data(old.extra[key], value):
            record[key] = value
    return record


def _find(catalog: Catalog, old: Sample) -> int:
    for index, sample in enumerate(catalog.samples):
        if sample == old:
            return index
    current = catalog.sample_at(old.tube)
    if current is None:
        raise ConflictError(
            f"tube {old.tube} ({old.name!r}) was emptied in the file meanwhile; nothing was written"
        )
    changes = "; ".join(field_changes(old, current)) or "its own keys changed"
    raise ConflictError(
        f"tube {old.tube} was changed in the file meanwhile ({changes}); nothing was written. "
        "Esc, then edit it again to start from the file as it is now"
    )


def _check_name_free(catalog: Catalog, sample: Sample, ignore: int | None = None) -> None:
    tube = catalog.tube_named(sample.name)
    if tube is None or (ignore is not None and catalog.samples[ignore].tube == tube):
        return
    raise ConflictError(f"the name {sample.name!r} is already used by tube {tube}")


class Spare:
    """An unnamed file in the catalogue's folder (Linux's O_TMPFILE), holding, written and
    fsynced ahead of time, the bytes the catalogue had when it was made.

    A save then writes only from the first byte that differs, fsyncs that, names the file
    and renames it over the catalogue: adding a record to a large file no longer copies and
    flushes all of it between the keystroke and the disk. Until it is named, nobody sees it
    (not `ls`, not `git status`), and a crash frees it with the process.
    """

    def __init__(self, fd: int, content: bytes) -> None:
        self.fd: int | None = fd
        self.content = content
        self.same = 0  # leading bytes the next write is known to share with `content`

    @classmethod
    def make(cls, folder: Path, content: bytes) -> Spare | None:
        """A spare holding `content`, or None where the system or the folder has no way to
        make one; saves then write the whole file, as they would anyway."""
        flag = getattr(os, "O_TMPFILE", 0)
        if not flag:
            return None
        try:
            fd = os.open(folder, flag | os.O_RDWR, 0o600)
        except OSError:
            return None
        try:
            _write_all(fd, memoryview(content), 0)
            os.fsync(fd)
        except OSError:
            os.close(fd)
            return None
        return cls(fd, content)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at interpreter exit, os may be gone
            self.close()

    def replace(
        self, real: Path, data: bytes, old: os.stat_result | None, expect: Known | None
    ) -> bool:
        """Make `real` hold `data` through this spare; False if it could not, with `real`
        untouched (the caller then writes a whole file as usual). The spare is spent either
        way: its owner closes it. ChangedMeanwhile if `real` no longer held `expect`."""
        fd = self.fd
        if fd is None:
            return False
        folder: int | None = None
        named: Path | None = None
        try:
            from tui.catalog.patch import common_prefix  # loaded by warm(), which made us

            start = self.same or common_prefix(self.content, data)
            _write_all(fd, memoryview(data)[start:], start)
            os.ftruncate(fd, len(data))
            _copy_mode(fd, old)
            os.fsync(fd)
            # Give the unnamed file a name in the folder, then rename it over the catalogue.
            # A folder descriptor makes os.link use linkat(AT_SYMLINK_FOLLOW), which the
            # /proc link needs.
            folder = os.open(real.parent, os.O_RDONLY | os.O_DIRECTORY)
            name = f".{real.name}.{os.urandom(4).hex()}{TEMP_SUFFIX}"
            os.link(f"/proc/self/fd/{fd}", name, dst_dir_fd=folder)
            named = real.with_name(name)
            _swap_in(named, real, expect)
        except OSError:
            if named is not None:
                with contextlib.suppress(OSError):
                    os.unlink(named)
            return False
        finally:
            if folder is not None:
                os.close(folder)
        return True


def _hold(real: Path) -> int | None:
    try:
        return os.open(real, os.O_RDONLY)
    except OSError:
        return None


def _write_all(fd: int, data: memoryview, offset: int) -> None:
    while data:
        written = os.pwrite(fd, data, offset)
        data, offset = data[written:], offset + written


def write_atomic(
    path: Path, data: bytes, spare: Spare | None = None, expect: Known | None = None
) -> None:
    """Replace `path` with `data` so that a reader sees the old file or the new, never a part.

    Write a temporary file beside it, fsync it, swap it in, fsync the folder. With a `spare`
    (which the caller closes), that file is the spare, already holding most of `data`. With
    `expect`, the file replaced must be exactly the one read: else the swap is taken back and
    ChangedMeanwhile raised (see `_swap_in`). A file with other hard links is overwritten in
    place instead, so the links stay one file, after its old content is saved and fsynced
    beside it as a backup. On any failure the old file is left intact (or, in place, in its
    backup) and SaveError says why.
    """
    real = Path(os.path.realpath(path))
    try:
        old = os.stat(real)
    except FileNotFoundError:
        old = None
    except OSError as error:
        raise SaveError(f"cannot save {path}: {_reason(error)}") from None
    if old is not None and old.st_nlink > 1:
        _check_unchanged(real, expect)
        _overwrite_in_place(path, real, data)
        return
    if spare is not None and spare.replace(real, data, old, expect):
        _fsync_dir(real.parent)
        return
    import tempfile  # a save needs it; start-up does not

    try:
        fd, temp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=TEMP_SUFFIX, dir=real.parent)
    except OSError as error:
        raise SaveError(f"cannot save {path}: {_reason(error)}; the file was not changed") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            _copy_mode(handle.fileno(), old)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _swap_in(Path(temp), real, expect)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise SaveError(f"cannot save {path}: {_reason(error)}; the file was not changed") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_dir(real.parent)


def _same_file(fd: int, expect: Known) -> bool:
    """Whether the open file is exactly the one `expect` describes: device, inode, size,
    modification time, and then every byte (a write within one clock tick keeps the time)."""
    if identity_of(os.fstat(fd)) != expect.identity:
        return False
    with os.fdopen(os.dup(fd), "rb", buffering=0) as handle:
        handle.seek(0)
        return handle.readall() == expect.data


def _check_unchanged(real: Path, expect: Known | None) -> None:
    """The best check where no atomic exchange is to be had: the file is still the one read."""
    if expect is None:
        return
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ChangedMeanwhile(f"{real.name} was removed meanwhile; nothing was written") from None
    try:
        same = _same_file(fd, expect)
    finally:
        os.close(fd)
    if not same:
        raise ChangedMeanwhile(
            f"{real.name} was changed by another program meanwhile; nothing was written"
        )


def _swap_in(new: Path, real: Path, expect: Known | None) -> None:
    """Put the file named `new` in place of `real`, and make sure what it replaced is the
    file that was read.

    With Linux's renameat2(RENAME_EXCHANGE) the two names swap in one step, so the file
    that comes out under `new` is exactly what `real` held at that instant: if it is not the
    file read (another program renamed or wrote its own version meanwhile), the names are
    swapped back and ChangedMeanwhile raised; nothing of theirs is lost. Elsewhere the file
    is checked just before a plain rename, which leaves a window of a few microseconds."""
    if expect is None:
        os.replace(new, real)
        return
    from tui.catalog.exchange import Unsupported, exchange

    _check_unchanged(real, expect)  # no swap at all when it changed before we got here
    ours = os.stat(new).st_ino
    try:
        exchange(new, real)
    except Unsupported:
        os.replace(new, real)
        return
    fd = os.open(new, os.O_RDONLY | os.O_NONBLOCK)
    try:
        same = _same_file(fd, expect)
    finally:
        os.close(fd)
    if same:
        os.unlink(new)
        return
    exchange(new, real)  # theirs back in place; ours goes out under `new`
    message = f"{real.name} was changed by another program meanwhile; nothing was written"
    if os.stat(new).st_ino != ours:
        # A third version arrived between the two swaps: it is kept, not deleted.
        kept = real.with_name(f"{real.name}.{os.urandom(3).hex()}.kept")
        os.replace(new, kept)
        message += f"; a version written during the save is kept as {kept.name}"
    else:
        os.unlink(new)
    raise ChangedMeanwhile(message)


def _copy_mode(fd: int, old: os.stat_result | None) -> None:
    if old is None:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        return
    os.fchmod(fd, stat.S_IMODE(old.st_mode))
    with contextlib.suppress(OSError):  # only the owner or root may change the group
        os.fchown(fd, -1, old.st_gid)


def backup_path(real: Path) -> Path:
    return real.with_name(f".{real.name}{BACKUP_SUFFIX}")


def _overwrite_in_place(path: Path, real: Path, data: bytes) -> None:
    backup = backup_path(real)
    try:
        old_data = real.read_bytes()
        with open(backup, "wb") as handle:
            handle.write(old_data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(backup)
        raise SaveError(f"cannot save {path}: {_reason(error)}; the file was not changed") from None
    try:
        _write_in_place(real, data)
    except OSError as error:
        # Put the old text back; the backup stays if even that fails.
        try:
            _write_in_place(real, old_data)
        except OSError:
            raise SaveError(
                f"cannot save {path}: {_reason(error)}; its old text is in {backup}"
            ) from None
        os.unlink(backup)
        raise SaveError(f"cannot save {path}: {_reason(error)}; the file was not changed") from None
    os.unlink(backup)
    _fsync_dir(real.parent)


def _write_in_place(real: Path, data: bytes) -> None:
    with open(real, "r+b") as handle:
        handle.write(data)
        handle.truncate(len(data))
        handle.flush()
        os.fsync(handle.fileno())


def remove_leftovers(real: Path) -> list[Path]:
    """Delete temporary files a crashed save left beside `real`. Call only under the lock:
    temporary files exist only while a writer holds it, so any found then are dead."""
    import glob

    removed = []
    for leftover in real.parent.glob(f".{glob.escape(real.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed.append(leftover)
    return removed


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as error:
        # The rename has happened; only its durability across a power cut is in doubt.
        if error.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise SaveError(f"saved, but could not flush the folder: {_reason(error)}") from None
    finally:
        os.close(fd)


def _reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "it is a folder, not a file"
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    return error.strerror or str(error)
