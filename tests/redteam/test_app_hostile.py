"""Issue 11 in the app: items 4 (read-only after opening), 5 (inline sample arrays), 6 (file
text reaching the terminal), 9 (a settings folder that cannot be made) and 11 (waiting for
another tubeboard's save without freezing)."""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.app.conftest import messages
from tests.app.test_live import banner, wait_until
from tests.conftest import SHIPPED
from tui.app import TubeboardApp
from tui.catalog.model import Sample
from tui.catalog.store import SaveError, Store
from tui.screens.board_screen import BoardScreen
from tui.screens.sample_form import SampleForm

RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ORIGINAL = SHIPPED.read_bytes()


def copy(tmp_path: Path, name: str = "catalog.toml") -> Path:
    path = tmp_path / name
    path.write_bytes(ORIGINAL)
    return path


# Item 4 -------------------------------------------------------------------------------------


def test_a_file_made_read_only_after_opening_is_not_replaced(tmp_path: Path) -> None:
    path = copy(tmp_path)
    store = Store(path)
    store.read()
    os.chmod(path, 0o444)  # even root: nobody may write it now, on purpose
    with pytest.raises(SaveError, match="read-only now; nothing was written"):
        store.add(Sample(tube=40, name="New", kind="witness"))
    assert path.read_bytes() == ORIGINAL
    assert os.stat(path).st_mode & 0o777 == 0o444


async def test_the_read_only_banner_follows_permission_changes(tmp_path: Path) -> None:
    path = copy(tmp_path)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert banner(app) == ""
        os.chmod(path, 0o444)
        await wait_until(pilot, lambda: banner(app).startswith("read-only:"))
        await pilot.press("a")
        assert isinstance(app.screen, BoardScreen)
        assert "Read-only" in messages(app)[-1]
        os.chmod(path, 0o644)
        await wait_until(pilot, lambda: banner(app) == "")
        await pilot.press("a")
        assert isinstance(app.screen, SampleForm)


# Item 5 -------------------------------------------------------------------------------------

INLINE = {
    "one": 'sample = [\n  { tube = 1, name = "A", kind = "witness" },\n]\n\n[board]\ntubes = 4\n',
    "empty": "sample = []\n\n[board]\ntubes = 4\n",
}


@pytest.mark.parametrize("case", sorted(INLINE))
def test_the_core_refuses_to_edit_an_inline_array_in_words(tmp_path: Path, case: str) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(INLINE[case])
    store = Store(path)
    with pytest.raises(SaveError, match=r"one inline array \(sample = \[...\]\)"):
        store.add(Sample(tube=2, name="B", kind="witness"))
    assert path.read_text() == INLINE[case]


@pytest.mark.parametrize("case", sorted(INLINE))
@pytest.mark.parametrize("key", ["a", "e", "d"])
async def test_the_app_says_why_an_inline_array_cannot_be_edited(
    tmp_path: Path, case: str, key: str
) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(INLINE[case])
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)  # before the indexing worker has looked: the key asks itself
        await pilot.pause()
        assert "one inline array" in banner(app)
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert "one inline array" in messages(app)[-1]
    assert app.return_code in (0, None)
    assert path.read_text() == INLINE[case]


# Item 6 -------------------------------------------------------------------------------------

ESCAPE = "\x1b]0;pwned\x07\x1b[2J"


async def test_a_user_key_named_with_escapes_shows_as_symbols_in_the_panel(
    tmp_path: Path,
) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(
        f'[[sample]]\ntube = 1\nname = "A"\nkind = "witness"\n"{ESCAPE}x" = 1\n'.replace(
            "\x1b", "\\u001b"
        ).replace("\x07", "\\u0007")
    )
    app = TubeboardApp(path)
    async with app.run_test(size=(120, 30)) as pilot:  # wide: the panel opens at once
        await pilot.pause()
        text = str(app.screen.query_one("#details-text", Static).render())
        assert "␛]0;pwned␇␛[2Jx: 1" in text
        assert not RAW.search(text)


async def test_notices_and_banner_show_a_hostile_file_name_as_symbols(tmp_path: Path) -> None:
    path = copy(tmp_path, f"cat{ESCAPE}.toml")
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        path.write_bytes(ORIGINAL.replace(b'name = "Roubion"', b'name = "Roubion 2"'))
        await wait_until(pilot, lambda: any("changed on disk" in m for m in messages(app)))
        os.chmod(path, 0o444)
        await wait_until(pilot, lambda: banner(app).startswith("read-only:"))
        await pilot.press("a")
        shown = [*messages(app), banner(app)]
        assert all(not RAW.search(text) for text in shown), shown
        assert "cat␛]0;pwned␇␛[2J.toml changed on disk" in shown[0]


# Item 9 -------------------------------------------------------------------------------------


async def test_a_theme_that_cannot_be_kept_is_used_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))  # the settings folder cannot be made
    app = TubeboardApp(copy(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"  # what the palette's "Change theme" does
        await pilot.pause()
        assert app.theme == "nord"
        assert "could not be kept for next time" in messages(app)[-1]
    assert app.return_code in (0, None)  # None: closed by the test, no error


# Item 11 ------------------------------------------------------------------------------------


async def test_a_save_waits_for_another_tubeboard_without_freezing(tmp_path: Path) -> None:
    path = copy(tmp_path)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"Waiting")
        form = app.screen
        assert isinstance(form, SampleForm)
        # Another tubeboard holds the lock, as it does while it saves.
        fd = os.open(tmp_path / ".catalog.toml.lock", os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            # The save must not wait for the lock on the event loop: the key is handled, and
            # the form says so, while the lock is still held (a frozen screen never returns).
            await asyncio.wait_for(pilot.press("ctrl+s"), timeout=60)
            message = str(form.query_one("#form-message", Static).render())
            assert "Another tubeboard is saving catalog.toml" in message
            assert form.query_one("#name", Input).value == "Waiting"  # still typing allowed
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert "Added tube 33" in messages(app)[-1]
    assert b'name = "Waiting"' in path.read_bytes()


# Item 7 -------------------------------------------------------------------------------------


async def test_the_app_on_a_fifo_says_so_and_quits_on_q(tmp_path: Path) -> None:
    from tui.screens.problems import ProblemsScreen

    fifo = tmp_path / "catalog.toml"
    os.mkfifo(fifo)
    app = TubeboardApp(fifo)
    async with app.run_test(size=(80, 24)) as pilot:  # the old code blocked here for good
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        assert "named pipe (FIFO), not a regular file" in screen.problems[0].message
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
