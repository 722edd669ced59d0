"""`tubeboard serve`: the same app in a web browser, through textual-serve.

Each browser tab gets its own `python -m tui PATH` process, so the saves, the lock and the
live reload work as they do for two people in two terminals.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path


def serve_command(path: Path, theme: str | None = None) -> str:
    """The shell command textual-serve starts for each browser tab."""
    argv = [sys.executable, "-m", "tui", str(path.resolve())]
    if theme:
        argv += ["--theme", theme]
    return shlex.join(argv)


def serve(path: Path, host: str, port: int, theme: str | None = None) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print(
            "tubeboard serve: web mode needs textual-serve. Add it where tubeboard is "
            "installed: in a checkout, pip install '.[web]'; installed with pipx, "
            "pipx inject tubeboard textual-serve; otherwise pip install textual-serve",
            file=sys.stderr,
        )
        return 2
    server = Server(serve_command(path, theme), host=host, port=port, title=f"tubeboard: {path}")
    try:
        server.serve()
    except OSError as error:  # the port is taken, or the address is not ours
        print(f"tubeboard serve: cannot listen on {host}:{port}: {error.strerror}", file=sys.stderr)
        return 2
    return 0
