"""The transaction on a catalogue file: lock, re-read, apply the change to the text as it is
on disk now, check, write, verify. Every change answers with a value, `Written`.

Every change is applied to the text as it is on disk at the moment of saving, under a lock,
so an edit never overwrites what someone else wrote in the meantime. The file operations
themselves (reading safely, the lock, the atomic swap) are in atomic.py.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attr

from tui.catalog import pace
from tui.catalog.atomic import (
    Known,
    Spare,
    fingerprint,
    identity_of,
    locked,
    read_only_reason,
    read_regular,
    reason,
    remove_leftovers,
    write_atomic,
)
from tui.catalog.errors import (
    Busy,
    ChangedMeanwhile,
    ConflictError,
    ReadError,
    SaveError,
    StoreError,
)
from tui.catalog.model import Catalog, Sample
from tui.catalog.validate import (
    BOM,
    Parsed,
    parse_bytes,
    sample_from_record,
    sets_tubes,
)
from tui.lazy import later

# What only a change needs, loaded with the first one (tui/lazy.py): opening a file never does.
if TYPE_CHECKING:
    from tui.catalog import edit, exchange, patch, record_changes
    from tui.catalog.edit import Change
    from tui.catalog.patch import Patch
    from tui.catalog.record_changes import Place, RecordChange
else:
    edit = later("tui.catalog.edit")
    record_changes = later("tui.catalog.record_changes")
    exchange = later("tui.catalog.exchange")
    patch = later("tui.catalog.patch")

__all__ = [
    "Busy",
    "ChangedMeanwhile",
    "ConflictError",
    "PendingCheck",
    "ReadError",
    "SaveError",
    "Store",
    "StoreError",
    "Written",
    "write_atomic",
]

SAVE_ATTEMPTS = 3  # a save redone on the new text when another program wrote meanwhile


@attr.frozen
class PendingCheck:
    """A whole-text re-parse still owed for a write whose record window alone proved it."""

    before: bytes
    written: bytes
    text: str
    data: dict[str, Any]


@attr.frozen
class Written:
    """What a change did: the catalogue now, the file's bytes before and after (what undo
    needs), and the full check still owed when the store defers it (see Store)."""

    catalog: Catalog
    before: bytes
    after: bytes
    check: PendingCheck | None = None
    cut: edit.Cut | None = None  # a delete: the text it took out (for undo)
    said: str = ""  # where a record was put back, when not where it was
    # The file as this write left it (`fingerprint`, taken under the lock): a look at the
    # disk that finds it so need not read it again to know the write as ours.
    stamp: tuple[int, int, int, int] | None = None


class Store:
    """The transaction on one catalogue file: read it (the parse kept while the bytes are
    the same), then lock, re-read, change, check, write and verify. Widgets never open the
    file; they ask the workspace, which asks this.

    With `full_check_later` (the app), what a save leaves to do is done later, off the event
    loop: the whole-text re-parse of a change its record window proved comes back as
    `Written.check` for the caller to run (`full_check`), and the replaced file and parse
    are freed by the next `warm`. Otherwise the change does both before returning.
    """

    def __init__(self, path: str | os.PathLike[str], full_check_later: bool = False) -> None:
        self.path = Path(path)
        self.full_check_later = full_check_later
        self.revision: str | None = None  # the commit shown, for a catalogue read from git
        self.commit: str | None = None  # and that commit as a sheet or a page names it
        self._cache: tuple[bytes, Parsed] | None = None
        # The parse a save replaced, freed by warm() in a worker: freeing ten thousand
        # records and their index is a large part of a save (bench/RESULTS.md).
        self._retired: Parsed | None = None
        self.reserve = Reserve()  # the spare copy, and the files saves replaced
        self._warm_lock = threading.Lock()

    @property
    def real_path(self) -> Path:
        # Writes go to the target of a symlink, so the link stays a link.
        return Path(os.path.realpath(self.path))

    # Reading -------------------------------------------------------------------------------

    def read(self) -> Parsed:
        return self.parse(self.read_bytes())

    def read_bytes(self) -> bytes:
        return self.read_known().data

    def read_known(self) -> Known:
        try:
            data, info = read_regular(self.path)
        except OSError as error:
            raise ReadError(f"cannot read {self.path}: {reason(error)}") from None
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

    def fingerprint(self) -> tuple[int, int, int, int] | None:
        return fingerprint(self.path)

    def read_only_reason(self) -> str | None:
        return read_only_reason(self.path)

    def layout_refusal(self) -> str | None:
        """Why the file as last read cannot be edited here though it is valid, or None."""
        cached = self._cache
        if cached is None:
            return None
        parsed = cached[1]
        if parsed.catalog is None or not parsed.may_be_inline:
            return None
        return edit.INLINE_MESSAGE if parsed.document.is_inline() else None

    # Changes -------------------------------------------------------------------------------
    # Each change takes the lock first. With wait=False it raises Busy at once if another
    # tubeboard holds it, so the app can wait in a worker thread, not on its event loop.

    def add(self, sample: Sample, wait: bool = True) -> Written:
        return self._change(record_changes.adding(sample), wait)

    def edit(self, old: Sample, new: Sample, wait: bool = True) -> Written:
        return self._change(record_changes.editing(old, new), wait)

    def delete(self, old: Sample, wait: bool = True) -> Written:
        return self._change(record_changes.deleting(old), wait)

    def put_back(self, gone: Sample, place: Place, wait: bool = True) -> Written:
        """A deleted record's own text back in the file: at its old place when the text
        around it is unchanged, else beside the records it stood between (Written.said
        says where)."""
        return self._change(record_changes.putting_back(gone, place), wait)

    def change_many(
        self, pairs: Sequence[tuple[Sample | None, Sample | None]], wait: bool = True
    ) -> Written:
        """Several samples in one atomic save: each pair (old, new) changes old into new,
        (old, None) deletes old, (None, new) adds new. Refused as a whole, with nothing
        written, if any old sample changed on disk meanwhile, or if the result would put two
        samples in one tube, give two the same name, or a tube off the board."""
        return self._change(record_changes.of_many(pairs), wait)

    def restore(self, current: bytes, previous: bytes, wait: bool = True) -> Written:
        """Put back `previous`, but only if the file still holds exactly `current`."""
        return self._put_back(lambda now: previous if now == current else None, wait)

    def revert(self, patch: Patch, wait: bool = True) -> Written:
        """Take back the write `patch` describes, but only if the file still holds exactly
        what that write left."""
        return self._put_back(patch.undo, wait)

    def _put_back(self, previous_of: Callable[[bytes], bytes | None], wait: bool) -> Written:
        with pace.alone(), locked(self.real_path, wait):
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
            self.reserve.hold(write_atomic(self.path, previous, expect=known))
            stamp = self.fingerprint()
        return Written(parsed.catalog, current, previous, stamp=stamp)

    def _check_writable(self) -> None:
        """At the moment of saving, not only when the file was opened: a chmod meanwhile."""
        problem = self.read_only_reason()
        if problem is not None:
            raise SaveError(f"{problem} now; nothing was written")

    def _change(self, change: RecordChange, wait: bool) -> Written:
        with pace.alone(), locked(self.real_path, wait):
            self._check_writable()
            remove_leftovers(self.real_path)
            # Another program may replace the file between our read and our write (the lock
            # keeps out only tubeboard): the write then takes itself back, and the change is
            # made again on the file as it is now.
            kept: list[str] = []
            for attempt in range(SAVE_ATTEMPTS):
                try:
                    written = self._change_once(change)
                    break
                except ChangedMeanwhile as error:
                    kept += [error.kept] if error.kept else []
                    if attempt == SAVE_ATTEMPTS - 1:
                        if not kept or error.kept:
                            raise
                        raise ChangedMeanwhile(
                            f"{error}; a version written during the save is kept as {kept[0]}",
                            kept[0],
                        ) from None
            if kept:  # the save went through on a later try: it must still say this
                said = f"another program's version written during the save is kept as {kept[0]}"
                written = attr.evolve(written, said="; ".join(filter(None, [written.said, said])))
        if not self.full_check_later:
            if written.check is not None:
                self.full_check(written.check)
                written = attr.evolve(written, check=None)
            self._retired = None
            self.reserve.let_go()
        return written

    def _change_once(self, change: RecordChange) -> Written:
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
        if isinstance(index, tuple):  # many records: the samples in their new order
            catalog = _rebuilt(parsed.catalog, made, index)
        else:
            catalog = _updated(parsed, parsed.catalog, made, index)
        data = _encoded(raw, parsed, made)
        spare = self.reserve.take()
        if spare is not None and made.appended and spare.content is raw:
            spare.same = len(raw)  # known without comparing: the file and the spare are raw
        try:
            self.reserve.hold(write_atomic(self.path, data, spare, expect=known))
        finally:
            if spare is not None:
                spare.close()  # used or not, a spare serves one save
        # An appended [[sample]] block cannot make the samples an inline array.
        hint = parsed.may_be_inline if made.appended else None
        self._retired = parsed
        self._cache = (data, Parsed(made.text, (), catalog, made.data, parsed.bom, hint))
        check = None if checked_whole else PendingCheck(raw, data, made.text, made.data)
        return Written(catalog, raw, data, check, made.cut, made.said, self.fingerprint())

    def full_check(self, check: PendingCheck) -> None:
        """The whole-text re-parse a write still owes (see `_full_check`)."""
        _full_check(self, check)

    # Ahead of the next change --------------------------------------------------------------

    def warm(self) -> None:
        """Build what the next edit needs, ahead of it: the position index of the text, the
        inline-array hint, the index of names, the records' spans, and a spare copy of the
        file to write it into."""
        # Ready for the first edit and the spare's write, off their path: the edit module,
        # the patch module, and the exchange call (ctypes and the C library load slowly).
        _ = edit.add, patch.common_prefix
        exchange.prepare()
        # One at a time: a second caller finds the work done rather than doing it twice.
        with self._warm_lock:
            self._warm()

    def _warm(self) -> None:
        self._retired = None
        self.reserve.let_go()
        cached = self._cache
        if cached is None:
            return
        parsed = cached[1]
        _ = parsed.document, parsed.may_be_inline
        if parsed.catalog is not None:
            parsed.catalog.tube_named("")
            if not parsed.may_be_inline or not parsed.document.is_inline():
                parsed.document.records()  # where each record's lines are: an edit's, S's
        self.reserve.renew(self.real_path.parent, cached[0])

    def close(self) -> None:
        """Let go of the spare copy and the replaced files, if any."""
        self.reserve.close()


class Reserve:
    """File descriptors a store keeps between saves, each in a worker's hands, not a
    keystroke's: a spare copy of the file made ahead of the next save (see Spare), taken by
    one save; and the files saves replaced, held open so that freeing their blocks happens
    when a worker lets go of them, not between a keystroke and the disk. Each is taken out
    under the lock before it is closed: closed once, by one."""

    def __init__(self) -> None:
        self.spare: Spare | None = None
        self._replaced: list[int] = []
        self._lock = threading.Lock()

    def hold(self, replaced: int | None) -> None:
        if replaced is not None:
            with self._lock:
                self._replaced.append(replaced)

    def let_go(self) -> None:
        """Close the replaced files held since the last save."""
        with self._lock:
            held, self._replaced = self._replaced, []
        for fd in held:
            os.close(fd)

    def take(self) -> Spare | None:
        with self._lock:
            spare, self.spare = self.spare, None
        return spare

    def renew(self, folder: Path, content: bytes) -> None:
        """A spare holding `content`, unless the one there does already."""
        current = self.spare
        if current is None or current.content is not content:
            spare = Spare.make(folder, content)
            with self._lock:
                self.spare, current = spare, self.spare
            if current is not None:
                current.close()

    def close(self) -> None:
        self.let_go()
        spare = self.take()
        if spare is not None:
            spare.close()


def _encoded(raw: bytes, parsed: Parsed, made: Change) -> bytes:
    """The bytes of the new text. An append adds the new block's bytes to the old ones,
    rather than encoding the whole (possibly large) text again."""
    if made.appended:
        return raw + made.text[len(parsed.text) :].encode("utf-8")
    return ((BOM if parsed.bom else "") + made.text).encode("utf-8")


def _rebuilt(catalog: Catalog, made: Change, samples: tuple[Sample, ...]) -> Catalog:
    board = catalog.board
    if not sets_tubes(made.data):
        board = attr.evolve(board, tubes=max((s.tube for s in samples), default=1))
    return Catalog(board, samples)


def _updated(parsed: Parsed, catalog: Catalog, made: Change, index: int) -> Catalog:
    """The catalogue after the change, without reading the whole text again."""
    records = made.data.get("sample", [])
    sample = None if len(records) < len(catalog.samples) else sample_from_record(records[index])
    board = catalog.board
    if not sets_tubes(made.data):
        # Without `tubes`, the board is as long as its highest tube.
        board = attr.evolve(board, tubes=max((r["tube"] for r in records), default=1))
    return catalog.changed(index, sample, board)


def _full_check(store: Store, check: PendingCheck) -> None:
    """Parse the whole written text again and compare it with what was meant.

    The window check before writing already proves the edit; this is the belt to its
    braces, run after the write (in a worker thread, in the app). Should it ever
    disagree, the file is put back as it was, if nobody wrote since, and SaveError says so.
    """
    try:
        edit.verify(check.text, check.data)
    except edit.EditError:
        try:
            store.restore(check.written, check.before)
        except StoreError:
            raise SaveError(
                f"the last save to {store.path} did not read back as intended, and the file "
                "changed since, so it was not put back; check it with `tubeboard check`"
            ) from None
        raise SaveError(
            f"the last save to {store.path} did not read back as intended; "
            "the file was put back as it was"
        ) from None


class AtRevision(Store):
    """A catalogue as a commit had it (`--at REV`): its bytes from git, shown and checked as
    any file's, and never written: every write is refused with `reason`, and the file on
    disk is never looked at. `revision` says which commit it is."""

    def __init__(
        self, path: str | os.PathLike[str], raw: bytes, revision: str, commit: str | None = None
    ) -> None:
        super().__init__(path, full_check_later=True)
        self.raw, self.revision, self.commit = raw, revision, commit
        self.reason = f"this is the catalogue at {revision}; open the file itself to edit"

    def read_known(self) -> Known:
        return Known((0, 0, len(self.raw), 0), self.raw)

    def fingerprint(self) -> tuple[int, int, int, int] | None:
        return (0, 0, len(self.raw), 0)  # never changes: a commit does not

    def read_only_reason(self) -> str | None:
        return self.reason
