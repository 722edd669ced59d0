"""The way of one edit, told by the messages it posts (run_test's message_hook): the board
says where the cursor went, the form submits a sample and never writes, the watcher says
what it saw on disk."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from tests.app.test_live import wait_until
from tui.app import TubeboardApp
from tui.screens.board_screen import BoardScreen
from tui.screens.sample_form import SampleForm
from tui.watcher import CatalogChanged
from tui.widgets.board import TubeBoard


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
