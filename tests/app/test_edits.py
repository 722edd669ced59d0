"""Every form path and every write, checked against the file on disk."""

from __future__ import annotations

import gc
import time
import weakref
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static, TextArea

from tests.app.conftest import messages
from tests.conftest import SHIPPED
from tui import collector
from tui.app import TubeboardApp
from tui.screens.board_screen import BoardScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.sample_form import SampleForm
from tui.widgets.board import TubeBoard

ORIGINAL = SHIPPED.read_text()


def error(app: TubeboardApp, field: str) -> str:
    return str(app.screen.query_one(f"#{field}-error", Label).render())


def form_message(app: TubeboardApp) -> str:
    return str(app.screen.query_one("#form-message", Static).render())


def added_lines(before: str, after: str) -> str:
    assert after.startswith(before)
    return after[len(before) :]


async def test_add_defaults_and_saves_one_block(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, SampleForm)
        assert app.focused is form.query_one("#name")
        texts = form.texts()
        assert (texts["tube"], texts["kind"], texts["status"]) == ("33", "rock-core", "sealed")
        await pilot.press(*"Cheyava [b]Falls[/b]", "tab", "tab", "tab")
        await pilot.press(*"1215", "tab", *"2024-07-21", "tab", *"Margin", "tab", "tab")
        assert app.focused is form.query_one("#notes", TextArea)
        await pilot.press(*"two", "enter", *"lines")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.query_one(TubeBoard).cursor == 33
    assert added_lines(ORIGINAL, catalogue.read_text()) == (
        '\n[[sample]]\ntube = 33\nname = "Cheyava [b]Falls[/b]"\nkind = "rock-core"\n'
        'sol = 1215\ndate = 2024-07-21\ncampaign = "Margin"\nnotes = """\ntwo\nlines"""\n'
    )


async def test_add_prefers_the_focused_empty_tube(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("G", "a")
        assert isinstance(app.screen, SampleForm)
        assert app.screen.texts()["tube"] == "43"


async def test_invalid_fields_are_marked_as_you_type_and_nothing_is_written(
    catalogue: Path,
) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"roubion")
        assert (
            error(app, "name") == "the name 'roubion' is already used by tube 2 (names ignore case)"
        )
        await pilot.press("shift+tab", "backspace", "backspace", *"2")
        assert error(app, "tube") == "tube 2 is already used by 'Roubion'"
        await pilot.press("backspace", *"44")
        assert error(app, "tube") == "tube 44 is out of range: the board has tubes 1..43"
        await pilot.press("backspace", "backspace", "x")
        assert error(app, "tube") == "a tube number, like 12"
        form = app.screen
        assert isinstance(form, SampleForm)
        form.query_one("#sol", Input).value = "-4"
        form.query_one("#date", Input).value = "2021-02-30"
        await pilot.pause()
        assert "sols count from 0" in error(app, "sol")
        assert error(app, "date") == "no such day in the calendar"  # (issue 23: not the format)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SampleForm)
        assert form_message(app) == "Fix the marked fields; nothing was saved."
        assert app.focused is form.query_one("#tube")  # the first bad field
        form.query_one("#name", Input).value = ""
        await pilot.pause()
        assert error(app, "name") == "a name is required"
    assert catalogue.read_text() == ORIGINAL


async def test_escape_cancels_and_asks_first_when_something_was_typed(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "escape")
        assert isinstance(app.screen, BoardScreen)  # nothing typed: no question
        await pilot.press("a", "x", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, SampleForm)
        assert app.screen.texts()["name"] == "x"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, BoardScreen)
    assert catalogue.read_text() == ORIGINAL


async def test_edit_changes_only_the_edited_line_and_keeps_user_keys(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "e")
        form = app.screen
        assert isinstance(form, SampleForm)
        assert form.texts()["name"] == "Roubion"
        site = form.query_one("#site", Input)
        site.value = "Polygon Valley"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
    assert catalogue.read_text() == ORIGINAL.replace('site = "Roubion"', 'site = "Polygon Valley"')


async def test_saving_an_untouched_form_writes_nothing(catalogue: Path) -> None:
    catalogue.write_text(ORIGINAL.replace('site = "Roubion"', 'site = ""'))
    before = catalogue.read_bytes()
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "e", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
    assert catalogue.read_bytes() == before


async def test_a_conflict_keeps_the_form_open_with_the_input(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"Mine")
        # Meanwhile a colleague fills tube 33 by hand.
        theirs = ORIGINAL + '\n[[sample]]\ntube = 33\nname = "Theirs"\nkind = "witness"\n'
        catalogue.write_text(theirs)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SampleForm)
        assert form_message(app) == "tube 33 is already used by 'Theirs'"
        assert app.screen.texts()["name"] == "Mine"
        assert catalogue.read_text() == theirs
        app.screen.query_one("#tube", Input).value = "34"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
    assert added_lines(theirs, catalogue.read_text()) == (
        '\n[[sample]]\ntube = 34\nname = "Mine"\nkind = "rock-core"\n'
    )


async def test_delete_asks_and_y_confirms(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert catalogue.read_text() == ORIGINAL
        await pilot.press("d", "y")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.workspace.catalog.sample_at(1) is None
    block = ORIGINAL[
        ORIGINAL.index("[[sample]]\ntube = 1\n") : ORIGINAL.index("[[sample]]\ntube = 2\n")
    ]
    assert catalogue.read_text() == ORIGINAL.replace(block, "")


async def test_empty_tube_and_full_board_messages(tmp_path: Path) -> None:
    path = tmp_path / "full.toml"
    path.write_text('[board]\ntubes = 1\n[[sample]]\ntube = 1\nname = "Only"\nkind = "witness"\n')
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert "The board is full" in messages(app)[-1]
        assert "Raise tubes" in messages(app)[-1]


async def settled(app: TubeboardApp, pilot: Pilot[None]) -> None:
    """Wait for the workers after a write: the full check, the index, the undo patches."""
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("compacted", [False, True], ids=["at-once", "as-patches"])
async def test_undo_walks_back_add_edit_and_delete_to_the_original_bytes(
    catalogue: Path, compacted: bool
) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"New", "ctrl+s")  # add tube 33
        await pilot.pause()
        await pilot.press("g", "e")
        app.screen.query_one("#name", Input).value = "Witness one"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("right", "d", "y")  # delete Roubion
        await pilot.pause()
        assert catalogue.read_text() != ORIGINAL
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        if compacted:  # as after a moment: each step keeps a patch, not two copies of the file
            await settled(app, pilot)
            assert [s.now for s in screen.workspace.log.undo] == [None] * 3
            assert all(s.patch is not None for s in screen.workspace.log.undo)
        await pilot.press("u", "u", "u")
        await pilot.pause()
        assert catalogue.read_text() == ORIGINAL
        await pilot.press("u")
        assert "Nothing to undo" in messages(app)[-1]


@pytest.mark.parametrize("compacted", [False, True], ids=["at-once", "as-patches"])
async def test_undo_after_someone_else_edited_keeps_their_edit(
    catalogue: Path, compacted: bool
) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"Mine", "ctrl+s")
        await pilot.pause()
        if compacted:
            await settled(app, pilot)
        theirs = catalogue.read_text().replace("sol = 164", "sol = 165  # fixed by hand")
        catalogue.write_text(theirs)
        await pilot.press("u")
        await pilot.pause()
    assert catalogue.read_text() == ORIGINAL.replace("sol = 164", "sol = 165  # fixed by hand")


async def test_a_closed_form_is_freed(catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The board freezes what lives out of the garbage collector's rounds; a form caught
    in a freeze must still be freed once it is closed."""
    monkeypatch.setattr(TubeboardApp, "NOTIFICATION_TIMEOUT", 0.3)
    monkeypatch.setattr(collector, "QUIET_SECONDS", 0.5)
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("a")
        form = weakref.ref(app.screen)
        await pilot.press(*"Freed", "ctrl+s")
        await pilot.pause()
        await settled(app, pilot)  # the index is built, and what lives frozen
        gc.freeze()  # as if the form had been open at a freeze, as it was before this test
        # The notice times out, and the quiet-time collection runs (a second after the last
        # index, counting the one a second after start-up).
        for _ in range(40):
            await pilot.pause(0.1)
            if form() is None:
                break
        assert form() is None


async def test_the_full_collection_waits_while_keys_come(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collection after a change takes tens of ms on a large file: it must wait until
    nobody is typing, whether on the board or in a form."""
    monkeypatch.setattr(collector, "QUIET_SECONDS", 0.4)
    monkeypatch.setattr(TubeboardApp, "NOTIFICATION_TIMEOUT", 0.1)
    runs: list[float] = []
    monkeypatch.setattr(TubeboardApp, "_sweep", lambda self: runs.append(time.monotonic()))
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"Busy", "ctrl+s")
        await settled(app, pilot)
        await pilot.pause(1.2)  # the index a second after start-up has run too
        runs.clear()
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        app.sweep_when_quiet()
        for key in ["l", "h", "a", "x", "y", "z", "escape", "y", "l", "h"]:  # board and form
            await pilot.press(key)
            await pilot.pause(0.15)
        assert runs == []
        for _ in range(20):
            await pilot.pause(0.1)
            if runs:
                break
        assert len(runs) == 1


async def test_ctrl_r_redoes_what_u_undid(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"Again", "ctrl+s")
        await pilot.pause()
        added = catalogue.read_text()
        await pilot.press("u")
        await pilot.pause()
        assert catalogue.read_text() == ORIGINAL
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert catalogue.read_text() == added
        assert "Redid the add of tube 33" in messages(app)[-1]
        await pilot.press("ctrl+r")
        assert "Nothing to redo" in messages(app)[-1]


async def test_the_undo_history_outlives_the_board_screen(catalogue: Path) -> None:
    """Issue 24, part 2: the workspace is the app's. A board shown anew (the app reads the
    file again, as after its problems were fixed) keeps what can be undone."""
    original = catalogue.read_bytes()
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("G", "a")
        await pilot.pause()
        await pilot.press(*"Kept for undo", "ctrl+s")
        await pilot.pause()
        assert catalogue.read_bytes() != original
        first = app.screen
        app.open_catalogue()  # a new board screen on the file as it is
        await pilot.pause()
        assert app.screen is not first and isinstance(app.screen, BoardScreen)
        await pilot.press("u")
        await pilot.pause()
        assert catalogue.read_bytes() == original
