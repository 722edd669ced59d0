"""Issue 16, part 1: a cursor move sends the terminal only what changed, and what it leaves
on the screen is what a full redraw draws."""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import termios
from pathlib import Path

from tests.conftest import SHIPPED
from tests.e2e.terminal_bytes import TUBEBOARD, Session, screen

RIGHT, DOWN, LEFT = "\x1b[C", "\x1b[B", "\x1b[D"


def start(tmp_path: Path) -> Session:
    path = tmp_path / "catalog.toml"
    path.write_bytes(SHIPPED.read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    session = Session([str(TUBEBOARD), str(path)], {**env, "TERM": "xterm-256color"})
    session.wait_for("Witness tube 1")
    session.read(1.5)  # the first screen, and the work after it
    return session


def moved(session: Session, key: str) -> int:
    before = len(session.output)
    session.send(key)
    return len(session.output) - before


def redraw_all(session: Session) -> None:
    """Make the app draw the whole screen again: a resize away and back."""
    for columns in (81, 80):
        fcntl.ioctl(session.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        os.kill(session.pid, signal.SIGWINCH)
        session.read(0.8)


def test_a_cursor_move_sends_two_cells_and_the_details_line(tmp_path: Path) -> None:
    session = start(tmp_path)
    try:
        sent = [moved(session, key) for key in (RIGHT, RIGHT, RIGHT, DOWN, DOWN, LEFT)]
        # Two cells of four lines and the details line: about 400 bytes (bench (f)); the
        # whole board was about 6,200 a move.
        assert all(0 < n < 600 for n in sent), sent
        after_moves = screen(bytes(session.output))
        redraw_all(session)
        assert screen(bytes(session.output)) == after_moves  # what the user sees is the same
        assert "tube 25 · Pelican Point" in "".join(
            c.char for c in after_moves[22] if c is not None
        )
    finally:
        session.close()


def test_table_moves_leave_the_screen_a_full_redraw_draws(tmp_path: Path) -> None:
    session = start(tmp_path)
    try:
        session.send("t")
        sent = [moved(session, key) for key in ("j", "j", "l", "l", "k", "h")]
        assert all(0 < n < 1500 for n in sent), sent
        after_moves = screen(bytes(session.output))
        redraw_all(session)
        assert screen(bytes(session.output)) == after_moves
    finally:
        session.close()


def test_the_first_screen_is_sent_once_and_whole(tmp_path: Path) -> None:
    session = start(tmp_path)
    try:
        first = bytes(session.output)
        # Textual painted it three times as it settled (20,645 bytes); now once.
        assert first.count(b"Perseverance sample tubes") == 1
        assert len(first) < 10_000, len(first)
        shown = screen(first)
        redraw_all(session)
        assert screen(bytes(session.output)) == shown
    finally:
        session.close()
