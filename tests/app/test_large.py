"""A large catalogue opens on its head at once; the rest is read in a worker."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from tests.app.conftest import messages, read_whole
from tests.app.test_live import wait_until
from tests.conftest import REPO
from tui.app import TubeboardApp
from tui.catalog.validate import parse_head
from tui.screens.board_screen import BoardScreen
from tui.screens.following import Following
from tui.screens.problems import ProblemsScreen
from tui.screens.sample_form import SampleForm
from tui.widgets.board import TubeBoard
from tui.widgets.details_line import DetailsLine

sys.path.insert(0, str(REPO / "bench"))
from run import catalogue  # the bench's generator: one realistic record a tube


def whole_samples(text: str) -> tuple[object, ...]:
    from tui.catalog.validate import parse_text

    parsed = parse_text(text)
    assert parsed.catalog is not None, parsed.problems[:3]
    return parsed.catalog.samples


FILLED = 3000  # about 700 KB: over the size where the head is shown first


def big(tmp_path: Path, tail: str = "") -> Path:
    path = tmp_path / "big.toml"
    path.write_text(catalogue(FILLED) + tail)
    return path


def test_the_head_is_only_used_where_it_is_safe(tmp_path: Path) -> None:
    path = big(tmp_path)
    head = parse_head(path.read_bytes())
    assert head is not None and head.catalog is not None
    assert [s.tube for s in head.catalog.samples] == list(range(1, 401))
    assert head.catalog.board.tubes == FILLED + 50
    small = tmp_path / "small.toml"
    small.write_text(catalogue(100))
    assert parse_head(small.read_bytes()) is None  # small: read it all
    # No [board] with tubes in the head: the board's shape could change, so read it all.
    no_board = catalogue(FILLED).replace(f"tubes = {FILLED + 50}\n", "")
    assert parse_head(no_board.encode()) is None
    # Lines reading [[sample]] inside tube 399's multi-line notes put the cut inside that
    # string; a head cut there is never valid TOML on its own, so it is refused.
    text = catalogue(FILLED)
    line = 'notes = "Notes for sample 399, one line of text."\n'
    trap = text.replace(line, 'notes = """\n' + "[[sample]]\n" * 3 + '"""\n')
    assert trap != text
    assert parse_head(trap.encode()) is None
    assert len(whole_samples(trap)) == FILLED  # the whole file is fine, and read whole


async def test_a_large_file_shows_its_head_then_all_of_it(tmp_path: Path) -> None:
    path = big(tmp_path)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        await pilot.press("G")
        await read_whole(pilot, tries=100, step=0.05)
        assert len(screen.workspace.catalog.samples) == FILLED
        assert screen.query_one(DetailsLine).text.startswith(f"tube {FILLED + 50} · empty")
        assert str(screen.query_one("#banner", Static).render()) == ""
        await pilot.press("a")
        assert isinstance(app.screen, SampleForm)


async def test_while_reading_unknown_tubes_are_not_called_empty_and_edits_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = big(tmp_path)
    # Hold the whole read back, to look at the screen while it is pending.
    monkeypatch.setattr(Following, "read_whole", lambda self, raw: None)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen) and screen.workspace.partial
        assert "reading the rest of big.toml" in str(screen.query_one("#banner", Static).render())
        board = screen.query_one(TubeBoard)
        await pilot.press("G")
        await pilot.pause()
        assert screen.query_one(DetailsLine).text == f"tube {FILLED + 50} · still reading the file…"
        shown = "\n".join(board.render_line(y).text for y in range(board.size.height))
        assert "…" in shown and "empty" not in shown  # unknown, not empty
        await pilot.press("a")
        assert isinstance(app.screen, BoardScreen)
        assert "Still reading the file" in messages(app)[-1]
    assert path.read_text() == catalogue(FILLED)


async def test_a_problem_past_the_head_shows_the_problems_screen(tmp_path: Path) -> None:
    path = big(tmp_path, tail='\n[[sample]]\ntube = 1\nname = "Again"\nkind = "witness"\n')
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            if isinstance(app.screen, ProblemsScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, ProblemsScreen)
        text = str(app.screen.query_one("#problems-text", Static).render())
        assert "tube 1 is already used on line" in text


async def test_the_file_is_read_once_parsed_and_a_save_at_once_waits_for_its_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 25: a large file is said to be read as soon as it is parsed (its index, 40% of
    the whole read at 100,000 samples, is built after); an edit made before the index is
    built waits for it in a worker, never on the event loop, and lands; an add needs no index
    and lands at once."""
    import threading

    from tui.catalog.store import Store

    path = big(tmp_path)
    monkeypatch.setattr(Following, "index_now", lambda self: None)  # the indexing held back
    built_on: list[str] = []
    warm = Store.warm

    def seen(self: Store) -> None:
        built_on.append(threading.current_thread().name)
        warm(self)

    monkeypatch.setattr(Store, "warm", seen)
    said: list[str] = []  # what the form was told
    answer = SampleForm.answer

    def told(self: SampleForm, outcome: Any) -> None:
        said.append(getattr(outcome, "message", ""))
        answer(self, outcome)

    monkeypatch.setattr(SampleForm, "answer", told)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await read_whole(pilot)
        assert "document" not in vars(screen.workspace.store.parse(path.read_bytes()))
        await pilot.press("G", "a", *"Added", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert not any("Indexing" in words for words in said)
        assert 'name = "Added"' in path.read_text()
        await pilot.press("g", "e", *" at once", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert "Indexing big.toml for its first save; this save waits for it…" in said
    assert 'name = "Sample 00001 at once"' in path.read_text()
    assert built_on and threading.main_thread().name not in built_on
