"""`E`: the focused record in the person's own editor, the terminal handed over and back.

The app steps aside (Textual's suspend) while the editor runs, then looks at the file at
once: what the editor left is shown as any outside edit is (a broken file: the banner and
the problems, nothing lost). Refused where there is no terminal to hand over (the web
board) or no file to edit (a past board, `--at`).
"""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from tui import editor
from tui.catalog.workspace import Refused, record_line

if TYPE_CHECKING:
    from tui.screens.board_screen import BoardScreen


def hand_over(screen: BoardScreen) -> None:
    line = record_line(screen.workspace, screen.view.cursor)
    if isinstance(line, Refused):
        screen.notify(line.reason, severity="warning", markup=False)
        return
    if screen.app.is_web:
        screen.notify(
            "The web board has no terminal to hand to an editor: edit the file on the server.",
            severity="warning",
        )
        return
    argv = editor.command(os.environ, screen.workspace.store.path, line)
    if isinstance(argv, str):
        screen.notify(argv, severity="warning", markup=False)
        return
    try:
        with screen.app.suspend():
            status = subprocess.run(argv, check=False).returncode
    except SuspendNotSupported:
        status = None
        screen.notify("This terminal cannot be handed to an editor.", severity="warning")
    except OSError as error:
        status = None
        screen.notify(
            f"Could not start the editor {argv[0]!r}: {error.strerror or error}. "
            "Set $VISUAL or $EDITOR.",
            severity="error",
            markup=False,
        )
    screen.refresh(layout=True)
    screen.watcher.look()  # what the editor left, shown now rather than at the next poll
    if status:
        screen.notify(f"The editor exited with status {status}.", severity="warning")
