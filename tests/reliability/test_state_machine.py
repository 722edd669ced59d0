"""A state machine over the core: the app's edits interleaved with a person's hand edits.

After every step the file parses to exactly the model, and an app edit changed nothing
outside its own record.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import attrs
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.catalog.test_properties import outside_unchanged, record_lines, split
from tests.strategies import catalog_files, edited, samples
from tui.catalog.document import Document
from tui.catalog.model import Catalog, Sample, name_key
from tui.catalog.store import Store

HAND_COMMENTS = ["# checked by hand", "#", "# [[sample]] mentioned in a comment"]


class Catalogue(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="tubeboard-machine-"))
        self.path = self.folder / "catalog.toml"
        self.store = Store(self.path)
        self.records: list[Sample] = []
        self.base = Catalog()
        self.explicit = False
        self.steps = 0

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @initialize(file=catalog_files())
    def start(self, file: tuple[str, Catalog]) -> None:
        text, catalog = file
        self.path.write_bytes(text.encode())
        self.base = catalog
        self.records = list(catalog.samples)
        self.explicit = any(e.path == ("board", "tubes") for e in Document(text).entries)

    # Helpers -------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.path.read_bytes().decode()

    def free_tubes(self) -> list[int]:
        limit = self.base.board.tubes if self.explicit else 40
        used = {s.tube for s in self.records}
        return [t for t in range(1, limit + 1) if t not in used]

    def names(self) -> set[str]:
        return {name_key(s.name) for s in self.records}

    def expected(self) -> Catalog:
        board = self.base.board
        if not self.explicit:
            board = attrs.evolve(board, tubes=max((s.tube for s in self.records), default=1))
        return Catalog(board, tuple(self.records))

    # The app's edits -----------------------------------------------------------------------

    @precondition(lambda self: bool(self.free_tubes()))
    @rule(data=st.data())
    def add(self, data: st.DataObject) -> None:
        before = self.text
        tube = data.draw(st.sampled_from(self.free_tubes()))
        new = data.draw(samples(tube, self.names()))
        self.store.add(new)
        self.records.append(new)
        lines = len(split(before))
        assert outside_unchanged(before, self.text, lines, lines)

    @precondition(lambda self: bool(self.records))
    @rule(data=st.data())
    def edit(self, data: st.DataObject) -> None:
        before = self.text
        index = data.draw(st.integers(0, len(self.records) - 1))
        old = self.records[index]
        lo, hi = record_lines(before, index)
        new = data.draw(edited(old, self.free_tubes(), self.names() - {name_key(old.name)}))
        self.store.edit(old, new)
        self.records[index] = new
        assert outside_unchanged(before, self.text, lo, hi + 1)

    @precondition(lambda self: bool(self.records))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        before = self.text
        index = data.draw(st.integers(0, len(self.records) - 1))
        lo, hi = record_lines(before, index)
        self.store.delete(self.records[index])
        del self.records[index]
        now = self.text
        if hi == len(split(before)) - 1 and not before.endswith("\n"):
            assert now == "".join(split(before)[:lo]).rstrip("\r\n")
        else:
            assert outside_unchanged(before, now, lo - 1, hi + 2)

    # A person's edits in vim ---------------------------------------------------------------

    @rule(data=st.data())
    def hand_comment(self, data: st.DataObject) -> None:
        """A comment line above a record, or at the top."""
        text = self.text
        doc = Document(text)
        spots = [0] + [doc.line_start(r.header.start) for r in doc.records()]
        at = data.draw(st.sampled_from(spots))
        comment = data.draw(st.sampled_from(HAND_COMMENTS)) + doc.newline
        self.path.write_bytes((text[:at] + comment + text[at:]).encode())

    @rule(data=st.data())
    def hand_whitespace(self, data: st.DataObject) -> None:
        """Trailing spaces after a value, or a blank line above a record."""
        text = self.text
        doc = Document(text)
        if doc.entries and data.draw(st.booleans()):
            at = data.draw(st.sampled_from(doc.entries)).value_end
            self.path.write_bytes((text[:at] + "   " + text[at:]).encode())
        elif doc.records():
            at = doc.line_start(data.draw(st.sampled_from(doc.records())).header.start)
            self.path.write_bytes((text[:at] + doc.newline + text[at:]).encode())

    @precondition(lambda self: len(self.records) >= 2)
    @rule(data=st.data())
    def hand_reorder(self, data: st.DataObject) -> None:
        """Swap two records' blocks, as a person reorders them by hand."""
        text = self.text
        doc = Document(text)
        if not text.endswith("\n"):
            text += doc.newline  # the person's editor adds the final newline
            doc = Document(text)
        i, j = sorted(
            data.draw(
                st.lists(st.integers(0, len(self.records) - 1), min_size=2, max_size=2, unique=True)
            )
        )
        records = doc.records()
        spans = [
            (doc.line_start(r.header.start), doc.line_end(r.end)) for r in (records[i], records[j])
        ]
        (a0, a1), (b0, b1) = spans
        swapped = text[:a0] + text[b0:b1] + text[a1:b0] + text[a0:a1] + text[b1:]
        self.path.write_bytes(swapped.encode())
        self.records[i], self.records[j] = self.records[j], self.records[i]

    @rule()
    def reload(self) -> None:
        """Another process, or a restart: a fresh store on the same file."""
        self.store.close()
        self.store = Store(self.path)

    @rule()
    def warm(self) -> None:
        """What the app does after a read or a write: index the text and make a spare copy
        of the file, which later saves write into (whatever hand edits come in between)."""
        self.store.read()
        self.store.warm()

    @invariant()
    def file_is_the_model(self) -> None:
        event(f"{len(self.records)} samples")
        if not self.path.exists():
            return
        parsed = self.store.read()
        assert parsed.catalog == self.expected(), parsed.problems
        assert [p.name for p in self.folder.iterdir()] == ["catalog.toml"]


Catalogue.TestCase.settings = settings(
    max_examples=max(60, settings().max_examples // 10),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCatalogue = Catalogue.TestCase
