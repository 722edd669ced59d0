"""Issue 26, part 3: `export --format labels`, a sheet to print and scan. The codes are read
back from the sheet as Chromium draws it, by a real QR reader (zxing-cpp)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import SHIPPED
from tui.catalog.labels import qr_text
from tui.catalog.validate import parse_bytes

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SVG = "{http://www.w3.org/2000/svg}"


def export(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "export", str(path), "-f", "labels", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def shipped_samples():  # type: ignore[no-untyped-def]
    catalog = parse_bytes(SHIPPED.read_bytes()).catalog
    assert catalog is not None
    return catalog.samples


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
def test_every_code_on_the_sheet_reads_back_as_its_sample(tmp_path: Path) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    sheet, png = tmp_path / "labels.svg", tmp_path / "labels.png"
    assert export(SHIPPED, "-o", str(sheet)).returncode == 0
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"]
    subprocess.run(
        # A4 at 96 dpi, drawn at three times that: about 290 dpi, as a laser printer prints.
        [
            str(CHROMIUM),
            *flags,
            "--force-device-scale-factor=3",
            f"--screenshot={png}",
            "--window-size=794,1123",
            sheet.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    read = sorted(code.text for code in zxingcpp.read_barcodes(image.open(png)))
    expected = sorted(qr_text(sample) for sample in shipped_samples())
    assert read == expected
    assert "M2020-00164-02" in read and "Witness tube 1 (tube 1)" in read


def test_a_label_names_its_sample_and_where_chooses_them(tmp_path: Path) -> None:
    done = export(SHIPPED, "--where", "status:deposited", "--page", "letter")
    assert done.returncode == 0, done.stderr
    root = ET.fromstring(done.stdout)
    assert root.get("width") == "215.9mm" and root.get("height") == "279.4mm"
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    deposited = [s for s in shipped_samples() if s.status.value == "deposited"]
    assert len(list(root.iter(f"{SVG}path"))) == len(deposited)  # a code each
    assert "Roubion" in texts and "tube 2 ○" in texts and "2021-08-06" in texts
    assert "M2020-00164-02" in texts
    assert "Salette" not in texts  # sealed: not chosen


def test_many_samples_take_pages_and_hostile_names_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    records = [
        f'[[sample]]\ntube = {n}\nname = "S{n} <b>&amp;</b>\\u001b[31m"\nkind = "regolith"\n'
        for n in range(1, 46)
    ]
    path.write_text("[board]\ntubes = 50\n\n" + "\n".join(records))
    done = export(path)
    assert done.returncode == 0, done.stderr
    root = ET.fromstring(done.stdout)  # well-formed: no name became markup
    assert root.get("height") == "594mm"  # 45 labels: two A4 pages, one under the other
    names = [t for t in ("".join(x.itertext()) for x in root.iter(f"{SVG}text")) if "<b>" in t]
    assert len(names) == 45  # the markup is each name's text
    assert "&lt;b&gt;&amp;amp;" in done.stdout and not re.search("\x1b", done.stdout)
