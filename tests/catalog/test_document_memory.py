"""The position index's size: kept for every edit while the app runs, it is a good part of
the memory at 100,000 records (bench (g)). Measured in bytes the interpreter allocated, which
do not depend on the machine's load."""

from __future__ import annotations

from tests.catalog.traced import traced
from tui.catalog.document import Document

RECORD = (
    '[[sample]]\ntube = {n}\nname = "S{n}"\nkind = "rock-core"\nstatus = "sealed"\n'
    'sol = {n}\nnotes = "x"\n\n'
)


def test_where_each_record_is_costs_little_per_record() -> None:
    count = 5000
    document = Document("".join(RECORD.format(n=n) for n in range(1, count + 1)))
    records, kept, peak = traced(document.records)
    assert len(records) == count
    assert [e.key for e in records[7].entries] == [
        (k,) for k in ("tube", "name", "kind", "status", "sol", "notes")
    ]
    assert records[-1].header.path == ("sample", count - 1)
    # A list of Records took 262 bytes a record (410 with the own lines as a tuple), and the
    # maps that found them 330 at the peak; arrays of machine ints take 17.
    assert kept / count < 40
    assert peak / count < 120


def test_the_index_of_lines_and_values_is_machine_ints_of_four_bytes() -> None:
    count = 5000
    text = "".join(RECORD.format(n=n) for n in range(1, count + 1))
    document, kept, _ = traced(lambda: Document(text))
    last = document.records()[-1].entries[-1]
    assert text[last.value_start : last.value_end] == '"x"'
    assert document.line_col(len(text) - 1) == (8 * count, 1)
    # 8-byte offsets took 500 bytes a record; a Header object and a table tuple per record
    # and a list of keys 394; columns of 4-byte numbers take 171.
    assert kept / count < 220


def test_records_with_sub_tables_and_other_tables_between_keep_their_spans() -> None:
    text = (
        'top = 1\n[board]\ntitle = "t"\n\n'
        '[[sample]]\ntube = 1\nname = "A"\n[sample.more]\nx = 1\n[[sample.runs]]\nn = 1\n\n'
        "[other]\ny = 2\n\n"
        '[[sample]]  # two\ntube = 2\nname = "B"\n\n'
        "[[sample]]\n\n[[sample]]\ntube = 4\n[[sample.runs]]\nn = 2\n[[sample.runs]]\nn = 3\n"
    )
    document = Document(text)
    records = document.records()
    assert len(records) == 4
    first, second, third, fourth = records
    assert [e.key for e in first.entries] == [("tube",), ("name",)]
    assert first.nested and not second.nested and not third.nested and fourth.nested
    assert text[first.header.start :].startswith("[[sample]]\ntube = 1")
    assert text[: first.end].endswith("[[sample.runs]]\nn = 1")
    assert text[: second.end].endswith('name = "B"')
    assert third.entries == () and text[third.header.start : third.end] == "[[sample]]"
    assert text[: fourth.end].endswith("n = 3")
    assert [h.path for h in document.headers] == [
        ("board",),
        ("sample", 0),
        ("sample", 0, "more"),
        ("sample", 0, "runs", 0),
        ("other",),
        ("sample", 1),
        ("sample", 2),
        ("sample", 3),
        ("sample", 3, "runs", 0),
        ("sample", 3, "runs", 1),
    ]
    assert document.entry(len(document.entries) - 1).path == ("sample", 3, "runs", 1, "n")
    assert document.locate(("sample", 3, "runs", 1, "n")) == (text.count("\n"), 1)
    assert len(document.records("other")) == 0  # [other] is a table, not an array
