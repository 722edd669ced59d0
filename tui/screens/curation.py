"""Every change the user asks for on the board screen, each a flow (tui/screens/flow.py): ask
the user (a form, a prompt, a yes or no), ask the workspace, answer. Adds and edits, deletes,
changes of many tubes and moves; each is one atomic save and one undo step."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Protocol

from tui.catalog.model import Catalog, Sample, changed_by
from tui.catalog.workspace import (
    Outcome,
    Refused,
    Saved,
    SwapOffer,
    block_move,
    sample_in,
    tube_to_fill,
)
from tui.lazy import later
from tui.screens.answers import Asker
from tui.screens.flow import ask, start

if TYPE_CHECKING:
    from collections.abc import Callable

    from tui.screens import bulk_form, confirm, move_prompt, sample_form, sample_view
    from tui.screens.answers import Answers
    from tui.widgets.tube_view import TubeView
else:
    bulk_form = later("tui.screens.bulk_form")
    confirm = later("tui.screens.confirm")
    move_prompt = later("tui.screens.move_prompt")
    sample_form = later("tui.screens.sample_form")
    sample_view = later("tui.screens.sample_view")


class Curator(Asker, Protocol):
    """What curation needs of the board screen: what answers need, the view, the marks."""

    answers: Answers
    marked: frozenset[int]

    @property
    def view(self) -> TubeView: ...

    def set_marks(self, marked: frozenset[int]) -> None: ...

    def action_edit(self) -> None: ...


class Curation:
    """The flows of the changes (a, e, Enter then e, d, S, m) for the board screen."""

    def __init__(self, screen: Curator) -> None:
        self.screen = screen

    def add(self) -> None:
        """The form for a new sample in the focused tube, or the next empty one."""
        screen = self.screen
        tube = tube_to_fill(screen.workspace.catalog, screen.view.cursor)
        if isinstance(tube, Refused):
            screen.notify(tube.reason, severity="warning", markup=False)
        else:
            form = sample_form.SampleForm(self._now, None, tube, reply_to=screen)
            screen.app.push_screen(form)

    def edit(self) -> None:
        """The form for the focused sample."""
        screen = self.screen
        old = sample_in(screen.workspace.catalog, screen.view.cursor, "a to add a sample")
        if isinstance(old, Refused):
            screen.notify(old.reason, markup=False)
        else:
            form = sample_form.SampleForm(self._now, old, old.tube, reply_to=screen)
            screen.app.push_screen(form)

    def _now(self) -> Catalog:
        """The catalogue as it is now, which an open form checks its fields against."""
        return self.screen.workspace.catalog

    def submitted(self, form: sample_form.SampleForm, sample: Sample) -> None:
        """A form asks to save `sample`: the workspace's answer goes back to the form, which
        closes on a save and stays open, with what was typed, on a refusal."""
        workspace = self.screen.workspace
        if form.editing is None:
            outcome = workspace.add(sample)
        else:
            outcome = workspace.edit(form.editing, sample)
        self.screen.answers.answer(outcome, form.answer)

    def open(self, tube: int, history: Callable[[int], list[str] | None] | None) -> None:
        """The whole record of `tube` (Enter), from which `e` edits it."""
        sample = self.screen.workspace.catalog.sample_at(tube)
        choice = ask(self.screen.app, sample_view.SampleView(tube, sample, history))
        start(self.screen.app, self._after_details(choice))

    async def _after_details(self, choice: asyncio.Future[str | None]) -> None:
        if await choice == "edit":
            self.screen.action_edit()  # as `e` on the board: a write may be refused

    def marked(self) -> list[Sample]:
        catalog = self.screen.workspace.catalog
        return [s for t in sorted(self.screen.marked) if (s := catalog.sample_at(t)) is not None]

    def delete(self) -> None:
        """Delete the marked tubes, or else the focused one, once the user says yes."""
        screen = self.screen
        if screen.marked:
            self._delete_marked()
            return
        old = sample_in(screen.workspace.catalog, screen.view.cursor, None)
        if isinstance(old, Refused):
            screen.notify(old.reason, markup=False)
            return
        question = f"Delete tube {old.tube}, {old.name!r}? The file is written at once."
        start(screen.app, self._delete(old, ask(screen.app, confirm.ConfirmScreen(question))))

    async def _delete(self, old: Sample, yes: asyncio.Future[bool | None]) -> None:
        if await yes:
            self.screen.answers.answer(self.screen.workspace.delete(old), self.screen.answers.say)

    def _delete_marked(self) -> None:
        chosen = self.marked()
        listed = ", ".join(f"{s.tube} {s.name!r}" for s in chosen[:8])
        more = f" and {len(chosen) - 8} more" if len(chosen) > 8 else ""
        question = f"Delete the {len(chosen)} marked tubes ({listed}{more})? One save, one undo."
        yes = ask(self.screen.app, confirm.ConfirmScreen(question))
        start(self.screen.app, self._delete_many(chosen, yes))

    async def _delete_many(self, chosen: list[Sample], yes: asyncio.Future[bool | None]) -> None:
        if await yes:
            pairs = tuple((s, None) for s in chosen)
            message = f"Deleted {len(chosen)} tubes"
            outcome = self.screen.workspace.change_many(pairs, message, chosen[0].tube)
            self.screen.answers.answer(outcome, self._unmark)

    def _unmark(self, outcome: Outcome) -> None:
        self.screen.answers.say(outcome)
        if isinstance(outcome, Saved):
            self.screen.set_marks(frozenset())

    def set_many(self) -> None:
        """Set fields on every marked tube (S), as the bulk form asks."""
        chosen = self.marked()
        if not chosen:
            self.screen.notify("Mark tubes first: space marks one, A every match.", markup=False)
            return
        form = bulk_form.BulkForm(len(chosen), self.screen.workspace.catalog)
        changes = ask(self.screen.app, form)
        start(self.screen.app, self._set_many(chosen, changes))

    async def _set_many(
        self, chosen: list[Sample], asked: asyncio.Future[dict[str, Any] | None]
    ) -> None:
        if not (changes := await asked):
            return
        pairs = tuple(changed_by(chosen, changes))
        message = f"Set {', '.join(changes)} on {len(pairs)} tubes"
        outcome = self.screen.workspace.change_many(pairs, message, chosen[0].tube)
        self.screen.answers.answer(outcome, self.screen.answers.say)

    def move(self) -> None:
        """Move the focused sample to the tube the user names (m), or swap it with the
        sample there once the user says yes."""
        screen = self.screen
        if screen.marked:
            self._move_block(screen.marked)
            return
        sample = sample_in(screen.workspace.catalog, screen.view.cursor, "a to add a sample")
        if isinstance(sample, Refused):
            screen.notify(sample.reason, markup=False)
            return
        target = ask(screen.app, move_prompt.MovePrompt(sample.tube, sample.name))
        start(screen.app, self._move(sample, target))

    def _move_block(self, marked: frozenset[int]) -> None:
        """The marked samples to the tube the user names, as a block (m with marks)."""
        screen = self.screen
        first = min(marked)
        sample = screen.workspace.catalog.sample_at(first)
        name = sample.name if sample is not None else ""
        target = ask(screen.app, move_prompt.MovePrompt(first, name, len(marked)))
        start(screen.app, self._moved_block(marked, target))

    async def _moved_block(
        self, marked: frozenset[int], target: asyncio.Future[int | None]
    ) -> None:
        screen = self.screen
        if (tube := await target) is None:
            return
        found = block_move(screen.workspace.catalog, marked, tube)
        if isinstance(found, Refused):
            screen.answers.answer(found, screen.answers.say)
            return
        pairs, message = found
        outcome = screen.workspace.change_many(pairs, message, tube)
        if isinstance(outcome, Saved):  # the marks go with their samples
            screen.set_marks(frozenset(new.tube for _, new in pairs if new is not None))
        screen.answers.answer(outcome, screen.answers.say)

    async def _move(self, sample: Sample, target: asyncio.Future[int | None]) -> None:
        screen = self.screen
        if (tube := await target) is None:
            return
        outcome = screen.workspace.move(sample, tube)
        if isinstance(outcome, SwapOffer):
            if not await screen.app.push_screen_wait(confirm.ConfirmScreen(outcome.reason)):
                return
            outcome = screen.workspace.move(sample, tube, swap=True)
        screen.answers.answer(outcome, screen.answers.say)
