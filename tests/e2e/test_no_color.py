"""Issue 12, item 1: under NO_COLOR the terminal receives no colour at all, so no text can be
drawn in its background's colour; the cursor, the highlighted choice and the kinds still
show, by reverse, underline and symbols. Read from the bytes a pty receives, in three
terminals."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import SHIPPED
from tests.e2e.terminal_bytes import TUBEBOARD, Session, cells

pytestmark = pytest.mark.skipif(not TUBEBOARD.exists(), reason="needs the installed tubeboard")

TERMINALS = {
    "xterm-256color": {"TERM": "xterm-256color"},
    "linux": {"TERM": "linux"},
    "truecolor": {"TERM": "xterm-256color", "COLORTERM": "truecolor"},
}


@pytest.mark.parametrize("terminal", sorted(TERMINALS))
def test_no_color_sends_no_colour_and_still_marks_what_matters(
    terminal: str, tmp_path: os.PathLike[str]
) -> None:
    path = os.path.join(tmp_path, "catalog.toml")
    shutil.copyfile(SHIPPED, path)
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "NO_COLOR")}
    env.update(TERMINALS[terminal], NO_COLOR="1")
    session = Session([str(TUBEBOARD), path], env)
    try:
        session.wait_for("tube 1 ")
        session.send("l")  # the cursor to tube 2
        session.send("f")  # the filter picker
        session.wait_for("all tubes")
        session.send("\x1b[B")  # highlight the next choice
        session.read(0.5)
        drawn = [c for c in cells(bytes(session.output)) if not c.char.isspace()]
    finally:
        session.close()
    assert len(drawn) > 1000
    same = [c for c in drawn if c.fg is not None and c.fg == c.bg]
    assert not same, f"{len(same)} characters drawn in their background's colour: {same[:3]}"
    coloured = [c for c in drawn if c.fg is not None or c.bg is not None]
    assert not coloured, f"NO_COLOR, yet {len(coloured)} characters in colour: {coloured[:3]}"
    # What colour would have shown, shown otherwise: the cursor in reverse, the kinds as
    # symbols, the highlighted choice underlined.
    assert any(c.reverse and c.char == "2" for c in drawn), "no cursor"
    assert {"■", "░", "○", "♦"} <= {c.char for c in drawn}
    assert any(c.underline and c.char == "■" for c in drawn), "no highlighted choice"
