"""Themes and key bindings from the config file, and what happens when it is wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.conftest import messages
from tui.app import TubeboardApp
from tui.config import load_config, save_theme
from tui.screens.board_screen import BoardScreen
from tui.screens.help import HelpScreen
from tui.screens.sample_form import SampleForm
from tui.widgets.footer import KeysFooter


def write(config: Path, text: str) -> None:
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text)


async def test_the_default_theme_uses_the_terminals_own_colours(catalogue: Path) -> None:
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)):
        assert app.theme == "tubeboard"
        assert app.current_theme.ansi  # 16 colours: works on TERM=linux, light or dark


@pytest.mark.parametrize("theme", ["tubeboard", "textual-light", "nord"])
async def test_starting_on_a_theme_looks_as_switching_to_it_does(
    catalogue: Path, theme: str
) -> None:
    """The app sets its first theme without Textual's theme watcher, to spare start-up a
    second parse of all the CSS; the screen must come out exactly as the watcher makes it."""
    started = TubeboardApp(catalogue, theme=theme)
    async with started.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        expected = started.export_screenshot()
        classes = set(started.classes)
    other = "textual-dark" if theme != "textual-dark" else "textual-light"
    switched = TubeboardApp(catalogue, theme=other)
    async with switched.run_test(size=(80, 24)) as pilot:
        switched.theme = theme
        await pilot.pause()
        await pilot.pause()
        assert switched.export_screenshot() == expected
        assert set(switched.classes) == classes


async def test_theme_from_the_config_and_a_palette_choice_is_kept(
    catalogue: Path, own_settings: Path
) -> None:
    write(own_settings, '# my settings\ntheme = "nord"\n\n[keys]\nadd = "a"\n')
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "nord"
        app.theme = "gruvbox"  # what the palette's "Change theme" does
        await pilot.pause()
    # Only the theme line changed: the comment and the keys stay.
    assert own_settings.read_text() == '# my settings\ntheme = "gruvbox"\n\n[keys]\nadd = "a"\n'
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)):
        assert app.theme == "gruvbox"


async def test_theme_option_is_for_this_run_only(catalogue: Path, own_settings: Path) -> None:
    app = TubeboardApp(catalogue, theme="dracula")
    async with app.run_test(size=(80, 24)):
        assert app.theme == "dracula"
    assert not own_settings.exists()


async def test_a_bad_config_is_reported_with_its_place_and_the_app_still_runs(
    catalogue: Path, own_settings: Path
) -> None:
    write(
        own_settings,
        'theme = "no-such-theme"\n[keys]\nadd = "ctrl+n"\nnope = "x"\nedit = "ctrl+banana+"\n',
    )
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.theme == "tubeboard"
        shown = "\n".join(messages(app))
        assert f"{own_settings}:1:1: unknown theme 'no-such-theme'" in shown
        assert f"{own_settings}:4:1: keys: no action has the id 'nope'" in shown
        assert f"{own_settings}:5:1: keys.edit: 'ctrl+banana+' is not a key" in shown
        await pilot.press("ctrl+n")  # the good entry still applies
        assert isinstance(app.screen, SampleForm)


async def test_broken_toml_in_the_config_is_one_clear_message(
    catalogue: Path, own_settings: Path
) -> None:
    write(own_settings, 'theme = "nord\n')
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert any(m.startswith(f"{own_settings}:1:") for m in messages(app))


async def test_a_rebound_key_works_and_shows_in_footer_and_help(
    catalogue: Path, own_settings: Path
) -> None:
    write(own_settings, '[keys]\nadd = "n"\n')  # the example: n was "next match"
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "takes n from next_match (Next match); it has no key now" in messages(app)[-1]
        footer_keys = [key.key for key in app.screen.query_one(KeysFooter).query("FooterKey")]
        assert "n" in footer_keys and "a" not in footer_keys
        await pilot.press("a")
        assert isinstance(app.screen, BoardScreen)  # a no longer adds
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "n                Add" in str(app.screen.query_one("#help Static").render())
        await pilot.press("escape", "n")
        assert isinstance(app.screen, SampleForm)


def test_save_theme_adds_a_line_above_the_first_table(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\nadd = "n"\n')
    save_theme("nord", config)
    assert config.read_text() == 'theme = "nord"\n\n[keys]\nadd = "n"\n'
    assert load_config(config).theme == "nord"


def test_keys_command_lists_every_action_with_id_and_key(own_settings: Path) -> None:
    write(own_settings, '[keys]\nadd = "ctrl+n"\n')
    out = subprocess.run(
        [sys.executable, "-m", "tui", "keys"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    table = out.stdout.split("\n\n")[0].splitlines()
    assert table[0].split() == ["where", "id", "key", "action"]
    keys = {line[17:37].strip(): line[38:56].strip() for line in table[1:]}
    assert keys["add"] == "ctrl+n"
    assert keys["form.save"] == "ctrl+s"
    assert keys["next_match"] == "n"
    assert len(keys) == len(table) - 1 > 30  # one line per action, each id once


def test_keys_command_reports_a_bad_entry(own_settings: Path) -> None:
    write(own_settings, '[keys]\nad = "n"\n')
    out = subprocess.run(
        [sys.executable, "-m", "tui", "keys"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 1
    assert f"{own_settings}:2:1: keys: no action has the id 'ad'" in out.stderr
    assert "Traceback" not in out.stderr
