"""Issue 11, items 14 to 23: messages in the right place and words, exports that stay data,
and names that neither shift the board nor vanish."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.app.conftest import no_blinking  # noqa: F401  (autouse in tests/app only)
from tests.conftest import CORPUS
from tui.app import TubeboardApp
from tui.catalog.export import to_csv, to_json, to_markdown
from tui.catalog.validate import parse_bytes
from tui.config import load_config, save_theme
from tui.screens.problems import ProblemsScreen
from tui.widgets.board import TubeBoard
from tui.widgets.details_line import DetailsLine


def problems_of(name: str) -> list[tuple[int, int, str, str]]:
    folder = "broken" if (CORPUS / "broken" / name).exists() else "hostile"
    parsed = parse_bytes((CORPUS / folder / name).read_bytes())
    return [(p.line, p.col, p.severity.value, p.message) for p in parsed.problems]


# Item 14: places -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "col"),
    [
        ("board-array.toml", 4, 1),
        ("samples-plural-header.toml", 6, 1),
        ("inline-array-element.toml", 5, 27),
    ],
)
def test_problems_point_at_their_own_line(name: str, line: int, col: int) -> None:
    found = problems_of(name)
    assert len(found) == 1 and found[0][:2] == (line, col), found


# Item 15 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample-under-board.toml", "board-dot-sample.toml"])
def test_samples_under_board_are_warned_about(name: str) -> None:
    (found,) = problems_of(name)
    assert found[2] == "warning" and "board.sample is not read as samples" in found[3]


# Item 16 --------------------------------------------------------------------------------------


async def test_a_catalogue_in_a_missing_folder_says_the_folder_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "catalog.toml"
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        assert "the folder" in screen.problems[0].message
        assert "does not exist" in screen.problems[0].message
    assert not path.parent.exists()


# Item 17 --------------------------------------------------------------------------------------


def test_a_byte_order_mark_mid_file_is_named() -> None:
    (found,) = problems_of("bom-mid-file.toml")
    assert found[:2] == (5, 1)
    assert "U+FEFF" in found[3] and "byte-order mark" in found[3] and "invisible" in found[3]


# Item 18 --------------------------------------------------------------------------------------


def traps():  # type: ignore[no-untyped-def]
    parsed = parse_bytes((CORPUS / "hostile" / "export-traps.toml").read_bytes())
    assert parsed.catalog is not None
    return parsed.catalog


def test_a_csv_header_that_looks_like_a_formula_is_neutralised() -> None:
    header = next(csv.reader(io.StringIO(to_csv(traps()))))
    assert "'=cmd|calc" in header and "=cmd|calc" not in header


def test_json_has_no_nan_or_infinity_and_parses_strictly() -> None:
    text = to_json(traps())

    def refuse(constant: str) -> None:
        raise ValueError(constant)

    data = json.loads(text, parse_constant=refuse)
    sample = data["samples"][0]
    assert (sample["ratio"], sample["high"], sample["low"]) == ("nan", "inf", "-inf")


def test_markdown_leaves_no_mention_link_or_math_active() -> None:
    text = to_markdown(traps())
    row = next(line for line in text.splitlines() if line.startswith("| 1 |"))
    assert "@octocat" not in row and "www.example" not in row
    assert "\\$x\\$" in row


# Item 19 --------------------------------------------------------------------------------------


def test_saving_a_theme_leaves_a_theme_line_inside_a_string_alone(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    text = 'note = """\ntheme = "inside a string"\n"""\n\n[keys]\nadd = "a"\n'
    path.write_text(text)
    save_theme("nord", path)
    assert path.read_text() == 'theme = "nord"\n' + text
    assert load_config(path).theme == "nord"
    save_theme("gruvbox", path)
    assert path.read_text() == 'theme = "gruvbox"\n' + text


# Items 21 to 23 -------------------------------------------------------------------------------


async def test_joined_emoji_keep_board_rows_aligned(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_bytes((CORPUS / "hostile" / "zwj-and-long-names.toml").read_bytes())
    app = TubeboardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board = app.screen.query_one(TubeBoard)
        for y in range(4):
            line = "".join(segment.text for segment in board.render_line(y))
            # What the terminal is sent: no joiner, so it cannot fuse two glyphs into one
            # and shift the rest of the row; every line measures the board's width.
            assert "\u200d" not in line
            assert cell_len(line) == board.scrollable_content_region.width
        name_line = "".join(segment.text for segment in board.render_line(1))
        # The joiners shown, each name cut to its cell (as wide as [board]'s columns and the
        # terminal allow: issue 27, part 2).
        assert name_line.startswith("a<U+200D>b ") and "👩<U+200D>🚀 astr…" in name_line
        assert "Supercalifragilis…" in name_line


@pytest.mark.parametrize("width", [80, 120])
async def test_a_long_name_leaves_the_rest_of_the_details_line(tmp_path: Path, width: int) -> None:
    path = tmp_path / "catalog.toml"
    path.write_bytes((CORPUS / "hostile" / "zwj-and-long-names.toml").read_bytes())
    app = TubeboardApp(path)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("right", "right")
        await pilot.pause()
        details = app.screen.query_one(DetailsLine)
        shown = str(details.render())
        assert shown.startswith("tube 3 · Supercali")
        assert shown.endswith("… · regolith · sealed · sol 5")
        assert cell_len(shown) <= details.content_size.width


def test_a_name_with_nothing_visible_is_refused() -> None:
    (found,) = problems_of("invisible-name.toml")
    assert found[2] == "error" and "name must have a visible character" in found[3]
