"""Every board key, with Pilot, on the shipped catalogue and on larger boards."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app import TubeboardApp
from tui.screens.board_screen import BoardScreen
from tui.screens.filter_picker import FilterPicker
from tui.screens.help import HelpScreen
from tui.screens.sample_view import SampleView
from tui.widgets.board import TubeBoard
from tui.widgets.details_line import DetailsLine
from tui.widgets.summary import Summary


def board(app: TubeboardApp) -> TubeBoard:
    return app.screen.query_one(TubeBoard)


async def test_opens_on_the_board_with_all_43_tubes_visible(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        tubes = board(app)
        assert tubes.columns == 11 and tubes.rows == 4
        assert tubes.max_scroll_y == 0  # no scrolling at 80x24
        assert str(app.screen.query_one(Summary).render()).startswith("filled 32 of 43 · ")
        assert app.screen.query_one(DetailsLine).text == (
            "tube 1 · Witness tube 1 · witness · sealed · sol 160"
        )


async def test_no_rule_styles_the_board_by_focus(catalogue: Path) -> None:
    """The board skips Textual's restyle on focus (TubeBoard.watch_has_focus): that holds
    only while no rule gives it, or its component styles, a different look when focused."""
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tubes = board(app)
        assert tubes.has_focus
        names = set(tubes._selector_names) | {f".{c}" for c in TubeBoard.COMPONENT_CLASSES}
        for_focus = [
            rule.css
            for rule in app.stylesheet.rules
            if rule.pseudo_classes & {"focus", "blur", "focus-within"}
            and set(rule.selector_names) & names
        ]
        assert for_focus == []


@pytest.mark.parametrize(
    ("keys", "tube"),
    [
        (["right"], 2),
        (["l", "l"], 3),
        (["down"], 12),
        (["j", "j", "k"], 12),
        (["down", "right", "left", "up"], 1),
        (["h"], 1),  # stays on the board
        (["end"], 43),
        (["G"], 43),
        (["G", "g"], 1),
        (["G", "home"], 1),
        (["G", "down"], 43),  # no tube below the last row
        (["pagedown"], 43),  # the whole board is one page
    ],
)
async def test_cursor_keys(catalogue: Path, keys: list[str], tube: int) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        assert board(app).cursor == tube


async def test_details_line_follows_the_cursor(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right")
        assert app.screen.query_one(DetailsLine).text == (
            "tube 2 · Roubion · atmosphere · deposited · sol 164 · 2021-08-06"
        )
        await pilot.press("G")
        assert app.screen.query_one(DetailsLine).text.startswith("tube 43 · empty")


async def test_a_large_board_scrolls_and_keeps_the_cursor_in_view(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text(
        '[board]\ntubes = 2000\n[[sample]]\ntube = 1999\nname = "Far"\nkind = "witness"\n'
    )
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        tubes = board(app)
        await pilot.press("pagedown")
        assert tubes.cursor > 11 * 3
        await pilot.press("G")
        await pilot.pause()
        assert tubes.cursor == 2000
        assert tubes.scroll_offset.y == tubes.max_scroll_y > 0
        await pilot.press("pageup")
        await pilot.pause()
        row_top = (tubes.cursor - 1) // tubes.columns * 4
        assert tubes.scroll_offset.y <= row_top < tubes.scroll_offset.y + tubes.size.height
        await pilot.press("g")
        await pilot.pause()
        assert tubes.scroll_offset.y == 0


async def test_enter_shows_every_field_and_e_edits_from_there(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "enter")
        assert isinstance(app.screen, SampleView)
        text = str(app.screen.query_one("Static").render())
        assert "designation: M2020-00164-02" in text and "tube_serial: 233" in text
        assert "notes: First coring attempt" in text
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("enter", "e")
        assert app.screen.__class__.__name__ == "SampleForm"


async def test_search_filter_and_escape(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        await pilot.press("slash", *"delta")  # campaign "Delta Front"
        assert screen.finder.matches == list(range(11, 23))  # Melyn matches by its notes
        assert board(app).cursor == 1  # typing does not move the cursor
        await pilot.press("enter")
        assert app.focused is board(app)
        assert board(app).cursor == 11
        await pilot.press("n", "n")
        assert board(app).cursor == 13
        await pilot.press("N", "N", "N")
        assert board(app).cursor == 22  # wraps around
        assert "12 matches" in str(screen.query_one(Summary).render())
        await pilot.press("escape")
        assert screen.finder.matches == [] and board(app).matches == frozenset()
        await pilot.press("f")
        assert isinstance(app.screen, FilterPicker)
        await pilot.press("down", "down", "down", "down", "enter")  # witness
        dim = board(app).dim
        assert dim is not None
        catalog = screen.workspace.catalog
        assert [s.tube for s in catalog.samples if not dim(s)] == [1, 13, 18]
        assert dim(None)  # empty tubes dim too
        assert "filter: witness" in str(screen.query_one(Summary).render())
        await pilot.press("f", "enter")  # "all tubes"
        assert board(app).dim is None


async def test_search_matches_notes_and_sites_ignoring_case(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        await pilot.press("slash", *"BIOSIGNATURE")
        assert screen.finder.matches == [28]
        await pilot.press("escape")
        assert app.focused is board(app)


async def test_help_lists_every_key(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("Static").render())
        for words in [
            "Add",
            "Edit",
            "Delete",
            "Search",
            "Next match",
            "Filter",
            "Undo",
            "Quit",
            "First tube",
            "Last tube",
            "Page down",
            "Details",
            "Command palette",
            "↑, k",
            "End, G",
            "ctrl+s",
            "♦  witness",
            "▼  deposited",
            "+  added since the last commit (git)",  # issue 23, part 13
            "~  changed since the last commit (git)",
            "-  deleted since the last commit (git)",
        ]:
            assert words in text, words
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)


async def test_command_palette_offers_every_action(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"Add", "Edit", "Delete", "Search", "Filter", "Undo", "Help", "Last tube"} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"
        await pilot.press(*"last tube")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert board(app).cursor == 43


async def test_q_quits(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_the_search_box_takes_field_queries_and_says_what_it_cannot_read(
    catalogue: Path,
) -> None:
    """Issue 14: `/` takes the query language; a query it cannot read says why under the
    box, as you type, and matches nothing."""
    from textual.widgets import Static

    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"status:deposited sol>600")
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        assert screen.finder.matches == [17, 21]
        assert "2 matches" in str(screen.query_one("#summary").render())
        error = screen.query_one("#search-error", Static)
        assert not error.has_class("-shown")
        await pilot.press(*" sol>abc")
        assert screen.finder.matches == [] and board(app).matches == frozenset()
        assert error.has_class("-shown")
        assert str(error.render()) == "sol>abc: not a number"
        await pilot.press("backspace", "backspace", "backspace", *"700")
        assert screen.finder.matches == [] and not error.has_class("-shown")
        await pilot.press("backspace", "backspace", "backspace", *"600", "enter")
        assert board(app).cursor == 17
        await pilot.press("n")
        assert board(app).cursor == 21
        await pilot.press("escape")
        assert screen.finder.matches == [] and not error.has_class("-shown")


async def test_a_click_focuses_a_tube_and_a_double_click_opens_it(catalogue: Path) -> None:
    """Issue 14, the mouse: a click on a tube moves the cursor there; a double-click opens
    its details. Cells are 7 columns wide (6 and a gap) and 4 lines high at 43 tubes."""
    from tui.screens.sample_view import SampleView

    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tubes = board(app)
        await pilot.click(TubeBoard, offset=(2 * 7 + 2, 4 + 1))  # row 2, column 3: tube 14
        assert tubes.cursor == 14
        assert isinstance(app.screen, BoardScreen)
        await pilot.pause(0.6)  # apart, so not a double-click
        await pilot.click(TubeBoard, offset=(6, 1))  # the gap after tube 1: nothing
        assert tubes.cursor == 14 and isinstance(app.screen, BoardScreen)
        await pilot.pause(0.6)
        await pilot.double_click(TubeBoard, offset=(0, 0))  # tube 1
        await pilot.pause()
        assert tubes.cursor == 1
        assert isinstance(app.screen, SampleView)
        assert app.screen.tube == 1


async def test_a_wide_terminal_widens_the_cells_to_show_whole_names(catalogue: Path) -> None:
    # Issue 27, part 2: at 200x50 every label was cut to six cells ("Witne…", "Atmo …").
    import html
    import re

    app = TubeboardApp(catalogue)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        board = app.screen.query_one(TubeBoard)
        assert board.columns == 11 and board.cell_width > 7
        assert board.virtual_size.width <= board.scrollable_content_region.width  # no scroll
        svg = app.export_screenshot()
    screen = "\n".join(
        "".join(html.unescape(t).replace("\xa0", " ") for t in texts)
        for texts in (
            re.findall(rf'clip-path="url\(#terminal-\d+-line-{n}\)">([^<]*)', svg)
            for n in range(50)
        )
    )
    for name in ("Witness tube", "Montdenier", "Pelican Point", "Atmo Mountain"):
        assert name in screen, name
