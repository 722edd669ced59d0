"""One session's catalogue: the store, the catalogue as last read or written, what the file
held then, whether a write may happen now and why not, and the undo log.

It imports nothing from Textual. The board screen asks it and shows what it answers: every
change comes back as a value (`Saved`, `Refused`, `Waiting`), every look at the disk too
(`Reloaded`, `Broken`, or None for no news), never as state to read afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

import attr

from tui.catalog.errors import Busy, ConflictError, ReadError, StoreError
from tui.catalog.model import MAX_TUBES, Catalog, Sample, describe_changes
from tui.catalog.store import PendingCheck, Store, Written
from tui.catalog.validate import Parsed, Problem

if TYPE_CHECKING:
    from tui.catalog.history import Place, Step

What = Literal["add", "edit", "delete", "change"]
Pairs = tuple[tuple[Sample | None, Sample | None], ...]


@attr.frozen
class Saved:
    """A change that is on disk: the catalogue now, the tube to show, and what to say."""

    catalog: Catalog
    tube: int
    message: str
    check: PendingCheck | None = None  # the whole-text check still owed (see after_write)


@attr.frozen
class Refused:
    """Nothing was written, and why, in words for the person."""

    reason: str


@attr.frozen
class Waiting:
    """Another tubeboard holds the lock: say `message`, call `write` off the event loop (it
    waits for the lock, and may raise StoreError), then `done` with what it wrote, on it."""

    message: str
    write: Callable[[], Written]
    done: Callable[[Written], Saved]


@attr.frozen
class Reloaded:
    """The file changed on disk and is valid: show `catalog`, and say `message`."""

    catalog: Catalog
    message: str


@attr.frozen
class Broken:
    """The file on disk cannot be read or has problems: the last good board stays, read-only."""

    problems: tuple[Problem, ...]


@attr.frozen
class AfterWrite:
    """What the worker after a write found: a problem to report, and each undo step that
    now keeps a patch rather than two copies of the file (old step, new step)."""

    problem: str | None
    compacted: tuple[tuple[Step, Step], ...] = ()


Outcome = Saved | Refused | Waiting


def _told(step: Step) -> tuple[int, str]:
    """The tube an undo or redo of `step` shows, and how it says what it was."""
    if step.what == "change":
        first = next(new or old for old, new in step.pairs)
        assert first is not None
        count = len(step.pairs)
        return first.tube, f"change of {count} tube{'s' if count != 1 else ''}"
    before, after = step.before, step.after
    if before is not None and after is not None and before.tube != after.tube:
        return after.tube, f"move of tube {before.tube} to tube {after.tube}"
    sample = before or after
    assert sample is not None
    return sample.tube, f"{step.what} of tube {sample.tube}"


class Workspace:
    """The catalogue one screen shows, and every change to it."""

    def __init__(self, store: Store, catalog: Catalog, raw: bytes, partial: bool = False) -> None:
        self.store = store
        self.catalog = catalog
        # What the file held when last read or written by us, to tell outside changes apart.
        self.known_bytes = raw
        self.known_stat = store.fingerprint()
        self.problems: tuple[Problem, ...] = ()
        # Showing only the head of a large file while the rest of it is read.
        self.partial = partial
        # Why this valid file cannot be edited here (an inline sample array); None when it
        # can, or not looked at yet (the indexing worker looks, off start-up).
        self.unsupported: str | None = None
        self.undo_steps: list[Step] = []
        # What undo took back, newest last: each a Step whose file_before is what the undo
        # wrote (redo puts file_after back only if the file still holds exactly that).
        self.redo_steps: list[Step] = []

    @property
    def name(self) -> str:
        return self.store.path.name

    # May I write now? ----------------------------------------------------------------------

    def read_only(self) -> str | None:
        """Why the file cannot be written at all (permissions, layout), for the banner."""
        return self.store.read_only_reason() or self.unsupported

    def write_refusal(self) -> str | None:
        """Why no write can happen now, if so, as a sentence to show."""
        if self.partial:
            return "Still reading the file; a moment."
        if self.problems:
            return "The file has problems on disk; fix it first. Nothing is written meanwhile."
        if self.unsupported is None:
            self.unsupported = self.store.layout_refusal()  # a key may ask before indexing
        reason = self.read_only()
        return f"Read-only: {reason}." if reason else None

    def tube_to_fill(self, cursor: int) -> int | Refused:
        """Where a new sample goes: the focused tube if empty, else the first empty one."""
        if self.catalog.sample_at(cursor) is None:
            return cursor
        empty = next(iter(self.catalog.empty_tubes()), None)
        board = self.catalog.board
        if empty is None and not board.fixed and board.tubes < MAX_TUBES:
            return board.tubes + 1  # without `tubes` in [board], the board grows
        if empty is None:
            tubes = board.tubes
            return Refused(
                f"The board is full: all {tubes} tubes hold a sample. "
                "Raise tubes in [board] to add more."
            )
        return empty

    def sample_in(self, tube: int, hint: str | None) -> Sample | Refused:
        """The sample in `tube`, or why there is none to act on (with what to press)."""
        sample = self.catalog.sample_at(tube)
        if sample is not None:
            return sample
        if hint:
            return Refused(f"This tube is empty: press {hint}.")
        return Refused("This tube is already empty.")

    # Changes -------------------------------------------------------------------------------

    def add(self, sample: Sample) -> Outcome:
        return self._change(
            lambda wait: self.store.add(sample, wait),
            "add",
            None,
            sample,
            f"Added tube {sample.tube}",
        )

    def edit(self, old: Sample, new: Sample) -> Outcome:
        return self._change(
            lambda wait: self.store.edit(old, new, wait), "edit", old, new, f"Saved tube {new.tube}"
        )

    def delete(self, old: Sample) -> Outcome:
        return self._change(
            lambda wait: self.store.delete(old, wait),
            "delete",
            old,
            None,
            f"Deleted tube {old.tube}",
        )

    def change_many(self, pairs: Pairs, message: str, tube: int) -> Outcome:
        """Many samples in one atomic save and one undo step (see Store.change_many)."""
        if not pairs:
            return Refused("Nothing to change.")
        return self._change(
            lambda wait: self.store.change_many(pairs, wait),
            "change",
            None,
            None,
            message,
            pairs,
            tube,
        )

    def move(self, sample: Sample, tube: int, swap: bool = False) -> Outcome:
        """`sample` into `tube`: only the `tube =` lines change. An occupied tube is
        refused unless `swap`, which moves its sample into `sample`'s tube."""
        from tui.catalog import rules

        found = rules.clash(self.catalog, tube, None, leaving=sample.tube)
        if found is not None and found.holder is None:  # off the board (a holder: a swap)
            return Refused(f"Cannot move: {found.message}.")
        if tube == sample.tube:
            return Refused(f"Tube {tube} already holds {sample.name!r}.")
        other = self.catalog.sample_at(tube)
        moved = attr.evolve(sample, tube=tube)
        if other is None:
            return self.edit(sample, moved)
        if not swap:
            return Refused(f"Tube {tube} holds {other.name!r}: swap them?")
        pairs: Pairs = ((sample, moved), (other, attr.evolve(other, tube=sample.tube)))
        return self.change_many(pairs, f"Swapped tubes {sample.tube} and {tube}", tube)

    def _change(
        self,
        write: Callable[[bool], Written],
        what: What,
        before: Sample | None,
        after: Sample | None,
        message: str,
        pairs: Pairs = (),
        tube: int | None = None,
    ) -> Outcome:
        # Whether a write may happen was asked when the person began (write_refusal); the
        # store checks again under its lock, against the file as it is then.
        shown = after or before
        focus = tube if tube is not None else shown.tube if shown is not None else 1

        def done(written: Written) -> Saved:
            from tui.catalog.history import Step  # loaded by the indexing worker

            place = self._place(written, before) if what == "delete" else None
            step = Step(
                what, before, after, written.before, written.after, pairs=pairs, place=place
            )
            self.undo_steps.append(step)
            self.redo_steps.clear()  # a new change: what was undone stays undone
            return self._wrote(written, focus, message)

        try:
            return done(write(False))
        except Busy:
            waiting = f"Another tubeboard is saving {self.name}; this save waits for it…"
            return Waiting(waiting, lambda: write(True), done)
        except StoreError as error:
            return Refused(str(error))

    def _wrote(self, written: Written, tube: int, message: str) -> Saved:
        self.catalog = written.catalog
        # Our own write is no news: remember its bytes, and look at the file again next
        # tick (someone may have written just after us).
        self.known_bytes = written.after
        self.known_stat = None
        return Saved(written.catalog, tube, message, written.check)

    def undo(self) -> Outcome:
        """Take back the last change of this session: the file byte for byte if nobody
        touched it since, else the inverse edit on the file as it is now, which keeps
        everyone else's changes."""
        return self._replay("undo_steps", "redo_steps", _take_back, "undo", "in this session")

    def redo(self) -> Outcome:
        """Make the last undone change again: the file byte for byte if it still holds what
        the undo wrote, else the change itself on the file as it is now."""
        return self._replay("redo_steps", "undo_steps", _make_again, "redo", "yet: undo first")

    def _replay(
        self,
        source: str,
        target: str,
        write: Callable[[Store, Step, bool], Written],
        verb: str,
        when_none: str,
    ) -> Outcome:
        """Take the last step of one log (undo or redo), write it, and give the other log the
        step that takes this write back: its file bytes are (what it must find, what it puts
        back), as each log's writer reads them."""
        refusal = self.write_refusal()
        if refusal is not None:
            return Refused(refusal)
        steps: list[Step] = getattr(self, source)
        if not steps:
            return Refused(f"Nothing to {verb} {when_none}.")
        step = steps[-1]
        tube, what = _told(step)

        def done(written: Written) -> Saved:
            setattr(self, source, [s for s in getattr(self, source) if s is not step])
            found, back = written.after, written.before
            if verb == "redo":  # the undo log's steps read (before, after) the change
                found, back = back, found
            place = step.place
            if verb == "redo" and step.what == "delete":
                place = self._place(written, step.before) or step.place
            again = attr.evolve(step, file_before=found, file_after=back, patch=None, place=place)
            getattr(self, target).append(again)
            done_verb = "Undid" if verb == "undo" else "Redid"
            said = f"; {written.said}" if written.said else ""
            return self._wrote(written, tube, f"{done_verb} the {what}{said}")

        try:
            return done(write(self.store, step, False))
        except Busy:
            waiting = f"Another tubeboard is saving {self.name}; this {verb} waits for it…"
            return Waiting(waiting, lambda: write(self.store, step, True), done)
        except StoreError as error:
            return Refused(f"Cannot {verb}: {error}")

    def _place(self, written: Written, gone: Sample | None) -> Place | None:
        """Where a deleted record stood (the catalogue before the write still shown)."""
        from tui.catalog.history import Place

        if written.cut is None or gone is None:
            return None
        return Place.of(written.cut, self.catalog, gone)

    def after_write(self, check: PendingCheck | None, steps: Sequence[Step]) -> AfterWrite:
        """Off the event loop, after a write: the whole-text check the write still owes, and
        a patch in place of each new undo step's two copies of the file."""
        if check is not None:
            try:
                self.store.full_check(check)
            except StoreError as error:
                return AfterWrite(str(error))
        compacted = tuple((step, step.compacted()) for step in steps if step.patch is None)
        return AfterWrite(None, compacted)

    def keep_compacted(self, compacted: Sequence[tuple[Step, Step]]) -> None:
        replacements = {id(old): new for old, new in compacted}
        self.undo_steps = [replacements.get(id(step), step) for step in self.undo_steps]

    # The file on disk ----------------------------------------------------------------------

    def look(self) -> bytes | Broken | None:
        """A look at the disk: bytes that changed and must be parsed (off the event loop),
        the file gone unreadable, or None for no news."""
        stamp = self.store.fingerprint()
        if stamp == self.known_stat:
            return None
        self.known_stat = stamp
        try:
            raw = self.store.read_bytes()
        except ReadError as error:
            self.problems = (Problem(1, 1, str(error)),)
            return Broken(self.problems)
        if raw == self.known_bytes and not self.problems:
            return None
        # New bytes, or the same ones back after a moment away (git stash, some editors).
        self.known_bytes = raw
        return raw

    def reloaded(self, raw: bytes, parsed: Parsed) -> Reloaded | Broken | None:
        """What the parse of `raw` means now; None when the file changed again (or we saved)
        while it was parsed."""
        if raw != self.known_bytes:
            return None
        if parsed.catalog is None:
            self.problems = parsed.errors
            return Broken(self.problems)
        was_broken = bool(self.problems)
        self.problems = ()
        change = describe_changes(self.catalog, parsed.catalog)
        self.catalog = parsed.catalog
        self.partial = False
        verb = "is valid again" if was_broken else "changed on disk"
        return Reloaded(parsed.catalog, f"{self.name} {verb}: {change}")

    def whole_read(self, raw: bytes, parsed: Parsed) -> Catalog | Broken | None:
        """The whole of a large file, read after its head was shown: the full catalogue, its
        problems (which call for the problems screen, as at start), or None when the file
        changed meanwhile (the reload on its way will show it)."""
        if raw != self.known_bytes:
            return None
        if parsed.catalog is None:
            return Broken(parsed.errors)
        self.catalog = parsed.catalog
        self.partial = False
        return parsed.catalog

    def warm(self) -> str | None:
        """Off the event loop: index the file for the next edit and make its spare copy;
        answers why a valid file cannot be edited here, if so."""
        import tui.catalog.history  # noqa: F401  ready for the first change's undo step

        self.store.warm()
        return self.store.layout_refusal()


def _make_again(store: Store, step: Step, wait: bool) -> Written:
    """A redo: the bytes the undo replaced, else the change itself on the file as it is."""
    assert step.file_before is not None and step.file_after is not None
    try:
        return store.restore(step.file_before, step.file_after, wait)
    except ConflictError:
        return _apply(store, _pairs(step), wait)


def _take_back(store: Store, step: Step, wait: bool) -> Written:
    """An undo: the bytes before, else the inverse change on the file as it is now."""
    try:
        if step.patch is not None:
            return store.revert(step.patch, wait)
        assert step.file_before is not None and step.file_after is not None
        return store.restore(step.file_after, step.file_before, wait)
    except ConflictError:
        if step.what == "delete" and step.place is not None and step.before is not None:
            # The record's own text (comments, 0x10, 'Lit'), not a re-written block.
            return store.put_back(step.before, step.place, wait)
        return _apply(store, tuple((new, old) for old, new in _pairs(step)), wait)


def _pairs(step: Step) -> Pairs:
    """What `step` changed, as (before, after) pairs: None where there was no sample."""
    return step.pairs if step.what == "change" else ((step.before, step.after),)


def _apply(store: Store, pairs: Pairs, wait: bool) -> Written:
    """Make `pairs` on the file as it is now: one sample through the store's own change
    (whose check reads only the record), several as one change of many."""
    if len(pairs) != 1:
        return store.change_many(pairs, wait)
    ((old, new),) = pairs
    if old is None:
        assert new is not None
        return store.add(new, wait)
    if new is None:
        return store.delete(old, wait)
    return store.edit(old, new, wait)
