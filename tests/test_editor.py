"""`E`'s editor command (tui/editor.py) and the line it opens at (workspace.record_line)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import workspace_on
from tui import editor
from tui.catalog.workspace import Refused, record_line

RACK = """\
# A rack kept by hand.
[board]
tubes = 4

[[sample]]
tube = 1
name = "Alpha"
kind = "rock-core"
notes = '''
[[sample]] is only text here.
'''

# the second
[[sample]]
tube = 3
name = "Gamma"
kind = "regolith"
"""


def test_visual_then_editor_then_vi(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    absolute = os.path.abspath(path)
    both = {"VISUAL": "code --wait", "EDITOR": "nano"}
    assert editor.command(both, path, 7) == ["code", "--wait", "+7", absolute]
    assert editor.command({"EDITOR": "emacsclient -t"}, path, 1) == [
        "emacsclient",
        "-t",
        "+1",
        absolute,
    ]
    assert editor.command({}, path, 3) == ["vi", "+3", absolute]
    assert editor.command({"EDITOR": "  "}, path, 3) == ["vi", "+3", absolute]


def test_words_split_as_a_shell_splits_them(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    argv = editor.command({"EDITOR": "'/opt/My Editor/bin/ed' -n"}, path, 2)
    assert argv[:2] == ["/opt/My Editor/bin/ed", "-n"]
    refused = editor.command({"VISUAL": "vim 'unclosed"}, path, 2)
    assert isinstance(refused, str) and refused.startswith("$VISUAL cannot be split")


def test_a_name_that_looks_like_an_option_is_passed_as_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = editor.command({"EDITOR": "vi"}, Path("-R.toml"), 1)
    assert argv == ["vi", "+1", str(tmp_path / "-R.toml")]


def test_the_line_is_the_records_header(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(RACK)
    workspace = workspace_on(path)
    lines = RACK.splitlines()
    assert record_line(workspace, 1) == lines.index("[[sample]]") + 1 == 5
    # Not the header-looking line inside Alpha's notes, nor the comment above Gamma.
    assert record_line(workspace, 3) == 14 and lines[13] == "[[sample]]"
    assert record_line(workspace, 2) == 1  # an empty tube: the file's first line
    workspace.partial = True
    assert isinstance(record_line(workspace, 1), Refused)


async def test_the_web_board_and_a_test_terminal_say_why_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.app.conftest import messages
    from tui.app import TubeboardApp

    path = tmp_path / "catalog.toml"
    path.write_text(RACK)
    monkeypatch.setenv("EDITOR", "definitely-not-an-editor")
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("E")  # the test driver cannot hand the terminal over
        await pilot.pause()
        assert messages(app)[-1] == "This terminal cannot be handed to an editor."
        monkeypatch.setattr(TubeboardApp, "is_web", property(lambda self: True))
        await pilot.press("E")
        await pilot.pause()
        assert messages(app)[-1].startswith("The web board has no terminal to hand")
    assert path.read_text() == RACK
