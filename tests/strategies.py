"""Hypothesis strategies: catalogues as people write them, and samples to put in them."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from typing import Any

import attrs
import tomli_w
from hypothesis import strategies as st

from tui.catalog.model import Board, Catalog, Kind, Sample, Status, name_key

# Text as people type it, including TOML's own punctuation, markup and a stray header line.
_ALPHABET = st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\r", max_codepoint=0x2FFF
)
TEXT = st.one_of(
    st.text(_ALPHABET, max_size=20),
    st.sampled_from(["[[sample]]", "a\n[[sample]]\ntube = 1\n", "'''", '"""', "it's", "[red]x[/]"]),
)
# Never blank by construction (a filter gives up too often): a visible first character.
NAMES = st.builds(
    lambda first, rest: first + rest,
    st.characters(
        blacklist_categories=("Cs", "Zs", "Cc", "Cf", "Mn", "Me", "Zl", "Zp"), max_codepoint=0x2FFF
    ),
    TEXT,
)
USER_VALUES = st.one_of(
    st.integers(-(2**40), 2**40),
    st.booleans(),
    TEXT,
    st.lists(st.integers(0, 99), max_size=3),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
USER_KEYS = st.sampled_from(["designation", "tube_serial", "lab.box", "sol_cored", "x-ray", "Tag"])


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name` with a number after it, so that it is not taken (ignoring case)."""
    candidate, number = name, 2
    while name_key(candidate) in taken:
        candidate, number = f"{name} {number}", number + 1
    return candidate


@st.composite
def samples(draw: st.DrawFn, tube: int, taken: set[str]) -> Sample:
    name = unique(draw(NAMES), taken)
    extra = {}
    for key in draw(st.lists(USER_KEYS, max_size=2, unique=True)):
        extra[key.replace(".", "_")] = draw(USER_VALUES)
    optional = st.none() | TEXT
    return Sample(
        tube=tube,
        name=name,
        kind=draw(st.sampled_from(Kind)),
        status=draw(st.sampled_from(Status)),
        sol=draw(st.none() | st.integers(0, 5000)),
        date=draw(st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2040, 1, 1))),
        campaign=draw(optional),
        site=draw(optional),
        notes=draw(optional),
        extra=extra,
    )


def _basic(value: Any) -> str:
    text: str = tomli_w.dumps({"v": value})[4:-1]
    return text


@st.composite
def rendered_value(draw: st.DrawFn, value: Any, nl: str) -> str:
    if isinstance(value, str):
        styles = ["basic"]
        if not re.search(r"['\x00-\x08\x0a-\x1f\x7f]", value):
            styles.append("literal")
        if "\n" in value:
            styles.append("multi")
        if "'''" not in value and not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", value):
            styles.append("multi-literal")
        style = draw(st.sampled_from(styles))
        if style == "literal":
            return f"'{value}'"
        if style == "multi":
            return str(tomli_w.dumps({"v": value}, multiline_strings=True)[4:-1]).replace("\n", nl)
        if style == "multi-literal":
            return "'''" + nl + value.replace("\n", nl) + "'''"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        style = draw(st.sampled_from(["dec", "dec", "hex", "under"]))
        if style == "hex":
            return hex(value)
        if style == "under" and value >= 1000:
            return f"{value:_}"
    return _basic(value)


@st.composite
def rendered_key(draw: st.DrawFn, key: str) -> str:
    return draw(st.sampled_from([key, f'"{key}"', f"'{key}'"]))


COMMENT = st.sampled_from(["# note", "#", "# [[sample]] in a comment", "# vim: set ft=toml:"])
GAP = st.sampled_from([" = ", "=", "  =  ", " =\t"])
INDENT = st.sampled_from(["", "", "  ", "\t"])


@st.composite
def catalog_files(draw: st.DrawFn) -> tuple[str, Catalog]:
    """A catalogue file written with random style, and the catalogue it must read as."""
    tubes = draw(st.lists(st.integers(1, 30), max_size=5, unique=True))
    taken: set[str] = set()
    records = []
    for tube in tubes:
        sample = draw(samples(tube, taken))
        taken.add(name_key(sample.name))
        records.append(sample)
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    explicit = draw(st.booleans())
    size = max(tubes, default=1) + draw(st.integers(0, 10))
    title = draw(st.none() | TEXT)
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("#:schema ./catalog.schema.json")
    lines += draw(st.lists(COMMENT, max_size=2))
    if explicit or title is not None:
        lines += ["", "[board]"]
        if title is not None:
            lines.append(f"title = {draw(rendered_value(title, nl))}")
        if explicit:
            lines.append(f"tubes{draw(GAP)}{size}")
    for sample in records:
        lines += [""] * draw(st.integers(0, 2))
        lines += draw(st.lists(COMMENT, max_size=1))
        lines.append(draw(st.sampled_from(["[[sample]]", "[[ sample ]]", "[[sample]]  # hi"])))
        items = list(sample.to_toml().items())
        if "status" not in dict(items) and draw(st.booleans()):
            items.append(("status", "sealed"))
        for key, value in draw(st.permutations(items)):
            lines += draw(st.lists(COMMENT, max_size=1))
            line = draw(INDENT) + draw(rendered_key(key)) + draw(GAP)
            line += draw(rendered_value(value, nl))
            if draw(st.booleans()):
                line += "  " + draw(COMMENT)
            lines.append(line)
    text = nl.join(lines) + (nl if draw(st.booleans()) else "")
    board = Board(
        title=title if title is not None else Board().title,
        tubes=size if explicit else max(tubes, default=1),
    )
    catalog = Catalog(board, tuple(records))
    assert tomllib.loads(text) is not None
    return text, catalog


@st.composite
def edited(draw: st.DrawFn, old: Sample, free_tubes: list[int], taken: set[str]) -> Sample:
    """`old` with a random handful of fields changed, user keys included."""
    changes: dict[str, Any] = {}
    fields = draw(
        st.lists(
            st.sampled_from(
                [
                    "tube",
                    "name",
                    "kind",
                    "status",
                    "sol",
                    "date",
                    "campaign",
                    "site",
                    "notes",
                    "extra",
                ]
            ),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    for field in fields:
        if field == "tube" and free_tubes:
            changes["tube"] = draw(st.sampled_from(free_tubes))
        elif field == "name":
            changes["name"] = unique(draw(NAMES), taken)
        elif field == "kind":
            changes["kind"] = draw(st.sampled_from(Kind))
        elif field == "status":
            changes["status"] = draw(st.sampled_from(Status))
        elif field == "sol":
            changes["sol"] = draw(st.none() | st.integers(0, 5000))
        elif field == "date":
            changes["date"] = draw(st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2040, 1, 1)))
        elif field in ("campaign", "site", "notes"):
            changes[field] = draw(st.none() | TEXT)
        elif field == "extra":
            extra = dict(old.extra)
            if extra and draw(st.booleans()):
                del extra[draw(st.sampled_from(sorted(extra)))]
            else:
                extra[draw(USER_KEYS).replace(".", "_")] = draw(USER_VALUES)
            changes["extra"] = extra
    return attrs.evolve(old, **changes)
