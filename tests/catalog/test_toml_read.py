"""The compiled parser (toml-rs) is held to the reference (tomllib) before it reads a file:
on toml-test's whole TOML 1.0 suite, on Hypothesis catalogues, on a nesting that would crash
it, and where it is not installed."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from tests.conftest import REPO
from tests.strategies import catalog_files
from tui.catalog import toml_read
from tui.catalog.edit import same_data

SUITE = Path(__file__).parent.parent / "toml-test"
CASES = [
    name for name in (SUITE / "files-toml-1.0.0").read_text().split() if name.endswith(".toml")
]
VALID = [name for name in CASES if name.startswith("valid/")]
INVALID = [name for name in CASES if name.startswith("invalid/")]

toml_rs = pytest.importorskip("toml_rs")


@pytest.fixture
def fast_for_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """`loads` takes the compiled path for the small texts of the suite too."""
    monkeypatch.setattr(toml_read, "FAST_FROM_CHARS", 0)


def tagged(value: Any) -> Any:
    """toml-test's JSON (every scalar tagged with its TOML type) as the values tomllib gives."""
    if isinstance(value, list):
        return [tagged(item) for item in value]
    if set(value) != {"type", "value"} or not isinstance(value["value"], str):
        return {key: tagged(item) for key, item in value.items()}
    kind, text = value["type"], value["value"]
    if kind == "string":
        return text
    if kind == "integer":
        return int(text)
    if kind == "float":
        return float(text)  # "inf", "-inf", "nan" included
    if kind == "bool":
        return text == "true"
    if kind == "date-local":
        return dt.date.fromisoformat(text)
    if kind == "time-local":
        return dt.time.fromisoformat(text)
    return dt.datetime.fromisoformat(text.replace("z", "Z").replace(" ", "T"))


def same(a: Any, b: Any) -> bool:
    """same_data, and the same UTC offset on every datetime."""
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return same_data(a, b) and a.utcoffset() == b.utcoffset()
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)  # TOML leaves a NaN's sign to the parser
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return same_data(a, b)


def text_of(name: str) -> str | None:
    """The case as the catalogue reader hands it to a parser: decoded, without a BOM (bytes
    that are not UTF-8 are refused before any parse)."""
    try:
        return (SUITE / name).read_bytes().decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None


def test_the_suite_is_all_here() -> None:
    assert len(VALID) == 210 and len(INVALID) == 499
    assert all((SUITE / name).exists() for name in CASES)


@pytest.mark.parametrize("name", VALID)
def test_valid_case_reads_as_the_suite_says(name: str, fast_for_any_size: None) -> None:
    text = text_of(name)
    assert text is not None
    expected = tagged(json.loads((SUITE / name).with_suffix(".json").read_text("utf-8")))
    got = toml_read.loads(text)
    assert same(got, expected)
    assert same(toml_rs.loads(text, toml_version="1.0.0"), tomllib.loads(text))


@pytest.mark.parametrize("name", INVALID)
def test_invalid_case_is_refused_with_tomllibs_place(name: str, fast_for_any_size: None) -> None:
    text = text_of(name)
    if text is None:
        return  # not UTF-8: refused before any parser sees it (tests/catalog/test_validate.py)
    if not text.startswith("\ufeff"):  # toml-rs skips a leading mark; `loads` never asks it
        with pytest.raises(toml_rs.TOMLDecodeError):
            toml_rs.loads(text, toml_version="1.0.0")
    with pytest.raises(tomllib.TOMLDecodeError) as error:
        toml_read.loads(text)
    assert type(error.value) is tomllib.TOMLDecodeError  # the reference's, with its place


@settings(max_examples=150, deadline=None)
@given(catalog_files())
def test_catalogues_read_alike(drawn: tuple[str, Any]) -> None:
    text, _ = drawn
    assert same(toml_rs.loads(text, toml_version="1.0.0"), tomllib.loads(text))


def test_a_large_file_takes_the_compiled_path_and_a_small_one_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []

    class Counting:
        TOMLDecodeError = toml_rs.TOMLDecodeError

        @staticmethod
        def loads(text: str, toml_version: str) -> dict[str, Any]:
            calls.append(len(text))
            assert toml_version == "1.0.0"
            result: dict[str, Any] = toml_rs.loads(text, toml_version=toml_version)
            return result

    monkeypatch.setattr(toml_read, "_engine", Counting)
    record = '[[sample]]\ntube = {n}\nname = "S{n}"\nnotes = "x{n}"\n'
    big = "".join(record.format(n=n) + "\n" for n in range(1, 4000))
    assert len(big) > toml_read.FAST_FROM_CHARS
    assert len(toml_read.loads(big)["sample"]) == 3999
    assert toml_read.loads("a = 1\n") == {"a": 1}
    assert sum(calls) == len(big) and len(calls) == len(toml_read._cuts(big)) + 1 > 2


def test_an_error_in_a_large_file_is_placed_by_tomllib() -> None:
    record = '[[sample]]\ntube = {n}\nname = "S{n}"\n\n'
    big = "".join(record.format(n=n) for n in range(1, 8000)) + "tube = = 3\n"
    with pytest.raises(tomllib.TOMLDecodeError, match=r"at line 31997, column 8"):
        toml_read.loads(big)


def test_without_the_extra_tomllib_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toml_read, "_engine", False)
    monkeypatch.setattr(toml_read, "FAST_FROM_CHARS", 0)
    assert toml_read.engine() is None
    assert toml_read.loads("a = 1979-05-27T07:32:00Z\n") == tomllib.loads(
        "a = 1979-05-27T07:32:00Z\n"
    )


# What the nesting guard relies on, each in a child process: a crash there fails the test
# instead of taking the test runner with it.
def _child(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_a_hostile_nesting_is_read_by_tomllib_not_crashed_on() -> None:
    # toml-rs alone dies of a segmentation fault on this (in a thread, like the app's reader);
    # through `loads` tomllib refuses it (RecursionError, placed by validate as "too deep").
    code = (
        "import threading\n"
        "from tui.catalog import toml_read\n"
        "toml_read.FAST_FROM_CHARS = 0\n"
        "text = 'a = ' + '[' * 30000 + ']' * 30000 + '\\n'\n"
        "out = []\n"
        "def read():\n"
        "    try:\n"
        "        toml_read.loads(text)\n"
        "    except RecursionError:\n"
        "        out.append('refused')\n"
        "thread = threading.Thread(target=read)\n"
        "thread.start(); thread.join()\n"
        "print(out[0])\n"
    )
    result = _child(code)
    assert (result.returncode, result.stdout.strip()) == (0, "refused"), result.stderr


def test_the_guard_leaves_toml_rs_room_to_spare() -> None:
    # The bound lets through nesting SAFE_OPENERS deep; toml-rs must read four times that in a
    # thread. If a new toml-rs recurses more per level, this fails before a user's file does.
    deep = 4 * toml_read.SAFE_OPENERS
    code = (
        "import threading, toml_rs\n"
        f"text = 'a = ' + '[' * {deep} + ']' * {deep} + '\\n'\n"
        "out = []\n"
        "thread = threading.Thread(target=lambda: out.append(toml_rs.loads(text)))\n"
        "thread.start(); thread.join()\n"
        "print(len(out))\n"
    )
    result = _child(code)
    assert (result.returncode, result.stdout.strip()) == (0, "1"), result.stderr


def test_toml_rs_is_loaded_without_committing_an_arena_and_nothing_else_sees_it() -> None:
    """toml-rs's mimalloc commits a 4 MB arena as it loads unless its option says not to
    (see toml_read): the anonymous memory the import and a first read take, with the option
    as toml_read sets it and as mimalloc has it by default. Fails if a new toml-rs drops
    mimalloc or the option, or if the variable leaks to the programs tubeboard starts."""
    import os

    name = toml_read.LAZY_COMMIT[0]
    code = (
        "import os, re\n"
        "def anon():\n"
        "    status = open('/proc/self/status').read()\n"
        "    return int(re.search(r'RssAnon:\\s+(\\d+)', status).group(1))\n"
        "from tui.catalog import toml_read\n"
        "before = anon()\n"
        "toml_read.engine()\n"
        f"print(anon() - before, os.environ.get({name!r}))\n"
    )

    def child(value: str | None) -> tuple[int, str]:
        env = {k: v for k, v in os.environ.items() if k != name}
        if value is not None:
            env[name] = value
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, env=env
        )
        assert result.returncode == 0, result.stderr
        kb, seen = result.stdout.split()
        return int(kb), seen

    ours, seen = child(None)
    assert seen == "None"  # set for the import alone
    eager, kept = child("1")
    assert kept == "1"  # the user's own value stands
    assert eager - ours >= 2048, (ours, eager)


def test_record_headers_are_the_only_brackets_discounted() -> None:
    headers = "".join(f"\n[[sample]]\ntube = {n}\n" for n in range(1, 400))
    assert toml_read.openers_outside_headers(headers) == 0
    # A line of `[[1]` looks like a header to a careless count, but nests one deeper.
    nested = "a = [\n" + "[[1]\n" * 300
    assert toml_read.openers_outside_headers(nested) > toml_read.SAFE_OPENERS


# Read by slices: the parts must say what the whole says, or hand the whole to tomllib.
@pytest.fixture
def slice_every_record(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toml_read, "FAST_FROM_CHARS", 0)
    monkeypatch.setattr(toml_read, "SLICE_CHARS", 1)


@settings(max_examples=150, deadline=None)
@given(catalog_files())
def test_catalogues_read_by_slices_as_whole(drawn: tuple[str, Any]) -> None:
    text, _ = drawn
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(toml_read, "FAST_FROM_CHARS", 0)
        patch.setattr(toml_read, "SLICE_CHARS", 1)
        assert same(toml_read.loads(text), tomllib.loads(text))


RECORD = "[[sample]]\ntube = {n}\nname = 'S{n}'\n"
SLICED = [
    # a table continued in a later slice: legal, and one table
    RECORD.format(n=1) + "[extra]\na = 1\n" + RECORD.format(n=2) + "[extra.more]\nb = 2\n",
    # a record's own subtable stays with it
    RECORD.format(n=1) + "[sample.meta]\nx = 1\n" + RECORD.format(n=2) + "[sample.meta]\nx = 2\n",
    # the file begins with a record; the preamble is empty
    RECORD.format(n=1) + "\n" + RECORD.format(n=2),
    # a header inside a multi-line string is not a record
    RECORD.format(n=1) + 'notes = """\n[[sample]]\ntube = 9\n"""\n' + RECORD.format(n=2),
    "[board]\ntubes = 3\n\n" + RECORD.format(n=1) + "\r\n" + RECORD.format(n=2),
]
REFUSED = [
    # a table defined twice, in two slices
    "[board]\ntubes = 3\n" + RECORD.format(n=1) + "[board]\ntubes = 4\n",
    RECORD.format(n=1) + "[extra]\na = 1\n" + RECORD.format(n=2) + "[extra]\nb = 2\n",
    # the preamble says `sample` is something else
    "sample = 1\n" + RECORD.format(n=1),
    # a record after a table that is not one
    "[sample]\nx = 1\n" + RECORD.format(n=1),
]


@pytest.mark.parametrize("text", SLICED)
def test_slices_read_as_the_whole(text: str, slice_every_record: None) -> None:
    assert len(toml_read._cuts(text)) >= 2
    assert same(toml_read.loads(text), tomllib.loads(text))


@pytest.mark.parametrize("text", REFUSED)
def test_slices_refused_as_the_whole(text: str, slice_every_record: None) -> None:
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)
    with pytest.raises(tomllib.TOMLDecodeError):
        toml_read.loads(text)


def test_a_worker_never_imports_toml_rs_and_nothing_crashes() -> None:
    # toml-rs imported in a thread that ends crashes the process when a later thread uses it
    # (found: a second whole read in a new worker). Workers read with tomllib until the main
    # thread has imported it (`prepare`, which parse_head calls for a large file); then
    # workers take the compiled path, in thread after thread.
    code = (
        "import threading\n"
        "from tui.catalog import toml_read\n"
        "record = '[[sample]]\\ntube = {n}\\nname = \"S{n}\"\\ndate = 2024-01-01\\n'\n"
        "text = ''.join(record.format(n=n) + '\\n' for n in range(1, 6000))\n"
        "seen = []\n"
        "def read():\n"
        "    seen.append(toml_read.engine() is not None)\n"
        "    assert len(toml_read.loads(text)['sample']) == 5999\n"
        "def rounds():\n"
        "    for _ in range(3):\n"
        "        thread = threading.Thread(target=read)\n"
        "        thread.start(); thread.join()\n"
        "rounds()\n"
        "toml_read.prepare()\n"
        "rounds()\n"
        "print(seen)\n"
    )
    result = _child(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[False, False, False, True, True, True]"


def test_records_are_tidied_a_slice_at_a_time_as_they_are_read() -> None:
    """The catalogue shares the strings of each slice's records before the next slice is
    read (bench (g)): a whole file's tables made twice was the read's memory peak."""
    record = '[[sample]]\ntube = {n}\nname = "S{n}"\nnotes = "x{n}"\n'
    big = "".join(record.format(n=n) + "\n" for n in range(1, 4000))
    handed: list[int] = []
    data = toml_read.loads(big, lambda records: handed.append(len(records)))
    assert len(handed) == len(toml_read._cuts(big)) > 2
    assert sum(handed) == len(data["sample"]) == 3999
    assert max(handed) < 1000  # no slice is the whole
    small: list[int] = []
    assert toml_read.loads(record.format(n=1), lambda r: small.append(len(r))) and small == [1]
