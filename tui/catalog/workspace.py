"""One session's catalogue: the store, the catalogue as last read or written, what the file
held then, whether a write may happen now and why not, and the undo log.

It imports nothing from Textual. The board screen asks it and shows what it answers: every
change comes back as a value (`Saved`, `Refused`, `Waiting`), every look at the disk too
(`Reloaded`, `Broken`, or None for no news), never as state to read afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import attr

from tui.catalog import model
from tui.catalog.errors import Busy, ReadError, StoreError
from tui.catalog.model import MAX_TUBES, Catalog, Sample, describe_changes
from tui.catalog.store import PendingCheck, Store, Written
from tui.catalog.undo import Log

__all__ = ["PendingCheck"]  # the check a save still owes, as the screens see it
from tui.catalog.validate import Parsed, Problem

if TYPE_CHECKING:
    from tui.catalog.history import Change, Step

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
class SwapOffer(Refused):
    """A move onto an occupied tube: not made, and offered as a swap (ask, then move with
    swap=True)."""

    sample: Sample
    tube: int
    holder: Sample


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


class Workspace:
    """One session on one catalogue: answers whether a write may happen, makes each change
    (and its undo) through the store, and says what a look at the disk means, each as a value."""

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
        self.log = Log()  # the changes made, and those undo took back
        # The whole of a large file is read and shown, and its index not yet built.
        self.indexing = False

    def reopened(self, catalog: Catalog, raw: bytes, partial: bool = False) -> Workspace:
        """This session on the file as read again (a new board screen): the catalogue and
        the known bytes anew, the undo and redo logs kept."""
        self.catalog, self.known_bytes, self.partial = catalog, raw, partial
        self.known_stat, self.problems = self.store.fingerprint(), ()
        return self

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

    # Changes -------------------------------------------------------------------------------

    def add(self, sample: Sample) -> Outcome:
        from tui.catalog.history import Put

        return self._make(Put(None, sample), f"Added tube {sample.tube}")

    def edit(self, old: Sample, new: Sample) -> Outcome:
        from tui.catalog.history import Put

        return self._make(Put(old, new), f"Saved tube {new.tube}")

    def delete(self, old: Sample) -> Outcome:
        from tui.catalog.history import Put

        return self._make(Put(old, None), f"Deleted tube {old.tube}")

    def change_many(self, pairs: Pairs, message: str, tube: int) -> Outcome:
        """Many samples in one atomic save and one undo step (see Store.change_many)."""
        from tui.catalog.history import Many

        if not pairs:
            return Refused("Nothing to change.")
        return self._make(Many(pairs), message, tube)

    def move(self, sample: Sample, tube: int, swap: bool = False) -> Outcome:
        """`sample` into `tube`: only the `tube =` lines change. An occupied tube is offered
        as a swap (SwapOffer) unless `swap`, which moves its sample into `sample`'s tube."""
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
            return SwapOffer(f"Tube {tube} holds {other.name!r}: swap them?", sample, tube, other)
        pairs: Pairs = ((sample, moved), (other, attr.evolve(other, tube=sample.tube)))
        return self.change_many(pairs, f"Swapped tubes {sample.tube} and {tube}", tube)

    def _make(self, change: Change, message: str, tube: int | None = None) -> Outcome:
        # Whether a write may happen was asked when the person began (write_refusal); the
        # store checks again under its lock, against the file as it is then.

        def done(written: Written) -> Saved:
            self.log.made(change, written, self.catalog)
            said = f"; {written.said}" if written.said else ""
            return self._wrote(written, change.tube if tube is None else tube, message + said)

        return self._write(change.apply, done, "save", change.appends)

    def _write(
        self,
        write: Callable[[Store, bool], Written],
        done: Callable[[Written], Saved],
        verb: str,
        appends: bool = False,
    ) -> Outcome:
        """`write` now; or, while the file's first index is built (an add needs none) or
        another tubeboard holds the lock, in a worker (Waiting), never on the event loop."""
        if self.indexing and not appends:
            said = f"Indexing {self.name} for its first save; this {verb} waits for it…"
            return Waiting(said, lambda: self._once_indexed(write), done)
        try:
            return done(write(self.store, False))
        except Busy:
            waiting = f"Another tubeboard is saving {self.name}; this {verb} waits for it…"
            return Waiting(waiting, lambda: write(self.store, True), done)
        except StoreError as error:
            return Refused(str(error))

    def _once_indexed(self, write: Callable[[Store, bool], Written]) -> Written:
        self.warm()  # built here if the indexing worker has not begun; else waits for it
        return write(self.store, True)

    def _wrote(self, written: Written, tube: int, message: str) -> Saved:
        self.catalog = written.catalog
        # Our own write is no news: remember its bytes and the file as the write left it.
        # Whoever writes after us changes that (a look then reads the file); a save at
        # 100,000 tubes was followed by a read of the whole file on the event loop.
        self.known_bytes = written.after
        self.known_stat = written.stamp
        return Saved(written.catalog, tube, message, written.check)

    def undo(self) -> Outcome:
        """Take back the last change of this session: the file byte for byte if nobody
        touched it since, else the inverse change on the file as it is now, which keeps
        everyone else's changes."""
        return self._replay(True, "Nothing to undo in this session.")

    def redo(self) -> Outcome:
        """Make the last undone change again: the file byte for byte if it still holds what
        the undo wrote, else the change itself on the file as it is now."""
        return self._replay(False, "Nothing to redo yet: undo first.")

    def _replay(self, undoing: bool, none: str) -> Outcome:
        """Replay the last step of one log (undo: its inverse; redo: the change itself), and
        give the other log the step that takes this write back."""
        refusal = self.write_refusal()
        if refusal is not None:
            return Refused(refusal)
        found = self.log.next(undoing)
        if found is None:
            return Refused(none)
        step, change = found
        verb = "undo" if undoing else "redo"

        def done(written: Written) -> Saved:
            self.log.replayed(step, undoing, written, self.catalog)
            said = f"; {written.said}" if written.said else ""
            message = f"{'Undid' if undoing else 'Redid'} the {step.done.describe()}{said}"
            return self._wrote(written, step.done.tube, message)

        outcome = self._write(lambda store, wait: step.replay(store, change, wait), done, verb)
        if isinstance(outcome, Refused):
            return Refused(f"Cannot {verb}: {outcome.reason}")
        return outcome

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
        # Shown and read as soon as it is parsed: the index a save needs is built next, in
        # the indexing worker (a save made meanwhile waits for it, off the event loop).
        self.indexing = True
        return parsed.catalog

    def warm(self) -> str | None:
        """Off the event loop: index the file for the next edit and make its spare copy;
        answers why a valid file cannot be edited here, if so."""
        import tui.catalog.history  # noqa: F401  ready for the first change's undo step

        self.store.warm()
        self.indexing = False
        return self.store.layout_refusal()


# Where a key acts: questions of the catalogue, answered with a tube, a sample or why not.


def tube_to_fill(catalog: Catalog, cursor: int) -> int | Refused:
    """Where a new sample goes: the focused tube if empty, else the first empty one."""
    if catalog.sample_at(cursor) is None:
        return cursor
    empty = next(iter(catalog.empty_tubes()), None)
    board = catalog.board
    if empty is None and not board.fixed and board.tubes < MAX_TUBES:
        return board.tubes + 1  # without `tubes` in [board], the board grows
    if empty is None:
        tubes = board.tubes
        return Refused(
            f"The board is full: all {tubes} tubes hold a sample. "
            "Raise tubes in [board] to add more."
        )
    return empty


def sample_in(catalog: Catalog, tube: int, hint: str | None) -> Sample | Refused:
    """The sample in `tube`, or why there is none to act on (with what to press)."""
    sample = catalog.sample_at(tube)
    if sample is not None:
        return sample
    if hint:
        return Refused(f"This tube is empty: press {hint}.")
    return Refused("This tube is already empty.")


def record_line(workspace: Workspace, tube: int) -> int | Refused:
    """The line of `tube`'s `[[sample]]` header, to open an editor at (the first line
    for an empty tube), or why the file cannot be handed to one."""
    if workspace.store.revision:  # a past board: no file of it to edit
        return Refused(f"Read-only: {workspace.store.read_only_reason()}.")
    if workspace.partial:
        return Refused("Still reading the file; a moment.")
    parsed = workspace.store.parse(workspace.known_bytes)
    if parsed.catalog is None or workspace.catalog.sample_at(tube) is None:
        return 1
    index = next((i for i, s in enumerate(parsed.catalog.samples) if s.tube == tube), None)
    if index is None or parsed.document.is_inline():
        return 1
    start = parsed.document.records()[index].header.start
    return parsed.text.count("\n", 0, start) + 1


def block_move(catalog: Catalog, tubes: Iterable[int], target: int) -> tuple[Pairs, str] | Refused:
    """The samples in `tubes` moved as a block whose first lands in `target`, their order and
    the gaps between them kept (3, 4, 7 to 20: 20, 21, 24); or, as a whole, why not, with the
    tubes named. Only their tubes change."""
    samples = sorted(
        (found for tube in tubes if (found := catalog.sample_at(tube)) is not None),
        key=lambda sample: sample.tube,
    )
    if not samples:
        return Refused("None of the marked tubes holds a sample.")
    shift = target - samples[0].tube
    if shift == 0:
        return Refused(f"The block already starts in tube {target}.")
    moving = {sample.tube for sample in samples}
    board = catalog.board
    limit = board.tubes if board.fixed else None
    past = [s.tube + shift for s in samples if model.check_tube(s.tube + shift, limit)]
    if past:
        where = f"the board has tubes 1..{board.tubes}" if limit else "tubes start at 1"
        return Refused(f"Cannot move the block: {_tubes(past)} would be off the board ({where}).")
    held = [
        tube
        for s in samples
        if (tube := s.tube + shift) not in moving and catalog.sample_at(tube) is not None
    ]
    if held:
        hold = "already holds a sample" if len(held) == 1 else "already hold samples"
        return Refused(f"Cannot move the block: {_tubes(held)} {hold}.")
    pairs: Pairs = tuple((s, attr.evolve(s, tube=s.tube + shift)) for s in samples)
    moved = [s.tube + shift for s in samples]
    if len(moved) <= 6:
        said = f"Moved {_tubes(sorted(moving))} to {', '.join(map(str, moved))}"
    else:
        said = f"Moved {len(moved)} tubes from {samples[0].tube}..{samples[-1].tube} to "
        said += f"{moved[0]}..{moved[-1]}"
    return pairs, said


def _tubes(tubes: list[int], most: int = 6) -> str:
    """`tube 4`, `tubes 3, 4, 7`, or `10 tubes, 3 to 12`."""
    if len(tubes) == 1:
        return f"tube {tubes[0]}"
    if len(tubes) <= most:
        return "tubes " + ", ".join(map(str, tubes))
    return f"{len(tubes)} tubes, {tubes[0]} to {tubes[-1]}"


def record_texts(workspace: Workspace, tubes: Iterable[int]) -> str | Refused:
    """The records of the samples in `tubes` as the file writes them (comments and all), in
    the file's order, a blank line between: for the clipboard."""
    if workspace.partial:
        return Refused("Still reading the file; a moment.")
    wanted = {tube for tube in tubes if workspace.catalog.sample_at(tube) is not None}
    if not wanted:
        return Refused("This tube is empty: nothing to copy.")
    parsed = workspace.store.parse(workspace.known_bytes)
    if parsed.catalog is None:
        return Refused("The file has problems on disk; fix it first.")
    if parsed.document.is_inline():
        return Refused("The samples are one inline array; copy them in an editor.")
    from tui.catalog.edit import record_span

    texts = []
    for index, sample in enumerate(parsed.catalog.samples):
        if sample.tube in wanted:
            start, end = record_span(parsed.document, index)
            texts.append(parsed.text[start:end].strip("\n"))
    return "\n\n".join(texts) + "\n"
