"""Start-up loads only what the first screen needs: the rest waits for its first use."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO, SHIPPED

# What the board on a good file needs, and nothing else of ours.
FIRST_SCREEN = {
    "tui",
    "tui.app",
    "tui.catalog",
    "tui.catalog.atomic",  # the file layer, the errors, the session: split out of the store
    "tui.catalog.errors",  # and the board screen, which loaded all of it before
    "tui.catalog.model",
    "tui.catalog.field_types",  # each field's kind of value, said once beside the fields
    "tui.catalog.toml_read",  # which parser reads the text (toml-rs itself only for large ones)
    "tui.catalog.pace",  # a read in a worker gives way to the keys
    "tui.terminal_text",  # fewer bytes for the first screen too
    "tui.contrast",  # and text that reads in every theme
    "tui.catalog.rules",  # the rules between records, said once for check, store and form
    "tui.catalog.store",
    "tui.catalog.validate",
    "tui.catalog.workspace",
    "tui.catalog.undo",  # the undo and redo logs: split out of the workspace
    "tui.collector",  # the collector policy and the watcher: split out of the app and screen
    "tui.lazy",
    "tui.watcher",
    "tui.config",
    "tui.settings",  # the settings as a run uses them: split out of the app
    "tui.plain",
    "tui.screens",
    "tui.screens.answers",  # what the board screen does with an answer: split out of it
    "tui.screens.curation",  # the flows of every change: the same
    "tui.screens.searching",  # the search, the filter and Esc: the same
    "tui.screens.flow",  # how those flows ask: a few lines, Textual parts already loaded
    "tui.screens.following",  # the file followed, the banner, the index: the same
    "tui.screens.board_screen",
    "tui.theme",
    "tui.widgets",
    "tui.widgets.banner",  # the banner and the search's state: split out of the board screen
    "tui.widgets.board",
    "tui.widgets.tube_view",  # what the board shares with the table (t), which loads later
    "tui.widgets.views",  # which view is shown, and the switch (the views load when asked)
    "tui.git_marks",  # the marks since the last commit, none yet: git loads 1.5 s later
    "tui.widgets.finder",
    "tui.widgets.details_line",
    "tui.widgets.footer",
    "tui.widgets.summary",
    "tui.textual_compat",  # one check of a private member, in every binding check
    "tui.widgets.title_bar",
}

PROBE = f"""
import asyncio, sys
from pathlib import Path
from tui.app import TubeboardApp

async def main():
    async with TubeboardApp(Path({str(SHIPPED)!r})).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Witness tube 1" in str(pilot.app.screen.query_one("#details").render())
        print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] == "tui")))
        print(" ".join(m for m in ("hashlib", "argparse", "tomli_w", "attrs") if m in sys.modules))

asyncio.run(main())
"""


def test_the_first_screen_loads_only_what_it_shows() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    ours, others = result.stdout.splitlines()
    # Editing, undo, the other screens and their stylesheets load when first used.
    assert set(ours.split()) == FIRST_SCREEN
    # Nor the standard library's and attrs' modules that only later work needs ("attrs" is
    # attrs' namespace of re-exports; tui uses the same API through `attr`).
    assert others == ""
