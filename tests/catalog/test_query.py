"""The query language of `/` and `--where` (issue 14, part 2), on the shipped catalogue."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SHIPPED
from tui.catalog.query import Query, QueryError, parse
from tui.catalog.validate import parse_bytes

CATALOG = parse_bytes(SHIPPED.read_bytes()).catalog
assert CATALOG is not None


def tubes(text: str) -> list[int]:
    query = parse(text)
    assert isinstance(query, Query), query
    return query.tubes(CATALOG)  # type: ignore[arg-type]


def names(text: str) -> set[str]:
    return {CATALOG.sample_at(t).name for t in tubes(text)}  # type: ignore[union-attr]


def test_kind_and_status() -> None:
    assert len(tubes("kind:rock-core")) == 26
    assert names("kind:witness") == {"Witness tube 1", "Witness tube 2", "Amalik Witness"}
    assert len(tubes("status:deposited")) == 10
    assert tubes("status:unsealed") == [32]


def test_text_fields_contain_ignoring_case() -> None:
    assert tubes('campaign:"Crater Rim"') == [29, 30, 31, 32]
    assert names("site:broom") == {"Main River"}  # site "Broom Point"


def test_numbers_and_ranges() -> None:
    assert tubes("sol>1400") == [29, 30, 31, 32]
    assert tubes("sol<=164") == [1, 2]
    assert tubes("sol:160..164") == [1, 2]
    assert tubes("tube:3") == [3]


def test_dates_and_years() -> None:
    assert tubes("date>=2025-01-01") == [29, 30, 31]
    assert tubes("date:2021") == tubes("date:2021-01-01..2021-12-31") != []
    assert all(CATALOG.sample_at(t).date.year == 2022 for t in tubes("date:2022"))  # type: ignore[union-attr]


def test_own_keys_with_wildcards() -> None:
    assert names("designation:M2020-006*") == {
        CATALOG.sample_at(t).name  # type: ignore[union-attr]
        for t in (19, 20, 21)
    }
    assert tubes("nasa_sample_no>28") == [32]


def test_negation_has_and_words_combine() -> None:
    assert len(tubes("-status:sealed")) == 11
    assert tubes("-has:date") == [1, 32]
    assert tubes("status:deposited sol>600") == [17, 21]
    assert tubes("basalt") == tubes("BASALT") != []
    assert tubes("") == []  # an empty query marks nothing


@pytest.mark.parametrize(
    ("text", "reason", "column"),
    [
        ("sol>abc", "not a number", 1),
        ("kind:rock-core sol>abc", "not a number", 16),
        ("kind:lava", "not a kind", 1),
        ("date>=2022-13-01", "no such day in the calendar", 1),
        ("date>=2022-1-1", "not a date", 1),
        ("status>sealed", "status takes status:VALUE", 1),
        ("sol>5..9", "write a range as sol:LOW..HIGH", 1),
        # Issue 23, part 9:
        ("date>2021-01-01..2030-01-01", "write a range as date:LOW..HIGH", 1),
        ("date:2022-13", "there is no month 13", 1),
        ("date:2025-02-30", "no such day in the calendar", 1),
        ("sol>" + "9" * 5000, "too large a number", 1),
    ],
)
def test_a_query_that_cannot_be_understood_says_why_and_where(
    text: str, reason: str, column: int
) -> None:
    found = parse(text)
    assert isinstance(found, QueryError)
    assert reason in found.reason and found.column == column
    assert str(found).startswith(text.split()[-1] if column > 1 else text.split()[0])


@given(st.text(max_size=40))
def test_any_text_parses_or_says_why_and_never_raises(text: str) -> None:
    found = parse(text)
    if isinstance(found, Query):
        found.tubes(CATALOG)  # type: ignore[arg-type]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60
    )


def test_list_and_export_take_where() -> None:
    listed = run("list", str(SHIPPED), "--where", "status:deposited sol>600")
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[:2] for line in listed.stdout.splitlines()] == [
        ["17", "Mageik"],
        ["21", "Crosswind Lake"],
    ]
    exported = run("export", str(SHIPPED), "-f", "csv", "--where", "kind:witness")
    assert exported.returncode == 0
    assert len(exported.stdout.splitlines()) == 1 + 3


def test_a_bad_where_exits_2_with_the_reason() -> None:
    for command in (["list"], ["export", "-f", "json"]):
        result = run(*command, str(SHIPPED), "--where", "sol>abc")
        assert result.returncode == 2
        assert result.stdout == ""
        assert "sol>abc: not a number (column 1)" in result.stderr


def test_only_star_is_a_wildcard_in_a_key_of_ones_own() -> None:
    """Issue 23, part 9: `?` and `[...]` were glob classes, and only `*` is documented."""
    from tui.catalog.model import Kind, Sample

    samples = [
        Sample(tube=1, name="A", kind=Kind.WITNESS, extra={"box": "M1"}),
        Sample(tube=2, name="B", kind=Kind.WITNESS, extra={"box": "M?"}),
        Sample(tube=3, name="C", kind=Kind.WITNESS, extra={"box": "[x]"}),
    ]

    def found(text: str) -> list[int]:
        query = parse(text)
        assert isinstance(query, Query), query
        return [s.tube for s in samples if query.matches(s)]

    assert found("box=M?") == [2]
    assert found("box:[x]") == [3]
    assert found("box=[!x]") == []
    assert found("box=M*") == [1, 2]
