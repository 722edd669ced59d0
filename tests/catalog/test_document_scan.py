"""The index's quick reading of the usual `key = value` line finds what walking the line
character by character finds: every line's table, key, start and value span."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given

from tests.strategies import catalog_files
from tui.catalog import document
from tui.catalog.document import Document, Entry, Header

CORPUS = Path(__file__).parent.parent / "corpus"
NEVER = re.compile(r"(?!)")

TRICKY = """\
a = 1
b="x # not a comment" # a comment
c = 'C:\\\\path\\\\' # literal, backslashes
d = "esc \\" quote"
q = "a\\" # b" # a quote escaped before a hash
e = 1979-05-27 07:32:00   # a space inside, blanks after
f = ""
g = ''
h = \"\"\"one line\"\"\"
i = '''one line'''
j = \"\"\"
two
lines\"\"\"
k = [1, "two", {x = 3}]
l = { y = "z" }
"quoted key" = 4
dotted.key = 5
m = inf#tight
n = 0x1F_ff
o = "ünïcödé ✓"\r
p = true\t
[[sample]]
tube = 1 # done
"""


def scanned(text: str) -> tuple[list[Entry], list[Header]]:
    doc = Document(text)
    return doc.entries, list(doc.headers)


def walked(text: str) -> tuple[list[Entry], list[Header]]:
    with mock.patch.object(document, "_SIMPLE_ENTRY", NEVER):
        return scanned(text)


def test_tricky_lines_read_as_the_walk_reads_them() -> None:
    tomllib.loads(TRICKY)  # the index is built only for text tomllib accepts
    assert scanned(TRICKY) == walked(TRICKY)
    entries = Document(TRICKY).entries
    value = {e.key: TRICKY[e.value_start : e.value_end] for e in entries}
    assert value[("b",)] == '"x # not a comment"'
    assert value[("e",)] == "1979-05-27 07:32:00"
    assert value[("h",)] == '"""one line"""'
    assert value[("m",)] == "inf"
    assert value[("q",)] == '"a\\" # b"'


@given(catalog_files())
def test_catalogues_of_every_style_read_as_the_walk_reads_them(
    made: tuple[str, object],
) -> None:
    text, _ = made
    assert scanned(text) == walked(text)


@pytest.mark.parametrize(
    "path", sorted(p for p in CORPUS.rglob("*.toml") if p.stat().st_size < 2_000_000)
)
def test_the_corpus_reads_as_the_walk_reads_it(path: Path) -> None:
    try:
        text = path.read_bytes().decode("utf-8")
        tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        pytest.skip("not TOML the index is built for")
    try:
        walk = walked(text)
    except RecursionError:  # nested past the walk's depth: the app reads it another way
        pytest.skip("nested too deep to walk")
    assert scanned(text) == walk
