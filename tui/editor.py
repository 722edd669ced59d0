"""The command that hands the catalogue to the person's own editor (`E` on the board).

`$VISUAL`, else `$EDITOR`, else `vi`, split as a shell splits words (so `code --wait` and
`emacsclient -t` work), then `+LINE` and the file's absolute path: a relative name that
begins with `-` would otherwise read as an option. Nothing here runs it; the screen does,
with the terminal handed over.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from pathlib import Path


def command(environ: Mapping[str, str], path: Path, line: int) -> list[str] | str:
    """The editor's argv, or a sentence saying why there is none."""
    chosen = environ.get("VISUAL") or environ.get("EDITOR") or "vi"
    name = "$VISUAL" if environ.get("VISUAL") else "$EDITOR"
    try:
        words = shlex.split(chosen)
    except ValueError as error:
        return f"{name} cannot be split into words ({error}): {chosen!r}"
    if not words:
        words = ["vi"]
    return [*words, f"+{line}", os.path.abspath(path)]
