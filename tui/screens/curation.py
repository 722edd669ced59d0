"""Deletes, work on many tubes at once, and moves: the marked tubes (space, A), a field set
on all of them (S), all of them deleted (d) or the focused one, a sample moved or swapped
(m). Each is one question to the workspace, and one atomic save and one undo step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import attr

from tui.catalog.model import Sample
from tui.catalog.workspace import Outcome, Refused, Saved, SwapOffer
from tui.lazy import later
from tui.screens.answers import Asker

if TYPE_CHECKING:
    from tui.screens import bulk_form, confirm, move_prompt
    from tui.screens.answers import Answers
    from tui.widgets.finder import Finder
    from tui.widgets.tube_view import TubeView
else:
    bulk_form = later("tui.screens.bulk_form")
    confirm = later("tui.screens.confirm")
    move_prompt = later("tui.screens.move_prompt")


class Curator(Asker, Protocol):
    """What curation needs of the board screen: what answers need, the view, the marks."""

    answers: Answers
    marked: frozenset[int]
    finder: Finder

    @property
    def view(self) -> TubeView: ...

    def set_marks(self, marked: frozenset[int]) -> None: ...


class Curation:
    """Marks and the changes of many (S, d with marks) and moves, for the board screen."""

    def __init__(self, screen: Curator) -> None:
        self.screen = screen

    def marks_asked(self, toggled: frozenset[int], every: bool) -> None:
        """space: these tubes marked or unmarked, from the marks as they are now; A: every
        match of the search, or why none is marked."""
        if not every:
            self.screen.set_marks(self.screen.marked ^ toggled)
            return
        found = self.screen.finder.to_mark(self.screen.workspace.catalog)
        if isinstance(found, str):
            self.screen.notify(found, markup=False)
            return
        self.screen.set_marks(found)

    def marked(self) -> list[Sample]:
        catalog = self.screen.workspace.catalog
        return [s for t in sorted(self.screen.marked) if (s := catalog.sample_at(t)) is not None]

    def delete(self) -> None:
        """Delete the marked tubes, or else the focused one, once the user says yes."""
        if self.screen.marked:
            self.delete_marked()
            return
        old = self.screen.workspace.sample_in(self.screen.view.cursor, None)
        if isinstance(old, Refused):
            self.screen.notify(old.reason, markup=False)
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.screen.answers.answer(
                    self.screen.workspace.delete(old), self.screen.answers.say
                )

        question = f"Delete tube {old.tube}, {old.name!r}? The file is written at once."
        self.screen.app.push_screen(confirm.ConfirmScreen(question), decided)

    def delete_marked(self) -> None:
        chosen = self.marked()
        listed = ", ".join(f"{s.tube} {s.name!r}" for s in chosen[:8])
        more = f" and {len(chosen) - 8} more" if len(chosen) > 8 else ""

        def decided(yes: bool | None) -> None:
            if yes:
                pairs = tuple((s, None) for s in chosen)
                message = f"Deleted {len(chosen)} tubes"
                self.screen.answers.answer(
                    self.screen.workspace.change_many(pairs, message, chosen[0].tube), self.unmark
                )

        question = f"Delete the {len(chosen)} marked tubes ({listed}{more})? One save, one undo."
        self.screen.app.push_screen(confirm.ConfirmScreen(question), decided)

    def unmark(self, outcome: Outcome) -> None:
        self.screen.answers.say(outcome)
        if isinstance(outcome, Saved):
            self.screen.set_marks(frozenset())

    def set_many(self) -> None:
        chosen = self.marked()
        if not chosen:
            self.screen.notify("Mark tubes first: space marks one, A every match.", markup=False)
            return

        def filled(changes: dict[str, Any] | None) -> None:
            if not changes:
                return
            pairs = tuple((s, new) for s in chosen if (new := attr.evolve(s, **changes)) != s)
            what = ", ".join(changes)
            message = f"Set {what} on {len(pairs)} tubes"
            self.screen.answers.answer(
                self.screen.workspace.change_many(pairs, message, chosen[0].tube),
                self.screen.answers.say,
            )

        self.screen.app.push_screen(bulk_form.BulkForm(len(chosen)), filled)

    def move(self) -> None:
        sample = self.screen.workspace.sample_in(self.screen.view.cursor, "a to add a sample")
        if isinstance(sample, Refused):
            self.screen.notify(sample.reason, markup=False)
            return

        def chosen(tube: int | None) -> None:
            if tube is None:
                return
            outcome = self.screen.workspace.move(sample, tube)
            if isinstance(outcome, SwapOffer):

                def swap_too(yes: bool | None) -> None:
                    if yes:
                        swapped = self.screen.workspace.move(sample, tube, swap=True)
                        self.screen.answers.answer(swapped, self.screen.answers.say)

                self.screen.app.push_screen(confirm.ConfirmScreen(outcome.reason), swap_too)
            else:
                self.screen.answers.answer(outcome, self.screen.answers.say)

        self.screen.app.push_screen(move_prompt.MovePrompt(sample.tube, sample.name), chosen)
