"""What the board screen does with the workspace's answer to a change: show the new
catalogue, say what happened, tell whoever asked (an open form, or a notice), wait in a
worker when another tubeboard holds the lock, and finish the write off the event loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from tui.catalog.errors import StoreError
from tui.catalog.workspace import Outcome, Refused, Saved, Waiting, Workspace

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message
    from textual.notifications import SeverityLevel
    from textual.worker import Worker

    from tui.catalog.history import Step
    from tui.catalog.workspace import PendingCheck

Tell = Callable[[Outcome], None]


class Asker(Protocol):
    """What the answers need of the screen that asked."""

    workspace: Workspace

    @property
    def app(self) -> App[Any]: ...

    def show_saved(self, saved: Saved) -> None: ...

    def index_now(self) -> None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...

    def run_worker(self, work: Any, *args: Any, **kwargs: Any) -> Worker[Any]: ...

    def post_message(self, message: Message) -> bool: ...


class Answers:
    """What the board screen does with a workspace's answer: show it, say it, finish the write."""

    def __init__(self, screen: Asker) -> None:
        self.screen = screen

    def say(self, outcome: Outcome) -> None:
        """Where no form is open, the outcome is a notice (a Saved says itself)."""
        if isinstance(outcome, Waiting):
            self.screen.notify(outcome.message, markup=False)
        elif isinstance(outcome, Refused):
            self.screen.notify(outcome.reason, severity="error", markup=False)

    def answer(self, outcome: Outcome, tell: Tell) -> None:
        """Show what the workspace answered, and tell whoever asked. A Waiting goes on in a
        worker and is answered again when the lock is free."""
        screen = self.screen
        if isinstance(outcome, Saved):
            screen.show_saved(outcome)
            screen.notify(outcome.message, markup=False)
            steps = list(screen.workspace.log.undo)
            screen.run_worker(
                lambda: self._after_write(outcome.check, steps), thread=True, group="store"
            )
        elif isinstance(outcome, Waiting):
            screen.run_worker(lambda: self._when_free(outcome, tell), thread=True, group="save")
        tell(outcome)

    def _when_free(self, waiting: Waiting, tell: Tell) -> None:
        app = self.screen.app
        try:
            written = waiting.write()
        except StoreError as error:
            app.call_from_thread(self.answer, Refused(str(error)), tell)
            return
        app.call_from_thread(lambda: self.answer(waiting.done(written), tell))

    def _after_write(self, check: PendingCheck | None, steps: list[Step]) -> None:
        """Off the event loop: the whole-text check the write owes, a patch for each new undo
        step, and the index for the next edit."""
        screen, app = self.screen, self.screen.app
        found = screen.workspace.after_write(check, steps)
        if found.problem is not None:
            app.call_from_thread(screen.notify, found.problem, severity="error", markup=False)
            return
        app.call_from_thread(screen.workspace.log.keep_compacted, found.compacted)
        screen.index_now()
