"""Issue 27, part 3: every theme the app offers reads on every terminal. Read from the bytes a
pty receives, per theme, in 16 colours, 256 colours and truecolor: every character drawn in
colours the terminal was told (not its own foreground or background) stands out from its
background by 3:1 or more, by 4.5:1 on the details line and the summary (WCAG's measure, with
xterm's default palette); each kind shows its own symbol, so colour is never all that tells
them apart. On the old code nord drew rock-core white on yellow (1.4:1) in 16 colours."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SHIPPED
from tests.e2e.terminal_bytes import TUBEBOARD, Cell, Session, screen

pytestmark = pytest.mark.skipif(not TUBEBOARD.exists(), reason="needs the installed tubeboard")

TERMINALS = {
    "16 colours": {"TERM": "xterm"},
    "256 colours": {"TERM": "xterm-256color"},
    "truecolor": {"TERM": "xterm-256color", "COLORTERM": "truecolor"},
}

# xterm's default palette, written out here rather than taken from the code under test.
XTERM = [
    "000000", "cd0000", "00cd00", "cdcd00", "0000ee", "cd00cd", "00cdcd", "e5e5e5",
    "7f7f7f", "ff0000", "00ff00", "ffff00", "5c5cff", "ff00ff", "00ffff", "ffffff",
]  # fmt: skip


def _themes() -> list[str]:
    from tui.app import TubeboardApp

    return sorted(TubeboardApp(SHIPPED).available_themes)


def rgb(colour: tuple[int, ...]) -> tuple[int, int, int]:
    if len(colour) == 1 or (colour[0] == 5 and colour[-1] < 16):
        code = XTERM[colour[-1]]
        return (int(code[:2], 16), int(code[2:4], 16), int(code[4:], 16))
    if colour[0] == 5:
        n = colour[1]
        if n >= 232:
            return (8 + 10 * (n - 232),) * 3  # type: ignore[return-value]
        steps = (0, 95, 135, 175, 215, 255)
        n -= 16
        return (steps[n // 36], steps[n // 6 % 6], steps[n % 6])
    return (colour[1], colour[2], colour[3])


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    def lum(c: tuple[int, int, int]) -> float:
        s = [v / 255 for v in c]
        s = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in s]
        return 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2]

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def shown(cell: Cell) -> float | None:
    """The contrast of a character as drawn, or None in the terminal's own colours."""
    text, back = (cell.bg, cell.fg) if cell.reverse else (cell.fg, cell.bg)
    if text is None or back is None:
        return None
    return contrast(rgb(text), rgb(back))


@pytest.mark.parametrize("theme", _themes())
def test_every_theme_reads_in_16_256_and_truecolor(theme: str, tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    shutil.copyfile(SHIPPED, path)
    for terminal, settings in TERMINALS.items():
        env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "NO_COLOR")}
        env.update(settings)
        session = Session([str(TUBEBOARD), "--theme", theme, str(path)], env)
        try:
            session.wait_for("tube 1 ")
            session.read(0.5)
            grid = screen(bytes(session.output))
        finally:
            session.close()
        drawn = [(y, c) for y, row in enumerate(grid) for c in row if c and not c.char.isspace()]
        assert len(drawn) > 500, f"{theme}, {terminal}: the board was not drawn"
        if terminal == "16 colours":  # the terminal was told no colour it does not have
            assert all(len(c.fg or (0,)) == 1 and len(c.bg or (0,)) == 1 for _, c in drawn)
        lines = ["".join(c.char if c else "" for c in row) for row in grid]
        strict = {y for y, line in enumerate(lines) if "filled " in line or "tube 1 ·" in line}
        assert len(strict) == 2, lines  # the summary and the details line were found
        for y, cell in drawn:
            ratio = shown(cell)
            least = 4.5 if y in strict else 3.0
            assert ratio is None or ratio >= least - 0.01, (
                f"{theme}, {terminal}: {cell.char!r} on line {y + 1} ({lines[y].strip()!r}) "
                f"at {ratio:.2f}:1"
            )
        symbols = {c.char for _, c in drawn}
        assert {"■", "░", "○", "♦"} <= symbols, f"{theme}, {terminal}: a kind's symbol missing"
