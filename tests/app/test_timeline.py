"""Issue 17, part 2: the timeline (T), on the shipped catalogue and on larger ones."""

from __future__ import annotations

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
        assert shown[0].startswith("sol ")
        rows = [line for line in shown[1:] if line.strip()]
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
        span = lines(app)[0].split()
        before = int(span[3]) - int(span[1])
        await pilot.press("plus", "plus")
        span = lines(app)[0].split()
        assert int(span[3]) - int(span[1]) < before / 3
        view = timeline(app)
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
        rows = {1 + view.placed[tube][0] for tube in (1, 2)}
        assert set(drawn) == rows, drawn
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
        assert lines(app)[1].startswith("Campaign 31")
