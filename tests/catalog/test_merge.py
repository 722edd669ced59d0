"""Issue 15, part 4: the merge of catalogues by record (tui/catalog/merge.py)."""

from __future__ import annotations

import difflib
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import SHIPPED
from tests.strategies import catalog_files
from tui.catalog.edit import EditError, change_many
from tui.catalog.merge import OURS, THEIRS, merge
from tui.catalog.model import name_key
from tui.catalog.validate import parse_text

BASE = SHIPPED.read_text()


def changed(text: str, replaced: dict[int, dict[str, Any]] | None = None, **kw: Any) -> str:
    """`text` with records replaced, deleted (`deleted`) or added (`added`), as a save does."""
    parsed = parse_text(text)
    assert parsed.data is not None
    return change_many(
        parsed.document,
        parsed.data,
        replaced or {},
        set(kw.get("deleted", ())),
        list(kw.get("added", ())),
    ).text


def record(text: str, index: int, **values: Any) -> dict[int, dict[str, Any]]:
    data = parse_text(text).data
    assert data is not None
    return {index: {**data["sample"][index], **values}}


def diff_lines(before: str, after: str) -> list[str]:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def samples(text: str) -> list[dict[str, Any]]:
    data = parse_text(text).data
    assert data is not None
    return list(data.get("sample", []))


NEW_OURS = {"tube": 40, "name": "Ours new", "kind": "witness"}
NEW_THEIRS = {"tube": 41, "name": "Theirs new", "kind": "regolith"}


def test_new_samples_on_both_sides_are_both_kept_ours_first() -> None:
    ours, theirs = changed(BASE, added=[NEW_OURS]), changed(BASE, added=[NEW_THEIRS])
    merged = merge(BASE, ours, theirs)
    assert merged.clean and merged.text is not None
    assert merged.text == ours + '\n[[sample]]\ntube = 41\nname = "Theirs new"\nkind = "regolith"\n'
    assert [s["name"] for s in samples(merged.text)[-2:]] == ["Ours new", "Theirs new"]


def test_different_keys_of_one_record_take_both_changes() -> None:
    ours = changed(BASE, record(BASE, 1, status="sealed"))
    theirs = changed(BASE, record(BASE, 1, site="Roubion site"))
    merged = merge(BASE, ours, theirs)
    assert merged.clean and merged.text is not None
    roubion = samples(merged.text)[1]
    assert (roubion["status"], roubion["site"]) == ("sealed", "Roubion site")
    # Only those two lines differ from the base.
    assert diff_lines(BASE, merged.text) == [
        '-status = "deposited"',
        '+status = "sealed"',
        '-site = "Roubion"',
        '+site = "Roubion site"',
    ]


def test_the_same_change_on_both_sides_is_made_once() -> None:
    ours = changed(BASE, record(BASE, 1, status="sealed"))
    merged = merge(BASE, ours, ours)
    assert merged.clean and merged.text == ours


def test_one_key_changed_differently_is_a_conflict_on_that_record_alone() -> None:
    ours = changed(BASE, record(BASE, 1, status="sealed", site="Ours"))
    theirs = changed(BASE, record(BASE, 1, status="unsealed", notes="theirs"))
    theirs = changed(theirs, added=[NEW_THEIRS])  # a clean change beside the conflict
    merged = merge(BASE, ours, theirs)
    assert not merged.clean and merged.text is not None
    (conflict,) = merged.conflicts
    assert conflict.startswith("tube 2 'Roubion': changed differently on both sides: status")
    assert "'sealed'" in conflict and "'unsealed'" in conflict and "site" not in conflict
    text = merged.text
    assert text.count(OURS) == 1 and text.count(THEIRS) == 1
    inside = text[text.index(OURS) : text.index(THEIRS)]
    assert 'name = "Roubion"' in inside and "Montdenier" not in inside
    assert "Theirs new" in text[text.index(THEIRS) :]  # the clean change is made


def test_deleted_on_one_side_and_changed_on_the_other_is_a_conflict() -> None:
    ours = changed(BASE, deleted=[2])
    theirs = changed(BASE, record(BASE, 2, status="sealed"))
    merged = merge(BASE, ours, theirs)
    assert merged.conflicts == ("tube 3 'Montdenier': deleted in ours, changed in theirs",)
    assert merged.text is not None and merged.text.count(OURS) == 1
    merged = merge(BASE, theirs, ours)
    assert merged.conflicts == ("tube 3 'Montdenier': changed in ours, deleted in theirs",)


def test_a_delete_on_one_side_is_made() -> None:
    theirs = changed(BASE, deleted=[2])
    merged = merge(BASE, BASE, theirs)
    assert merged.clean and merged.text == theirs


def test_two_new_samples_claiming_one_tube_or_name_conflict() -> None:
    ours = changed(BASE, added=[NEW_OURS])
    theirs = changed(BASE, added=[{**NEW_THEIRS, "tube": 40}])
    merged = merge(BASE, ours, theirs)
    assert merged.conflicts == (
        "two new samples claim tube 40: ours tube 40 'Ours new', theirs tube 40 'Theirs new'",
    )
    theirs = changed(BASE, added=[{**NEW_THEIRS, "name": "OURS NEW"}])
    merged = merge(BASE, ours, theirs)
    assert merged.conflicts == (
        "two new samples claim the name 'OURS NEW': ours tube 40 'Ours new', "
        "theirs tube 41 'OURS NEW'",
    )
    same = merge(BASE, ours, ours)
    assert same.clean and same.text == ours


def test_board_settings_merge_key_by_key() -> None:
    base = '[board]\ntitle = "Rack"  # ours\ntubes = 10\n'
    ours = base.replace('"Rack"', '"Rack A"')
    theirs = base.replace("10", "12")
    merged = merge(base, ours, theirs)
    assert merged.clean and merged.text == '[board]\ntitle = "Rack A"  # ours\ntubes = 12\n'
    clash = merge(base, ours, base.replace('"Rack"', '"Rack B"'))
    assert clash.conflicts == (
        "[board]: changed differently on both sides: title (ours 'Rack A', theirs 'Rack B')",
    )


def test_outside_the_records_ours_is_kept_byte_for_byte() -> None:
    base = (
        '# top\r\n[board]\r\ntubes = 9\r\n\r\n[[sample]]  # one\r\ntube = 1\r\nname = "A"\r\n'
        'kind = "witness"\r\n'
    )
    ours = base.replace("# top", "# top, said our way")
    theirs = base.replace('kind = "witness"', 'kind = "witness"\r\nsite = "Jezero"')
    merged = merge(base, ours, theirs)
    assert merged.clean
    assert merged.text == ours.replace('kind = "witness"', 'kind = "witness"\r\nsite = "Jezero"')


def test_a_merge_that_would_not_pass_check_is_not_written() -> None:
    # Each side moves a different sample into empty tube 40: clean by records, but broken.
    ours = changed(BASE, record(BASE, 1, tube=40))
    theirs = changed(BASE, record(BASE, 2, tube=40))
    merged = merge(BASE, ours, theirs)
    assert merged.text is None
    (reason,) = merged.conflicts
    assert reason.startswith("the merged file would not pass check: ") and "tube 40" in reason


def test_a_side_that_is_not_toml_is_left_to_a_line_merge() -> None:
    merged = merge(BASE, BASE + "\n[[sample\n", BASE)
    assert merged.text is None and merged.conflicts == ("ours is not valid TOML",)


# Random catalogues, random changes on two branches ------------------------------------------

KEYS = ["status", "campaign", "site", "sol", "designation"]
VALUE = {
    "status": st.sampled_from(["sealed", "unsealed", "deposited"]),
    "campaign": st.text(alphabet="abc XY-", min_size=1, max_size=6).map(str.strip).filter(bool),
    "site": st.text(alphabet="abc XY-", min_size=1, max_size=6).map(str.strip).filter(bool),
    "sol": st.integers(0, 3000),
    "designation": st.text(alphabet="M0123-", min_size=1, max_size=8),
}


@st.composite
def two_branches(draw: st.DrawFn, conflicting: bool = False) -> tuple[str, str, str, list[Any]]:
    """A base file, ours and theirs made from it by saves, and what the merge must read as."""
    base, catalog = draw(catalog_files())
    data = parse_text(base).data
    assert data is not None
    records = list(data.get("sample", []))
    assume(records)  # (change_many edits an array of samples that exists)
    count = len(records)
    # What each side does to each base record: nothing, change one key, or delete it.
    ours_do: dict[int, Any] = {}
    theirs_do: dict[int, Any] = {}
    for index in range(count):
        mine, other = (
            draw(st.sampled_from(["", "change", "delete"])),
            draw(st.sampled_from(["", "change", "delete"])),
        )
        key_mine, key_other = draw(st.permutations(KEYS))[:2]
        if not conflicting and {mine, other} & {"delete"} and mine and other and mine != other:
            other = ""  # a delete on one side and a change on the other: a conflict
        if mine == "change":
            ours_do[index] = (key_mine, draw(VALUE[key_mine]))
        elif mine == "delete":
            ours_do[index] = None
        if other == "change":
            theirs_do[index] = (key_other, draw(VALUE[key_other]))
        elif other == "delete":
            theirs_do[index] = None
    if conflicting:
        index = draw(st.integers(0, count - 1))
        ours_do[index] = ("campaign", "ours")
        theirs_do[index] = ("campaign", "theirs")
    free = list(catalog.empty_tubes())
    taken = {name_key(r["name"]) for r in records}
    new = [{"tube": t, "name": f"New {t}", "kind": "witness"} for t in free[:4]]
    new = [r for r in new if name_key(r["name"]) not in taken]
    split = draw(st.integers(0, len(new)))
    ours_new, theirs_new = new[:split], new[split:]

    def side(do: dict[int, Any], added: list[dict[str, Any]]) -> str:
        replaced = {i: {**records[i], do[i][0]: do[i][1]} for i in do if do[i] is not None}
        deleted = [i for i in do if do[i] is None]
        try:
            return changed(base, replaced, deleted=deleted, added=added)
        except EditError:  # a key written dotted, which no save changes either
            assume(False)
            raise

    expected: list[Any] = []
    for index, rec in enumerate(records):
        a, b = ours_do.get(index, ()), theirs_do.get(index, ())
        if a is None or b is None:
            continue
        merged = dict(rec)
        for change in (a, b):
            if change:
                merged[change[0]] = change[1]
        expected.append(merged)
    expected += ours_new + theirs_new
    return base, side(ours_do, ours_new), side(theirs_do, theirs_new), expected


def by_content(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(sorted(r.items())) for r in records]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_branches())
def test_random_changes_on_two_branches_merge_as_both_made_in_turn(
    case: tuple[str, str, str, list[Any]],
) -> None:
    base, ours, theirs, expected = case
    merged = merge(base, ours, theirs)
    if merged.text is None:
        # Clean by records but broken as a whole (two sols fine; a status both ways fine):
        # only a check failure may stop it, and then it is said.
        assert merged.conflicts and "would not pass check" in merged.conflicts[0]
        return
    assert merged.conflicts == ()
    assert by_content(samples(merged.text)) == by_content(expected)

    # Nothing is invented: every line the merge adds to ours is one of theirs, every line it
    # takes from ours was in the base (blank lines and headers aside: where they go is
    # where a delete or an append puts them).
    def counted(text: str) -> Counter[str]:
        return Counter(line for line in text.splitlines() if line.strip() and "[[" not in line)

    assert counted(merged.text) - counted(ours) <= counted(theirs)
    assert counted(ours) - counted(merged.text) <= counted(base)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_branches(conflicting=True))
def test_conflicting_changes_are_reported_never_resolved(
    case: tuple[str, str, str, list[Any]],
) -> None:
    base, ours, theirs, _ = case
    merged = merge(base, ours, theirs)
    assert merged.conflicts
    if merged.text is not None:
        assert OURS in merged.text and THEIRS in merged.text
