"""Issue 15, part 4: the merge of catalogues by record (tui/catalog/merge.py)."""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
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


# Issue 22, part 3: a clean merge keeps every line either side added -------------------------


def test_theirs_tables_keys_and_comments_outside_the_records_are_kept() -> None:
    ours = changed(BASE, added=[NEW_OURS])
    theirs = (
        "# Kept in git by the sample team\n"
        + BASE.replace("[board]\n", "schema_version = 2\n\n[board]\n", 1)
        + '\n[meta]\nowner = "JPL"\n# the end\n'
    )
    merged = merge(BASE, ours, theirs)
    assert merged.clean and merged.text is not None, merged.conflicts
    for line in ("# Kept in git by the sample team", "schema_version = 2", "[meta]", "# the end"):
        assert line in merged.text
    assert "Ours new" in merged.text
    data = parse_text(merged.text).data
    assert data is not None and data["meta"] == {"owner": "JPL"} and data["schema_version"] == 2


def test_a_comment_on_one_board_key_and_a_change_of_the_next_both_land() -> None:
    base = '[board]\ntitle = "Rack"\ntubes = 10\n'
    ours = base.replace("tubes = 10", "tubes = 12")
    theirs = base.replace('title = "Rack"', 'title = "Rack"  # as on the wall')
    merged = merge(base, ours, theirs)
    assert merged.clean and merged.text == '[board]\ntitle = "Rack"  # as on the wall\ntubes = 12\n'


def test_comments_and_formats_inside_a_record_are_kept_beside_ours_change() -> None:
    ours = changed(BASE, record(BASE, 1, status="sealed"))
    theirs = BASE.replace('name = "Roubion"\n', 'name = "Roubion"  # the first atmosphere\n', 1)
    theirs = theirs.replace("sol = 164\n", "# from the mission log\nsol = 0xA4\n", 1)
    assert theirs.count("0xA4") == 1
    merged = merge(BASE, ours, theirs)
    assert merged.clean and merged.text is not None, merged.conflicts
    assert "# the first atmosphere" in merged.text and "# from the mission log" in merged.text
    assert "sol = 0xA4" in merged.text
    assert samples(merged.text)[1]["status"] == "sealed"


def test_a_comment_above_their_new_sample_comes_with_it() -> None:
    ours = changed(BASE, added=[NEW_OURS])
    theirs = BASE + '\n# from the depot drop\n[[sample]]\ntube = 41\nname = "Theirs new"\n'
    theirs += 'kind = "regolith"\n'
    merged = merge(BASE, ours, theirs)
    assert merged.clean and merged.text is not None, merged.conflicts
    assert merged.text.index("Ours new") < merged.text.index("# from the depot drop")
    assert merged.text.index("# from the depot drop") < merged.text.index("Theirs new")


def test_a_file_that_is_no_catalogue_merges_by_lines() -> None:
    base = '[tool]\nname = "x"\n\n[other]\nvalue = 1\n'
    ours = base.replace("value = 1", "value = 2")
    theirs = base.replace('name = "x"', 'name = "y"  # renamed')
    merged = merge(base, ours, theirs)
    assert merged.clean and merged.text == '[tool]\nname = "y"  # renamed\n\n[other]\nvalue = 2\n'


def test_one_header_comment_changed_two_ways_is_a_conflict() -> None:
    base = "# Rack A\n" + BASE
    merged = merge(
        base, base.replace("# Rack A", "# Rack A, Ours"), base.replace("# Rack A", "# B")
    )
    assert not merged.clean and merged.text is not None
    assert merged.conflicts == (
        "lines outside the samples changed differently on both sides (near '# Rack A, Ours')",
    )
    assert f"{OURS}\n# Rack A, Ours\n=======\n# B\n{THEIRS}\n" in merged.text


def test_a_delete_against_a_comment_inside_that_record_is_a_conflict() -> None:
    ours = changed(BASE, deleted=[2])
    theirs = BASE.replace('name = "Montdenier"\n', 'name = "Montdenier"  # cored twice\n', 1)
    merged = merge(BASE, ours, theirs)
    assert merged.conflicts == ("tube 3 'Montdenier': deleted in ours, changed in theirs",)
    assert merged.text is not None and "# cored twice" in merged.text


# Issue 22, part 4: an edit never lands on another sample ---------------------------------------

PAIR = (
    '[board]\ntubes = 4\n\n[[sample]]\ntube = 1\nname = "A"\nkind = "rock-core"\nsol = 10\n'
    'date = 2021-09-01\n\n[[sample]]\ntube = 2\nname = "B"\nkind = "regolith"\nsol = 20\n'
    "date = 2021-10-01\n"
)


def test_a_rename_into_a_deleted_name_does_not_take_its_edits() -> None:
    # Ours deletes A (tube 1) and renames B (tube 2) to "A"; theirs adds a site to A.
    ours = changed(PAIR, record(PAIR, 1, name="A"), deleted=[0])
    theirs = changed(PAIR, record(PAIR, 0, site="Séítah"))
    merged = merge(PAIR, ours, theirs)
    assert merged.conflicts == ("tube 1 'A': deleted in ours, changed in theirs",)
    assert merged.text is not None
    # The renamed record in tube 2 did not take the site.
    after = merged.text[merged.text.index(THEIRS) :]
    assert "tube = 2" in after and "Séítah" not in after


def test_a_move_or_a_rename_alone_is_followed() -> None:
    moved = changed(PAIR, record(PAIR, 0, tube=3))
    merged = merge(PAIR, moved, changed(PAIR, record(PAIR, 0, site="Séítah")))
    assert merged.clean and merged.text is not None
    assert samples(merged.text)[0] == {**samples(moved)[0], "site": "Séítah"}
    renamed = changed(PAIR, record(PAIR, 1, name="B2"))
    merged = merge(PAIR, changed(PAIR, record(PAIR, 1, status="sealed")), renamed)
    assert merged.clean and merged.text is not None
    assert (samples(merged.text)[1]["name"], samples(merged.text)[1]["status"]) == ("B2", "sealed")


def test_an_identity_that_cannot_be_told_is_a_conflict_naming_the_records() -> None:
    twins = PAIR.replace(
        'kind = "regolith"\nsol = 20\ndate = 2021-10-01',
        'kind = "rock-core"\nsol = 10\ndate = 2021-09-01',
    )
    # Ours deletes A and B, and adds a record in tube 1 named "B": which one is it?
    ours = changed(twins, deleted=[0, 1], added=[{**samples(twins)[1], "tube": 1}])
    theirs = changed(twins, record(twins, 0, site="Séítah"))
    merged = merge(twins, ours, theirs)
    assert not merged.clean
    assert merged.conflicts[0].startswith(
        "tube 1 'A': cannot tell which of ours' records it became"
    )
    assert "tube 1 'B'" in merged.conflicts[0]


# Random text edits on two branches -----------------------------------------------------------


@st.composite
def edited_branches(draw: st.DrawFn) -> tuple[str, str, str]:
    """A base file, and ours and theirs made from it by saves and by hand: comment lines above
    and below headers, end-of-line comments on headers, tables added at the end."""
    base, ours, theirs, _ = draw(two_branches())
    sides = []
    for side, who in ((ours, "ours"), (theirs, "theirs")):
        parsed = parse_text(side)
        assert parsed.data is not None
        doc = parsed.document
        text = parsed.text
        nl = doc.newline
        places = sorted(
            {doc.line_start(h.start) for h in doc.headers}
            | {doc.line_end(h.start) for h in doc.headers}
        )
        chosen = draw(st.lists(st.sampled_from(places), max_size=3, unique=True)) if places else []
        for n, place in enumerate(sorted(chosen, reverse=True)):
            text = text[:place] + f"# {who} note {n}{nl}" + text[place:]
        if draw(st.booleans()):
            ending = "" if not text or text.endswith("\n") else nl
            text += f"{ending}[{who}_table]{nl}by = {who!r}{nl}"
        sides.append(("\ufeff" if parsed.bom else "") + text)
    return base, sides[0], sides[1]


def _counted(text: str) -> Counter[str]:
    return Counter(line.strip() for line in text.splitlines() if line.strip())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_branches())
def test_a_clean_merge_keeps_every_line_either_side_added(case: tuple[str, str, str]) -> None:
    base, ours, theirs = case
    merged = merge(base, ours, theirs)
    if merged.text is None:
        return  # git's line merge decides (tests/e2e): the driver wrote nothing itself
    if merged.conflicts:
        assert OURS in merged.text and THEIRS in merged.text
        return
    result, was = _counted(merged.text), _counted(base)
    for side in (ours, theirs):
        added = _counted(side) - was
        assert added - result == Counter(), f"lost: {added - result}"


CASES = sorted((Path(__file__).parent.parent / "corpus" / "merge").glob("*/expect"))


@pytest.mark.parametrize("case", CASES, ids=[c.parent.name for c in CASES])
def test_the_corpus_of_merge_cases(case: Path) -> None:
    base, ours, theirs = (
        (case.parent / f"{n}.toml").read_text() for n in ("base", "ours", "theirs")
    )
    merged = merge(base, ours, theirs)
    if case.read_text().strip() == "conflict":
        assert merged.conflicts and merged.text is not None and OURS in merged.text
        return
    assert merged.clean and merged.text is not None, merged.conflicts
    result = _counted(merged.text)
    for side in (ours, theirs):
        assert _counted(side) - _counted(base) - result == Counter()
    assert parse_text(merged.text).catalog is not None


def test_a_one_line_side_without_a_line_end_takes_the_files_crlf() -> None:
    """Found by hypothesis: ours deleted the only record of a CRLF file with no final line
    end, leaving one line with none; theirs appended a record. Not a conflict."""
    base = '#:schema ./catalog.schema.json\r\n[[sample]]\r\ntube = 2\r\nname = "0"\r\n'
    base += 'kind = "rock-core"'
    theirs = base + '\r\n\r\n[[sample]]\r\ntube = 1\r\nname = "New 1"\r\nkind = "witness"'
    merged = merge(base, "#:schema ./catalog.schema.json", theirs)
    assert merged.clean and merged.text is not None, merged.conflicts
    assert [s["name"] for s in samples(merged.text)] == ["New 1"]
