"""Load and save a catalogue file: lock, re-read, edit the current text, verify, replace.

Every change is applied to the text as it is on disk at the moment of saving, under a lock,
so an edit never overwrites what someone else wrote in the meantime.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tui.catalog import edit
from tui.catalog.model import SAMPLE_KEYS, Catalog, Sample, name_key
from tui.catalog.validate import BOM, Parsed, parse_bytes, parse_text

TEMP_SUFFIX = ".tubeboard-tmp"
BACKUP_SUFFIX = ".tubeboard-backup"
LOCK_TIMEOUT = 5.0


class StoreError(Exception):
    """A problem with the file, worded for the person using the app."""


class ReadError(StoreError):
    """The file could not be read at all."""


class ConflictError(StoreError):
    """The change no longer fits the file as it is on disk now."""


class SaveError(StoreError):
    """The file could not be written; it was left as it was."""


class Store:
    """One catalogue file on disk. Widgets ask it; they never open the file themselves."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        # The bytes the last write replaced, and the bytes it wrote: what undo needs.
        self.last_write: tuple[bytes, bytes] | None = None

    @property
    def real_path(self) -> Path:
        # Writes go to the target of a symlink, so the link stays a link.
        return Path(os.path.realpath(self.path))

    def read(self) -> Parsed:
        return parse_bytes(self._read_bytes())

    def read_bytes(self) -> bytes:
        return self._read_bytes()

    def fingerprint(self) -> tuple[int, int, int, int] | None:
        """What changes when the file does: inode (a rename), size, and times."""
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)

    def read_only_reason(self) -> str | None:
        """Why a save could not work here, or None. A save writes a file beside the
        catalogue and renames it, so the folder must be writable as well as the file."""
        real = self.real_path
        if not os.access(real, os.W_OK):
            return f"{self.path} is read-only"
        if not os.access(real.parent, os.W_OK | os.X_OK):
            return f"the folder of {self.path} is read-only"
        return None

    # Changes -------------------------------------------------------------------------------

    def add(self, sample: Sample) -> Catalog:
        def change(parsed: Parsed, catalog: Catalog) -> tuple[str, dict[str, Any]]:
            taken = catalog.sample_at(sample.tube)
            if taken is not None:
                raise ConflictError(f"tube {sample.tube} is already filled by {taken.name!r}")
            _check_name_free(catalog, sample)
            assert parsed.document is not None and parsed.data is not None
            return edit.add(parsed.document, parsed.data, sample.to_toml())

        return self._change(change)

    def edit(self, old: Sample, new: Sample) -> Catalog:
        def change(parsed: Parsed, catalog: Catalog) -> tuple[str, dict[str, Any]]:
            index = _find(catalog, old)
            if new.tube != old.tube:
                taken = catalog.sample_at(new.tube)
                if taken is not None:
                    raise ConflictError(f"tube {new.tube} is already filled by {taken.name!r}")
            _check_name_free(catalog, new, ignore=index)
            assert parsed.document is not None and parsed.data is not None
            record = merge_record(parsed.data["sample"][index], old, new)
            return edit.replace(parsed.document, parsed.data, index, record)

        return self._change(change)

    def delete(self, old: Sample) -> Catalog:
        def change(parsed: Parsed, catalog: Catalog) -> tuple[str, dict[str, Any]]:
            index = _find(catalog, old)
            assert parsed.document is not None and parsed.data is not None
            return edit.delete(parsed.document, parsed.data, index)

        return self._change(change)

    def create(self, text: str) -> Catalog:
        """Write a new catalogue file; refuse if one appeared in the meantime."""
        parsed = parse_text(text)
        if parsed.catalog is None:
            raise SaveError("the new catalogue would not be valid; nothing was written")
        with self._lock():
            if self.path.exists():
                raise ConflictError(f"{self.path} exists now; it was not overwritten")
            write_atomic(self.path, text.encode("utf-8"))
        return parsed.catalog

    def restore(self, current: bytes, previous: bytes) -> Catalog:
        """Put back `previous`, but only if the file still holds exactly `current`."""
        parsed = parse_bytes(previous)
        if parsed.catalog is None:
            raise SaveError("the earlier text is not a valid catalogue; nothing was written")
        with self._lock():
            remove_leftovers(self.real_path)
            if self._read_bytes() != current:
                raise ConflictError(f"{self.path} has changed since; it was not put back")
            write_atomic(self.path, previous)
            self.last_write = (current, previous)
        return parsed.catalog

    def _read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as error:
            raise ReadError(f"cannot read {self.path}: {_reason(error)}") from None

    def _change(self, change: Callable[[Parsed, Catalog], tuple[str, dict[str, Any]]]) -> Catalog:
        with self._lock():
            remove_leftovers(self.real_path)
            raw = self._read_bytes()
            parsed = parse_bytes(raw)
            if parsed.catalog is None:
                first = parsed.errors[0]
                raise ConflictError(
                    f"{self.path} has problems now (line {first.line}: {first.message}); "
                    "fix it first, nothing was written"
                )
            new_text, expected = change(parsed, parsed.catalog)
            try:
                edit.verify(new_text, expected)
            except edit.EditError as error:
                raise SaveError(str(error)) from None
            result = parse_text(new_text)
            if result.catalog is None:
                problem = result.errors[0]
                raise ConflictError(f"{problem.message}; nothing was written")
            data = ((BOM if parsed.bom else "") + new_text).encode("utf-8")
            write_atomic(self.path, data)
            self.last_write = (raw, data)
            return result.catalog

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
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


def merge_record(raw: dict[str, Any], old: Sample, new: Sample) -> dict[str, Any]:
    """The record as it should read after the edit: what changed, and nothing else."""
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
        raise ConflictError(f"tube {old.tube} ({old.name!r}) was emptied in the file meanwhile")
    raise ConflictError(f"tube {old.tube} ({old.name!r}) was changed in the file meanwhile")


def _check_name_free(catalog: Catalog, sample: Sample, ignore: int | None = None) -> None:
    wanted = name_key(sample.name)
    for index, other in enumerate(catalog.samples):
        if index != ignore and name_key(other.name) == wanted:
            raise ConflictError(f"the name {sample.name!r} is already used by tube {other.tube}")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a reader sees the old file or the new, never a part.

    Write a temporary file beside it, fsync it, rename it over the old one, fsync the folder.
    A file with other hard links is overwritten in place instead, so the links stay one file,
    after its old content is saved and fsynced beside it as a backup. On any failure the old
    file is left intact (or, in place, in its backup) and SaveError says why.
    """
    real = Path(os.path.realpath(path))
    try:
        old = os.stat(real)
    except FileNotFoundError:
        old = None
    except OSError as error:
        raise SaveError(f"cannot save {path}: {_reason(error)}") from None
    if old is not None and old.st_nlink > 1:
        _overwrite_in_place(path, real, data)
        return
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
        os.replace(temp, real)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise SaveError(f"cannot save {path}: {_reason(error)}; the file was not changed") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_dir(real.parent)


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
