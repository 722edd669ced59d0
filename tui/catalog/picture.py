"""The board as a picture to print (`export --format svg`) and a page to carry to the freezer
or the meeting (`export --format html`): the wooden board's rows of tubes, each with its
number, its name, a band in its kind's colour and the kind's and status's symbols, so it
reads in black and white as it does on screen.

Plain SVG 1.1 and HTML written by hand: no fonts to fetch, no scripts, every text from the
file escaped (a name is text, never markup). Names are fitted by a monospace font's metrics
(0.6 em a cell, wide characters two), so no text leaves its tube.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Collection
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from tui.catalog.export import user_keys
from tui.catalog.model import (
    KIND_COLOURS,
    KIND_SYMBOL,
    SAMPLE_KEYS,
    STATUS_SYMBOL,
    Catalog,
    Kind,
    Sample,
    Status,
)
from tui.plain import shorten

# Geometry, in SVG user units (1 unit = 1 px at 96 dpi).
TUBE_W, TUBE_H, GAP, MARGIN, TOP = 92, 168, 12, 24, 92
NAME_FONT, NAME_LINES, PAD = 11, 4, 6
CELL = 0.6  # a monospace cell's width, in ems
A4 = (297, 210)  # landscape, in mm


def visible(text: str) -> str:
    """Text with every control, format and separator character shown as its code point:
    XML 1.0 cannot hold most of them, and none may act on the page."""
    out = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") and char not in "\t":
            out.append(f"<U+{ord(char):04X}>")
        else:
            out.append(char)
    return "".join(out)


def cells(text: str) -> int:
    """The text's width in monospace cells, as the terminal board measures it (Rich's
    measure: wide characters take two, combining ones none)."""
    from rich.cells import cell_len

    return cell_len(text)


def wrap(text: str, width: int, lines: int) -> list[str]:
    """`text` in at most `lines` lines of at most `width` cells: at spaces where it can, a
    word too long cut, and the last line ending in `…` when there is more."""
    words = text.split()
    out: list[str] = []
    line = ""
    for word in words:
        joined = f"{line} {word}" if line else word
        if cells(joined) <= width:
            line = joined
            continue
        if line:
            out.append(line)
        line = word
        while cells(line) > width:  # a word longer than a line: cut it across lines
            head = shorten(line, width + 1)[:-1] or line[:1]
            out.append(head)
            line = line[len(head) :]
    if line:
        out.append(line)
    if len(out) > lines:
        out = [*out[: lines - 1], shorten(out[lines - 1] + " " + "".join(out[lines:]), width)]
        if not out[-1].endswith("…"):
            out[-1] = shorten(out[-1] + "……", width)
    return [shorten(item, width) for item in out]


def columns_of(catalog: Catalog) -> int:
    tubes = catalog.board.tubes
    return catalog.board.columns or min(tubes, 11 if tubes <= 66 else 20)


def summary(catalog: Catalog) -> str:
    """The counts, as the summary line says them: filled, per kind, per status, empty."""
    kinds = Counter(s.kind for s in catalog.samples)
    statuses = Counter(s.status for s in catalog.samples)
    parts = [f"filled {len(catalog.samples)} of {catalog.board.tubes}"]
    parts += [f"{KIND_SYMBOL[k]} {k.value} {kinds[k]}" for k in Kind if kinds[k]]
    parts += [f"{STATUS_SYMBOL[s]} {s.value} {statuses[s]}" for s in Status if statuses[s]]
    parts.append(f"empty {catalog.board.tubes - len(catalog.samples)}")
    return " · ".join(parts)


def to_svg(
    catalog: Catalog, highlight: Collection[int] | None = None, standalone: bool = True
) -> str:
    """The board as SVG: `highlight` (tubes a query matched) drawn bold with a `*`, the rest
    faded; None highlights nothing."""
    columns = columns_of(catalog)
    rows = -(-catalog.board.tubes // columns)
    width = 2 * MARGIN + columns * TUBE_W + (columns - 1) * GAP
    height = TOP + rows * TUBE_H + (rows - 1) * GAP + MARGIN
    # A sheet of A4 landscape when the board fits one at a readable size, else its own size.
    scale = min(A4[0] / width, A4[1] / height)
    size = (
        f'width="{A4[0]}mm" height="{A4[1]}mm"'
        if width * scale > 0 and catalog.board.tubes <= 66
        else f'width="{width}" height="{height}"'
    )
    by_tube = catalog.by_tube()
    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" {size} '
        f'viewBox="0 0 {width} {height}" font-family="monospace">'
    )
    title = visible(catalog.board.title)
    out.append(f"<title>{escape(title)}</title>")
    out.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>')
    title_width = (width - 2 * MARGIN) // (22 * CELL)
    out.append(
        f'<text x="{MARGIN}" y="40" font-size="22" font-weight="bold">'
        f"{escape(shorten(title, int(title_width)))}</text>"
    )
    counts = summary(catalog)
    if highlight is not None:
        counts += f" · * {len(highlight)} match{'es' if len(highlight) != 1 else ''}"
    out.append(
        f'<text x="{MARGIN}" y="66" font-size="13">'
        f"{escape(shorten(counts, int((width - 2 * MARGIN) // (13 * CELL))))}</text>"
    )
    for tube in range(1, catalog.board.tubes + 1):
        row, column = divmod(tube - 1, columns)
        x = MARGIN + column * (TUBE_W + GAP)
        y = TOP + row * (TUBE_H + GAP)
        out += _tube(x, y, tube, by_tube.get(tube), highlight)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _tube(
    x: int, y: int, tube: int, sample: Sample | None, highlight: Collection[int] | None
) -> list[str]:
    matched = highlight is not None and tube in highlight
    faded = highlight is not None and not matched
    group = f'<g id="tube-{tube}" class="tube"' + (' opacity="0.35"' if faded else "") + ">"
    out = [group]
    stroke = "3" if matched else "1.5"
    dash = ' stroke-dasharray="5 4"' if sample is None else ""
    out.append(
        f'<rect class="outline" x="{x}" y="{y}" width="{TUBE_W}" height="{TUBE_H}" rx="16" '
        f'fill="#ffffff" stroke="#000000" stroke-width="{stroke}"{dash}/>'
    )
    number = f"{tube}{' *' if matched else ''}"
    inner = TUBE_W - 2 * PAD
    if sample is None:
        out.append(_text(x + PAD, y + 20, 13, number, inner, bold=True))
        out.append(_text(x + PAD, y + TUBE_H // 2, NAME_FONT, "empty", inner, fill="#555555"))
        out.append("</g>")
        return out
    fill = KIND_COLOURS[f"tube-{sample.kind.value}"]
    ink = KIND_COLOURS[f"tube-{sample.kind.value}-text"]
    out.append(
        f'<rect class="band" x="{x + 1.5}" y="{y + 28}" width="{TUBE_W - 3}" height="22" '
        f'fill="{fill}"/>'
    )
    symbols = f"{KIND_SYMBOL[sample.kind]}{STATUS_SYMBOL[sample.status]}"
    out.append(_text(x + PAD, y + 20, 13, number, inner, bold=True))
    out.append(_text(x + PAD, y + 43, 10, f"{symbols} {sample.kind.value}", inner, fill=ink))
    name_width = int(inner // (NAME_FONT * CELL))
    for line, text in enumerate(wrap(visible(sample.name), name_width, NAME_LINES)):
        out.append(_text(x + PAD, y + 70 + line * 14, NAME_FONT, text, inner, cls="name"))
    out.append(_text(x + PAD, y + TUBE_H - 30, NAME_FONT, sample.status.value, inner))
    if sample.sol is not None:
        out.append(_text(x + PAD, y + TUBE_H - 14, NAME_FONT, f"sol {sample.sol}", inner))
    out.append("</g>")
    return out


def _text(
    x: float,
    y: float,
    size: int,
    text: str,
    width: float,
    bold: bool = False,
    fill: str = "#000000",
    cls: str = "",
) -> str:
    """One line of text cut to `width` units at `size`."""
    fitted = shorten(text, int(width // (size * CELL)))
    weight = ' font-weight="bold"' if bold else ""
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<text{klass} x="{x}" y="{y}" font-size="{size}" fill="{fill}"{weight}>'
        f"{escape(fitted)}</text>"
    )


def to_html(
    catalog: Catalog,
    highlight: Collection[int] | None = None,
    source: str = "catalog.toml",
    revision: str | None = None,
    today: dt.date | None = None,
) -> str:
    """One self-contained page: a header (the file, the date, the git revision), the board,
    then a page break and a table of every sample with every field."""
    title = escape(visible(catalog.board.title))
    day = (today or dt.date.today()).isoformat()
    said = [f"File {escape(visible(source))}", f"exported {day}"]
    if revision:
        said.append(f"git {escape(visible(revision))}")
    keys = [*SAMPLE_KEYS, *user_keys(catalog.samples)]
    head = "".join(f"<th>{escape(visible(key))}</th>" for key in keys)
    body = []
    for sample in sorted(catalog.samples, key=lambda s: s.tube):
        values = [_field(sample, key) for key in keys]
        mark = ' class="match"' if highlight is not None and sample.tube in highlight else ""
        body.append(f"<tr{mark}>" + "".join(f"<td>{escape(v)}</td>" for v in values) + "</tr>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{title}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            f"<header><h1>{title}</h1><p>{' · '.join(said)}</p>",
            f"<p>{escape(summary(catalog))}</p></header>",
            f'<section class="board" aria-label={quoteattr("The board")}>',
            to_svg(catalog, highlight, standalone=False),
            "</section>",
            '<section class="samples">',
            f"<h2>Samples ({len(catalog.samples)})</h2>",
            f"<table><thead><tr>{head}</tr></thead>",
            "<tbody>",
            *body,
            "</tbody></table>",
            "</section>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _field(sample: Sample, key: str) -> str:
    value: Any = getattr(sample, key) if key in SAMPLE_KEYS else sample.extra.get(key)
    if value is None:
        return ""
    if isinstance(value, Kind | Status):
        return value.value
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return visible(" ".join(str(value).splitlines()))  # a table cell: one paragraph


_STYLE = """
@page { size: A4 landscape; margin: 10mm; }
body { font-family: sans-serif; margin: 1em; color: #000; background: #fff; }
header h1 { font-size: 1.4em; margin: 0 0 0.2em; }
header p { margin: 0.1em 0; }
.board svg { width: 100%; height: auto; max-height: 180mm; }
.board { break-after: page; page-break-after: always; }
table { border-collapse: collapse; font-size: 9pt; }
th, td { border: 1px solid #888; padding: 2px 4px; text-align: left; vertical-align: top; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.match td { font-weight: bold; }
""".strip()
