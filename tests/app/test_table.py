"""Issue 14, part 1: the table view (t), on the shipped catalogue and on hand-written ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.app.conftest import lines_drawn, messages, read_whole
from tests.app.test_screens import HOSTILE
from tui.app import TubeboardApp
from tui.screens.board_screen import BoardScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.help import HelpScreen
from tui.screens.sample_form import SampleForm
from tui.screens.sample_view import SampleView
from tui.widgets.board import TubeBoard
from tui.widgets.details_line import DetailsLine
from tui.widgets.sample_table import SampleTable

# Hand-written, with comments, odd spacing, a key of the user's own, one sample without a sol
# and without a date, and values longer than any column.
HAND = """\
# Our board.  Comments stay.
[board]
title = "Hand board"
tubes = 9

[[sample]]   # the first
tube = 2
name = "Zeta"
kind = "rock-core"
sol = 300
date = 2022-01-01
campaign = "A campaign whose name is far longer than any column would ever give it"
designation = "M-2"

[[sample]]
tube = 5
name = "alpha"
kind = "regolith"
status = "deposited"
sol = 100

[[sample]]
tube = 7
name = "Mid"
kind = "witness"
date = 2021-06-01
"""


def table(app: TubeboardApp) -> SampleTable:
    return app.screen.query_one(SampleTable)


def lines(app: TubeboardApp) -> list[str]:
    view = table(app)
    return [view.render_line(y).text for y in range(view.size.height)]


def rows(app: TubeboardApp) -> list[int]:
    """The tubes in the order the table shows them, read off the screen."""
    return [int(line[4:].split()[0]) for line in lines(app)[2:] if line.strip()]


def focused(app: TubeboardApp) -> int:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return screen.view.cursor


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(text)
    return path


async def test_t_switches_views_on_the_same_tube(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right", "t")  # tube 3 on the board
        assert table(app).display and not app.screen.query_one(TubeBoard).display
        assert table(app).has_focus and focused(app) == 3
        shown = lines(app)
        assert shown[2 + 2].startswith("▶") and " Montdenier " in shown[4]
        assert "tube 3 · Montdenier" in app.screen.query_one(DetailsLine).text
        await pilot.press("j", "j", "t")  # two rows down: tube 5, then back to the board
        board = app.screen.query_one(TubeBoard)
        assert board.display and board.has_focus and board.cursor == 5
        assert not table(app).display


async def test_an_empty_tube_on_the_board_becomes_the_next_filled_row(tmp_path: Path) -> None:
    app = TubeboardApp(write(tmp_path, HAND))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right", "t")  # tube 3 is empty; 5 is the next filled
        assert focused(app) == 5
        await pilot.press("G", "t")
        assert focused(app) == 7


async def test_the_columns_and_their_order(tmp_path: Path) -> None:
    app = TubeboardApp(write(tmp_path, HAND))
    async with app.run_test(size=(200, 24)) as pilot:
        await pilot.press("t")
        header = lines(app)[0].split()
        assert header == [
            "tube",
            "name",
            "kind",
            "status",
            "sol",
            "date",
            "campaign",
            "site",
            "designation",
        ]
        zeta = next(line for line in lines(app) if " Zeta " in line)
        assert "■ rock-core" in zeta and "= sealed" in zeta and " 300 " in zeta
        assert "2022-01-01" in zeta and "M-2" in zeta
        alpha = next(line for line in lines(app) if " alpha " in line)
        assert "░ regolith" in alpha and "▼ deposited" in alpha


async def test_at_80x24_the_first_six_columns_read_and_long_values_are_cut(
    catalogue: Path, tmp_path: Path
) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        shown = lines(app)
        assert shown[0].split()[:6] == ["tube", "name", "kind", "status", "sol", "date"]
        assert all(cell_len(line) == len(shown[0]) for line in shown)  # nothing wraps
        body = "\n".join(shown)
        for name in ("Witness tube 1", "Roubion", "Montdenier", "Amalik Witness"):
            assert name in body
        assert "2021-08-06" in body and "▼ deposited" in body
        # The campaign the edge cuts says it is cut.
        assert "Crater Fl" in body and all("Crater Floor" not in line for line in shown)
        assert all(line.rstrip().endswith("…") for line in shown if "Crater Fl" in line)
    app = TubeboardApp(write(tmp_path, HAND))
    async with app.run_test(size=(200, 24)) as pilot:
        await pilot.press("t")
        zeta = next(line for line in lines(app) if " Zeta " in line)
        # Room at 200 columns widens it, but no column takes more than WIDEST.
        assert "A campaign whose name is far longer than any column would e…" in zeta
        assert "ever give it" not in zeta


async def test_the_columns_widen_to_their_values_where_the_terminal_has_room(
    catalogue: Path,
) -> None:
    """Issue 27: on a wide terminal the site was cut to 20 cells ("Hans Amundsen Memor…")
    with 50 columns of the screen unused; where every column fits whole, each shows whole,
    and at 80x24 (no room) the table is as it was."""
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(300, 50)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        shown = lines(app)
        assert any("Hans Amundsen Memorial Workspace" in line for line in shown)
        assert not any("…" in line for line in shown)
        assert table(app).virtual_size.width <= table(app).size.width  # no sideways scroll
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        widths = {column.key: column.width for column in table(app).columns}
        assert widths["site"] == 20 and widths["location_note"] == 16  # the limits hold


async def test_s_sorts_by_the_column_and_again_reverses_with_empties_last(
    tmp_path: Path,
) -> None:
    app = TubeboardApp(write(tmp_path, HAND))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        assert rows(app) == [2, 5, 7]
        await pilot.press("l", "l", "l", "l", "s")  # sol
        assert rows(app) == [5, 2, 7] and "sol ↑" in lines(app)[0]
        await pilot.press("s")
        assert rows(app) == [2, 5, 7] and "sol ↓" in lines(app)[0]  # 7 has no sol: last
        await pilot.press("l", "s")  # date: 5 has none
        assert rows(app) == [7, 2, 5] and "date ↑" in lines(app)[0]
        assert "sol ↓" not in lines(app)[0]
        await pilot.press("s")
        assert rows(app) == [2, 7, 5] and "date ↓" in lines(app)[0]
        await pilot.press("h", "h", "h", "h", "s")  # name, without regard to case
        assert rows(app) == [5, 7, 2]
        await pilot.press("g", "j")  # rows move in the order shown
        assert focused(app) == 7


async def test_the_column_cursor_shows_without_colour(tmp_path: Path) -> None:
    app = TubeboardApp(write(tmp_path, HAND))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "l", "l")
        rule = lines(app)[1]
        start = lines(app)[0].index("kind")
        assert rule[start : start + 4] == "━━━━" and rule[:3] == "───"


async def test_the_sort_lasts_across_an_edit_and_a_reload(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "l", "l", "l", "l", "s", "s")  # sol, highest first
        assert rows(app) == [2, 5, 7]
        await pilot.press("j", "e")  # tube 5, alpha: give it the highest sol
        form = app.screen
        assert isinstance(form, SampleForm) and form.editing is not None
        assert form.editing.tube == 5
        sol = form.query_one("#sol")
        sol.value = "900"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert b"sol = 900" in path.read_bytes()
        assert rows(app) == [5, 2, 7] and "sol ↓" in lines(app)[0]
        assert focused(app) == 5
        # Someone edits the file by hand: the table reloads, still sorted.
        path.write_text(path.read_text().replace("sol = 300", "sol = 950"))
        os.utime(path, (1, 1))
        for _ in range(40):
            await pilot.pause(0.1)
            if rows(app) == [2, 5, 7]:
                break
        assert rows(app) == [2, 5, 7] and "sol ↓" in lines(app)[0]


async def test_board_keys_work_in_the_table(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "l", "l", "l", "l", "s", "s")  # by sol, highest first
        await pilot.press("g")
        top = rows(app)[0]
        sample = app.screen.workspace.catalog.sample_at(top)  # type: ignore[attr-defined]
        assert sample is not None and focused(app) == top
        await pilot.press("enter")
        assert isinstance(app.screen, SampleView)
        await pilot.press("escape", "e")
        assert isinstance(app.screen, SampleForm) and app.screen.editing == sample
        await pilot.press("escape", "d")
        assert isinstance(app.screen, ConfirmScreen)
        assert f"Delete tube {top}, {sample.name!r}?" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert app.screen.workspace.catalog.sample_at(top) is None  # type: ignore[attr-defined]
        assert top not in rows(app)
        await pilot.press("u")
        await pilot.pause()
        assert rows(app)[0] == top
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "a")
        assert isinstance(app.screen, SampleForm) and app.screen.editing is None
        await pilot.press("escape", "f")
        await pilot.press("escape")
        await pilot.press("q")
    assert app.return_code in (0, None)


async def test_search_n_walks_the_matches_in_the_tables_order(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "l", "l", "l", "l", "s", "s")  # sol, highest first
        await pilot.press("slash", *"kind:witness", "enter")
        witnesses = [t for t in rows(app) if t in app.screen.finder.matches]  # type: ignore[attr-defined]
        assert len(witnesses) >= 3
        assert focused(app) == witnesses[0]  # the first match as shown, not the lowest tube
        await pilot.press("n")
        assert focused(app) == witnesses[1]
        await pilot.press("N", "N")
        assert focused(app) == witnesses[-1]
        match_rows = [line for line in lines(app)[2:] if line[2:3] == "*"]
        assert match_rows and all(" ♦ witness " in line for line in match_rows)


async def test_marks_are_shared_by_board_and_table(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "t", "j", "space")
        marked = [int(line[4:].split()[0]) for line in lines(app)[2:] if line[1:2] == "√"]
        assert marked == [1, 2]
        assert "2 marked" in str(app.screen.query_one("#summary").render())
        await pilot.press("t")
        assert app.screen.query_one(TubeBoard).marked == {1, 2}
        await pilot.press("t", "escape")
        assert not [line for line in lines(app)[2:] if line[1:2] == "√"]


async def test_names_are_data_in_the_table(tmp_path: Path) -> None:
    hostile = HOSTILE + '\n[[sample]]\ntube = 9\nname = "火星の岩石サンプル"\nkind = "witness"\n'
    app = TubeboardApp(write(tmp_path, hostile))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        shown = lines(app)
        body = "\n".join(shown)
        assert "[red]x[/red]" in body and "[@click=app.quit]q[/]" in body
        assert "\x1b" not in body and "\x07" not in body and "\u202e" not in body
        assert all(cell_len(line) == cell_len(shown[0]) for line in shown)  # wide names align
        assert "火星の岩石サンプル" in body
        assert not messages(app)


async def test_clicks_focus_open_and_sort(tmp_path: Path) -> None:
    app = TubeboardApp(write(tmp_path, HAND))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        view = table(app)
        await pilot.click(view, offset=(10, 2 + 2))  # the third row
        assert focused(app) == 7
        await pilot.click(view, offset=(10, 2 + 1), times=2)
        assert isinstance(app.screen, SampleView)
        await pilot.press("escape")
        sol = lines(app)[0].index("sol")
        await pilot.click(view, offset=(sol, 0))  # the header: sort by it
        assert rows(app) == [5, 2, 7] and "sol ↑" in lines(app)[0]


async def test_an_empty_catalogue_says_how_to_add(tmp_path: Path) -> None:
    app = TubeboardApp(write(tmp_path, '[board]\ntitle = "Empty"\ntubes = 4\n'))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "j", "s", "l", "s")
        assert "No samples yet: a adds one." in lines(app)[2]
        await pilot.press("a")
        assert isinstance(app.screen, SampleForm)


async def test_a_hundred_thousand_rows_draw_only_what_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.app.test_large import catalogue as generated

    app = TubeboardApp(write(tmp_path, generated(99_950)))
    async with app.run_test(size=(80, 24)) as pilot:
        await read_whole(pilot)
        await pilot.press("t")
        drawn = lines_drawn(monkeypatch, SampleTable)
        await pilot.press("G", "k", "k")
        await pilot.pause()
        assert focused(app) == rows(app)[-3]
        assert 0 < len(drawn) < 200  # a few screens' lines, not 100,000 rows


def test_the_sort_marks_are_no_status_symbol() -> None:
    # Issue 27, part 5: ▼ meant both "deposited" and "sorted descending".
    from tui.catalog.model import KIND_SYMBOL, STATUS_SYMBOL
    from tui.widgets.sample_table import ASCENDING, DESCENDING

    taken = {*STATUS_SYMBOL.values(), *KIND_SYMBOL.values()}
    assert not {ASCENDING, DESCENDING} & taken and ASCENDING != DESCENDING
