"""Issue 23, part 8: after a switch of view the details line names what Enter opens."""

from __future__ import annotations

from pathlib import Path

from tui.app import TubeboardApp
from tui.screens.board_screen import BoardScreen
from tui.screens.sample_view import SampleView
from tui.widgets.details_line import DetailsLine

RACK = "[board]\ntubes = 8\n" + "".join(
    f'\n[[sample]]\ntube = {t}\nname = "Sample {t}"\nkind = "regolith"\n'
    + ("" if t == 3 else f"sol = {t * 10}\n")  # tube 3 has no sol and no date
    for t in (1, 2, 3, 4, 5, 7)
)


async def details_and_enter(app: TubeboardApp, pilot) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    await pilot.pause()
    said = app.screen.query_one(DetailsLine).text
    await pilot.press("enter")
    await pilot.pause()
    opened = app.screen
    assert isinstance(opened, SampleView)
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, BoardScreen)
    return said, opened.tube


async def test_the_line_names_the_tube_enter_opens_after_t_and_T(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(RACK)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"lllll")  # the board's empty tube 6
        await pilot.pause()
        assert app.screen.query_one(DetailsLine).text.startswith("tube 6")
        await pilot.press("t")  # the table has no tube 6: it focuses the next filled row
        said, opened = await details_and_enter(app, pilot)
        assert opened == 7 and said.startswith("tube 7 ·"), said
        await pilot.press("t", *"hhhh")  # back on the board (tube 7), then tube 3 (no sol)
        await pilot.pause()
        assert app.screen.query_one(DetailsLine).text.startswith("tube 3")
        await pilot.press("T")  # the timeline has no tube 3
        said, opened = await details_and_enter(app, pilot)
        assert said.startswith(f"tube {opened} ·"), (said, opened)


async def test_a_notice_never_covers_the_summary_or_the_details_line(tmp_path: Path) -> None:
    """Issue 23, part 13: at 80x24 a save's notice covered the summary it had just changed."""
    from textual.widgets._toast import Toast

    path = tmp_path / "catalog.toml"
    path.write_text(RACK)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press(*"lllll", "a")
        await pilot.pause()
        await pilot.press(*"New one")
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        toasts = list(app.screen.query(Toast))
        assert toasts, "no notice shown"
        kept_clear = [app.screen.query_one("#summary"), app.screen.query_one(DetailsLine)]
        for toast in toasts:
            for widget in kept_clear:
                assert not toast.region.overlaps(widget.region), (toast.region, widget.region)


async def test_settings_problems_are_one_notice(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Four settings notices covered half the board at start: they are gathered in one."""
    config = tmp_path / "config"
    (config / "tubeboard").mkdir(parents=True)
    (config / "tubeboard" / "config.toml").write_text(
        'theme = "no-such-theme"\n[keys]\nadd = "ctrl+alt+shift+nothing"\nnope = "x"\nedit = 5\n'
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    path = tmp_path / "catalog.toml"
    path.write_text(RACK)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notices = [n for n in app._notifications if n.title.startswith("Settings")]
        assert len(notices) == 1, [n.message for n in app._notifications]
        assert notices[0].title.startswith("Settings: ") and notices[0].title.endswith("problems")
