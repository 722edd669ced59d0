"""The query language of `/` and `--where`: words and field terms, all of which must match.

    basalt                      name, site, campaign or notes contain it (case ignored)
    kind:rock-core              that kind (status:deposited likewise)
    campaign:"Crater Rim"       the field contains the text (case ignored)
    sol>500  sol<=100           numeric comparisons (>, >=, <, <=, =)
    sol:100..600                an inclusive range
    date>=2024-01-01  date:2022 dates, and whole years (date:2022-03 a month)
    designation:M2020-006*      a key of the user's own; * is a wildcard (and only *:
                                ? and [ are themselves)
    -status:sealed              any term negated
    has:notes  -has:date        the field is set / not set

`parse` turns the text into a `Query` or a `QueryError` that says what is wrong and where
(its column), as you type; a query that cannot be understood matches nothing, and nothing
here ever raises for the user's text.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable
from typing import Any

import attr

from tui.catalog.field_types import Choice, Date, Text, WholeNumber
from tui.catalog.model import SAMPLE_FIELDS, SAMPLE_KEYS, Catalog, Sample, name_key

Test = Callable[[Sample], bool]

_TERM = re.compile(
    r"""(?P<neg>-)?
        (?:(?P<field>[A-Za-z_][\w.-]*)(?P<op>>=|<=|>|<|=|:))?
        (?P<value>"(?:[^"\\]|\\.)*"?|\S+)""",
    re.X,
)
# From the fields' kinds: the text fields a bare word is looked for in.
_WORD_FIELDS = tuple(key for key, info in SAMPLE_FIELDS.items() if isinstance(info.holds, Text))


@attr.frozen
class QueryError:
    """Why the query cannot be understood: the term, the reason, and where it starts."""

    term: str
    reason: str
    column: int  # 1-based, in the query's text

    def __str__(self) -> str:
        return f"{self.term}: {self.reason}"


@attr.frozen
class Query:
    """A query's terms, each a test a sample must pass."""

    text: str
    tests: tuple[Test, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.tests

    def matches(self, sample: Sample) -> bool:
        return all(test(sample) for test in self.tests)

    def tubes(self, catalog: Catalog) -> list[int]:
        """The tubes whose samples match, in tube order; none for an empty query."""
        if self.empty:
            return []
        return sorted(s.tube for s in catalog.samples if self.matches(s))


def parse(text: str) -> Query | QueryError:
    tests: list[Test] = []
    for match in _TERM.finditer(text):
        term = match.group(0)
        column = match.start() + 1
        test = _term(match.group("field"), match.group("op"), _unquote(match.group("value")))
        if isinstance(test, str):
            return QueryError(term, test, column)
        if match.group("neg"):
            test = _negated(test)
        tests.append(test)
    return Query(text, tuple(tests))


def matching(samples: Iterable[Sample], text: str) -> list[Sample] | QueryError:
    """The samples a query's text matches (all of them for an empty query)."""
    query = parse(text)
    if isinstance(query, QueryError):
        return query
    return [s for s in samples if query.matches(s)]


def _negated(test: Test) -> Test:
    return lambda sample: not test(sample)


def _unquote(value: str) -> str:
    if value.startswith('"'):
        inner = value[1:-1] if value.endswith('"') and len(value) > 1 else value[1:]
        return re.sub(r"\\(.)", r"\1", inner)
    return value


def _field_value(sample: Sample, field: str) -> Any:
    if field in SAMPLE_KEYS:
        return getattr(sample, field)
    return sample.extra.get(field)


def _term(field: str | None, op: str | None, value: str) -> Test | str:
    """One term's test, or why it cannot be one."""
    if field is None:  # a bare word: the text fields contain it
        needle = name_key(value)
        return lambda s: any(
            (text := getattr(s, key)) and needle in name_key(text) for key in _WORD_FIELDS
        )
    key = field.lower()
    if key == "has":
        if op != ":":
            return "write has:FIELD"
        return lambda s: _field_value(s, value) is not None
    info = SAMPLE_FIELDS.get(key)
    if info is None:
        return _own_key(field, op, value)
    match info.holds:
        case Choice(choices=choices):
            return _choice(key, choices, op, value)
        case WholeNumber():
            return _number(key, op, value)
        case Date():
            return _date(key, op, value)
        case Text():
            if op != ":":
                return f"{key} takes {key}:TEXT"
            needle = name_key(value)
            return lambda s: bool((text := getattr(s, key)) and needle in name_key(text))


def _choice(key: str, choices: type[enum.StrEnum], op: str | None, value: str) -> Test | str:
    if op not in (":", "="):
        return f"{key} takes {key}:VALUE"
    wanted = [c for c in choices if c.value == value.lower()]
    if not wanted:
        return f"not a {key}; one of {', '.join(c.value for c in choices)}"
    return lambda s: getattr(s, key) is wanted[0]


def _compare(op: str, low: Any, high: Any = None) -> Callable[[Any], bool]:
    if op == "..":
        return lambda v: low <= v <= high
    return {
        ">": lambda v: v > low,
        ">=": lambda v: v >= low,
        "<": lambda v: v < low,
        "<=": lambda v: v <= low,
        ":": lambda v: v == low,
        "=": lambda v: v == low,
    }[op]


def _whole(text: str) -> int | str:
    """A whole number, or why the text is not one."""
    if not re.fullmatch(r"[+-]?\d+", text.strip()):
        return "not a number"
    try:
        return int(text)
    except ValueError:  # more digits than Python reads (4,300): no sol or tube is that long
        return "too large a number"


def _number(key: str, op: str | None, value: str) -> Test | str:
    assert op is not None
    first, dots, second = value.partition("..")
    if dots and op != ":":
        return f"write a range as {key}:LOW..HIGH"
    low, high = _whole(first), _whole(second) if dots else None
    if dots and "not a number" in (low, high):
        return "write a range as LOW..HIGH, like 100..600"
    problem = next((b for b in (low, high) if isinstance(b, str)), None)
    if problem is not None:
        return problem
    check = _compare(".." if dots else op, low, high)
    return lambda s: (v := getattr(s, key)) is not None and check(v)


def _date(key: str, op: str | None, value: str) -> Test | str:
    assert op is not None
    if op == ":" and re.fullmatch(r"\d{4}(-\d{2})?", value):  # a year, or a month
        if len(value) == 7 and not 1 <= int(value[5:]) <= 12:
            return f"there is no month {value[5:]}: months are 01..12"
        return lambda s: (d := getattr(s, key)) is not None and d.isoformat().startswith(value)
    first, dots, second = value.partition("..")
    if dots and op != ":":
        return f"write a range as {key}:LOW..HIGH"
    try:
        low = dt.date.fromisoformat(first)
        high = dt.date.fromisoformat(second) if dots else None
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", first) and (not dots or _is_iso(second)):
            return "no such day in the calendar"
        return f"not a date; write YYYY-MM-DD, or a year ({key}:2022)"
    check = _compare(".." if dots else op, low, high)
    return lambda s: (d := getattr(s, key)) is not None and check(d)


def _is_iso(text: str) -> bool:
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None


def _wildcard(pattern: str) -> re.Pattern[str]:
    """`*` matches any text; every other character, `?` and `[` among them, is itself."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.S)


def _own_key(field: str, op: str | None, value: str) -> Test | str:
    """A key of the user's own: text matched with * wildcards (case ignored); numbers and
    dates compared when the value reads as one."""
    if op == ":" and "*" not in value:
        pattern = _wildcard(f"*{value.lower()}*")
    elif op in (":", "="):
        pattern = _wildcard(value.lower())
    else:
        try:
            bound: Any = int(value)
        except ValueError:
            try:
                bound = dt.date.fromisoformat(value)
            except ValueError:
                return "compare with a number or a date"
        assert op is not None
        check = _compare(op, bound)

        def compared(sample: Sample) -> bool:
            v = sample.extra.get(field)
            try:
                return v is not None and not isinstance(v, bool) and check(v)
            except TypeError:  # a text, or a date against a number
                return False

        return compared

    def like(sample: Sample) -> bool:
        v = sample.extra.get(field)
        if v is None:
            return False
        text = v.isoformat() if isinstance(v, dt.date) else str(v)
        return pattern.fullmatch(text.lower()) is not None

    return like
