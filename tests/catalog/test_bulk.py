"""Issue 14: a change of many samples is one atomic save that touches only the lines of the
keys it changes, refused as a whole when it no longer fits the file."""

from __future__ import annotations

import difflib
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, SHIPPED, stored_sample, workspace_on
from tui.catalog.model import Status
from tui.catalog.store import ConflictError, Store


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_a_swap_changes_only_the_two_tube_lines(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    before = shipped_copy.read_text()
    a, b = stored_sample(store, 3), stored_sample(store, 4)
    store.change_many([(a, attrs.evolve(a, tube=4)), (b, attrs.evolve(b, tube=3))])
    assert changed_lines(before, shipped_copy.read_text()) == [
        "-tube = 3",
        "+tube = 4",
        "-tube = 4",
        "+tube = 3",
    ]
    assert stored_sample(store, 4).name == a.name and stored_sample(store, 3).name == b.name


def test_setting_a_status_on_many_is_one_save_of_their_status_lines(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    before = shipped_copy.read_text()
    chosen = [stored_sample(store, t) for t in (4, 5, 7)]
    written = store.change_many([(s, attrs.evolve(s, status=Status.DEPOSITED)) for s in chosen])
    assert written.before == before.encode()
    lines = changed_lines(before, shipped_copy.read_text())
    assert [line for line in lines if line.startswith("+")] == ['+status = "deposited"'] * 3
    assert all(stored_sample(store, t).status is Status.DEPOSITED for t in (4, 5, 7))


def test_deleting_neighbours_leaves_one_blank_line_between_records(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_bytes((CORPUS / "valid" / "hand-written.toml").read_bytes())
    store = Store(path)
    catalog = store.read().catalog
    assert catalog is not None
    first, second = catalog.samples[0], catalog.samples[1]
    store.change_many([(first, None), (second, None)])
    text = path.read_text()
    assert "\n\n\n" not in text
    assert store.read().catalog.sample_at(first.tube) is None  # type: ignore[union-attr]


def test_a_change_of_many_is_refused_whole_when_it_no_longer_fits(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    before = shipped_copy.read_bytes()
    a, b = stored_sample(store, 3), stored_sample(store, 4)
    with pytest.raises(ConflictError, match="tube 4 is already used by"):
        store.change_many([(a, attrs.evolve(a, tube=4))])  # b still there
    with pytest.raises(ConflictError, match="already used by tube"):
        store.change_many([(a, attrs.evolve(a, name=b.name.upper()))])
    stale = attrs.evolve(b, notes="not what the file says")
    with pytest.raises(ConflictError, match="changed in the file meanwhile"):
        store.change_many([(a, attrs.evolve(a, site="X")), (stale, None)])
    assert shipped_copy.read_bytes() == before


FIELDS = st.sampled_from(["status", "campaign", "site"])


@settings(max_examples=30, deadline=None)
@given(
    tubes=st.lists(st.integers(1, 32), min_size=1, max_size=6, unique=True),
    field=FIELDS,
    value=st.text(alphabet="abc XYZ-", min_size=1, max_size=8),
)
def test_random_bulk_changes_keep_every_other_line(
    tmp_path_factory: pytest.TempPathFactory, tubes: list[int], field: str, value: str
) -> None:
    path = tmp_path_factory.mktemp("bulk") / "catalog.toml"
    path.write_bytes(SHIPPED.read_bytes())
    store = Store(path)
    chosen = [stored_sample(store, t) for t in tubes]
    new_value = Status.DEPOSITED if field == "status" else value.strip() or "x"
    pairs = [(s, attrs.evolve(s, **{field: new_value})) for s in chosen]
    store.change_many(pairs)
    lines = changed_lines(SHIPPED.read_text(), path.read_text())
    # Only lines of the changed key, in the chosen records (a key a record lacked is added).
    assert all(line[1:].startswith(f"{field} = ") for line in lines), lines
    for sample in chosen:
        assert getattr(stored_sample(store, sample.tube), field) == new_value


workspace = workspace_on


def test_a_move_into_an_empty_tube_changes_one_line(shipped_copy: Path) -> None:
    from tui.catalog.workspace import Saved

    ws = workspace(shipped_copy)
    before = shipped_copy.read_text()
    sample = ws.catalog.sample_at(5)
    assert sample is not None
    outcome = ws.move(sample, 40)
    assert isinstance(outcome, Saved) and outcome.tube == 40
    assert changed_lines(before, shipped_copy.read_text()) == ["-tube = 5", "+tube = 40"]


def test_a_move_onto_a_sample_asks_then_swaps_as_one_undo_step(shipped_copy: Path) -> None:
    from tui.catalog.workspace import Refused, Saved

    ws = workspace(shipped_copy)
    original = shipped_copy.read_bytes()
    sample = ws.catalog.sample_at(5)
    assert sample is not None
    asked = ws.move(sample, 6)
    assert isinstance(asked, Refused) and "swap them?" in asked.reason
    assert isinstance(ws.move(sample, 6, swap=True), Saved)
    swapped = shipped_copy.read_bytes()
    assert stored_sample(ws.store, 6).name == sample.name
    assert len(ws.log.undo) == 1
    assert isinstance(ws.undo(), Saved)
    assert shipped_copy.read_bytes() == original
    assert isinstance(ws.redo(), Saved)
    assert shipped_copy.read_bytes() == swapped


def test_a_move_off_the_board_is_refused(shipped_copy: Path) -> None:
    from tui.catalog.workspace import Refused

    ws = workspace(shipped_copy)
    sample = ws.catalog.sample_at(5)
    assert sample is not None
    outcome = ws.move(sample, 44)
    assert isinstance(outcome, Refused) and "out of range" in outcome.reason


def test_a_bulk_change_undone_after_someone_else_wrote_keeps_their_change(
    shipped_copy: Path,
) -> None:
    from tui.catalog.workspace import Saved

    ws = workspace(shipped_copy)
    chosen = [ws.catalog.sample_at(t) for t in (4, 5)]
    pairs = tuple((s, attrs.evolve(s, site="Bulk")) for s in chosen if s is not None)
    assert isinstance(ws.change_many(pairs, "Set site on 2 tubes", 4), Saved)
    theirs = shipped_copy.read_text().replace("sol = 164", "sol = 165  # by hand")
    shipped_copy.write_text(theirs)
    assert isinstance(ws.undo(), Saved)
    text = shipped_copy.read_text()
    assert "sol = 165  # by hand" in text and 'site = "Bulk"' not in text


# Issue 25: a change of many in one pass.

HOSTILE_GAPS = [
    "",  # records next to each other
    "# a comment between records\n",
    "[other]\nkey = 1\n",  # another table among them: the window cannot prove the whole
    "[[other]]\nkey = 1\n",
]


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(2, 8),
    gap=st.sampled_from(HOSTILE_GAPS),
    replaced=st.sets(st.integers(0, 7)),
    deleted=st.sets(st.integers(0, 7)),
    added=st.integers(0, 2),
)
def test_the_window_of_a_change_of_many_proves_what_a_whole_parse_proves(
    count: int, gap: str, replaced: set[int], deleted: set[int], added: int
) -> None:
    """Where a change of many gives a window (so the whole text is not parsed again), the text
    outside it is unchanged and the window holds exactly its records: the whole text then
    parses to what was meant. Where another table stands among the records, it gives none."""
    import tomllib

    from tui.catalog import edit
    from tui.catalog.validate import parse_text

    blocks = [f'[[sample]]\ntube = {t}\nname = "S{t}"\nkind = "witness"\n' for t in range(1, 9)]
    between = ["\n" + (gap if i == count // 2 else "") + "\n" for i in range(count)]
    text = '[board]\ntitle = "T"\n\n' + blocks[0]
    text += "".join(between[i] + blocks[i] for i in range(1, count))
    parsed = parse_text(text)
    assert parsed.data is not None
    records = parsed.data["sample"]
    replaced_records = {i: {**records[i], "site": "New"} for i in replaced if i < count}
    gone = {i for i in deleted if i < count} - set(replaced_records)
    news = [{"tube": 20 + n, "name": f"N{n}", "kind": "witness"} for n in range(added)]
    made = edit.change_many(parsed.document, parsed.data, replaced_records, gone, news)
    assert tomllib.loads(made.text) == made.data  # the change itself is right
    if made.window is None:
        return
    # Its window alone proves it (it raises where the window holds a table it should not).
    assert edit.verify_window(text, made)


def test_one_marked_tube_is_checked_as_one_record_not_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 25: `S` on one marked tube costs about an ordinary edit: its record's window is
    checked, the whole file is not parsed again."""
    from tui.catalog import edit

    path = tmp_path / "catalog.toml"
    path.write_bytes(SHIPPED.read_bytes())
    store = Store(path, full_check_later=True)  # as the app: the belt-and-braces parse later
    wholes: list[int] = []
    verify = edit.verify
    monkeypatch.setattr(edit, "verify", lambda text, data: (wholes.append(1), verify(text, data)))
    one = stored_sample(store, 5)
    store.change_many([(one, attrs.evolve(one, status=Status.DEPOSITED))])
    a, b = stored_sample(store, 3), stored_sample(store, 4)
    store.change_many([(a, attrs.evolve(a, tube=4)), (b, attrs.evolve(b, tube=3))])  # a swap
    assert wholes == []
    assert stored_sample(store, 5).status is Status.DEPOSITED
    assert stored_sample(store, 3).name == b.name


def test_a_change_of_many_finds_its_records_without_a_scan_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 25: each record of a change of many is found by its tube, not by comparing it
    with every sample in turn (which made 10,000 marked tubes a quadratic wait)."""
    from tui.catalog.model import Sample

    body = "".join(
        f'\n[[sample]]\ntube = {t}\nname = "S{t}"\nkind = "witness"\n' for t in range(1, 1001)
    )
    path = tmp_path / "catalog.toml"
    path.write_text('[board]\ntitle = "T"\ntubes = 1000\n' + body)
    store = Store(path)
    catalog = store.read().catalog
    assert catalog is not None
    pairs = [(s, attrs.evolve(s, status=Status.DEPOSITED)) for s in catalog.samples]
    compared = 0
    equal = Sample.__eq__

    def counted(self: Sample, other: object) -> bool:
        nonlocal compared
        compared += 1
        return equal(self, other)  # type: ignore[no-any-return]

    monkeypatch.setattr(Sample, "__eq__", counted)
    store.change_many(pairs)
    assert compared < 10 * len(pairs)  # a scan each: about half a million
    assert all(s.status is Status.DEPOSITED for s in store.read().catalog.samples)  # type: ignore[union-attr]


def test_an_undo_that_cannot_be_written_says_so_and_keeps_its_step(shipped_copy: Path) -> None:
    """An undo refused by the store is worded as the undo's ("Cannot undo: ..."), and the
    step stays in the log to try again."""
    from tui.catalog.workspace import Refused, Saved

    ws = workspace(shipped_copy)
    sample = ws.catalog.sample_at(5)
    assert isinstance(ws.edit(sample, attrs.evolve(sample, campaign="Mine")), Saved)
    shipped_copy.write_text(shipped_copy.read_text() + "\n[[sample]\nbroken\n")  # by hand
    refused = ws.undo()
    assert isinstance(refused, Refused)
    assert refused.reason.startswith("Cannot undo: ") and "has problems now" in refused.reason
    assert len(ws.log.undo) == 1


def test_evolved_is_attrs_evolve_checking_only_what_changed() -> None:
    """S's fast copy of a sample (model.evolved) makes what attr.evolve makes, and refuses
    what it refuses: every changed field converted and validated by the class's own rules."""
    import datetime as dt

    import attr
    import pytest

    from tests.conftest import SHIPPED
    from tui.catalog.model import Kind, changed_by, evolved
    from tui.catalog.validate import parse_bytes

    catalog = parse_bytes(SHIPPED.read_bytes()).catalog
    assert catalog is not None
    changes = [
        {"campaign": "Run 1"},
        {"sol": 1000, "date": dt.date(2024, 2, 29), "kind": Kind.REGOLITH},
        {"status": "deposited"},  # converted from text, as the class converts it
        {"extra": {"designation": "M2020-1"}},
        {"site": None, "campaign": None},
    ]
    for change in changes:
        for sample in catalog.samples:
            made = evolved(sample, change)
            assert made == attr.evolve(sample, **change)
            assert type(made.status) is type(sample.status)
        # For them all at once (S): the same, less the samples it leaves as they were.
        expected = [(s, attr.evolve(s, **change)) for s in catalog.samples]
        assert changed_by(catalog.samples, change) == [(s, e) for s, e in expected if e != s]
    assert changed_by((), {"sol": -1}) == []
    assert changed_by(catalog.samples, {}) == []  # nothing asked: every sample as it was
    sample = catalog.samples[0]
    for bad in ({"sol": -1}, {"name": ""}, {"tube": 0}):
        with pytest.raises(ValueError) as theirs:
            attr.evolve(sample, **bad)
        with pytest.raises(ValueError) as ours:
            evolved(sample, bad)
        assert str(ours.value) == str(theirs.value)
        with pytest.raises(ValueError) as all_at_once:
            changed_by(catalog.samples, bad)
        assert str(all_at_once.value) == str(theirs.value)
