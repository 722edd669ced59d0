"""The focused record handed elsewhere: `E` to the person's own editor (the terminal handed
over and back), `c` to the clipboard.

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
from tui.catalog.workspace import Refused, record_line, record_texts

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


def copy(screen: BoardScreen) -> None:
    """The focused record, or the marked ones, as their TOML text to the clipboard: Textual
    sends it as OSC 52, which terminals pass to the clipboard of the machine the person sits
    at, over SSH too (most ask to allow it once)."""
    tubes = sorted(screen.marked) or [screen.view.cursor]
    text = record_texts(screen.workspace, tubes)
    if isinstance(text, Refused):
        screen.notify(text.reason, severity="warning", markup=False)
        return
    screen.app.copy_to_clipboard(text)
    which = f"tube {tubes[0]}'s record" if len(tubes) == 1 else f"{len(tubes)} records"
    lines = text.count("\n")
    screen.notify(f"Copied {which} to the clipboard ({lines} lines of TOML).")
