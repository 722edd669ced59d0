"""A read in a worker gives way to the keys every few records (tui/catalog/pace.py); bench (m)
has what that buys. Timing is not asserted here: that the pauses happen is."""

from __future__ import annotations

import threading

import pytest

from tui.catalog import pace, toml_read, validate


def big_catalogue(records: int) -> bytes:
    head = f"[board]\ntubes = {records}\n"
    record = '\n[[sample]]\ntube = {n}\nname = "S{n}"\nkind = "rock-core"\nstatus = "sealed"\n'
    return (head + "".join(record.format(n=n) for n in range(1, records + 1))).encode()


def pauses_in(read: object, on_main: bool, monkeypatch: pytest.MonkeyPatch) -> int:
    paused: list[float] = []
    monkeypatch.setattr(pace.time, "sleep", paused.append)
    if on_main:
        read()  # type: ignore[operator]
    else:
        worker = threading.Thread(target=read)  # type: ignore[arg-type]
        worker.start()
        worker.join()
    return len(paused)


def test_a_read_in_a_worker_pauses_every_few_records(monkeypatch: pytest.MonkeyPatch) -> None:
    records = 20 * pace.EVERY
    raw = big_catalogue(records)
    found: list[validate.Parsed] = []
    pauses = pauses_in(lambda: found.append(validate.parse_bytes(raw)), False, monkeypatch)
    assert found[0].catalog is not None and len(found[0].catalog.samples) == records
    # Once per EVERY records while strings are shared, and again while they are checked.
    assert pauses >= 2 * records // pace.EVERY - 2


def test_the_main_thread_never_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = big_catalogue(20 * pace.EVERY)
    assert pauses_in(lambda: validate.parse_bytes(raw), True, monkeypatch) == 0


def test_the_compiled_read_pauses_between_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("toml_rs")
    toml_read.prepare()  # on the main thread, as parse_head does
    text = big_catalogue(3000).decode()
    cuts = len(toml_read._cuts(text))
    assert cuts > 10
    assert pauses_in(lambda: toml_read.loads(text), False, monkeypatch) >= cuts


def test_the_index_built_in_a_worker_pauses_every_few_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The indexing worker held the interpreter for the whole index (a quarter of a second
    at 10,000 records), so a save made the moment a file was read waited behind it."""
    from tui.catalog.document import Document

    records = 20 * pace.EVERY
    text = big_catalogue(records).decode()
    built: list[int] = []
    pauses = pauses_in(lambda: built.append(len(Document(text).records())), False, monkeypatch)
    assert built == [records]
    assert pauses >= records // pace.EVERY - 1
    assert pauses_in(lambda: Document(text).records(), True, monkeypatch) == 0
