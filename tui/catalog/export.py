"""The catalogue as CSV, JSON or a Markdown table, for spreadsheets, scripts and git forges.

Exports read a valid catalogue only; the caller reports a broken one exactly as `check` does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from tui.catalog.model import SAMPLE_FIELDS, SAMPLE_KEYS, Catalog, Sample, own_items

FORMATS = ("csv", "json", "markdown")


def export(catalog: Catalog, fmt: str) -> str:
    writers: dict[str, Callable[[Catalog], str]] = {
        "csv": to_csv,
        "json": to_json,
        "markdown": to_markdown,
    }
    return writers[fmt](catalog)


def user_keys(samples: Iterable[Sample]) -> list[str]:
    """Every user key of any sample, in the order they first appear."""
    seen: dict[str, None] = {}
    for sample in samples:
        seen.update(dict.fromkeys(sample.extra))
    return list(seen)


def as_json(value: Any) -> Any:
    """A TOML value as JSON data: dates and times in ISO 8601, tables and arrays kept."""
    if isinstance(value, dt.date | dt.time):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value


def plain_record(sample: Sample) -> dict[str, Any]:
    """Every field of a sample as plain values (a choice as its text), known ones first,
    status and unset fields (None) included, then the user's keys."""
    record = {key: info.holds.plain(getattr(sample, key)) for key, info in SAMPLE_FIELDS.items()}
    record.update(own_items(sample.extra))
    return record


def _record(sample: Sample) -> dict[str, Any]:
    """A sample's every field as JSON data."""
    return {key: as_json(value) for key, value in plain_record(sample).items()}


def _finite(value: Any) -> Any:
    """The floats JSON cannot hold (nan, inf, -inf) as strings spelt as TOML spells them."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def to_json(catalog: Catalog) -> str:
    board = catalog.board
    data = {
        "board": {"title": board.title, "tubes": board.tubes, "columns": board.columns},
        "samples": [_finite(_record(sample)) for sample in catalog.samples],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# A spreadsheet runs a cell that starts with one of these as a formula: user text is data.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    return str(value)


def to_csv(catalog: Catalog) -> str:
    """RFC 4180 CSV: a header row, then one row per sample with every field."""
    header = [*SAMPLE_KEYS, *user_keys(catalog.samples)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(key) for key in header])  # a key's name is the user's text too
    for sample in catalog.samples:
        record = _record(sample)
        writer.writerow([_cell(record.get(key)) for key in header])
    return out.getvalue()


# Inside a table cell only these can format, link or break out of the cell (line-start marks
# such as # or - cannot: a cell never starts a line). `$` starts math on GitHub.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~<>&$])")
# Forges link these on their own, from the rendered text: @mentions (and e-mail addresses)
# and bare www. addresses. An empty HTML comment splits the text where the link would start;
# it shows as nothing.
_MD_AUTOLINK = re.compile(r"(@|(?<![\w.])www(?=\.)|://)", re.IGNORECASE)


def _md(value: Any) -> str:
    """Text that a Markdown table shows literally: no formatting, links, math, mentions or
    HTML of its own."""
    if value is None:
        return ""
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    text = _MD_AUTOLINK.sub(lambda m: m[0][0] + "<!-- -->" + m[0][1:], text)
    # A table row is one line: keep the user's line breaks as <br>, which forges render.
    return "<br>".join(text.splitlines()) if "\n" in text or "\r" in text else text


MD_COLUMNS = SAMPLE_KEYS  # the catalogue's own fields; a user's keys vary too much for a table


def to_markdown(catalog: Catalog) -> str:
    board = catalog.board
    filled = len(catalog.samples)
    lines = [
        f"# {_md(board.title)}",
        "",
        f"{filled} of {board.tubes} tubes filled.",
        "",
        "| " + " | ".join(column.capitalize() for column in MD_COLUMNS) + " |",
        "|" + "|".join("---:" if SAMPLE_FIELDS[c].holds.right else "---" for c in MD_COLUMNS) + "|",
    ]
    for sample in catalog.samples:
        record = _record(sample)
        lines.append("| " + " | ".join(_md(record[c]) for c in MD_COLUMNS) + " |")
    return "\n".join(lines) + "\n"


FILE_FORMATS = ("csv", "json", "markdown", "svg", "html", "labels")
PICTURES = ("svg", "html")  # the board drawn (the others are rows), naming the git commit
SUFFIX = {"markdown": "md", "labels": "svg"}  # a file's suffix, where not the format's name
# A file's suffix to the format it says (`export -o` without --format; labels are SVG too).
FORMAT_OF_SUFFIX = {f".{SUFFIX.get(f, f)}": f for f in FILE_FORMATS if f != "labels"} | {
    ".markdown": "markdown",
    ".htm": "html",
}


def render(
    catalog: Catalog,
    fmt: str,
    chosen: Iterable[int] | None = None,
    source: str = "catalog.toml",
    query: str | None = None,
    revision: str | None = None,
) -> str:
    """The catalogue in `fmt` (one of FILE_FORMATS), as the app and `export` write it: with
    `chosen` tubes (a query's matches, the marks), the data formats and the labels hold only
    those samples, and the pictures draw the whole board with them marked, and say `query`
    and the git `revision`."""
    import attr

    tubes = None if chosen is None else frozenset(chosen)
    only = catalog
    if tubes is not None:
        only = attr.evolve(catalog, samples=tuple(s for s in catalog.samples if s.tube in tubes))
    if fmt in FORMATS:
        return export(only, fmt)
    if fmt == "labels":
        from tui.catalog.labels import to_labels

        return to_labels(only)
    from tui.catalog.picture import about, to_html, to_svg

    if fmt == "svg":
        return to_svg(catalog, tubes, True, about(source, revision), query)
    return to_html(catalog, tubes, source, revision, query=query)


def save(text: str, target: str) -> str | None:
    """Write `text` as UTF-8 to the file `target` as a shell's `>` would, but atomically:
    None, or why it could not be (the CLI's `-o` and the app's Export… both say it)."""
    import os
    import stat
    from pathlib import Path

    from tui.catalog.atomic import write_atomic
    from tui.catalog.errors import StoreError

    try:
        mode = os.stat(target).st_mode
    except OSError:
        mode = stat.S_IFREG  # not there yet (or not reachable: writing will say why)
    folder = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(folder):
        return f"the folder {folder} does not exist"
    exists = os.path.lexists(target)
    if exists and stat.S_ISREG(mode) and not (mode & 0o222 and os.access(target, os.W_OK)):
        # The shell's `>` refuses a file its user may not write: so does this, rather than
        # replacing it through the folder (whose rename would allow it).
        return "cannot write it: it is read-only"
    try:
        if stat.S_ISREG(mode):
            write_atomic(Path(target), text.encode("utf-8"))
        elif stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "it is a folder")
        else:
            # A named pipe, a terminal or a device such as /dev/null: written into, as a
            # shell's `>` would, never replaced by a regular file.
            with open(target, "wb") as handle:
                handle.write(text.encode("utf-8"))
    except (OSError, StoreError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        return f"cannot write it: {reason}"
    return None
