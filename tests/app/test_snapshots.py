"""How the screens look, at 80x24 (an SSH login's default) and 120x40."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.app.test_screens import BROKEN, HOSTILE
from tests.conftest import SHIPPED
from tui.app import TubeboardApp

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An app on `catalog.toml` holding `text`, opened by a relative path so it looks the same
    in every run."""
    monkeypatch.chdir(tmp_path)

    def make(text: str) -> TubeboardApp:
        Path("catalog.toml").write_text(text)
        return TubeboardApp(Path("catalog.toml"))

    return make


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_shipped_board(snap_compare: Any, at: Any, size: tuple[int, int]) -> None:
    assert snap_compare(at(SHIPPED.read_text()), terminal_size=size, press=["right", "down"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare: Any, at: Any, size: tuple[int, int]) -> None:
    assert snap_compare(at(SHIPPED.read_text()), terminal_size=size, press=["question_mark"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_form_with_errors(snap_compare: Any, at: Any, size: tuple[int, int]) -> None:
    async def fill(pilot: Pilot[None]) -> None:
        await pilot.press("a", *"roubion", "tab", "tab", "tab", *"soon", "tab", *"2021-13-01")
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(at(SHIPPED.read_text()), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_problems(snap_compare: Any, at: Any, size: tuple[int, int]) -> None:
    assert snap_compare(at(BROKEN), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_hostile_names(snap_compare: Any, at: Any, size: tuple[int, int]) -> None:
    assert snap_compare(at(HOSTILE), terminal_size=size, press=["right"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_sample_view(snap_compare: Any, at: Any, size: tuple[int, int]) -> None:
    assert snap_compare(at(SHIPPED.read_text()), terminal_size=size, press=["right", "enter"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_confirm_delete(snap_compare: Any, at: Any, size: tuple[int, int]) -> None:
    assert snap_compare(at(SHIPPED.read_text()), terminal_size=size, press=["right", "d"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_filter_picker(snap_compare: Any, at: Any, size: tuple[int, int]) -> None:
    assert snap_compare(at(SHIPPED.read_text()), terminal_size=size, press=["f"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_create_with_an_error(
    snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.chdir(tmp_path)  # no catalog.toml: the app offers to create it

    async def zero_tubes(pilot: Pilot[None]) -> None:
        await pilot.press("tab", "backspace", "backspace", "0", "ctrl+s")
        await pilot.pause()

    assert snap_compare(
        TubeboardApp(Path("catalog.toml")), terminal_size=size, run_before=zero_tubes
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_shipped_board_without_colour(
    snap_compare: Any, at: Any, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: the terminal's own colours, the cursor in reverse, the symbols."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(at(SHIPPED.read_text()), terminal_size=size, press=["right", "down"])


def test_filter_picker_without_colour(
    snap_compare: Any, at: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: the highlighted choice is underlined and bold."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(at(SHIPPED.read_text()), terminal_size=(80, 24), press=["f", "down"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_shipped_table(snap_compare: Any, at: Any, size: tuple[int, int]) -> None:
    """The table (t) sorted by sol, highest first, with a search, a mark and the cursor."""
    keys = ["right", "t", "l", "l", "l", "l", "s", "s", "space", "slash", *"kind:witness"]
    assert snap_compare(at(SHIPPED.read_text()), terminal_size=size, press=[*keys, "enter"])


def test_shipped_table_without_colour(
    snap_compare: Any, at: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: the row cursor is ▶ and reverse, the column cursor a heavy rule."""
    monkeypatch.setenv("NO_COLOR", "1")
    keys = ["t", "j", "l", "l", "space"]
    assert snap_compare(at(SHIPPED.read_text()), terminal_size=(80, 24), press=keys)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_shipped_timeline(snap_compare: Any, at: Any, size: tuple[int, int]) -> None:
    """The timeline (T) with the cursor on Roubion."""
    assert snap_compare(at(SHIPPED.read_text()), terminal_size=size, press=["T", "l"])


def test_shipped_timeline_without_colour(
    snap_compare: Any, at: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: the focused sample in reverse, the kinds by their symbols."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(at(SHIPPED.read_text()), terminal_size=(80, 24), press=["T", "l", "l"])


def test_the_readme_timeline_picture_is_the_snapshot() -> None:
    """docs/timeline.svg, shown in the README, is the 80x24 timeline snapshot as it is now."""
    snapshot = Path(__file__).parent / "__snapshots__" / "test_snapshots"
    shown = Path(__file__).parents[2] / "docs" / "timeline.svg"
    assert shown.read_text() == (snapshot / "test_shipped_timeline[80x24].svg").read_text()
