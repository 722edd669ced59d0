"""Issue 15: one record found in a version's bytes without reading the whole file
(tui/catalog/locate.py), as `tubeboard log --tube` does for every commit."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SHIPPED
from tests.strategies import catalog_files
from tui.catalog.edit import same_data
from tui.catalog.locate import find
from tui.catalog.model import Catalog, name_key


def truth(text: str, tube: object, name: str | None) -> dict[str, Any] | None:
    """What a whole read finds: the record of that name, else the one in that tube."""
    records = tomllib.loads(text).get("sample", [])
    for record in records:
        if name is not None and name_key(record["name"]) == name_key(name):
            return dict(record)
    return next((dict(r) for r in records if r["tube"] == tube), None)


@settings(max_examples=300, deadline=None)
@given(catalog_files(), st.data())
def test_a_record_is_found_as_a_whole_read_finds_it(file: tuple[str, Catalog], data: Any) -> None:
    """However the file is written (hex tubes, quoted keys, CRLF, `[[ sample ]]`, long
    strings holding `[[sample]]` and `tube = 1` lines, comments), the search answers what a
    whole read answers, by tube, by name, and by both."""
    text, catalog = file
    raw = text.encode()
    for sample in catalog.samples:
        for tube, name in [
            (sample.tube, None),
            (None, sample.name),
            (sample.tube, data.draw(st.sampled_from([sample.name, "nobody"]))),
            (sample.tube, sample.name.upper()),
        ]:
            found = find(raw, tube, name)
            expected = truth(text, tube, name)
            assert found is not None and found.record is not None
            assert same_data(found.record, expected), (tube, name)
    missing = max((s.tube for s in catalog.samples), default=0) + 1
    assert find(raw, missing, None) is None
    assert find(raw, None, "\x00none") is None


RACK = """\
[board]
tubes = 9

  [[sample]]
  tube = 2
  name = "Indented"

[[sample]]
tube = 3
name = "With a table"
notes = '''
[[sample]]
tube = 4
name = "Not a record"
'''
[sample.lab]
box = "B7"
tube = 4

[[sample]]
tube = 5
name = "Boxed"
[sample.lab]
box = "B8"

[[sample]]
tube = 6
name = "Last"
"""


def test_odd_layouts_are_found_whole() -> None:
    raw = RACK.encode()
    boxed = find(raw, 5, None)
    assert boxed is not None and boxed.record == {"tube": 5, "name": "Boxed", "lab": {"box": "B8"}}
    indented = find(raw, 2, None)
    assert indented is not None and indented.record == {"tube": 2, "name": "Indented"}
    table = find(raw, 3, None)
    assert table is not None and table.record is not None
    assert table.record["lab"] == {"box": "B7", "tube": 4}  # the record's own sub-table
    assert find(raw, 4, None) is None  # a tube line in a long string or a sub-table is not one
    by_name = find(raw, None, "with A TABLE")
    assert by_name is not None and by_name.record == table.record
    assert b"[sample.lab]" in table.block
    last = find(raw, 6, "Not a record")  # a name in a long string is not a name
    assert last is not None and last.record == {"tube": 6, "name": "Last"}


def test_a_record_that_does_not_parse_is_found_as_such() -> None:
    broken = RACK.replace('name = "Last"', 'name = "Last').encode()
    found = find(broken, 6, None)
    assert found is not None and found.record is None
    assert found.block.startswith(b"[[sample]]\ntube = 6")


def test_a_file_written_as_the_app_writes_is_searched_not_read_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shipped catalogue and the bench's: every record by tube and by name, each found
    by the scan alone (a whole read here fails the test) and equal to a whole read's."""
    import tui.catalog.locate

    def no_whole_read(*_: object) -> None:
        raise AssertionError("read whole")

    from tests.app.test_large import catalogue as generated

    monkeypatch.setattr(tui.catalog.locate, "_whole", no_whole_read)
    for text in (SHIPPED.read_text(), generated(300)):
        raw = text.encode()
        for record in tomllib.loads(text)["sample"]:
            for tube, name in [(record["tube"], None), (None, record["name"])]:
                found = find(raw, tube, name)
                assert found is not None and found.record is not None
                assert same_data(found.record, dict(record))
