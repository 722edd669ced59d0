"""Add, edit and delete change only the lines they must, whatever the file looks like."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from tests.conftest import CORPUS, stored_sample
from tui.catalog.model import Kind, Sample, Status
from tui.catalog.store import Store

HAND = (CORPUS / "valid" / "hand-written.toml").read_text()


def store_with(tmp_path: Path, text: str | bytes) -> Store:
    path = tmp_path / "catalog.toml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return Store(path)


def current(store: Store) -> str:
    return store.path.read_bytes().decode()


def test_add_appends_one_block_after_a_blank_line(tmp_path: Path) -> None:
    store = store_with(tmp_path, HAND)
    store.add(Sample(tube=5, name="Shuyak", kind=Kind.ROCK_CORE, sol=575))
    assert (
        current(store)
        == HAND + '\n[[sample]]\ntube = 5\nname = "Shuyak"\nkind = "rock-core"\nsol = 575\n'
    )


def test_add_to_an_empty_file(tmp_path: Path) -> None:
    store = store_with(tmp_path, "")
    store.add(Sample(tube=1, name="First", kind="witness"))
    assert current(store) == '[[sample]]\ntube = 1\nname = "First"\nkind = "witness"\n'


def test_add_keeps_a_missing_final_newline_and_crlf(tmp_path: Path) -> None:
    store = store_with(
        tmp_path,
        "[board]\r\ntubes = 4\r\n\r\n[[sample]]\r\ntube = 1\r\nname = 'A'\r\nkind = 'witness'",
    )
    store.add(Sample(tube=2, name="B", kind="regolith", notes="two\nlines"))
    assert current(store) == (
        "[board]\r\ntubes = 4\r\n\r\n[[sample]]\r\ntube = 1\r\nname = 'A'\r\nkind = 'witness'"
        "\r\n\r\n"
        '[[sample]]\r\ntube = 2\r\nname = "B"\r\nkind = "regolith"\r\n'
        'notes = """\r\ntwo\r\nlines"""'
    )
    assert store.read().catalog.sample_at(2).notes == "two\nlines"  # type: ignore[union-attr]


def test_edit_changes_only_the_changed_values(tmp_path: Path) -> None:
    store = store_with(tmp_path, HAND)
    old = stored_sample(store, 1)
    store.edit(old, attrs.evolve(old, name="Montdenier core", status=Status.SEALED))
    expected = HAND.replace(
        "name = 'Montdenier'          # first rock core",
        "name = 'Montdenier core'          # first rock core",
    ).replace('  status = "deposited"', '  status = "sealed"')
    assert current(store) == expected


def test_edit_a_literal_string_to_text_a_literal_cannot_hold(tmp_path: Path) -> None:
    store = store_with(tmp_path, HAND)
    old = stored_sample(store, 1)
    store.edit(old, attrs.evolve(old, name="Mont'denier"))
    assert 'name = "Mont\'denier"          # first rock core\n' in current(store)


def test_edit_removes_and_adds_key_lines_inside_the_record(tmp_path: Path) -> None:
    store = store_with(tmp_path, HAND)
    old = stored_sample(store, 2)
    store.edit(old, attrs.evolve(old, kind=Kind.REGOLITH, sol=164, date=dt.date(2021, 8, 6)))
    text = current(store)
    assert text == HAND.replace(
        '"name" = "Roubion"\nkind = "atmosphere"\n',
        '"name" = "Roubion"\nkind = "regolith"\nsol = 164\ndate = 2021-08-06\n',
    )
    new = stored_sample(store, 2)
    store.edit(new, attrs.evolve(new, sol=None, date=None, kind=Kind.ATMOSPHERE))
    assert current(store) == HAND


def test_edit_keeps_dotted_keys_sub_tables_and_user_keys(tmp_path: Path) -> None:
    store = store_with(tmp_path, HAND)
    old = stored_sample(store, 3)
    assert old.extra == {"tags": ["igneous", "paired"], "inline": {"a": 1, "b": [2, 3]}}
    store.edit(old, attrs.evolve(old, site="Sid"))
    assert current(store) == HAND.replace(
        "inline = { a = 1, b = [2, 3] }\n", 'inline = { a = 1, b = [2, 3] }\nsite = "Sid"\n'
    )
    roubion = stored_sample(store, 2)
    assert roubion.extra == {"provenance": {"by": "rover"}}
    store.edit(roubion, attrs.evolve(roubion, campaign="Crater Floor"))
    assert (
        'kind = "atmosphere"\ncampaign = "Crater Floor"\n[sample.provenance]\nby = "rover"'
        in current(store)
    )


def test_edit_a_multi_line_note(tmp_path: Path) -> None:
    store = store_with(tmp_path, HAND)
    old = stored_sample(store, 1)
    store.edit(old, attrs.evolve(old, notes="Igneous.\n[[sample]] still only text."))
    text = current(store)
    assert 'notes = """\nIgneous.\n[[sample]] still only text."""\n\n[[ sample ]]' in text
    assert stored_sample(store, 1).notes == "Igneous.\n[[sample]] still only text."


def test_delete_removes_the_record_and_nothing_else(tmp_path: Path) -> None:
    store = store_with(tmp_path, HAND)
    store.delete(stored_sample(store, 2))
    start = HAND.index("[[ sample ]]")
    end = HAND.index("[[sample]]\ntube = 3")
    assert current(store) == HAND[:start] + HAND[end:]


def test_delete_the_last_record_keeps_a_missing_final_newline(tmp_path: Path) -> None:
    store = store_with(
        tmp_path,
        "# top\n\n"
        "[[sample]]\ntube = 1\nname = 'A'\nkind = 'witness'\n\n"
        "[[sample]]\ntube = 2\nname = 'B'\nkind = 'witness'",
    )
    store.delete(stored_sample(store, 2))
    assert current(store) == "# top\n\n[[sample]]\ntube = 1\nname = 'A'\nkind = 'witness'"
    store.delete(stored_sample(store, 1))
    assert current(store) == "# top"


def test_delete_keeps_comments_before_the_next_record(tmp_path: Path) -> None:
    text = (
        "[[sample]]\ntube = 1\nname = 'A'\n# inside A\nkind = 'witness'\n\n# about B\n"
        "[[sample]]\ntube = 2\nname = 'B'\nkind = 'witness'\n"
    )
    store = store_with(tmp_path, text)
    store.delete(stored_sample(store, 1))
    assert current(store) == "# about B\n[[sample]]\ntube = 2\nname = 'B'\nkind = 'witness'\n"


def test_a_byte_order_mark_is_kept(tmp_path: Path) -> None:
    raw = (CORPUS / "valid" / "bom.toml").read_bytes()
    store = store_with(tmp_path, raw)
    old = stored_sample(store, 1)
    store.edit(old, attrs.evolve(old, name="Bom2"))
    assert store.path.read_bytes() == raw.replace(b'"Bom"', b'"Bom2"')


def test_inline_sample_arrays_are_read_but_not_edited(tmp_path: Path) -> None:
    store = store_with(tmp_path, "sample = [{ tube = 1, name = 'A', kind = 'witness' }]\n")
    before = current(store)
    with pytest.raises(Exception, match=r"\[\[sample\]\] blocks"):
        store.add(Sample(tube=2, name="B", kind="witness"))
    assert current(store) == before


def test_hostile_text_is_stored_as_data(tmp_path: Path) -> None:
    store = store_with(tmp_path, "")
    name = "[red]x[/red] \"\"\" ''' \\ \x1b[31m \t [[sample]]"
    store.add(
        Sample(tube=1, name=name, kind="witness", notes="a\n[[sample]]\ntube = 2\n'''\n\"\"\"\n")
    )
    assert stored_sample(store, 1).name == name
    assert "\x1b" not in current(store)  # escapes are written as \u001b, never raw
