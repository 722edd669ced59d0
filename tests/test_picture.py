"""Issue 17, part 1: `export --format svg` and `--format html`, checked from their geometry and
text, and rendered by Chromium (a real browser prints the page and draws the picture)."""

from __future__ import annotations

import html.parser
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import SHIPPED
from tui.catalog.picture import CELL, TUBE_W, cells, to_svg, wrap
from tui.catalog.validate import parse_bytes

SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE_NAME = "</text><script>alert(1)</script>"


def export(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "export", str(path), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def tubes(svg: str) -> dict[int, ET.Element]:
    root = ET.fromstring(svg.encode())
    return {int(g.get("id", "")[5:]): g for g in root.iter(f"{SVG}g") if g.get("class") == "tube"}


def test_the_shipped_board_as_svg_names_every_sample_and_fits_a4(tmp_path: Path) -> None:
    done = export(SHIPPED, "-f", "svg")
    assert done.returncode == 0, done.stderr
    svg = done.stdout
    root = ET.fromstring(svg.encode())  # well-formed XML
    assert root.tag == f"{SVG}svg" and root.get("version") == "1.1"
    assert (root.get("width"), root.get("height")) == ("297mm", "210mm")  # A4 landscape
    assert "<script" not in svg and "href" not in svg and "@import" not in svg
    catalog = parse_bytes(SHIPPED.read_bytes()).catalog
    assert catalog is not None
    drawn = tubes(svg)
    assert sorted(drawn) == list(range(1, 44))
    for sample in catalog.samples:
        group = drawn[sample.tube]
        name = " ".join(t.text or "" for t in group.iter(f"{SVG}text") if t.get("class") == "name")
        assert name == sample.name, (sample.tube, name)
        texts = [t.text or "" for t in group.iter(f"{SVG}text")]
        assert any(sample.status.value in t.lower() for t in texts)
    assert "empty" in " ".join(t.text or "" for t in drawn[40].iter(f"{SVG}text"))
    assert drawn[40].find(f"{SVG}rect").get("stroke-dasharray")  # type: ignore[union-attr]


def test_no_text_leaves_its_tube() -> None:
    long_names = [
        "Sapphire Canyon of the Western Delta Fan Above the Margin Unit",
        "Anticipation" * 5,
        "火星の岩石サンプル火星の岩石サンプル",
        "a b c d e f g h i j k l m n o p q r s t u v w x y z " * 3,
    ]
    text = "[board]\ntubes = 6\n" + "".join(
        f'\n[[sample]]\ntube = {i}\nname = "{name}"\nkind = "atmosphere"\nstatus = "deposited"\n'
        f"sol = 123456\n"
        for i, name in enumerate(long_names, start=1)
    )
    catalog = parse_bytes(text.encode()).catalog
    assert catalog is not None
    for tube, group in tubes(to_svg(catalog)).items():
        outline = group.find(f"{SVG}rect")
        assert outline is not None
        left = float(outline.get("x", 0))
        right = left + TUBE_W
        for element in group.iter(f"{SVG}text"):
            size = float(element.get("font-size", 0))
            # Drawn narrower where it is given a length; from its x, or to it (anchored).
            length = float(element.get("textLength") or cells(element.text or "") * CELL * size)
            start = float(element.get("x", 0))
            if element.get("text-anchor") == "end":
                start -= length
            assert left < start and start + length <= right, (tube, element.text, start, right)
            assert length >= 0.6 * cells(element.text or "") * CELL * size  # still reads
    assert wrap("Anticipation" * 5, 10, 4)[-1].endswith("…")


def test_a_hostile_name_stays_text_and_where_marks_the_matches(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(
        f'[board]\ntubes = 3\n\n[[sample]]\ntube = 1\nname = "{HOSTILE_NAME}"\nkind = "witness"\n'
        '\n[[sample]]\ntube = 2\nname = "Bell\\u0007 & <b>"\nkind = "regolith"\n'
        'status = "deposited"\n'
    )
    done = export(path, "-f", "svg", "--where", "status:deposited")
    assert done.returncode == 0, done.stderr
    root = ET.fromstring(done.stdout.encode())
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    words = " ".join(e.text or "" for e in root.iter(f"{SVG}text"))
    assert "</text><script>" in words.replace(" ", "")  # drawn as the characters it is
    drawn = tubes(done.stdout)
    name = " ".join(e.text or "" for e in drawn[2].iter(f"{SVG}text") if e.get("class") == "name")
    assert name.replace(" ", "") == "Bell<U+0007>&<b>"  # drawn as the characters they are
    numbers = {t: next(drawn[t].iter(f"{SVG}text")).text for t in drawn}
    assert numbers[2] == "2*" and numbers[1] == "1"
    assert drawn[1].get("opacity") == "0.35" and drawn[2].get("opacity") is None


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_cell = tag in ("td", "th")
        if self._in_cell:
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.cells[-1] += data


def test_the_html_page_holds_the_board_and_every_field(tmp_path: Path) -> None:
    done = export(SHIPPED, "-f", "html")
    assert done.returncode == 0, done.stderr
    page = _Page()
    page.feed(done.stdout)
    assert "svg" in page.tags and "script" not in page.tags and "link" not in page.tags
    assert page.tags.count("tr") == 33  # the header and 32 samples
    assert {"tube", "name", "kind", "status", "notes", "nasa_sample_no"} <= set(page.cells)
    assert "Bell Island" in page.cells and "unsealed" in page.cells
    assert "break-after: page" in done.stdout and "http" not in done.stdout.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert re.search(r"exported \d{4}-\d{2}-\d{2}", done.stdout)


def test_a_broken_catalogue_fails_as_check_does(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text('[[sample]]\ntube = 1\nname = "A"\nkind = "rocks"\n')
    for fmt in ("svg", "html"):
        done = export(path, "-f", fmt)
        assert done.returncode == 1 and done.stdout == ""
        assert "catalog.toml:4:1: error: unknown kind 'rocks'" in done.stderr


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
def test_chromium_prints_the_page_and_draws_the_board(tmp_path: Path) -> None:
    page, picture = tmp_path / "board.html", tmp_path / "board.svg"
    assert export(SHIPPED, "-f", "html", "-o", str(page)).returncode == 0
    assert export(SHIPPED, "-f", "svg", "-o", str(picture)).returncode == 0
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    pdf, png = tmp_path / "board.pdf", tmp_path / "board.png"
    subprocess.run(
        [str(CHROMIUM), *flags, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 2  # the board, then the table after a page break
    subprocess.run(
        [str(CHROMIUM), *flags, f"--screenshot={png}", "--window-size=1200,850", picture.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    assert (width, height) == (1200, 850)


def test_the_readme_picture_is_what_the_command_draws() -> None:
    """docs/board.svg is committed for the README: it must be the command's output today,
    but for the line that says when and from which commit it was exported (which a commit
    of the picture itself changes)."""
    done = export(SHIPPED, "-f", "svg")

    def undated(svg: str) -> str:
        return re.sub(r'(<text class="about"[^>]*>)[^<]*(</text>)', r"\1\2", svg)

    committed = (SHIPPED.parent / "docs" / "board.svg").read_text()
    assert committed.count('<text class="about"') == 1
    assert undated(committed) == undated(done.stdout)
