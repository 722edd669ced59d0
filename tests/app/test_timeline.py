"""Issue 17, part 2: the timeline (T), on the shipped catalogue and on larger ones."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from tests.app.conftest import lines_drawn, read_whole
from tui.app import TubeboardApp
from tui.catalog.model import KIND_SYMBOL
from tui.screens.board_screen import BoardScreen
from tui.screens.sample_form import SampleForm
from tui.screens.sample_view import SampleView
from tui.widgets.board import TubeBoard
from tui.widgets.details_line import DetailsLine
from tui.widgets.timeline import TimelineView

SYMBOLS = set(KIND_SYMBOL.values())


def timeline(app: TubeboardApp) -> TimelineView:
    return app.screen.query_one(TimelineView)


def lines(app: TubeboardApp) -> list[str]:
    view = timeline(app)
    return [view.render_line(y).text for y in range(view.size.height)]


def focused(app: TubeboardApp) -> int:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return screen.view.cursor


async def test_every_shipped_sample_is_on_the_timeline_at_80x24(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("T")
        shown = lines(app)
        assert shown[0].startswith("sol ") and shown[1].startswith("Earth year")
        rows = [line for line in shown[2:] if line[:14].strip()]
        assert [row[:14].strip() for row in rows] == [
            "Crater Floor",
            "Delta Front",
            "Upper Fan",
            "Margin",
            "Crater Rim",
        ]
        assert sum(ch in SYMBOLS for row in rows for ch in row[16:]) == 32
        assert timeline(app).has_focus and focused(app) == 1
        assert "tube 1 · Witness tube 1" in app.screen.query_one(DetailsLine).text


async def test_moves_go_along_time_and_t_again_keeps_the_tube(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("T", "l")
        assert focused(app) == 2  # Roubion, sol 164, after sol 160
        await pilot.press("G")
        assert focused(app) == 32  # Bell Island, the last sol
        await pilot.press("k")  # the campaign above: Margin
        sample = app.screen.workspace.catalog.sample_at(focused(app))  # type: ignore[attr-defined]
        assert sample is not None and sample.campaign == "Margin"
        await pilot.press("T")
        board = app.screen.query_one(TubeBoard)
        assert board.display and board.cursor == sample.tube


async def test_enter_e_and_search_work_on_the_timeline(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("T", "l", "enter")
        assert isinstance(app.screen, SampleView) and app.screen.tube == 2
        await pilot.press("escape", "e")
        assert isinstance(app.screen, SampleForm) and app.screen.editing is not None
        assert app.screen.editing.tube == 2
        await pilot.press("escape", "slash", *"kind:witness", "enter")
        assert focused(app) == 1  # the first witness in time
        await pilot.press("n")
        assert focused(app) == 13  # Witness tube 2, sol 499
        await pilot.press("n")
        assert focused(app) == 18  # Amalik Witness, sol 586


async def test_zoom_shows_fewer_sols_and_keeps_the_cursor_in_view(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("T", "G")
        view = timeline(app)
        low, high = view.sols_shown()
        before = high - low
        ticks = [int(word.strip("┆")) for word in lines(app)[0].split()[1:] if word != "┆"]
        await pilot.press("plus", "plus")
        low, high = view.sols_shown()
        assert high - low < before / 3
        closer = [int(word.strip("┆")) for word in lines(app)[0].split()[1:] if word != "┆"]
        assert closer[1] - closer[0] < ticks[1] - ticks[0]  # the ticks follow the zoom
        _, column = view.placed[focused(app)]
        assert view.scroll_offset.x <= column < view.scroll_offset.x + 64


async def test_a_hundred_thousand_samples_draw_only_what_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.app.test_large import catalogue as generated

    path = tmp_path / "catalog.toml"
    path.write_text(generated(99_950))
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await read_whole(pilot)
        await pilot.press("T")
        drawn = lines_drawn(monkeypatch, TimelineView)
        await pilot.press("G", "h", "h")
        await pilot.pause()
        assert focused(app) == 99_948
        assert 0 < len(drawn) < 200


async def test_a_move_redraws_two_rows_and_showing_it_again_places_nothing_again(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 100,000 samples placing them all costs a tenth of a second, and redrawing every
    row on each move is work for nothing: 30 moves after `T` again waited 0.3 s (bench (i))."""
    import tui.widgets.timeline as module

    widths: list[int] = []
    original_width = TimelineView._width

    def width(self: TimelineView) -> int:  # asked once a placing, done or not
        widths.append(original_width(self))
        return widths[-1]

    monkeypatch.setattr(module.TimelineView, "_width", width)
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("T")
        await pilot.pause()
        view = timeline(app)
        placed = view.placed
        await pilot.press("T", "T")
        await pilot.pause()
        assert len(widths) >= 2  # the resize on showing it again asked...
        assert view.placed is placed  # ...and nothing was placed again
        drawn = lines_drawn(monkeypatch, TimelineView)
        await pilot.press("l")  # Roubion, sol 164
        await pilot.pause()
        lanes = {view.placed[tube][0] for tube in (1, 2)}
        height = view.plan.lane
        rows = {2 + lane * height + line for lane in lanes for line in range(height)}
        assert set(drawn) == rows, drawn  # the lane of the two: its symbols and its names
        await pilot.resize_terminal(100, 30)  # more room: placed again, wider
        await pilot.pause(0.3)
        assert view.placed is not placed
        assert max(column for _, column in view.placed.values()) > 70


async def test_many_campaigns_scroll_down_to_the_cursor_and_with_the_wheel(
    tmp_path: Path,
) -> None:
    """Issue 23, part 7: with 60 campaigns, G put the cursor on a row off screen, and the
    wheel moved the offset while the drawing ignored it."""
    blocks = ["[board]\ntubes = 60\n"]
    for tube in range(1, 61):
        blocks.append(
            f'[[sample]]\ntube = {tube}\nname = "S{tube}"\nkind = "regolith"\n'
            f'sol = {tube * 10}\ncampaign = "Campaign {tube:02}"\n'
        )
    path = tmp_path / "catalog.toml"
    path.write_text("\n".join(blocks))
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("T", "G")
        await pilot.pause()
        assert focused(app) == 60
        shown = lines(app)
        assert shown[0].startswith("sol ")  # the axis stays at the top
        row = next(line for line in shown if line.startswith("Campaign 60"))
        assert any(ch in SYMBOLS for ch in row[16:])
        await pilot.press("g")
        await pilot.pause()
        assert any(line.startswith("Campaign 01") for line in lines(app))
        view = timeline(app)
        view.scroll_to(y=30, animate=False, immediate=True)  # as the wheel does
        await pilot.pause()
        assert lines(app)[2].startswith("Campaign 31")  # one line a lane: no room for names


async def test_the_timeline_uses_the_room_for_an_axis_and_the_names(catalogue: Path) -> None:
    """Issue 27, part 4: the timeline used 6 of its 20 lines, with no ticks, years or names.
    Now the axis has sols and Earth years, and each campaign's lane has lines under its
    symbols for the names, each at its sample's column where it fits, none over another."""
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("T")
        await pilot.pause()
        view = timeline(app)
        shown = lines(app)
        assert sum(bool(line.strip()) for line in shown) >= 15
        years = [word.strip("┆") for word in shown[1].split()[2:]]
        assert years[:5] == ["2021", "2022", "2023", "2024", "2025"]  # the first: at the left
        # The year ticks sit where 1 January falls: 2022 began on sol 308 (landing 2021-02-18).
        new_year = (dt.date(2022, 1, 1) - dt.date(2021, 2, 18)).days / 1.0274912517
        column = shown[1].index("┆2022") - 16 + view.scroll_offset.x
        low, _ = view.sols_shown()
        per_column = view.plan.per_column
        assert abs(low + column * per_column - new_year) <= per_column
        sols = [int(word.strip("┆")) for word in shown[0].split()[1:] if word != "┆"]
        assert sols == sorted(sols) and len(sols) >= 4
        catalog = app.screen.workspace.catalog  # type: ignore[attr-defined]
        named = 0
        for tube, (row, column) in view.placed.items():
            name = catalog.sample_at(tube).name
            under = shown[2 + row * view.plan.lane + 1 : 2 + (row + 1) * view.plan.lane]
            at = 16 + column - view.scroll_offset.x
            if any(line[at : at + len(name)] == name for line in under):
                named += 1
        assert named >= 12  # most names, each under its own symbol
        for row in range(len(view.plan.names)):
            for line in view.plan.names[row]:
                ends = [(c, c + len(n)) for c, n, _ in line]
                assert all(a[1] < b[0] for a, b in itertools.pairwise(ends))
