"""Schema rules not covered by the corpus: defaults, user keys, positions of odd layouts."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.catalog import model
from tui.catalog.model import Board, Kind, Sample, Status
from tui.catalog.validate import Severity, parse_bytes, parse_text

MINIMAL = '[[sample]]\ntube = 3\nname = "A"\nkind = "witness"\n'


def test_defaults() -> None:
    catalog = parse_text(MINIMAL).catalog
    assert catalog is not None
    assert catalog.board == Board(title="Sample tubes", tubes=3, columns=None)
    assert catalog.samples == (Sample(tube=3, name="A", kind=Kind.WITNESS),)
    assert catalog.samples[0].status is Status.SEALED
    empty = parse_text("").catalog
    assert empty is not None and empty.board.tubes == 1 and empty.samples == ()


def test_every_field_and_user_keys_are_kept_in_order() -> None:
    text = MINIMAL + (
        'status = "deposited"\nsol = 164\ndate = 2021-08-06\ncampaign = "C"\nsite = "S"\n'
        'notes = """\nx\ny"""\nzeta = 1\nalpha = { b = [1, 2] }\n'
    )
    sample = parse_text(text).catalog.samples[0]  # type: ignore[union-attr]
    assert (sample.status, sample.sol, sample.date) == (Status.DEPOSITED, 164, dt.date(2021, 8, 6))
    assert (sample.campaign, sample.site, sample.notes) == ("C", "S", "x\ny")
    assert list(sample.extra.items()) == [("zeta", 1), ("alpha", {"b": [1, 2]})]


def test_unknown_keys_that_look_like_nothing_are_silent() -> None:
    text = MINIMAL + "designation = 'M'\ntube_serial = 233\nsol_cored = 1\ndepot_drop_sol = 2\n"
    text += "date_cored = 2021-01-01\nnasa_sample_no = 1\nlocation_note = 'x'\n[extra]\nk = 1\n"
    parsed = parse_text(text)
    assert parsed.problems == ()


def test_misspelling_warnings_do_not_fail() -> None:
    parsed = parse_text(MINIMAL + "Name2 = 1\nstaus = 'x'\n[bord]\ntubes = 3\n")
    assert parsed.catalog is not None
    assert [(p.line, p.severity, p.message.split("?")[0]) for p in parsed.problems] == [
        (5, Severity.WARNING, "unknown key 'Name2' in sample: did you mean 'name'"),
        (6, Severity.WARNING, "unknown key 'staus' in sample: did you mean 'status'"),
        (7, Severity.WARNING, "unknown key 'bord' in the top level: did you mean 'board'"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("[board]\ntubes = 2\n" + MINIMAL, 4, 1),  # tube out of range, at the key
        ("board.tubes = 2\n" + MINIMAL, 3, 1),  # dotted board key
        ("[[sample]]\n  tube = 9\n  name = 'A'\n  kind = 'witness'\n[board]\ntubes = 2\n", 2, 3),
        ("sample = [{ tube = 1, name = 'A', kind = 'nope' }]\n", 1, 35),  # inline: its key
        ('[[sample]]\ntube = 1\nname = "A"\nkind = "witness"\nmeta.kind = "x"\nsol = "1"\n', 6, 1),
    ],
)
def test_problem_positions(text: str, line: int, col: int) -> None:
    parsed = parse_text(text)
    assert parsed.catalog is None
    assert (parsed.errors[0].line, parsed.errors[0].col) == (line, col), parsed.problems


def test_all_bad_bytes_are_reported_each_on_its_line() -> None:
    parsed = parse_bytes(b"a = 1\nb = '\xff'\nc = 2\nd = '\xc3'\n")
    assert [(p.line, p.col) for p in parsed.problems] == [(2, 6), (4, 6)]


def test_syntax_error_at_end_of_file() -> None:
    parsed = parse_text('a = "unterminated')
    assert parsed.problems[0].line == 1
    assert parsed.problems[0].message.startswith("TOML syntax:")


def test_model_validators_reject_what_the_file_would() -> None:
    with pytest.raises(ValueError, match="name must not be empty"):
        Sample(tube=1, name=" ", kind=Kind.WITNESS)
    with pytest.raises(ValueError, match="tubes are numbered from 1"):
        Sample(tube=0, name="A", kind=Kind.WITNESS)
    with pytest.raises(ValueError):
        Sample(tube=1, name="A", kind="bogus")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sols count from 0"):
        Sample(tube=1, name="A", kind=Kind.WITNESS, sol=-1)


def test_parses_in_three_threads_leave_validation_on() -> None:
    """Issue 23, part 4: the watcher, the whole-file read and the git poll parse at once; a
    global switch left validators off after two or three such parses."""
    import threading

    import attr
    import pytest

    from tests.conftest import SHIPPED
    from tui.catalog.model import Kind, Sample
    from tui.catalog.validate import parse_bytes

    raw = SHIPPED.read_bytes()

    def parse_often() -> None:
        for _ in range(15):
            assert parse_bytes(raw).catalog is not None

    threads = [threading.Thread(target=parse_often) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert attr.validators.get_disabled() is False
    with pytest.raises(ValueError):
        Sample(tube=-5, name="", kind=Kind.WITNESS)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_quick_paths_for_plain_names_say_what_the_full_rules_say(name: str) -> None:
    # name_key and _has_visible take a short cut for printable ASCII (bench (l)).
    assert model.name_key(name) == unicodedata.normalize("NFC", name).casefold().strip()
    assert model._has_visible(name) == any(
        not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Mn", "Me", "Zs")
        for c in name
    )
