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
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from tui.catalog import edit
from tui.catalog.edit import Change
from tui.catalog.model import SAMPLE_KEYS, Catalog, Sample
from tui.catalog.validate import (
    BOM,
    Parsed,
    parse_bytes,
    parse_text,
    sample_from_record,
    sets_tubes,
)

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
        self._cache: tuple[bytes, Parsed] | None = None
        self._retired: tuple[bytes, Parsed] | None = None
        # The app runs the after-write full check in a worker thread; others run it inline.
        self.defer_full_check = False
        # Writes still to be checked by a full re-parse, oldest first: (before, written, text,
        # the data it must parse to).
        self.pending_checks: list[tuple[bytes, bytes, str, dict[str, Any]]] = []

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
        catalogue and renames it, so the folder must be writable as well as the file."""
        real = self.real_path
        if not os.access(real, os.W_OK):
            return f"{self.path} is read-only"
        if not os.access(real.parent, os.W_OK | os.X_OK):
            return f"the folder of {self.path} is read-only"
        return None

    # Changes -------------------------------------------------------------------------------

    def add(self, sample: Sample) -> Catalog:
        def change(parsed: Parsed, catalog: Catalog) -> tuple[Change, int]:
            _check_room(parsed, catalog, sample)
            _check_name_free(catalog, sample)
            assert parsed.data is not None
            made = edit.add(parsed.text, parsed.data, sample.to_toml(), parsed)
            return made, len(catalog.samples)

        return self._change(change)

    def edit(self, old: Sample, new: Sample) -> Catalog:
        def change(parsed: Parsed, catalog: Catalog) -> tuple[Change, int]:
            index = _find(catalog, old)
            if new.tube != old.tube:
                _check_room(parsed, catalog, new)
            _check_name_free(catalog, new, ignore=index)
            assert parsed.data is not None
            record = merge_record(parsed.data["sample"][index], old, new)
            return edit.replace(parsed.document, parsed.data, index, record), index

        return self._change(change)

    def delete(self, old: Sample) -> Catalog:
        def change(parsed: Parsed, catalog: Catalog) -> tuple[Change, int]:
            index = _find(catalog, old)
            assert parsed.data is not None
            return edit.delete(parsed.document, parsed.data, index), index

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

    def restore(self, current: bytes, previous: bytes) -> Catalog:
        """Put back `previous`, but only if the file still holds exactly `current`."""
        parsed = parse_bytes(previous)
        if parsed.catalog is None:
            raise SaveError("the earlier text is not a valid catalogue; nothing was written")
        with self._lock():
            remove_leftovers(self.real_path)
            if self.read_bytes() != current:
                raise ConflictError(f"{self.path} has changed since; it was not put back")
            write_atomic(self.path, previous)
            self.last_write = (current, previous)
        return parsed.catalog

    def read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as error:
            raise ReadError(f"cannot read {self.path}: {_reason(error)}") from None

    def parse(self, raw: bytes) -> Parsed:
        """The parse of `raw`, reusing the last one when the bytes are the same: a save
        re-reads the file, but need not re-parse ten thousand records nobody touched."""
        cached = self._cache
        if cached is not None and cached[0] == raw:
            return cached[1]
        parsed = parse_bytes(raw)
        self._cache = (raw, parsed)
        return parsed

    def _change(self, change: Callable[[Parsed, Catalog], tuple[Change, int]]) -> Catalog:
        with self._lock():
            remove_leftovers(self.real_path)
            raw = self.read_bytes()
            parsed = self.parse(raw)
            if parsed.catalog is None:
                first = parsed.errors[0]
                raise ConflictError(
                    f"{self.path} has problems now (line {first.line}: {first.message}); "
                    "fix it first, nothing was written"
                )
            made, index = change(parsed, parsed.catalog)
            try:
                # The record's own window proves the edit when it can; the whole text is
                # parsed again before writing only where it cannot.
                checked_whole = not edit.verify_window(parsed.text, made)
                if checked_whole:
                    edit.verify(made.text, made.data)
            except edit.EditError as error:
                raise SaveError(str(error)) from None
            catalog = _updated(parsed, parsed.catalog, made, index)
            data = _encoded(raw, parsed, made)
            write_atomic(self.path, data)
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
        if not self.defer_full_check:
            self.run_full_check()
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
        inline-array hint and the index of names."""
        self._retired = None
        cached = self._cache
        if cached is not None:
            parsed = cached[1]
            _ = parsed.document, parsed.may_be_inline
            if parsed.catalog is not None:
                parsed.catalog.tube_named("")

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
    samples = list(catalog.samples)
    records = made.data.get("sample", [])
    if len(records) > len(samples):
        samples.append(sample_from_record(records[index]))
    elif len(records) < len(samples):
        del samples[index]
    else:
        samples[index] = sample_from_record(records[index])
    board = catalog.board
    if not sets_tubes(made.data):
        board = attrs.evolve(board, tubes=max((s.tube for s in samples), default=1))
    return Catalog(board, tuple(samples))


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
    tube = catalog.tube_named(sample.name)
    if tube is None or (ignore is not None and catalog.samples[ignore].tube == tube):
        return
    raise ConflictError(f"the name {sample.name!r} is already used by tube {tube}")


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
