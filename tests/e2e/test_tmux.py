"""The installed `tubeboard` in a real terminal: tmux at 80x24, keys typed, the file checked."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

TUBEBOARD = Path(sys.executable).parent / "tubeboard"

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or not TUBEBOARD.exists(),
    reason="needs tmux and the installed tubeboard command",
)

HAND_WRITTEN = """\
# Field rack, kept by hand in vim.
[board]
title = "Field rack"
tubes = 6   # six slots

# the first core of the season
[[sample]]
tube = 1
name = "Alpha"   # drilled at dawn
kind = "rock-core"
notes = '''
Drilled at dawn.
[[sample]] is only text here.
'''

[[sample]]
tube = 2
name = "Beta"
kind = "regolith"
site = 'Ridge'   # literal, with a comment

[[sample]]
tube = 3
name = "Gamma"
kind = "witness"
"""


class Terminal:
    def __init__(self, session: str) -> None:
        self.session = session

    def screen(self) -> str:
        result = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.session],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout

    def wait_for(self, *texts: str, timeout: float = 15.0) -> str:
        """The screen once every one of `texts` is on it. tmux may show a frame half
        drawn, so wait for the last thing a check needs, not just the first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{texts!r} never all appeared; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        # One key at a time, as a person types: a burst can arrive as a paste.
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.session, key], check=True)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, "-l", text], check=True)
        time.sleep(0.3)

    def alive(self) -> bool:
        return (
            subprocess.run(
                ["tmux", "has-session", "-t", self.session], capture_output=True, check=False
            ).returncode
            == 0
        )


@pytest.fixture(autouse=True, scope="module")
def tmux_server() -> Iterator[None]:
    """One tmux server up for the whole module: when a test's session ends, a server with no
    sessions left exits, and the next test's new-session can meet it going ("server exited
    unexpectedly", seen once in CI). A session that only sleeps keeps it up."""
    keeper = f"tubeboard-keeper-{uuid.uuid4().hex[:8]}"
    subprocess.run(["tmux", "new-session", "-d", "-s", keeper, "sleep 100000"], check=True)
    try:
        yield
    finally:
        subprocess.run(["tmux", "kill-session", "-t", keeper], capture_output=True, check=False)


@contextmanager
def app_in_tmux(path: Path, settings: str = "") -> Iterator[Terminal]:
    """The installed app on `path` in a new 80x24 tmux session, closed after. The settings
    go on the command line: a session gets its tmux server's environment, and a server may
    already be running with another one."""
    session = f"tubeboard-e2e-{uuid.uuid4().hex[:8]}"
    command = f"env -u NO_COLOR {settings} TERM=xterm-256color {TUBEBOARD} {path}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command],
        check=True,
        cwd=path.parent,
    )
    try:
        yield Terminal(session)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    path = tmp_path / "catalog.toml"
    path.write_text(HAND_WRITTEN)
    with app_in_tmux(path) as term:
        yield term, path


def test_edit_add_delete_in_a_real_terminal(terminal: tuple[Terminal, Path]) -> None:
    term, path = terminal
    screen = term.wait_for("Field rack", "Alpha", "filled 3 of 6", "tube 1 ·")
    assert len(screen.splitlines()) <= 24 and max(map(len, screen.splitlines())) <= 80

    # Edit Beta's site: name → kind → status → sol → date → campaign → site.
    term.keys("l", "e")
    term.wait_for("Edit tube 2")
    term.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "C-u")
    term.type("Crest")
    term.keys("C-s")
    term.wait_for("Saved tube 2")

    # Add a sample in the last tube.
    term.keys("G", "a")
    term.wait_for("Add a sample")
    term.type("Delta")
    term.keys("C-s")
    term.wait_for("Added tube 6")

    # Delete Alpha, confirming with y.
    term.keys("g", "d")
    term.wait_for("Delete tube 1")
    term.keys("y")
    term.wait_for("Deleted tube 1")
    assert "filled 3 of 6" in term.screen()

    term.keys("q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.alive(), "q did not quit"

    # The record's own lines go; the comment above it and the blank line after it stay.
    start = HAND_WRITTEN.index("[[sample]]\ntube = 1")
    end = HAND_WRITTEN.index("[[sample]]\ntube = 2") - 1
    alpha = HAND_WRITTEN[start:end]
    expected = (
        HAND_WRITTEN.replace(alpha, "").replace(
            "site = 'Ridge'   # literal, with a comment",
            "site = 'Crest'   # literal, with a comment",
        )
        + '\n[[sample]]\ntube = 6\nname = "Delta"\nkind = "rock-core"\n'
    )
    assert path.read_text() == expected
    assert sorted(p.name for p in path.parent.iterdir()) == ["catalog.toml"]


def test_two_people_on_one_file(tmp_path: Path) -> None:
    """Two tubeboards open on the same catalogue: each sees the other's save, and both land."""
    path = tmp_path / "catalog.toml"
    path.write_text(HAND_WRITTEN)
    sessions = [f"tubeboard-two-{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for session in sessions:
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                session,
                "-x",
                "80",
                "-y",
                "24",
                f"env -u NO_COLOR TERM=xterm-256color {TUBEBOARD} {path}",
            ],
            check=True,
        )
    ann, bob = (Terminal(s) for s in sessions)
    try:
        ann.wait_for("Field rack")
        bob.wait_for("Field rack")
        ann.keys("G", "a")
        ann.wait_for("Add a sample")
        ann.type("Ann's")
        ann.keys("C-s")
        ann.wait_for("Added tube 6")
        # The notice (which wraps at 80 columns) and Ann's sample on Bob's board.
        bob.wait_for("changed on disk", "Ann's", timeout=15)
        bob.keys("g", "e")  # Bob edits Alpha, which Ann did not touch
        bob.wait_for("Edit tube 1")
        bob.keys("Tab", "Tab", "Tab")
        bob.type("77")
        bob.keys("C-s")
        bob.wait_for("Saved tube 1")
        ann.wait_for("changed on disk", timeout=5)
    finally:
        for session in sessions:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    text = path.read_text()
    assert 'name = "Ann\'s"' in text and "sol = 77" in text
    assert text.startswith(HAND_WRITTEN.split("[[sample]]")[0])  # comments intact


@pytest.mark.parametrize("keys", ["qa", "qe", "qd", "q/"])
def test_a_key_right_after_q_quits_cleanly(tmp_path: Path, keys: str) -> None:
    """Issue 11, item 8: `qa` typed fast ended in NoMatches and exit status 1."""
    path = tmp_path / "catalog.toml"
    path.write_text(HAND_WRITTEN)
    status = tmp_path / "status"
    session = f"tubeboard-q-{uuid.uuid4().hex[:8]}"
    # Textual draws on stderr, and prints a traceback there after leaving the screen: the
    # pane stays open a while to show it.
    command = f"env -u NO_COLOR TERM=xterm-256color {TUBEBOARD} {path}; echo $? > {status}; sleep 5"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True
    )
    term = Terminal(session)
    try:
        term.wait_for("Field rack", "tube 1 ·")
        term.type(keys)  # both keys in one write, as a quick typist sends them
        deadline = time.monotonic() + 10
        while not status.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        after = term.screen()
        assert status.read_text().strip() == "0", after
        assert "Traceback" not in after and "NoMatches" not in after
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)


def test_mark_three_tubes_and_set_them_deposited(terminal: tuple[Terminal, Path]) -> None:
    """Issue 14 in a real terminal: space marks, S sets a status on all marked tubes, in one
    save that changes only their status lines."""
    term, path = terminal
    term.wait_for("Field rack", "Alpha", "tube 1 ·")
    term.keys("Space", "l", "Space", "l", "Space")
    term.wait_for("3 marked")
    term.keys("S")
    term.wait_for("Set on the 3 marked tubes")
    term.keys("Tab")  # from kind to status
    term.keys("Enter")  # open the status choices
    time.sleep(0.3)
    term.keys("Down", "Down", "Down", "Enter")  # (as it is), sealed, unsealed, deposited
    term.keys("C-s")
    term.wait_for("Set status on 3 tubes")
    text = path.read_text()
    assert text.count('status = "deposited"') == 3
    before, after = HAND_WRITTEN.splitlines(), text.splitlines()
    # Three status lines added (none of the three had one), every other line as it was.
    assert [line for line in after if line not in before] == ['status = "deposited"'] * 3
    assert [line for line in after if line != 'status = "deposited"'] == before


def test_sort_the_table_in_a_real_terminal(terminal: tuple[Terminal, Path]) -> None:
    """Issue 14 in a real terminal: t shows the table, l moves to the name column, s sorts
    by it and s again reverses, the header says so; the file is never written."""
    term, path = terminal
    term.wait_for("Field rack", "Alpha", "tube 1 ·")
    term.keys("t")
    term.wait_for("tube name", "▶")
    term.keys("l", "s", "s")
    screen = term.wait_for("name ↓")
    rows = screen.splitlines()[3:6]  # under the title, the header and its rule
    assert [row[4:].split()[:2] for row in rows] == [["3", "Gamma"], ["2", "Beta"], ["1", "Alpha"]]
    assert rows[2].startswith("▶")  # the cursor stayed on its tube, now the last row
    term.keys("k", "t")  # a row up is Beta, tube 2; back on the board it is focused
    term.wait_for("tube 2 · Beta")
    assert path.read_text() == HAND_WRITTEN


FAKE_EDITOR = """\
import json, pathlib, sys
args = sys.argv[1:]
pathlib.Path(sys.argv[0]).with_name("argv.json").write_text(json.dumps(args))
path = pathlib.Path(args[-1])
text = path.read_text()
if "Bravo" in text:  # the second time: leave the file broken, as a slip in vim would
    path.write_text(text.replace('name = "Bravo"', 'name = "Bravo'))
else:
    path.write_text(text.replace('name = "Beta"', 'name = "Bravo"'))
"""


def test_E_hands_the_record_to_the_editor_and_shows_what_it_left(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(HAND_WRITTEN)
    fake = tmp_path / "tools" / "fake editor.py"
    fake.parent.mkdir()
    fake.write_text(FAKE_EDITOR)
    # An editor command with an argument and a path with a space, split as a shell would.
    editor = f"{sys.executable} '{fake}' --wait"
    with app_in_tmux(path, f'-u VISUAL EDITOR="{editor}"') as term:
        term.wait_for("Field rack", "Beta", "tube 1 ·")
        term.keys("l", "E")  # tube 2, Beta
        term.wait_for("Bravo", "tube 2 · Bravo")
        lines = HAND_WRITTEN.splitlines()
        header = lines.index('name = "Beta"') - 1  # 1-based: the [[sample]] two lines up
        assert lines[header - 1] == "[[sample]]"
        assert json.loads((fake.parent / "argv.json").read_text()) == [
            "--wait",
            f"+{header}",
            str(path),
        ]
        # The editor leaves the file broken: the app says so, as for any outside edit.
        term.keys("E")
        term.wait_for("has 1 problem on disk", f"line {header + 2}:", "showing the last good")
        assert term.alive()
        assert 'name = "Bravo\n' in path.read_text()  # what the editor left, untouched
