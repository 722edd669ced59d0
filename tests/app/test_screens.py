"""Opening: a broken file, a missing file, and names that look like markup or escapes."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.app.conftest import messages
from tests.conftest import SHIPPED
from tui.app import TubeboardApp
from tui.screens.board_screen import BoardScreen
from tui.screens.create import CreateScreen
from tui.screens.problems import ProblemsScreen
from tui.widgets.board import TubeBoard
from tui.widgets.details_line import DetailsLine
from tui.widgets.title_bar import TitleBar

BROKEN = '[[sample]]\ntube = 1\nname = "A"\nkind = "rocks"\n\n[[sample]]\ntube = 1\nname = "B"\n'
HOSTILE = "\n".join(
    f'[[sample]]\ntube = {i}\nname = "{name}"\nkind = "witness"\n'
    for i, name in enumerate(
        [
            "[red]x[/red]",
            "[@click=app.quit]q[/]",
            "[/",
            "[0]",
            "\\u001b[31mred\\u001b[0m",
            "bell\\u0007",
            "\\u202eevil",
            "two\\nlines",
        ],
        start=1,
    )
)


def board_text(app: TubeboardApp) -> str:
    board = app.screen.query_one(TubeBoard)
    return "\n".join(board.render_line(y).text for y in range(board.size.height))


async def test_a_broken_file_shows_every_problem_and_r_rereads(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(BROKEN)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        text = str(app.screen.query_one("#problems-text", Static).render())
        assert "4:1 error unknown kind 'rocks'" in text
        assert "6:1 error this sample has no kind (required)" in text
        assert "7:1 error tube 1 is already used on line 2" in text
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)  # still broken
        path.write_text(
            BROKEN.replace('"rocks"', '"rock-core"').replace(
                'tube = 1\nname = "B"', 'tube = 2\nname = "B"\nkind = "witness"'
            )
        )
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert len(app.screen.workspace.catalog.samples) == 2
    assert "rock-core" in path.read_text()  # the app wrote nothing of its own


async def test_q_quits_from_the_problems_screen_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_bytes(b"\xff\xfe broken")
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert "not UTF-8" in str(app.screen.query_one("#problems-text", Static).render())
        await pilot.press("q")
    assert path.read_bytes() == b"\xff\xfe broken"


async def test_a_missing_file_is_offered_and_created_only_on_confirm(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CreateScreen)
        assert not path.exists()
        app.screen.query_one("#title", Input).value = "Lab [b]rack[/b]"
        app.screen.query_one("#tubes", Input).value = "12"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.workspace.catalog.board.tubes == 12
        assert app.screen.title == "Lab [b]rack[/b]"
    text = path.read_text()
    assert text.startswith("#:schema ./catalog.schema.json\n# A tubeboard catalogue")
    assert 'title = "Lab [b]rack[/b]"\ntubes = 12\n' in text
    # The schema line points at a real file, so editors check the new catalogue at once.
    from tui.catalog.schema import schema_text

    assert (tmp_path / "catalog.schema.json").read_text() == schema_text()
    assert "Wrote catalog.schema.json beside it, for editors." in messages(app)


async def test_an_existing_schema_file_beside_a_new_catalogue_is_left_alone(
    tmp_path: Path,
) -> None:
    mine = tmp_path / "catalog.schema.json"
    mine.write_text("{}")
    app = TubeboardApp(tmp_path / "new.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
    assert mine.read_text() == "{}"


async def test_escape_on_the_offer_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert not path.exists()


async def test_hostile_names_are_shown_literally(tmp_path: Path) -> None:
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE)
    app = TubeboardApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        shown = board_text(app)
        for label in ["[red]…", "[@cli…", "[/", "[0]", "␛[31m…", "bell␇", "<U+20…", "two␊l…"]:
            assert label in shown, label
        details = app.screen.query_one(DetailsLine)
        await pilot.press("l")
        assert details.text.startswith("tube 2 · [@click=app.quit]q[/] ·")
        await pilot.press("l", "l", "l")
        assert "␛[31mred␛[0m" in details.text
        panel = str(app.screen.query_one("#details-text", Static).render())
        assert "␛[31mred␛[0m" in panel and "\x1b" not in panel
        assert app.is_running  # the [@click=app.quit] name triggered nothing


async def test_a_hostile_board_title_is_shown_literally(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text('[board]\ntitle = "[b]x[/b] \\u001b[31mred \\u202eevil"\ntubes = 3\n')
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one(TitleBar).render())
        assert shown.startswith("[b]x[/b] ␛[31mred <U+202E>evil — ")
        assert "\x1b" not in shown and "\u202e" not in shown


@pytest.mark.parametrize("text", [None, "[[sample]]\ntube = 'x'\n"], ids=["board", "problems"])
async def test_the_collector_runs_again_once_the_first_screen_is_up(
    tmp_path: Path, text: str | None
) -> None:
    """`tubeboard` holds the cyclic collector off during start-up; whatever the first
    screen is, the app must switch it back on."""
    path = tmp_path / "catalog.toml"
    path.write_text(SHIPPED.read_text() if text is None else text)
    gc.disable()  # as tui.cli.main does before it opens the app
    try:
        app = TubeboardApp(path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_a_typo_of_a_file_name_is_said_and_enter_never_creates(tmp_path: Path) -> None:
    """Issue 23, part 11: `tubeboard catalgo.toml` beside catalog.toml, then Enter, made
    a new file."""
    (tmp_path / "catalog.toml").write_text("[board]\ntubes = 3\n")
    path = tmp_path / "catalgo.toml"
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CreateScreen)
        near = app.screen.query_one("#create-near")
        assert "Did you mean catalog.toml?" in str(near.render())
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        assert not path.exists()
        assert isinstance(app.screen, CreateScreen)
        await pilot.press("escape")
    assert not path.exists()


async def test_a_narrow_terminal_keeps_help_and_quit_in_the_footer(catalogue: Path) -> None:
    # Issue 27, part 5: at 60x20 the footer read "a Add ... u Undo  ? He" and Quit was gone.
    import html
    import re

    app = TubeboardApp(catalogue)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        svg = app.export_screenshot()
    last = "".join(
        html.unescape(text).replace("\xa0", " ")
        for text in re.findall(r'clip-path="url\(#terminal-\d+-line-19\)">([^<]*)', svg)
    )
    assert "? Help" in last and "q Quit" in last, last
