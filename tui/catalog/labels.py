"""Labels to print and scan (`export --format labels`): a sheet of 40 labels a page (4 by 10,
52.5 by 29.7 mm: an A4 sheet of sticky labels; on letter, the same grid in the page's
margins), one per sample, each with its name, tube, kind symbol, date and designation, and a
QR code (segno) of the designation where the sample has one, else of its name and tube.

One SVG, the pages one under the other, each page its paper's height: a browser or a viewer
prints it a page a sheet (`@page` says the size). Every text is the file's, escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from tui.catalog.model import KIND_SYMBOL, Catalog, Sample
from tui.catalog.picture import visible, wrap
from tui.plain import shorten

PAGES = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}  # width, height in mm
COLUMNS, ROWS = 4, 10
LABEL_W, LABEL_H = 52.5, 29.7
QR_SIZE = 24.0  # mm, quiet zone included
CELL = 0.6  # a monospace cell, in ems


def qr_text(sample: Sample) -> str:
    """What the label's code says: the designation where there is one (what the sample is
    known by), else the name and the tube."""
    designation = sample.extra.get("designation")
    if isinstance(designation, str) and designation.strip():
        return designation.strip()
    return f"{sample.name} (tube {sample.tube})"


def to_labels(catalog: Catalog, page: str = "a4") -> str:
    width, height = PAGES[page]
    samples = list(catalog.samples)
    per_page = COLUMNS * ROWS
    pages = max(1, -(-len(samples) // per_page))
    left = (width - COLUMNS * LABEL_W) / 2
    top = (height - ROWS * LABEL_H) / 2
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'width="{width}mm" height="{height * pages:g}mm" '
        f'viewBox="0 0 {width:g} {height * pages:g}" font-family="monospace">',
        f"<title>{escape(visible(catalog.board.title))}: labels</title>",
        f"<style>@page {{ size: {width:g}mm {height:g}mm; margin: 0 }}</style>",
        f'<rect width="{width:g}" height="{height * pages:g}" fill="#ffffff"/>',
    ]
    for index, sample in enumerate(samples):
        number, place = divmod(index, per_page)
        row, column = divmod(place, COLUMNS)
        x = left + column * LABEL_W
        y = number * height + top + row * LABEL_H
        out.append(_label(sample, x, y))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _label(sample: Sample, x: float, y: float) -> str:
    parts = [
        f'<g transform="translate({x:.2f},{y:.2f})">',
        f'<rect x="0.5" y="0.5" width="{LABEL_W - 1:g}" height="{LABEL_H - 1:g}" rx="1.5" '
        'fill="none" stroke="#bbbbbb" stroke-width="0.2"/>',
        _qr(qr_text(sample), 1.0, (LABEL_H - QR_SIZE) / 2),
    ]
    text_x, room = QR_SIZE + 1.5, LABEL_W - QR_SIZE - 3.0
    lines: list[tuple[float, str, str]] = [
        (3.2, "bold", line) for line in wrap(visible(sample.name), _cells(room, 3.2), 2)
    ]
    lines.append((2.6, "normal", f"tube {sample.tube} {KIND_SYMBOL[sample.kind]}"))
    if sample.date is not None:
        lines.append((2.4, "normal", sample.date.isoformat()))
    designation = sample.extra.get("designation")
    if isinstance(designation, str) and designation.strip():
        lines.append((2.0, "normal", shorten(visible(designation.strip()), _cells(room, 2.0))))
    baseline = 4.5
    for size, weight, text in lines:
        parts.append(
            f'<text x="{text_x:g}" y="{baseline:.2f}" font-size="{size:g}" '
            f'font-weight="{weight}" fill="#000000">{escape(text)}</text>'
        )
        baseline += size * 1.35
    parts.append("</g>")
    return "\n".join(parts)


def _cells(room: float, size: float) -> int:
    """How many monospace cells `room` mm holds at a font `size` mm high."""
    return int(room / (size * CELL))


def _qr(data: str, x: float, y: float) -> str:
    """`data` as a QR code `QR_SIZE` mm square at (x, y), its quiet zone included: one path
    of the dark modules."""
    import segno

    code = segno.make(data, error="m", micro=False)
    matrix: Sequence[Sequence[int]] = code.matrix
    modules = len(matrix) + 8  # 4 modules of quiet zone each side
    unit = QR_SIZE / modules
    path = "".join(
        f"M{c + 4} {r + 4}h1v1h-1z"
        for r, row in enumerate(matrix)
        for c, dark in enumerate(row)
        if dark
    )
    return (
        f'<g transform="translate({x:.3f},{y:.3f}) scale({unit:.5f})">'
        f'<rect width="{modules}" height="{modules}" fill="#ffffff"/>'
        f'<path d="{path}" fill="#000000" shape-rendering="crispEdges"/></g>'
    )
