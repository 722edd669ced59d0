"""This session's undo and redo logs. Kept apart from the changes themselves
(tui/catalog/history.py), which load with the first change: a session that never changes
anything never loads them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.lazy import later

if TYPE_CHECKING:
    from tui.catalog import history
    from tui.catalog.history import Change, Step
    from tui.catalog.model import Catalog
    from tui.catalog.store import Written
else:
    history = later("tui.catalog.history")


class Log:
    """This session's undo and redo: the changes made, newest last (`undo`), and those undo
    took back (`redo`), each a Step."""

    def __init__(self) -> None:
        self.undo: list[Step] = []
        self.redo: list[Step] = []

    def made(self, change: Change, written: Written, catalog: Catalog) -> None:
        """A new change is on disk: it can be undone, and what was undone stays undone."""
        self.undo.append(history.Step(change.made(written, catalog), written.after, written.before))
        self.redo.clear()

    def next(self, undoing: bool) -> tuple[Step, Change] | None:
        """The step an undo (or redo) replays, and the change it makes: the step's inverse
        for an undo, the change itself for a redo."""
        source = self.undo if undoing else self.redo
        if not source:
            return None
        step = source[-1]
        return step, step.done.inverse() if undoing else step.done

    def replayed(self, step: Step, undoing: bool, written: Written, catalog: Catalog) -> None:
        """`step` was replayed: the other log gets the step that takes this write back."""
        source, target = (self.undo, self.redo) if undoing else (self.redo, self.undo)
        source[:] = [s for s in source if s is not step]
        made = step.done if undoing else step.done.made(written, catalog)
        target.append(history.Step(made, written.after, written.before))

    def keep_compacted(self, compacted: Sequence[tuple[Step, Step]]) -> None:
        """Steps the worker turned into patches, in place of their two copies of the file."""
        replacements = {id(old): new for old, new in compacted}
        self.undo[:] = [replacements.get(id(step), step) for step in self.undo]
