"""The file changes under the app: editors, git, a colleague. Nothing anyone wrote is lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.app.conftest import messages
from tests.conftest import SHIPPED
from tui.app import TubeboardApp
from tui.catalog import store as store_module
from tui.screens.board_screen import BoardScreen
from tui.screens.sample_form import SampleForm
from tui.widgets.board import TubeBoard
from tui.widgets.title_bar import TitleBar

ORIGINAL = SHIPPED.read_text()


def save_like_vim(path: Path, text: str) -> None:
    """Write a new file beside it and rename it over: a new inode, as many editors do."""
    temp = path.with_name(".catalog.toml.swp")
    temp.write_text(text)
    os.replace(temp, path)


def banner(app: TubeboardApp) -> str:
    return str(app.screen.query_one("#banner", Static).render())


async def wait_until(pilot: object, condition: object, seconds: float = 10.0) -> None:
    """Poll until `condition` holds. The app notices within a second or so; the patience
    here is for a loaded machine (the suite runs on both cores), not a figure: how soon is
    measured in bench/."""
    for _ in range(int(seconds / 0.05)):
        if condition():  # type: ignore[operator]
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    assert condition(), f"not noticed in {seconds} s"  # type: ignore[operator]


async def test_an_outside_save_shows_within_a_second_and_keeps_the_cursor(
    catalogue: Path,
) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right")
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        save_like_vim(catalogue, ORIGINAL.replace('name = "Montdenier"', 'name = "Mont Denier"'))
        # The notice comes as a message after the board is redrawn: wait for what a user sees last.
        await wait_until(
            pilot, lambda: "catalog.toml changed on disk: tube 3 changed" in messages(app)
        )
        assert screen.workspace.catalog.sample_at(3).name == "Mont Denier"
        assert screen.query_one(TubeBoard).cursor == 3


async def test_git_checkout_style_rewrite_in_place(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        extra = '\n[[sample]]\ntube = 40\nname = "From git"\nkind = "regolith"\n'
        with open(catalogue, "a") as handle:  # same inode, new size
            handle.write(extra)
        await wait_until(
            pilot, lambda: "catalog.toml changed on disk: tube 40 added" in messages(app)
        )
        assert screen.workspace.catalog.sample_at(40) is not None


async def test_a_new_title_on_disk_shows_in_the_title_bar(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        bar = app.screen.query_one(TitleBar)
        assert str(bar.render()).startswith("Perseverance sample tubes — ")
        save_like_vim(catalogue, ORIGINAL.replace("Perseverance sample tubes", "Mars 2020 rack", 1))
        await wait_until(pilot, lambda: str(bar.render()).startswith("Mars 2020 rack — "))
        await pilot.pause()
        assert "Mars 2020 rack" in app.export_screenshot().replace("&#160;", " ")  # redrawn


async def test_our_own_saves_are_not_news(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"Mine", "ctrl+s")
        await pilot.pause(0.6)
        assert messages(app) == ["Added tube 33"]


async def test_a_broken_file_keeps_the_last_good_board_read_only_then_resumes(
    catalogue: Path,
) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        broken = ORIGINAL.replace('kind = "atmosphere"', 'kind = "air"')
        save_like_vim(catalogue, broken)
        await wait_until(pilot, lambda: "problem" in banner(app))
        assert "line 37:1: unknown kind 'air'" in banner(app)
        assert len(screen.workspace.catalog.samples) == 32  # still the last good board
        await pilot.press("a")
        assert isinstance(app.screen, BoardScreen)  # no form: writes are off
        assert "fix it first" in messages(app)[-1]
        await pilot.press("d")
        assert isinstance(app.screen, BoardScreen)
        assert catalogue.read_text() == broken  # nothing was written
        save_like_vim(catalogue, ORIGINAL)
        await wait_until(pilot, lambda: "catalog.toml is valid again" in messages(app)[-1])
        assert banner(app) == ""
        await pilot.press("a")
        assert isinstance(app.screen, SampleForm)


async def test_the_open_form_survives_a_change_and_saves_on_top_of_it(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "e")
        form = app.screen
        assert isinstance(form, SampleForm)
        form.query_one("#site", Input).value = "Polygon Valley"
        theirs = ORIGINAL.replace('name = "Montdenier"', 'name = "Mont Denier"')
        save_like_vim(catalogue, theirs)
        await pilot.pause(0.6)
        assert app.screen is form  # still open, with my input
        assert form.catalog.sample_at(3).name == "Mont Denier"  # type: ignore[union-attr]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
    assert catalogue.read_text() == theirs.replace('site = "Roubion"', 'site = "Polygon Valley"')


async def test_a_read_only_file_is_browsable_but_not_writable(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated, since root may write anywhere.
    monkeypatch.setattr(store_module.os, "access", lambda path, mode: False)
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        assert banner(app).startswith(f"read-only: {catalogue} is read-only")
        await pilot.press("right", "slash", *"roub", "enter", "e")
        assert isinstance(app.screen, BoardScreen)
        assert "Read-only" in messages(app)[-1]
    assert catalogue.read_text() == ORIGINAL


async def test_a_file_that_vanishes_and_returns_unchanged_is_writable_again(
    catalogue: Path,
) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        catalogue.unlink()  # as `git stash` or some editors do for a moment
        await wait_until(pilot, lambda: "no such file" in banner(app))
        catalogue.write_text(ORIGINAL)
        await wait_until(pilot, lambda: banner(app) == "")
        await pilot.press("a")
        assert isinstance(app.screen, SampleForm)
