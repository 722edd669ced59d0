"""A read in a worker gives way to the keys every few records (tui/catalog/pace.py); bench (m)
has what that buys. Timing is not asserted here: that the pauses happen is."""

from __future__ import annotations

import threading
from pathlib import Path

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


def stepping_worker(steps: int) -> tuple[threading.Thread, threading.Event]:
    """A worker that takes `steps` pauses' worth of steps, and says when it is through."""
    through = threading.Event()

    def work() -> None:
        step = pace.pacer(every=1)
        for _ in range(steps):
            step()
        through.set()

    return threading.Thread(target=work), through


def test_a_worker_waits_while_the_main_thread_runs_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A save on the event loop runs alone: a worker that reaches a pause waits for its end
    (a save made as 10,000 tubes were indexed took 70 ms instead of 20: bench (d))."""
    monkeypatch.setattr(pace, "HOLD_SECONDS", 60.0)
    worker, through = stepping_worker(3)
    with pace.alone():
        assert pace.held()
        worker.start()
        assert not through.wait(0.3)  # held at its first pause
    assert not pace.held()
    assert through.wait(30)
    worker.join()


def test_a_worker_held_too_long_goes_on_and_ends_the_hold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The main thread may wait for something the worker holds (a property it computes): the
    worker then goes on after HOLD_SECONDS, rather than both waiting for good."""
    monkeypatch.setattr(pace, "HOLD_SECONDS", 0.01)
    worker, through = stepping_worker(50)
    with pace.alone():
        worker.start()
        assert through.wait(30)  # each pause would have waited 0.01 s at most; one did
        assert not pace.held()
    worker.join()


def test_only_the_main_thread_holds_the_workers() -> None:
    seen: list[bool] = []

    def elsewhere() -> None:
        with pace.alone():
            seen.append(pace.held())

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert seen == [False]


def test_a_save_on_the_main_thread_runs_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import SHIPPED
    from tui.catalog import store as store_module
    from tui.catalog.model import Kind, Sample

    path = tmp_path / "catalog.toml"
    path.write_bytes(SHIPPED.read_bytes())
    writes: list[bool] = []
    write = store_module.write_atomic

    def watched(*args: object, **kwargs: object) -> object:
        writes.append(pace.held())
        return write(*args, **kwargs)  # type: ignore[arg-type,unused-ignore]

    monkeypatch.setattr(store_module, "write_atomic", watched)
    store = store_module.Store(path)
    catalog = store.read().catalog
    assert catalog is not None
    tube = max(s.tube for s in catalog.samples) + 1
    store.add(Sample(tube=tube, name="Alone", kind=Kind.REGOLITH))
    assert writes == [True]
    assert not pace.held()
