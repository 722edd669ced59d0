"""Issue 15, part 1: the board and the table mark what changed since the last commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_git_log import CATALOGUE, commit, rack  # noqa: F401 (the fixture)
from tests.e2e.test_git_merge import git
from tui.app import TubeboardApp
from tui.git_marks import Marks
from tui.screens.board_screen import BoardScreen
from tui.widgets.board import TubeBoard
from tui.widgets.sample_table import SampleTable

RACK = CATALOGUE + '\n[[sample]]\ntube = 8\nname = "Gone soon"\nkind = "witness"\n'


def sol_line(app: TubeboardApp, tube: int) -> str:
    """The third line of a tube's cell on the board: the sol, then the marks."""
    board = app.screen.query_one(TubeBoard)
    line = board.render_line(2).text  # the first row of cells (tubes 1..columns)
    width = board.cell_width
    return line[(tube - 1) * width : tube * width]


async def wait_for(pilot, check) -> None:  # type: ignore[no-untyped-def]
    for _ in range(80):
        await pilot.pause(0.1)
        if check():
            return
    raise AssertionError("never happened")


async def test_changes_since_the_last_commit_are_marked_and_follow_commits(rack: Path) -> None:  # noqa: F811
    commit(rack, RACK, "A rack")
    path = rack / "catalog.toml"
    text = RACK.replace('name = "Alpha"\nkind = "rock-core"', 'name = "Alpha"\nkind = "regolith"')
    text = text.replace('\n[[sample]]\ntube = 8\nname = "Gone soon"\nkind = "witness"\n', "")
    text += '\n[[sample]]\ntube = 3\nname = "New"\nkind = "witness"\n'
    path.write_text(text)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        summary = screen.query_one("#summary")
        await wait_for(pilot, lambda: "3 changed since last commit" in str(summary.render()))
        assert sol_line(app, 1).rstrip().endswith("~")  # changed
        assert sol_line(app, 3).rstrip().endswith("+")  # added
        assert sol_line(app, 8).rstrip().endswith("-")  # deleted: empty now
        assert not sol_line(app, 5).strip().endswith(("~", "+", "-"))
        await pilot.press("t")
        table = screen.query_one(SampleTable)
        rows = [table.render_line(y).text for y in range(2, 5)]
        assert [row[3] for row in rows] == ["~", "+", " "]  # tubes 1, 3, 5
        await pilot.press("t")
        # A commit made elsewhere: a new HEAD, and nothing differs any more.
        git(rack, "commit", "-qam", "Committed by someone else")
        await wait_for(pilot, lambda: "changed since last commit" not in str(summary.render()))
        assert not sol_line(app, 1).rstrip().endswith("~")
        # A save in the app is a change again.
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#site").value = "Somewhere"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "1 changed since last commit" in str(summary.render()))
        assert sol_line(app, 1).rstrip().endswith("~")


async def test_outside_git_nothing_is_marked(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(RACK)
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(2.5)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        assert screen.git is not None and screen.git.service.repo is None
        assert screen.changes == Marks()
        assert "since last commit" not in str(screen.query_one("#summary").render())


async def test_the_details_show_the_samples_history(rack: Path) -> None:  # noqa: F811
    commit(rack, RACK, "A rack")
    path = rack / "catalog.toml"
    commit(rack, RACK.replace('name = "Alpha"', 'name = "Alpha One"'), "Name Alpha in full")
    path.write_text(path.read_text().replace('kind = "rock-core"', 'kind = "regolith"', 1))
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        await wait_for(pilot, lambda: bool(screen.changes.changes))
        await pilot.press("enter")
        history = app.screen.query_one("#view-history")
        await wait_for(pilot, lambda: "loading" not in str(history.render()))
        lines = str(history.render()).splitlines()
        assert lines[0] == "History (git)"
        assert lines[1:3] == ["uncommitted", "    kind: rock-core → regolith"]
        assert lines[3].endswith("Curator  Name Alpha in full")
        assert lines[4] == "    renamed from Alpha"
        assert lines[5].endswith("Curator  A rack") and lines[6] == "    added"


async def test_while_the_file_does_not_parse_the_marks_pause_and_say_why(rack: Path) -> None:  # noqa: F811
    """Issue 22, part 7: someone mid-edit in vim must not make every tube look deleted."""
    commit(rack, RACK, "A rack")
    path = rack / "catalog.toml"
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        summary = screen.query_one("#summary")
        await pilot.pause(0.5)
        path.write_text(RACK.replace('name = "Alpha"', 'name = "Alpha'))  # half-typed
        await wait_for(
            pilot, lambda: "paused while the file does not parse" in str(summary.render())
        )
        assert "changed since last commit" not in str(summary.render())
        assert not sol_line(app, 1).rstrip().endswith("-")
        assert not sol_line(app, 5).rstrip().endswith("-")
        path.write_text(RACK.replace('name = "Alpha"', 'name = "Alpha B"'))  # fixed
        await wait_for(pilot, lambda: "1 changed since last commit" in str(summary.render()))


def test_the_marks_follow_the_content_even_when_an_id_is_reused(
    rack: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 23, part 6: the cache was keyed on id() of the bytes, which Python hands to the
    next object once one is freed: new bytes of the same length looked unchanged."""
    from tui import git_marks
    from tui.catalog.validate import parse_bytes

    commit(rack, RACK, "A rack")
    path = rack / "catalog.toml"
    service = git_marks.SinceCommit(path, parse_bytes)
    monkeypatch.setattr(git_marks, "id", lambda _: 42, raising=False)  # every id reused
    assert service.open() is None
    changed = RACK.replace('name = "Alpha"', 'name = "Alphb"').encode()
    assert service.look(changed) == Marks({1: "changed"})
    assert service.look(changed) is None  # nothing new: nothing done
    assert service.look(RACK.encode()) == Marks()  # as long as before, back as committed
