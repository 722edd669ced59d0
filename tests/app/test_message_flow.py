"""The way of one edit, told by the messages it posts (run_test's message_hook): the board
says where the cursor went, the form submits a sample and never writes, the watcher says
what it saw on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.message import Message

from tests.app.test_live import wait_until
from tui.app import TubeboardApp
from tui.screens.board_screen import BoardScreen
from tui.screens.sample_form import SampleForm
from tui.watcher import CatalogChanged
from tui.widgets.board import TubeBoard
from tui.widgets.details_line import DetailsLine


def recorder() -> tuple[list[Message], object]:
    """A message hook, and what it saw: each message once (the hook sees it at every node
    it bubbles through)."""
    seen: list[Message] = []

    def hook(message: Message) -> None:
        if not any(message is m for m in seen):
            seen.append(message)

    return seen, hook


async def test_the_cursor_is_a_reactive_that_posts_where_it_went(catalogue: Path) -> None:
    seen, hook = recorder()
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:  # type: ignore[arg-type]
        await pilot.press("right", "right", "G", "right")
        await pilot.pause()
        moved = [m.tube for m in seen if isinstance(m, TubeBoard.CursorMoved)]
        assert moved == [2, 3, 43]  # past the last tube: validated, no move, no message
        board = app.screen.query_one(TubeBoard)
        board.cursor = 999
        assert board.cursor == 43


async def test_the_form_submits_and_the_screen_answers(catalogue: Path) -> None:
    seen, hook = recorder()
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:  # type: ignore[arg-type]
        before = catalogue.read_bytes()
        await pilot.press("a", *"Posted")
        assert catalogue.read_bytes() == before  # typing writes nothing
        await pilot.press("ctrl+s")
        await pilot.pause()
        (submitted,) = [m for m in seen if isinstance(m, SampleForm.Submitted)]
        assert submitted.sample.name == "Posted" and submitted.sample.tube == 33
        assert isinstance(app.screen, BoardScreen)  # the screen answered Saved: the form closed
    assert b'name = "Posted"' in catalogue.read_bytes()


async def test_the_watcher_posts_what_it_saw_on_disk(catalogue: Path) -> None:
    seen, hook = recorder()
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:  # type: ignore[arg-type]
        catalogue.write_text(catalogue.read_text().replace('"Roubion"', '"Roubion 2"', 1))
        await wait_until(pilot, lambda: any(isinstance(m, CatalogChanged) for m in seen))
        (changed,) = [m for m in seen if isinstance(m, CatalogChanged)]
        assert changed.parsed.catalog is not None
        assert changed.parsed.catalog.sample_at(2).name == "Roubion 2"  # type: ignore[union-attr]


def burst(app: TubeboardApp, *keys: str) -> None:
    """Keys that arrive together, as a terminal over a slow link delivers them: all posted
    before the app handles the first (pilot.press waits between keys)."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_a_burst_of_cursor_moves_is_shown_once_where_it_ends(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[int] = []
    show = DetailsLine.show

    def counted(self: DetailsLine, tube: int, *args: Any) -> None:
        shown.append(tube)
        show(self, tube, *args)

    monkeypatch.setattr(DetailsLine, "show", counted)
    seen, hook = recorder()
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:  # type: ignore[arg-type]
        await pilot.pause()
        shown.clear()
        burst(app, *["right"] * 20)
        await wait_until(pilot, lambda: app.screen.query_one(TubeBoard).cursor == 21)
        await pilot.pause()
        assert shown[-1] == 21
        assert len(shown) < 20  # coalesced: the details line is not drawn for each key
        moved = [m for m in seen if isinstance(m, TubeBoard.CursorMoved)]
        assert all(m.control is app.screen.query_one(TubeBoard) for m in moved)


async def test_keys_typed_together_reach_the_question_they_answer(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "d", "y")  # one delete, confirmed in the same burst
        await wait_until(pilot, lambda: app.screen.workspace.catalog.sample_at(1) is None)
        burst(app, "right", "space", "right", "space", "d", "y")  # two marked, then deleted
        await wait_until(pilot, lambda: app.screen.workspace.catalog.sample_at(3) is None)
        assert app.screen.workspace.catalog.sample_at(2) is None
        assert isinstance(app.screen, BoardScreen)
