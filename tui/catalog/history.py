"""The changes of a session as values, and the log that takes them back.

A change (`Put` one sample in or out of place, `PutBack` a deleted record's own text,
`Many` samples at once) knows how to make itself on the file as it is now (`apply`), what
takes it back (`inverse`), and how to say it (`describe`). A `Step` of the undo or redo log
holds the change that was made and the bytes to put back exactly when nobody wrote since.

Imported after the first screen is up (the board's indexing worker loads it): attrs builds
each class from generated code, and the first screen has no change to keep.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import attr

from tui.catalog.errors import ConflictError
from tui.catalog.model import Catalog, Sample
from tui.catalog.patch import Patch
from tui.catalog.record_changes import Place

if TYPE_CHECKING:
    from tui.catalog.store import Store, Written

Pairs = tuple[tuple[Sample | None, Sample | None], ...]


@attr.frozen
class Put:
    """One sample: added (`before` None), deleted (`after` None), edited or moved. A delete
    keeps where its record stood, so that taking it back puts the record's own text there."""

    before: Sample | None
    after: Sample | None
    place: Place | None = None

    @property
    def tube(self) -> int:
        shown = self.after or self.before
        assert shown is not None
        return shown.tube

    @property
    def appends(self) -> bool:
        """An add: a new block at the end, which needs no index of the file's records."""
        return self.before is None

    def apply(self, store: Store, wait: bool) -> Written:
        old, new = self.before, self.after
        if old is None:
            assert new is not None
            return store.add(new, wait)
        if new is None:
            return store.delete(old, wait)
        return store.edit(old, new, wait)

    def inverse(self) -> Put | PutBack:
        if self.after is None and self.before is not None:
            return PutBack(self.before, self.place)
        return Put(self.after, self.before)

    def describe(self) -> str:
        old, new = self.before, self.after
        if old is not None and new is not None and old.tube != new.tube:
            return f"move of tube {old.tube} to tube {new.tube}"
        what = "add" if old is None else "delete" if new is None else "edit"
        return f"{what} of tube {self.tube}"

    def made(self, written: Written, catalog: Catalog) -> Put:
        """This change as the write that made it left it: a delete learns where it stood."""
        if self.after is None and self.before is not None and written.cut is not None:
            return attr.evolve(self, place=Place.of(written.cut, catalog, self.before))
        return self


@attr.frozen
class PutBack:
    """A deleted sample back: its own text where it stood (or beside its old neighbours,
    said in Written.said); without a place, as a new block."""

    sample: Sample
    place: Place | None

    @property
    def tube(self) -> int:
        return self.sample.tube

    def apply(self, store: Store, wait: bool) -> Written:
        if self.place is None:
            return store.add(self.sample, wait)
        return store.put_back(self.sample, self.place, wait)

    def inverse(self) -> Put:
        return Put(self.sample, None, self.place)

    appends: ClassVar[bool] = False  # its own text, back where it stood

    def describe(self) -> str:
        return f"add of tube {self.tube}"

    def made(self, written: Written, catalog: Catalog) -> PutBack:
        return self


@attr.frozen
class Many:
    """Many samples in one atomic save (a field set on marked tubes, a swap, a bulk delete):
    each (before, after), None where there was none."""

    pairs: Pairs

    @property
    def tube(self) -> int:
        first = next(new or old for old, new in self.pairs)
        assert first is not None
        return first.tube

    def apply(self, store: Store, wait: bool) -> Written:
        return store.change_many(self.pairs, wait)

    def inverse(self) -> Many:
        return Many(tuple((new, old) for old, new in self.pairs))

    appends: ClassVar[bool] = False  # records found and changed in place

    def describe(self) -> str:
        count = len(self.pairs)
        return f"change of {count} tube{'s' if count != 1 else ''}"

    def made(self, written: Written, catalog: Catalog) -> Many:
        return self


Change = Put | PutBack | Many


@attr.frozen
class Step:
    """An entry of the undo or redo log: the change that was made (`done`), and the file's
    bytes to put back exactly: if the file still holds `now`, `then` goes back. Both are
    kept until the board's worker turns them into a Patch: a long session on a large file
    would otherwise keep a whole copy of the file for every save."""

    done: Change
    now: bytes | None
    then: bytes | None
    patch: Patch | None = None

    def replay(self, store: Store, change: Change, wait: bool) -> Written:
        """The bytes of `then` when nobody wrote since; else `change` on the file as it is
        now, which keeps everyone else's changes."""
        try:
            if self.patch is not None:
                return store.revert(self.patch, wait)
            assert self.now is not None and self.then is not None
            return store.restore(self.now, self.then, wait)
        except ConflictError:
            return change.apply(store, wait)

    def compacted(self) -> Step:
        if self.now is None or self.then is None:
            return self
        return attr.evolve(self, now=None, then=None, patch=Patch.between(self.then, self.now))
