from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.conftest import SHIPPED
from tui.app import TubeboardApp


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
