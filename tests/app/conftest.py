from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

from tests.conftest import SHIPPED
from tui.app import TubeboardApp
from tui.screens.board_screen import BoardScreen


def messages(app: TubeboardApp) -> list[str]:
    """The notifications the app has shown, oldest first."""
    return [str(n.message) for n in app._notifications]


@pytest.fixture(autouse=True)
def no_blinking(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A blinking cursor makes screenshots differ from run to run.
    original = Input.__init__

    def init(self: Input, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        self.cursor_blink = False

    monkeypatch.setattr(Input, "__init__", init)
    yield


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """A scratch copy of the shipped catalogue."""
    path = tmp_path / "catalog.toml"
    path.write_bytes(SHIPPED.read_bytes())
    return path


async def read_whole(pilot: Pilot[None], tries: int = 200, step: float = 0.1) -> BoardScreen:
    """The board screen once a large file is read whole (its head shows first)."""
    screen = pilot.app.screen
    assert isinstance(screen, BoardScreen)
    for _ in range(tries):
        if not screen.workspace.partial:
            break
        await pilot.pause(step)
    assert not screen.workspace.partial
    return screen


def lines_drawn(monkeypatch: pytest.MonkeyPatch, view: type[ScrollView]) -> list[int]:
    """Every line `view` draws from now on, by its y, in order."""
    drawn: list[int] = []
    original = view.render_line

    def counted(self: ScrollView, y: int) -> Strip:
        drawn.append(y)
        return original(self, y)

    monkeypatch.setattr(view, "render_line", counted)
    return drawn
