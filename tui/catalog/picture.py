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

# Geometry, in points (the sheet's user unit: 1/72 inch), so a font size is its printed size
# on an A4 sheet. A tube: 68 x 114 pt (24 x 40 mm), 11 across a landscape A4 page.
PAGE = (842, 595)  # A4 landscape, in points
A4 = (297, 210)  # the same, in mm
TUBE_W, TUBE_H, GAP_X, GAP_Y, MARGIN = 68, 114, 6, 8, 14
TITLE_BLOCK, LEGEND = 58, 28  # the heights above the board and under it
NAME_FONT, NAME_LINES, SMALL, PAD = 14, 2, 9, 5
CELL = 0.6  # a monospace cell's width, in ems
SQUEEZE = 0.75  # the narrowest a line of text is drawn (spacingAndGlyphs), of its width
NAME_SQUEEZE = 0.65  # a name's: "Montdenier" on one line of a tube, not cut across two


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
    catalog: Catalog,
    highlight: Collection[int] | None = None,
    standalone: bool = True,
    about: str | None = None,
    query: str | None = None,
    title_block: bool = True,
) -> str:
    """The board as a sheet to pin to a wall: a title block (the title; `about`, the file,
    date and commit it shows; the query; the counts), the tubes in the board's rows, and a
    legend. `highlight` (the tubes `query` matched) drawn with a `*`, the rest faded; None
    highlights nothing. A board of up to 4 rows of 11 is an A4 landscape page, names 14 pt."""
    columns = columns_of(catalog)
    rows = -(-catalog.board.tubes // columns)
    top = MARGIN + (TITLE_BLOCK if title_block else 0)
    board_w = columns * TUBE_W + (columns - 1) * GAP_X
    width = max(PAGE[0], 2 * MARGIN + board_w)
    height = max(PAGE[1], top + rows * TUBE_H + (rows - 1) * GAP_Y + LEGEND + MARGIN)
    a4 = (width, height) == PAGE
    size = (
        f'width="{A4[0]}mm" height="{A4[1]}mm"' if a4 else f'width="{width}pt" height="{height}pt"'
    )
    left = (width - board_w) // 2
    by_tube = catalog.by_tube()
    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" {size} '
        f'viewBox="0 0 {width} {height}" font-family="monospace">'
    )
    out.append(f"<title>{escape(visible(catalog.board.title))}</title>")
    out.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>')
    inner = width - 2 * MARGIN
    if title_block:
        out.append(_text(MARGIN, MARGIN + 20, 20, visible(catalog.board.title), inner, True))
        said = [visible(about)] if about else []
        if query is not None:
            said.append(f"query: {visible(query)}")
        if said:
            out.append(_text(MARGIN, MARGIN + 36, 10, " · ".join(said), inner, cls="about"))
        out.append(_text(MARGIN, MARGIN + 50, 10, summary(catalog), inner, cls="counts"))
    for tube in range(1, catalog.board.tubes + 1):
        row, column = divmod(tube - 1, columns)
        x = left + column * (TUBE_W + GAP_X)
        y = top + row * (TUBE_H + GAP_Y)
        out += _tube(x, y, tube, by_tube.get(tube), highlight)
    bottom = top + rows * TUBE_H + (rows - 1) * GAP_Y
    out += _legend(MARGIN, bottom + 14, inner, highlight, query)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _legend(
    x: float, y: float, width: float, highlight: Collection[int] | None, query: str | None
) -> list[str]:
    """What the colours, symbols and outlines mean, along the foot of the sheet; and what
    the `*` marks, when something is marked."""
    out = ['<g class="legend">']
    at = x

    def item(label: str, swatch: str = "", room: int = 0) -> None:
        """A swatch (drawn from `at`, its label `room` points on), then its label."""
        nonlocal at
        if swatch:
            out.append(swatch.format(x=at))
        out.append(_text(at + room, y, SMALL, label, 300))
        at += room + cells(label) * CELL * SMALL + 12

    for kind in Kind:
        fill = KIND_COLOURS[f"tube-{kind.value}"]
        swatch = f'<rect x="{{x}}" y="{y - 9}" width="12" height="12" fill="{fill}"/>'
        item(f"{KIND_SYMBOL[kind]} {kind.value}", swatch, 15)
    for status in (Status.SEALED, Status.UNSEALED):
        item(f"{STATUS_SYMBOL[status]} {status.value}")
    outline = f'<rect x="{{x}}" y="{y - 10}" width="22" height="14" rx="3" fill="#ffffff" '
    deposited = f"{STATUS_SYMBOL[Status.DEPOSITED]} deposited (left at a depot)"
    item(deposited, outline + f"{_outline(deposited=True)}/>", 27)
    item("empty", outline + f"{_outline(empty=True)}/>", 27)
    if highlight is not None:
        said = f"* {_matches(len(highlight))}"
        if query is not None:
            said += f" of {visible(query)}"
        said += "; the rest faded"
        out.append(_text(x, y + 14, SMALL, said, width, True, cls="marked"))
    out.append("</g>")
    return out


def _outline(deposited: bool = False, empty: bool = False) -> str:
    """A tube's outline, as the sheet and its legend draw it: heavy for a deposited tube,
    dashed for an empty one."""
    dash = ' stroke-dasharray="4 3"' if empty else ""
    return f'stroke="#000000" stroke-width="{"3.5" if deposited else "1.2"}"{dash}'


def _matches(count: int) -> str:
    return f"{count} match{'es' if count != 1 else ''}"


def _tube(
    x: int, y: int, tube: int, sample: Sample | None, highlight: Collection[int] | None
) -> list[str]:
    matched = highlight is not None and tube in highlight
    faded = highlight is not None and not matched
    group = f'<g id="tube-{tube}" class="tube"' + (' opacity="0.35"' if faded else "") + ">"
    out = [group]
    deposited = sample is not None and sample.status is Status.DEPOSITED
    out.append(
        f'<rect class="outline" x="{x}" y="{y}" width="{TUBE_W}" height="{TUBE_H}" rx="10" '
        f'fill="#ffffff" {_outline(deposited, sample is None)}/>'
    )
    number = f"{tube}{'*' if matched else ''}"
    inner = TUBE_W - 2 * PAD
    if sample is None:
        out.append(_text(x + PAD, y + 18, NAME_FONT, number, inner, True))
        out.append(_text(x + PAD, y + TUBE_H // 2, SMALL, "empty", inner, fill="#555555"))
        out.append("</g>")
        return out
    out.append(_text(x + PAD, y + 18, NAME_FONT, number, inner, True))
    if sample.sol is not None:  # right of the number, in what it leaves
        room = inner - cells(number) * CELL * NAME_FONT - 4
        out.append(_text(x + TUBE_W - PAD, y + 16, SMALL, f"sol {sample.sol}", room, end=True))
    fill = KIND_COLOURS[f"tube-{sample.kind.value}"]
    ink = KIND_COLOURS[f"tube-{sample.kind.value}-text"]
    out.append(
        f'<rect class="band" x="{x + 2}" y="{y + 23}" width="{TUBE_W - 4}" height="14" '
        f'fill="{fill}"/>'
    )
    symbols = f"{KIND_SYMBOL[sample.kind]}{STATUS_SYMBOL[sample.status]}"
    out.append(_text(x + PAD, y + 33.5, SMALL, f"{symbols} {sample.kind.value}", inner, fill=ink))
    fits = int(inner // (NAME_FONT * CELL * NAME_SQUEEZE))
    for line, text in enumerate(wrap(visible(sample.name), fits, NAME_LINES)):
        name = _text(x + PAD, y + 54 + line * 15, NAME_FONT, text, inner, True, cls="name")
        out.append(name)
    if sample.date is not None:
        out.append(_text(x + PAD, y + 84, SMALL, sample.date.isoformat(), inner, cls="date"))
    if sample.campaign:
        out.append(_text(x + PAD, y + 95, SMALL, visible(sample.campaign), inner, cls="campaign"))
    if deposited:
        out.append(
            f'<rect class="depot" x="{x + 2}" y="{y + 99}" width="{TUBE_W - 4}" height="13" '
            'fill="#000000"/>'
        )
        out.append(_text(x + PAD, y + 108.5, SMALL, "▼ DEPOSITED", inner, True, "#ffffff"))
    else:
        out.append(_text(x + PAD, y + 108, SMALL, sample.status.value, inner))
    out.append("</g>")
    return out


def _text(
    x: float,
    y: float,
    size: float,
    text: str,
    width: float,
    bold: bool = False,
    fill: str = "#000000",
    cls: str = "",
    end: bool = False,
) -> str:
    """One line of text within `width` points at `size`: as it is where it fits, drawn
    narrower (down to SQUEEZE, a name to NAME_SQUEEZE) where it nearly does, else cut with
    `…` and drawn narrower."""
    natural = cells(text) * CELL * size
    if natural > width:
        least = NAME_SQUEEZE if cls == "name" else SQUEEZE
        text = shorten(text, int(width // (size * CELL * least)))
        natural = cells(text) * CELL * size
    squeeze = f' textLength="{width:g}" lengthAdjust="spacingAndGlyphs"' if natural > width else ""
    weight = ' font-weight="bold"' if bold else ""
    klass = f' class="{cls}"' if cls else ""
    anchor = ' text-anchor="end"' if end else ""
    return (
        f'<text{klass} x="{x:g}" y="{y:g}" font-size="{size:g}" fill="{fill}"'
        f"{weight}{anchor}{squeeze}>{escape(text)}</text>"
    )


def about(source: str, revision: str | None = None, today: dt.date | None = None) -> str:
    """What a sheet shows, said once for the SVG's title block and the page's header: the
    file, the day it was exported, the git commit (`revision`, as `_revision` says it)."""
    said = [source, f"exported {(today or dt.date.today()).isoformat()}"]
    if revision:
        said.append(f"git {revision}")
    return " · ".join(said)


def to_html(
    catalog: Catalog,
    highlight: Collection[int] | None = None,
    source: str = "catalog.toml",
    revision: str | None = None,
    today: dt.date | None = None,
    query: str | None = None,
) -> str:
    """One self-contained page: a header (the title, the file, the date, the git revision,
    the query, the counts), the board full width under it, then a page break and a table of
    every sample with every field. The board is drawn without its own title block: the header
    says it once."""
    title = escape(visible(catalog.board.title))
    said = [f"<p>{escape(visible(about(source, revision, today)))}</p>"]
    if query is not None:
        said.append(
            f"<p>Query <code>{escape(visible(query))}</code>: {_matches(len(highlight or ()))}"
            ", marked * on the board and bold below</p>"
        )
    keys = [*SAMPLE_KEYS, *user_keys(catalog.samples)]
    head = "".join(f"<th>{escape(visible(key))}</th>" for key in keys)
    body = []
    for sample in sorted(catalog.samples, key=lambda s: s.tube):
        mark = ' class="match"' if highlight is not None and sample.tube in highlight else ""
        row = "".join(_cell(_field(sample, key)) for key in keys)
        body.append(f"<tr{mark}>{row}</tr>")
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
            f"<header><h1>{title}</h1>",
            *said,
            f"<p>{escape(summary(catalog))}</p></header>",
            f'<section class="board" aria-label={quoteattr("The board")}>',
            to_svg(catalog, highlight, standalone=False, query=query, title_block=False),
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


def _cell(value: str) -> str:
    """A table cell; a short value without spaces (a date, a number, a designation) is kept
    on one line: a narrow column broke `2021-08-06` after its first dash."""
    short = len(value) <= 24 and " " not in value
    return (
        f'<td class="word">{escape(value)}</td>' if short and value else f"<td>{escape(value)}</td>"
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
@page { size: A4 landscape; margin: 8mm; }
body { font-family: sans-serif; margin: 0.5em; color: #000; background: #fff; }
header h1 { font-size: 1.4em; margin: 0 0 0.2em; }
header p { margin: 0.1em 0; }
.board svg { display: block; width: 100%; height: auto; }
.board { break-after: page; page-break-after: always; }
table { border-collapse: collapse; font-size: 9pt; }
th, td { border: 1px solid #888; padding: 2px 4px; text-align: left; vertical-align: top; }
td.word { white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.match td { font-weight: bold; }
""".strip()
