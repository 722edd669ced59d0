"""The shipped catalogue is the real Perseverance board, built from the shared fact sheet."""

from __future__ import annotations

import tomllib
from collections import Counter

from tests.conftest import REPO, SHIPPED
from tui.catalog.model import Kind, Status
from tui.catalog.validate import parse_bytes

# The fact sheet the catalogue is built from, with its sources, kept in the repo so that a
# user's clone checks it too.
FACTS = REPO / "tests" / "data" / "perseverance-samples.toml"


def shipped():  # type: ignore[no-untyped-def]
    parsed = parse_bytes(SHIPPED.read_bytes())
    assert parsed.problems == ()
    assert parsed.catalog is not None
    return parsed.catalog


def test_board_shape() -> None:
    catalog = shipped()
    assert (catalog.board.title, catalog.board.tubes) == ("Perseverance sample tubes", 43)
    assert [s.tube for s in catalog.samples] == list(range(1, 33))
    assert Counter(s.status for s in catalog.samples) == {
        Status.SEALED: 21,
        Status.DEPOSITED: 10,
        Status.UNSEALED: 1,
    }
    assert catalog.sample_at(32).name == "Bell Island"  # type: ignore[union-attr]
    assert catalog.sample_at(32).status is Status.UNSEALED  # type: ignore[union-attr]
    assert Counter(s.kind for s in catalog.samples)[Kind.WITNESS] == 3


def test_header_comment_explains_hand_editing() -> None:
    head = SHIPPED.read_text().split("[board]")[0]
    # The schema line first, so editors find it, then the comment for people.
    assert head.startswith("#:schema ./catalog.schema.json\n# Perseverance")
    assert "by hand" in head and "tubeboard check" in head


def test_every_fact_is_in_the_catalogue_in_designation_order() -> None:
    facts = tomllib.loads(FACTS.read_text())["sample"]
    catalog = shipped()
    assert len(facts) == len(catalog.samples)
    depot = [f["name"] for f in facts if f.get("depot")]
    assert len(depot) == 10
    for tube, (fact, sample) in enumerate(zip(facts, catalog.samples, strict=True), start=1):
        assert sample.tube == tube and sample.name == fact["name"]
        assert sample.kind.value == fact["kind"]
        expected = Status.DEPOSITED if fact["depot"] else Status.SEALED
        if fact.get("sealed") is False:
            expected = Status.UNSEALED
        assert sample.status is expected
        for key in ("sol", "date", "campaign", "site", "notes"):
            assert getattr(sample, key) == fact.get(key), (sample.name, key)
        for key in (
            "designation",
            "tube_serial",
            "sol_cored",
            "date_cored",
            "depot_drop_sol",
            "nasa_sample_no",
            "location_note",
        ):
            assert sample.extra.get(key) == fact.get(key), (sample.name, key)


def test_every_designation_names_its_own_tube() -> None:
    """M2020-<coring sol>-<running number>: the running number is the tube's number, and the
    middle part is the sol it was cored (sol_cored where it differs from sealing)."""
    designated = [s for s in shipped().samples if "designation" in s.extra]
    assert len(designated) >= 20
    for sample in designated:
        prefix, cored, running = sample.extra["designation"].split("-")
        assert prefix == "M2020"
        assert int(running) == sample.tube, (sample.name, sample.extra["designation"])
        assert int(cored) == sample.extra.get("sol_cored", sample.sol), sample.name


def test_header_states_the_numbering_rule() -> None:
    head = SHIPPED.read_text().split("[board]")[0]
    assert "running number" in head and "M2020-00579-17, is tube 17" in head
