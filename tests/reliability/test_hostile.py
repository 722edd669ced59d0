"""Broken and hostile catalogues: a clear error with a line, or shown literally; never a
traceback, a hang or a write. Each goes through `check` and through the app."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tui.app import TubeboardApp
from tui.screens.board_screen import BoardScreen
from tui.screens.problems import ProblemsScreen

GENERATED = {
    # name: (text, valid?)
    "ten-megabyte-string.toml": (
        '[[sample]]\ntube = 1\nname = "Big"\nkind = "witness"\nnotes = "'
        + "regolith " * 1_200_000
        + '"\n',
        True,
    ),
    "hundred-thousand-keys.toml": (
        '[[sample]]\ntube = 1\nname = "Keys"\nkind = "witness"\n'
        + "".join(f"k{i} = {i}\n" for i in range(100_000)),
        True,
    ),
    "ten-thousand-duplicates.toml": (
        "".join(f'[[sample]]\ntube = 1\nname = "n{i}"\nkind = "witness"\n' for i in range(10_000)),
        False,
    ),
}
FILES = sorted((CORPUS / "broken").glob("*.toml")) + sorted((CORPUS / "hostile").glob("*.toml"))
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
HANG_SECONDS = 120  # far past any honest run, even on a loaded machine


def is_valid(path: Path) -> bool:
    if path.name in GENERATED:
        return GENERATED[path.name][1]
    return path.read_bytes().startswith(b"# Valid")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, (text, _) in GENERATED.items():
        paths[name] = folder / name
        paths[name].write_text(text)
    return paths


def corpus(generated: dict[str, Path]) -> list[Path]:
    return FILES + list(generated.values())


def test_the_corpus_holds_at_least_thirty(generated: dict[str, Path]) -> None:
    assert len(corpus(generated)) >= 30


@pytest.mark.parametrize("name", [p.name for p in FILES] + list(GENERATED))
def test_check_gives_a_place_or_passes_never_a_traceback(
    name: str, generated: dict[str, Path]
) -> None:
    path = next(p for p in corpus(generated) if p.name == name)
    before = path.read_bytes()
    result = subprocess.run(  # the timeout catches a hang, not slowness (that is bench/'s)
        [sys.executable, "-m", "tui", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert not RAW_CONTROL.search(output), "user text reached the terminal raw"
    assert result.returncode == (0 if is_valid(path) else 1), output[:2000]
    for line in result.stdout.splitlines():
        if ": error: " in line:
            assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: error: \S", line), line
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", [p.name for p in FILES] + list(GENERATED))
async def test_the_app_shows_it_without_crashing_or_writing(
    name: str, generated: dict[str, Path]
) -> None:
    path = next(p for p in corpus(generated) if p.name == name)
    before = path.read_bytes()

    async def shown() -> None:
        app = TubeboardApp(path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            expected = BoardScreen if is_valid(path) else ProblemsScreen
            assert isinstance(app.screen, expected)
            if is_valid(path):
                await pilot.press("right", "left", "enter")  # details of a hostile sample
                await pilot.pause()
                await pilot.press("escape", "slash", "x", "escape")
            await pilot.pause()
            assert app.is_running

    await asyncio.wait_for(shown(), timeout=HANG_SECONDS)  # a hang, not slowness
    assert path.read_bytes() == before
