"""Run the installed `tubeboard` in a pseudo-terminal and read exactly the bytes it sends,
then replay the SGR codes to know each drawn character's colours and attributes."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TUBEBOARD = Path(sys.executable).parent / "tubeboard"


@dataclass(frozen=True)
class Cell:
    char: str
    fg: tuple[int, ...] | None  # None: the terminal's default
    bg: tuple[int, ...] | None
    bold: bool
    dim: bool
    underline: bool
    reverse: bool


class Session:
    """One app in a pty of `columns` x `rows`; `keys` are sent one at a time."""

    def __init__(self, argv: list[str], env: dict[str, str], columns: int = 80, rows: int = 24):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the app
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        os.kill(self.pid, signal.SIGWINCH)
        self.output = bytearray()

    def read(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, text: str, seconds: float = 15.0) -> None:
        deadline = time.monotonic() + seconds
        while text.encode() not in self.output and time.monotonic() < deadline:
            self.read(0.1)
        assert text.encode() in self.output, f"{text!r} never drawn"

    def send(self, *keys: str) -> None:
        for key in keys:
            os.write(self.fd, key.encode())
            self.read(0.3)

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        self.read(0.5)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        os.close(self.fd)


_SEQUENCE = re.compile(
    r"\x1b\[([0-9;:?<>=]*)([@-~])"  # CSI ... final
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST
    r"|\x1b[P^_][^\x1b]*\x1b\\"  # DCS, PM, APC ... ST
    r"|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMNOZc]"
)

_FG16 = {**{30 + i: (i,) for i in range(8)}, **{90 + i: (8 + i,) for i in range(8)}}
_BG16 = {**{40 + i: (i,) for i in range(8)}, **{100 + i: (8 + i,) for i in range(8)}}


def cells(output: bytes) -> Iterator[Cell]:
    """Every character drawn, with the colours and attributes in force when it was."""
    text = output.decode("utf-8", errors="replace")
    fg: tuple[int, ...] | None = None
    bg: tuple[int, ...] | None = None
    bold = dim = underline = reverse = False
    position = 0
    for match in _SEQUENCE.finditer(text):
        for char in text[position : match.start()]:
            if char.isprintable():
                yield Cell(char, fg, bg, bold, dim, underline, reverse)
        position = match.end()
        if match[2] != "m":
            continue
        numbers = [int(p) if p else 0 for p in re.split("[;:]", match[1])] if match[1] else [0]
        i = 0
        while i < len(numbers):
            n = numbers[i]
            if n == 0:
                fg = bg = None
                bold = dim = underline = reverse = False
            elif n == 1:
                bold = True
            elif n == 2:
                dim = True
            elif n == 22:
                bold = dim = False
            elif n == 4:
                underline = True
            elif n == 24:
                underline = False
            elif n == 7:
                reverse = True
            elif n == 27:
                reverse = False
            elif n in _FG16:
                fg = _FG16[n]
            elif n in _BG16:
                bg = _BG16[n]
            elif n == 39:
                fg = None
            elif n == 49:
                bg = None
            elif n in (38, 48) and i + 1 < len(numbers):
                kind = numbers[i + 1]
                size = 1 if kind == 5 else 3
                colour = (kind, *numbers[i + 2 : i + 2 + size])
                if n == 38:
                    fg = colour
                else:
                    bg = colour
                i += 1 + size
            i += 1
    for char in text[position:]:
        if char.isprintable():
            yield Cell(char, fg, bg, bold, dim, underline, reverse)


def screen(output: bytes, columns: int = 80, rows: int = 24) -> list[list[Cell | None]]:
    """The screen `output` leaves: cursor moves (CSI row;col H), line feeds and text drawn
    with its colours and attributes, wide characters taking two cells (the second None)."""
    from rich.cells import cell_len

    grid: list[list[Cell | None]] = [
        [Cell(" ", None, None, False, False, False, False)] * columns for _ in range(rows)
    ]
    text = output.decode("utf-8", errors="replace")
    state: dict[str, object] = {
        "fg": None,
        "bg": None,
        "bold": False,
        "dim": False,
        "underline": False,
        "reverse": False,
    }
    row = col = 0
    position = 0
    for match in [*_SEQUENCE.finditer(text), None]:
        end = match.start() if match else len(text)
        for char in text[position:end]:
            if char == "\r":
                col = 0
            elif char == "\n":
                row = min(rows - 1, row + 1)
            elif char.isprintable():
                width = cell_len(char)
                if 0 <= row < rows and 0 <= col < columns:
                    grid[row][col] = Cell(
                        char,
                        *(state[k] for k in ("fg", "bg", "bold", "dim", "underline", "reverse")),
                    )  # type: ignore[arg-type]
                    if width == 2 and col + 1 < columns:
                        grid[row][col + 1] = None
                col += width
        if match is None:
            break
        position = match.end()
        if match[2] == "H":
            parts = (match[1] or "1;1").split(";")
            row, col = int(parts[0] or 1) - 1, int(parts[1] or 1) - 1 if len(parts) > 1 else 0
        elif match[2] == "K" and match[1] in ("", "0") and 0 <= row < rows:
            # Erase to the end of the line, as a terminal without background-colour erase
            # does: default spaces, whatever style is in force (those with it use the
            # style's background, so what is right here is right there).
            blank = Cell(" ", None, None, False, False, False, False)
            grid[row][col:] = [blank] * (columns - min(col, columns))
        elif match[2] == "m":
            cell = next(cells(match[0].encode() + b"x"))
            numbers = match[1]
            if not numbers or numbers == "0":
                state.update(
                    fg=None, bg=None, bold=False, dim=False, underline=False, reverse=False
                )
            else:
                # Apply this SGR on top of the current state.
                before = Cell(
                    "x",
                    state["fg"],
                    state["bg"],
                    bool(state["bold"]),
                    bool(state["dim"]),
                    bool(state["underline"]),
                    bool(state["reverse"]),
                )  # type: ignore[arg-type]
                prefix = _sgr_of(before)
                cell = next(cells((prefix + match[0] + "x").encode()))
                state.update(
                    fg=cell.fg,
                    bg=cell.bg,
                    bold=cell.bold,
                    dim=cell.dim,
                    underline=cell.underline,
                    reverse=cell.reverse,
                )
    return grid


def _sgr_of(cell: Cell) -> str:
    """An SGR sequence that sets `cell`'s colours and attributes from nothing."""
    codes = []
    for flag, code in (
        (cell.bold, "1"),
        (cell.dim, "2"),
        (cell.underline, "4"),
        (cell.reverse, "7"),
    ):
        if flag:
            codes.append(code)
    for colour, base, extended in ((cell.fg, 30, "38"), (cell.bg, 40, "48")):
        if colour is None:
            continue
        if len(colour) == 1:
            n = colour[0]
            codes.append(str(base + n if n < 8 else base + 60 + n - 8))
        else:
            codes.append(";".join([extended, *(str(c) for c in colour)]))
    return f"\x1b[{';'.join(codes)}m" if codes else ""
