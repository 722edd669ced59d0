"""How a flow asks the user: a confirmation, a prompt or a form is shown at once and its
answer awaited later, in a worker, so a flow reads top to bottom (ask, ask the workspace,
answer) instead of as nested callbacks.

The first question is pushed in the turn of the key that asked, not from inside the worker:
keys that arrive together (`d y` over a slow SSH link) reach the question they answer. Later
questions of the same flow use Textual's `push_screen_wait`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from textual.app import App
from textual.screen import Screen
from textual.worker import Worker

T = TypeVar("T")


def ask(app: App[Any], screen: Screen[T]) -> asyncio.Future[T | None]:
    """Show `screen` now; its answer (what it is dismissed with, None without one) is the
    future's result."""
    answer: asyncio.Future[T | None] = asyncio.get_running_loop().create_future()

    def answered(value: T | None) -> None:
        if not answer.done():
            answer.set_result(value)

    app.push_screen(screen, answered)
    return answer


def start(app: App[Any], flow: Coroutine[Any, Any, None]) -> Worker[None]:
    """Run a flow in a worker of the app's: it outlives the screen that started it (a
    question pushed over the screen pauses that screen's workers' messages, not this)."""
    return app.run_worker(flow, group="flow")
