"""The position index's size: kept for every edit while the app runs, it is a good part of
the memory at 100,000 records (bench (g)). Measured in bytes the interpreter allocated, which
do not depend on the machine's load."""

from __future__ import annotations

import tracemalloc

from tui.catalog.document import Document

RECORD = (
    '[[sample]]\ntube = {n}\nname = "S{n}"\nkind = "rock-core"\nstatus = "sealed"\n'
    'sol = {n}\nnotes = "x"\n\n'
)


def test_where_each_record_is_costs_little_per_record() -> None:
    count = 5000
    document = Document("".join(RECORD.format(n=n) for n in range(1, count + 1)))
    tracemalloc.start()
    try:
        records = document.records()
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(records) == count
    assert [e.key for e in records[7].entries] == [
        (k,) for k in ("tube", "name", "kind", "status", "sol", "notes")
    ]
    assert kept / count < 320  # the own lines as a tuple of numbers took 410 bytes a record


def test_the_index_of_lines_and_values_is_machine_ints_of_four_bytes() -> None:
    count = 5000
    text = "".join(RECORD.format(n=n) for n in range(1, count + 1))
    tracemalloc.start()
    try:
        document = Document(text)
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    last = document.records()[-1].entries[-1]
    assert text[last.value_start : last.value_end] == '"x"'
    assert document.line_col(len(text) - 1) == (8 * count, 1)
    assert kept / count < 440  # 8-byte offsets took 500 bytes a record
