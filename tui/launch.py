"""How tubeboard starts itself: git's merge driver and each browser tab of `serve`.

Both run in a folder that belongs to a repository (git runs a driver from the top of the work
tree), and plain `python -m tui` puts the current folder first on `sys.path`: a `tui/` or a
`tui.py` anyone committed would be imported instead of tubeboard. Isolated mode (`-I`) keeps the
current folder, PYTHONPATH and the user's site folder off the path.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def self_argv(python: str | None = None) -> list[str]:
    """The command line that runs tubeboard itself, never from the current folder."""
    return [python or sys.executable, "-I", "-m", "tui"]


def isolated_problem(python: str | None = None) -> str | None:
    """Why `python` cannot start tubeboard in isolated mode, or None when it can. It cannot
    when that Python is gone (a deleted or rebuilt venv) or tubeboard is not installed in it
    (a checkout run without `pip install`, or an install in the user's site folder)."""
    interpreter = python or sys.executable
    try:
        done = subprocess.run(
            [interpreter, "-I", "-c", "import tui"],
            cwd=Path(interpreter).anchor or "/",  # not a folder anyone could plant a tui/ in
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        reason = error.strerror if isinstance(error, OSError) else "it did not answer"
        return f"{interpreter} cannot run: {reason}"
    if done.returncode != 0:
        return f"{interpreter} cannot import tubeboard in isolated mode (python -I)"
    return None
