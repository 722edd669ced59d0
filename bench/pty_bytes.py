"""Bytes a program writes to a real pseudo-terminal (80x24, xterm-256color): for its first
screen, and for each key after it, counted once the program has gone quiet."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import time

KEYS = {"right": b"\x1b[C", "down": b"\x1b[B", "left": b"\x1b[D", "up": b"\x1b[A"}


class Pty:
    def __init__(self, argv: list[str], env: dict[str, str], cwd: str | None = None) -> None:
        # The size is set before the program starts: it must not begin with a resize.
        self.fd, child = pty.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.process = subprocess.Popen(
            argv,
            stdin=child,
            stdout=child,
            stderr=child,
            env=env,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(child)
        self.pid = self.process.pid
        self.output = bytearray()

    def settle(self, quiet: float = 0.4, limit: float = 20.0) -> int:
        """Read until nothing came for `quiet` seconds; the bytes read."""
        start, deadline = len(self.output), time.monotonic() + limit
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.output += chunk
        return len(self.output) - start

    def wait_for(self, text: bytes, limit: float = 20.0) -> None:
        deadline = time.monotonic() + limit
        while text not in self.output and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    return

    def key(self, name: str) -> int:
        code = KEYS.get(name, name.encode())
        # A program in application cursor mode (DECCKM, as curses sets it) reads arrows as
        # ESC O A..D; sent as ESC [ A..D, VisiData took them for other keys.
        if code.startswith(b"\x1b[") and self.output.rfind(b"\x1b[?1h") > self.output.rfind(
            b"\x1b[?1l"
        ):
            code = b"\x1bO" + code[2:]
        os.write(self.fd, code)
        return self.settle()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.fd)


def measure(
    argv: list[str], env: dict[str, str], ready: bytes, moves: list[str], before: list[str]
) -> tuple[int, dict[str, list[int]]]:
    """The first screen's bytes, then each move's (after the `before` keys, not counted)."""
    term = Pty(argv, {**env, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"})
    try:
        term.wait_for(ready)
        first = len(term.output) + term.settle(quiet=1.0)
        for key in before:
            term.key(key)
        per: dict[str, list[int]] = {}
        for move in moves:
            per.setdefault(move, []).append(term.key(move))
        return first, per
    finally:
        term.close()
