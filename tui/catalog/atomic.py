"""The file layer: read a catalogue safely, lock it, and replace it atomically.

- `read_regular`: the bytes and stat of a regular file, bounded, never a pipe or a device.
- `locked`: the sidecar lock that keeps other tubeboards out while one saves.
- `write_atomic`: a temporary file (or a spare made ahead), fsynced, swapped in with an
  atomic exchange that checks the replaced file is the one read, then the folder fsynced.

Nothing here knows what a catalogue means; store.py does.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import attr

from tui.catalog.errors import Busy, ChangedMeanwhile, ConflictError, ReadError, SaveError
from tui.lazy import later

# What only a save needs, loaded with the first one (tui/lazy.py).
if TYPE_CHECKING:
    import glob
    import tempfile

    from tui.catalog import exchange, patch
else:
    glob = later("glob")
    tempfile = later("tempfile")
    exchange = later("tui.catalog.exchange")
    patch = later("tui.catalog.patch")

TEMP_SUFFIX = ".tubeboard-tmp"
BACKUP_SUFFIX = ".tubeboard-backup"
LOCK_TIMEOUT = 5.0


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


def fingerprint(path: Path) -> tuple[int, int, int, int] | None:
    """What changes when the file does: inode (a rename), size, and times."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def read_only_reason(path: Path) -> str | None:
    """Why a save could not work here, or None. A save writes a file beside the catalogue
    and renames it, so the folder must be writable as well as the file. A file nobody may
    write (no write bit at all) is read-only even for root: someone made it so on purpose."""
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except OSError:
        mode = 0o200
    if not os.access(real, os.W_OK) or not mode & 0o222:
        return f"{path} is read-only"
    if not os.access(real.parent, os.W_OK | os.X_OK):
        return f"the folder of {path} is read-only"
    return None


@contextlib.contextmanager
def locked(path: Path, wait: bool = True) -> Iterator[None]:
    """An advisory lock on a sidecar file beside the catalogue at `path` (its real path).

    The catalogue itself is replaced by rename, so a lock on its inode would protect nothing.
    The kernel drops a dead process's lock, so a crash never blocks anyone. The holder
    unlinks the sidecar before letting go, and a waiter that wakes on an unlinked sidecar
    tries again, so no file is left behind. With wait=False, Busy at once if it is held."""
    lock_path = path.with_name(f".{path.name}.lock")
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as error:
            raise SaveError(f"cannot save {path}: {reason(error)}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if not wait:
                raise Busy(f"{path} is being saved by another tubeboard") from None
            if time.monotonic() > deadline:
                raise ConflictError(f"{path} is being saved by someone else; try again") from None
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
    ) -> tuple[bool, int | None]:
        """Make `real` hold `data` through this spare: (True, the replaced file's descriptor,
        see `_swap_in`), or (False, None) if it could not, with `real` untouched (the caller
        then writes a whole file as usual). The spare is spent either way: its owner closes
        it. ChangedMeanwhile if `real` no longer held `expect`."""
        fd = self.fd
        if fd is None:
            return False, None
        folder: int | None = None
        named: Path | None = None
        try:
            start = self.same or patch.common_prefix(self.content, data)
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
            replaced = _swap_in(named, real, expect)
        except OSError:
            if named is not None:
                with contextlib.suppress(OSError):
                    os.unlink(named)
            return False, None
        finally:
            if folder is not None:
                os.close(folder)
        return True, replaced


def _write_all(fd: int, data: memoryview, offset: int) -> None:
    while data:
        written = os.pwrite(fd, data, offset)
        data, offset = data[written:], offset + written


def write_atomic(
    path: Path, data: bytes, spare: Spare | None = None, expect: Known | None = None
) -> int | None:
    """Replace `path` with `data` so that a reader sees the old file or the new, never a part.

    Returns the replaced file, still open, where the swap checked it: its name is gone, and
    its blocks are freed when the caller closes it, off the path between a keystroke and the
    disk (at 10,000 tubes, a measurable part of a save: bench/RESULTS.md).

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
        raise SaveError(f"cannot save {path}: {reason(error)}") from None
    if old is not None and old.st_nlink > 1:
        _check_unchanged(real, expect)
        _overwrite_in_place(path, real, data)
        return None
    if spare is not None:
        used, replaced = spare.replace(real, data, old, expect)
        if used:
            _fsync_dir(real.parent)
            return replaced
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=TEMP_SUFFIX, dir=real.parent)
    except OSError as error:
        raise SaveError(f"cannot save {path}: {reason(error)}; the file was not changed") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            _copy_mode(handle.fileno(), old)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        replaced = _swap_in(Path(temp), real, expect)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise SaveError(f"cannot save {path}: {reason(error)}; the file was not changed") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    try:
        _fsync_dir(real.parent)
    except SaveError:
        if replaced is not None:
            os.close(replaced)
        raise
    return replaced


def _same_file(fd: int, expect: Known) -> bool:
    """Whether the open file is exactly the one `expect` describes: device, inode, size,
    modification time, and then every byte (a write within one clock tick keeps the time)."""
    if identity_of(os.fstat(fd)) != expect.identity:
        return False
    with os.fdopen(os.dup(fd), "rb", buffering=0) as handle:
        handle.seek(0)
        return handle.readall() == expect.data


def _check_unchanged(real: Path, expect: Known | None, every_byte: bool = True) -> None:
    """The best check where no atomic exchange is to be had: the file is still the one read
    (without `every_byte`, by its stat alone: a quick look before an exchange that checks
    every byte anyway)."""
    if expect is None:
        return
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ChangedMeanwhile(f"{real.name} was removed meanwhile; nothing was written") from None
    try:
        if every_byte:
            same = _same_file(fd, expect)
        else:
            same = identity_of(os.fstat(fd)) == expect.identity
    finally:
        os.close(fd)
    if not same:
        raise ChangedMeanwhile(
            f"{real.name} was changed by another program meanwhile; nothing was written"
        )


def _swap_in(new: Path, real: Path, expect: Known | None) -> int | None:
    """Put the file named `new` in place of `real`, and make sure what it replaced is the
    file that was read. Returns the replaced file, still open (see write_atomic), when
    the swap checked it.

    With Linux's renameat2(RENAME_EXCHANGE) the two names swap in one step, so the file
    that comes out under `new` is exactly what `real` held at that instant: if it is not the
    file read (another program renamed or wrote its own version meanwhile), the names are
    swapped back and ChangedMeanwhile raised; nothing of theirs is lost. Elsewhere the file
    is checked just before a plain rename, which leaves a window of a few microseconds."""
    if expect is None:
        os.replace(new, real)
        return None
    # No swap at all when it changed before we got here; every byte is checked after it.
    _check_unchanged(real, expect, every_byte=False)
    ours = os.stat(new).st_ino
    try:
        exchange.exchange(new, real)
    except exchange.Unsupported:
        _check_unchanged(real, expect)
        os.replace(new, real)
        return None
    fd = os.open(new, os.O_RDONLY | os.O_NONBLOCK)
    try:
        same = _same_file(fd, expect)
        if same:
            os.unlink(new)
    except BaseException:
        os.close(fd)
        raise
    if same:
        return fd
    os.close(fd)
    exchange.exchange(new, real)  # theirs back in place; ours goes out under `new`
    message = f"{real.name} was changed by another program meanwhile; nothing was written"
    if os.stat(new).st_ino != ours:
        # A third version arrived between the two swaps (another program read ours in that
        # instant and wrote over it): it is kept, not deleted, and the save says so.
        kept = real.with_name(f"{real.name}.{os.urandom(3).hex()}.kept")
        os.replace(new, kept)
        message += f"; a version written during the save is kept as {kept.name}"
        raise ChangedMeanwhile(message, kept.name)
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
        raise SaveError(f"cannot save {path}: {reason(error)}; the file was not changed") from None
    try:
        _write_in_place(real, data)
    except OSError as error:
        # Put the old text back; the backup stays if even that fails.
        try:
            _write_in_place(real, old_data)
        except OSError:
            raise SaveError(
                f"cannot save {path}: {reason(error)}; its old text is in {backup}"
            ) from None
        os.unlink(backup)
        raise SaveError(f"cannot save {path}: {reason(error)}; the file was not changed") from None
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
            raise SaveError(f"saved, but could not flush the folder: {reason(error)}") from None
    finally:
        os.close(fd)


def reason(error: OSError) -> str:
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
