"""Issue 11, items 3, 6, 7, 10, 12 and 20 on the command line: FIFOs and devices are neither
read forever nor replaced, messages stay one printable line, any locale works, and an
error that ends the app exits non-zero."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import SHIPPED

BROKEN = b'[[sample]]\ntube = 1\nname = "x"\nkind = "lava"\n[[sample]]\ntube = 1\nname = "y"\n'


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        timeout=30,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def test_check_and_export_refuse_a_fifo_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "catalog.toml"
    os.mkfifo(fifo)
    for args in (("check", str(fifo)), ("export", str(fifo), "--format", "csv")):
        result = run(*args)  # hangs forever on the old code (the timeout fails the test)
        assert result.returncode == 2
        assert b"named pipe (FIFO), not a regular file" in result.stderr
        assert b"Traceback" not in result.stderr


def test_check_refuses_a_device_rather_than_reading_it_forever() -> None:
    result = run("check", "/dev/zero")
    assert result.returncode == 2
    assert b"character device, not a regular file" in result.stderr


def test_export_writes_into_a_fifo_and_leaves_it_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = run("export", str(SHIPPED), "--format", "json", "-o", str(fifo))
    reader.join(10)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and got[0].startswith(b'{\n  "board"')


def test_export_writes_into_a_device_and_leaves_it_a_device(tmp_path: Path) -> None:
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except PermissionError:
        pytest.skip("making a device node needs root")
    result = run("export", str(SHIPPED), "--format", "csv", "-o", str(null))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode), "the device was replaced by a regular file"


def test_a_path_holding_a_newline_keeps_one_line_per_problem(tmp_path: Path) -> None:
    path = tmp_path / "two\nlines \x1b[31m.toml"
    path.write_bytes(BROKEN)
    result = run("check", str(path))
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 3, lines  # unknown kind, no kind, tube 1 twice
    for line in lines:
        assert line.startswith(str(tmp_path) + "/two␊lines ␛[31m.toml:")
    assert (
        b"\x1b" not in result.stderr and b"lines \xe2\x90\x9b[31m.toml: 3 errors" in result.stderr
    )


@pytest.mark.parametrize("command", ["check", "export", "list"])
def test_an_ascii_locale_neither_crashes_nor_mangles_data(tmp_path: Path, command: str) -> None:
    path = tmp_path / "café.toml"
    path.write_text('[[sample]]\ntube = 1\nname = "Séítah…"\nkind = "witness"\nknd = 1\n')
    args = {
        "check": ("check", str(path)),
        "export": ("export", str(path), "-f", "csv"),
        "list": ("list", str(path)),
    }[command]
    result = run(*args, env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"})
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    if command in ("export", "list"):  # issue 27, part 5: one rule for data, list too
        assert "Séítah…".encode() in result.stdout  # the data stays UTF-8
    else:
        assert b"caf\\xe9.toml: ok" in result.stderr or b"caf\\u00e9" in result.stderr


def test_an_error_that_ends_the_app_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui import app as app_module
    from tui.screens.board_screen import BoardScreen

    path = tmp_path / "catalog.toml"
    path.write_bytes(SHIPPED.read_bytes())

    def broken(self: BoardScreen) -> None:
        raise RuntimeError("a bug")

    original_run = app_module.TubeboardApp.run

    def headless(self: app_module.TubeboardApp) -> None:
        original_run(self, headless=True)

    monkeypatch.setattr(BoardScreen, "on_mount", broken)
    monkeypatch.setattr(app_module.TubeboardApp, "run", headless)
    assert app_module.run(path) == 1
