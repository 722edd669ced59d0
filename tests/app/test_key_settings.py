"""Issue 12, item 4: key settings never lie: keys a terminal cannot tell apart are refused,
only keys Textual can deliver are accepted, and every list of keys says what the app does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.conftest import messages
from tui.app import TubeboardApp
from tui.keymap import check_keymap, is_key
from tui.screens.board_screen import BoardScreen, offered
from tui.screens.sample_view import SampleView
from tui.widgets.footer import KeysFooter


@pytest.mark.parametrize(
    ("key", "sent_as"),
    [("ctrl+m", "enter"), ("ctrl+i", "tab"), ("ctrl+h", "backspace"), ("ctrl+[", "escape")],
)
def test_keys_a_terminal_sends_as_others_are_refused(key: str, sent_as: str) -> None:
    usable, problems = check_keymap({"add": key})
    assert usable == {}
    assert len(problems) == 1 and f"sends {key!r} as {sent_as}" in problems[0]


@pytest.mark.parametrize("key", ["ctrl+alt+shift+banana", "banana", "ctrl+snowman", "hyper+x+y"])
def test_names_no_key_sends_are_refused(key: str) -> None:
    assert not is_key(key)


@pytest.mark.parametrize("key", ["n", "N", "ctrl+n", "f5", "slash", "question_mark", "ctrl+up"])
def test_keys_a_keyboard_sends_are_accepted(key: str) -> None:
    assert is_key(key)


async def test_ctrl_m_is_not_bound_and_enter_still_opens_details(
    catalogue: Path, own_settings: Path
) -> None:
    own_settings.parent.mkdir(parents=True, exist_ok=True)
    own_settings.write_text('[keys]\nadd = "ctrl+m"\n')
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any("cannot tell them apart" in m for m in messages(app))
        footer = {key.key for key in app.screen.query_one(KeysFooter).query("FooterKey")}
        assert "a" in footer and "ctrl+m" not in footer  # the footer shows what works
        await pilot.press("enter")
        assert isinstance(app.screen, SampleView)


def test_keys_command_shows_a_key_taken_by_another_action(own_settings: Path) -> None:
    own_settings.parent.mkdir(parents=True, exist_ok=True)
    own_settings.write_text('[keys]\nadd = "n"\n')
    out = subprocess.run(
        [sys.executable, "-m", "tui", "keys"], capture_output=True, text=True, timeout=60
    )
    table = out.stdout.split("\n\n")[0].splitlines()
    keys = {line[17:37].strip(): line[38:56].strip() for line in table[1:]}
    assert keys["add"] == "n"
    assert keys["next_match"] == "no key"  # as the app has it: n adds
    assert keys["previous_match"] == "N"


async def test_help_and_palette_show_a_taken_key_as_gone(
    catalogue: Path, own_settings: Path
) -> None:
    own_settings.parent.mkdir(parents=True, exist_ok=True)
    own_settings.write_text('[keys]\nadd = "n"\n')
    app = TubeboardApp(catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        listed = {binding.id: binding.key for _, binding in offered(screen)}
        assert listed["add"] == "n" and listed["next_match"] == ""
