"""Issue 15, part 3: the board, check and export as a commit had them (`--at REV`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select

from tests.app.conftest import messages
from tests.app.test_export_palette import run_command
from tests.e2e.test_git_log import CATALOGUE, commit
from tests.e2e.test_git_merge import ENV, git, new_repo, tubeboard
from tui.app import TubeboardApp
from tui.gitrepo import at_revision
from tui.screens.board_screen import BoardScreen
from tui.widgets.details_line import DetailsLine


@pytest.fixture
def dated(tmp_path: Path) -> Path:
    """Two commits on two days: Salette sealed on 2023-01-10, deposited on 2023-02-01."""
    repo = new_repo(tmp_path, "dated")
    for day, text, subject in (
        ("2023-01-10T12:00:00", CATALOGUE, "A small rack"),
        (
            "2023-02-01T12:00:00",
            CATALOGUE.replace('notes = "Cored', 'status = "deposited"\nnotes = "Cored'),
            "Salette to the depot",
        ),
    ):
        ENV["GIT_COMMITTER_DATE"] = ENV["GIT_AUTHOR_DATE"] = day  # what `git` runs with
        try:
            commit(repo, text, subject)
        finally:
            for key in ("GIT_COMMITTER_DATE", "GIT_AUTHOR_DATE"):
                ENV.pop(key, None)
    (repo / "catalog.toml").write_text(CATALOGUE.replace('"Alpha"', '"Alpha, edited"'))
    return repo


def test_check_list_and_export_at_a_day_and_a_hash(dated: Path) -> None:
    listed = tubeboard(dated, "list", "catalog.toml", "--at", "2023-01-28")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "1\tAlpha\trock-core\tsealed\t\t",
        "5\tSalette\trock-core\tsealed\t\t",
    ]
    later = tubeboard(dated, "export", "catalog.toml", "--at", "2023-02-01", "-f", "csv")
    assert "deposited" in later.stdout and "Alpha, edited" not in later.stdout
    head = git(dated, "rev-parse", "--short", "HEAD~1").stdout.strip()
    checked = tubeboard(dated, "check", "catalog.toml", "--at", head)
    assert checked.returncode == 0 and "ok, 2 samples" in checked.stderr
    before = tubeboard(dated, "check", "catalog.toml", "--at", "2022-12-31")
    assert before.returncode == 2 and "no commit '2022-12-31'" in before.stderr
    assert (dated / "catalog.toml").read_text().count("Alpha, edited") == 1


async def test_the_board_at_a_commit_is_read_only_and_says_which(dated: Path) -> None:
    path = dated / "catalog.toml"
    found = at_revision(path, "2023-01-28")
    assert not isinstance(found, str)
    label = found.said
    assert label.startswith("2023-01-28 = ") and label.endswith("2023-01-10: A small rack")
    on_disk = path.read_bytes()
    app = TubeboardApp(path, at=found)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        assert screen.sub_title is not None and screen.sub_title.endswith(f"at {label}")
        assert "tube 1 · Alpha ·" in screen.query_one(DetailsLine).text  # not the edited file
        banner = str(screen.query_one("#banner").render())
        assert "this is the catalogue at 2023-01-28" in banner
        # The footer does not offer the keys that write (issue 23, part 13); it still
        # offers search, help and quit.
        footer = " ".join(str(w.render()) for w in screen.query("FooterKey"))
        assert "Search" in footer and "Quit" in footer, footer
        assert not {"Add", "Edit", "Delete", "Undo"} & set(footer.split()), footer
        for key in ("a", "e", "d", "m", "u", "E"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, BoardScreen), key
            assert "this is the catalogue at 2023-01-28" in messages(app)[-1], key
    assert path.read_bytes() == on_disk


def test_the_command_line_refuses_at_outside_git(tmp_path: Path) -> None:
    (tmp_path / "catalog.toml").write_text(CATALOGUE)
    done = tubeboard(tmp_path, "--at", "HEAD", "catalog.toml")
    assert done.returncode == 2 and "is not in a git work tree" in done.stderr


async def test_a_past_board_marks_what_differs_from_the_working_file(dated: Path) -> None:
    # Issue 26, part 4: at 2023-01-28 Alpha is as committed; the working file renamed it.
    path = dated / "catalog.toml"
    found = at_revision(path, "2023-01-28")
    assert not isinstance(found, str)
    app = TubeboardApp(path, at=found)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.changes.changes:
                break
        assert dict(screen.changes.changes) == {1: "changed"}
        assert screen.changes.note() == "1 differs from the working file"
        summary = str(screen.query_one("#summary").render())
        assert "1 differs from the working file" in summary
        # The working file changes again: the marks follow it.
        path.write_text(path.read_text().replace("sol 262", "sol 263"))
        for _ in range(100):
            await pilot.pause(0.05)
            if len(screen.changes.changes) == 2:
                break
        assert dict(screen.changes.changes) == {1: "changed", 5: "changed"}


async def test_the_app_s_pictures_name_the_commit_as_export_does(dated: Path) -> None:
    # The palette's Export… said no commit on a sheet, where `export` says HEAD's (or --at's).
    path = dated / "catalog.toml"
    head = git(dated, "rev-parse", "--short", "HEAD").stdout.strip()
    past = at_revision(path, "2023-01-28")
    assert not isinstance(past, str)
    first = git(dated, "rev-parse", "--short", "HEAD~1").stdout.strip()
    for at, said in (
        (None, f"git {head} (2023-02-01), and changes not committed yet"),
        (past, f"git {first} (2023-01-10)"),
    ):
        target = dated / f"board-{'past' if at else 'now'}.svg"
        app = TubeboardApp(path, at=at)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await run_command(pilot, "Export…")
            form = app.screen
            form.query_one("#export-format", Select).value = "svg"
            await pilot.pause()
            form.query_one("#export-file", Input).value = str(target)
            form.query_one("#export-file", Input).focus()
            await pilot.press("enter")
            for _ in range(100):
                await pilot.pause(0.05)
                if target.exists():
                    break
        assert said in target.read_text(), at
        by_cli = tubeboard(
            dated, "export", "catalog.toml", "-f", "svg", *(["--at", "2023-01-28"] if at else [])
        )
        assert said in by_cli.stdout
