"""Where things are in the text of a TOML file: headers, keys, values and record spans.

tomllib tells us what a file means but not where anything is, and tomlkit is too slow and
has lost comments before. So we scan the text ourselves. The scanner runs only on text that
tomllib has already accepted, which keeps it small: it must find the boundaries of
statements, strings, arrays and inline tables, not judge them. It walks characters, never
lines, so a `[[sample]]` inside a multi-line string is never taken for a header.
"""

from __future__ import annotations

import abc
import array
import bisect
import functools
import re
import tomllib
from collections.abc import Iterator, Sequence
from typing import TypeVar, overload

import attr

from tui.catalog import pace

T = TypeVar("T")
Path = tuple[str | int, ...]  # a key path, with array-of-tables entries as ints

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# The usual line, read in one match where walking it took most of the index's time: a bare
# key, then a one-line string or a bare scalar (number, bool, date), then blanks and a comment
# up to the line's end. Anything else (dotted or quoted keys, multi-line strings, arrays,
# inline tables) is walked. A `"""` or `'''` never matches: its `""` is followed by a quote.
_SIMPLE_ENTRY = re.compile(
    r"""[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*"""
    r"""("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"'#\[{][^#\r\n]*?)"""
    r"""(?=[ \t]*(?:#|\r|\n|\Z))[ \t]*(?:#[^\r\n]*)?(?:\r?\n|\Z)"""
)


@attr.frozen
class Entry:
    """A `key = value` statement. Offsets index the text; `key` is relative to its table."""

    table: Path
    key: tuple[str, ...]
    start: int  # the first character of the key
    value_start: int
    value_end: int  # one past the value's last character

    @property
    def path(self) -> Path:
        return (*self.table, *self.key)


@attr.frozen
class Header:
    """A `[table]` or `[[array]]` header line."""

    path: Path  # resolved: `[[sample]]` number 3 is ("sample", 2)
    is_array: bool
    start: int


@attr.frozen
class Record:
    """The text span of one `[[sample]]` element: its header through its last statement."""

    index: int
    header_number: int  # its header line's number in the document (`header` makes it)
    # The document's numbers of the record's own `key = value` lines: a range, since they
    # are the lines between its header and the next (a tuple of ints was 300 B a record).
    owned: range
    nested: bool  # the record has sub-tables (`[sample.x]`) after it
    end: int  # one past the last character of the record's last statement
    document: Document = attr.field(eq=False, repr=False)

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The record's own `key = value` lines (not its sub-tables')."""
        return tuple(self.document.entry(i) for i in self.owned)

    @property
    def header(self) -> Header:
        return self.document.header(self.header_number)

    def line_of(self, key: tuple[str, ...]) -> int | None:
        """The number of the record's own line of `key`, found alone (a change of many asks
        for one key of each of 10,000 records: making all eleven entries of each, or even
        the one, was a fifth of `S`)."""
        return self.document.line_of_key(self.owned, key)

    def last_value_end(self, default: int) -> int:
        """Where the record's last own value ends (`default` without one)."""
        return max((self.document.value_end_of(i) for i in self.owned), default=default)


class _Made(Sequence[T]):
    """A sequence whose items are made when asked for, from numbers kept in arrays."""

    @abc.abstractmethod
    def __len__(self) -> int: ...

    @abc.abstractmethod
    def _make(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._make(index)


class Headers(_Made[Header]):
    """A document's header lines as a sequence of Header, each made when asked for."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc

    def __len__(self) -> int:
        return len(self._doc.header_starts)

    def _make(self, index: int) -> Header:
        return self._doc.header(index)


_LINES_A_STEP = 1024  # lines between the pauses of a worker that finds each record's lines


class Records(_Made[Record]):
    """The `[[name]]` elements of a document as a sequence of Record, each made when asked
    for: the spans are kept in arrays of machine ints, 17 bytes a record, where a list of
    Records was 262 and the maps that found them took the peak to 330 (bench (g))."""

    def __init__(self, doc: Document, name: str) -> None:
        self._doc = doc
        top: Path = (name,)
        headers = len(doc.header_starts)
        # `[[name]]` number k resolves to (name, k): its header's parent is (name,).
        heads = [n for n in range(headers) if doc.header_parent(n)[0] == top and doc.is_element(n)]
        count = len(heads)
        self._heads = array.array("i", heads)
        self._own_start = array.array("i", [0]) * count
        self._own_stop = array.array("i", [0]) * count
        self._ends = array.array(doc.offset_width, (doc.header_end(doc.header(n)) for n in heads))
        self._nested = bytearray(count)
        # Each header's record (-1: none): its own, or the one a sub-table belongs to.
        record_of = array.array("i", [-1]) * headers
        for index, number in enumerate(heads):
            record_of[number] = index
        for number in range(headers):
            parent = doc.header_parent(number)[0]
            if parent == top or len(parent) < 2 or parent[0] != name:
                continue
            owner = parent[1]
            if isinstance(owner, int):  # a sub-table of record `owner`
                record_of[number] = owner
                self._nested[owner] = 1
                self._ends[owner] = max(self._ends[owner], doc.header_end(doc.header(number)))
        own_start, own_stop, ends = self._own_start, self._own_stop, self._ends
        step = pace.pacer(every=1)  # once a stretch of lines: see _Scanner.step
        for number, header in enumerate(doc.table_of):
            if not number % _LINES_A_STEP:
                step()
            index = record_of[header] if header >= 0 else -1
            if index < 0:
                continue
            if header == heads[index]:  # the record's own line
                if own_stop[index] == 0:
                    own_start[index] = number
                else:  # TOML cannot go back to a table once another header begins
                    assert own_stop[index] == number, "a record's lines apart"
                own_stop[index] = number + 1
            ends[index] = max(ends[index], doc.value_end_of(number))

    def __len__(self) -> int:
        return len(self._heads)

    def any_nested(self, first: int, last: int) -> bool:
        """Whether a record from `first` to `last` has sub-tables (no Record made)."""
        return any(self._nested[first : last + 1])

    def _make(self, index: int) -> Record:
        doc = self._doc
        return Record(
            index,
            self._heads[index],
            range(self._own_start[index], self._own_stop[index]),
            bool(self._nested[index]),
            self._ends[index],
            doc,
        )


class Document:
    """The scanned text. Build it only from text tomllib has accepted."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newline = newline_of(text)
        # Arrays of machine ints: a list of int objects was 36 bytes a line; 4 bytes each
        # where every offset fits (a text under 2 GB), else 8.
        width = self.offset_width = "i" if len(text) < 2**31 - 1 else "q"
        self._line_starts = array.array(width, [0])
        self._line_starts.extend(m.end() for m in re.finditer("\n", text))
        # Every header line, kept as columns rather than an object each (a Header and its
        # path were 170 bytes a record at 100,000): what it names less the element's number
        # (one shared tuple for all `[[sample]]`), that number (-1 for a `[table]`), where.
        self._header_parents: list[Path] = []
        self._header_counts = array.array("i")
        self._header_starts = array.array(width)
        # Every `key = value` line, kept as columns rather than an object each: at 100,000
        # records an Entry and its three ints were 1.8 KB a record.
        self._table_of = array.array("i")  # the number of its table's header (-1: the top)
        self._key_of = array.array("i")  # its key, as a number in `_distinct_keys`
        self._distinct_keys: list[tuple[str, ...]] = []
        self._key_numbers: dict[tuple[str, ...], int] = {}
        self._offsets = array.array(width)  # its start, value start and value end
        # Elements inside inline arrays and tables (`sample = [ {...}, ... ]`), by path.
        self.inline: dict[Path, int] = {}
        self._top_keys: set[tuple[str, ...]] = set()
        _Scanner(self).run()

    def add_header(self, parent: Path, count: int, start: int) -> None:
        self._header_parents.append(parent)
        self._header_counts.append(count)
        self._header_starts.append(start)

    def add_entry(
        self, header: int, key: tuple[str, ...], start: int, value_start: int, value_end: int
    ) -> None:
        self._table_of.append(header)
        number = self._key_numbers.get(key)
        if number is None:
            number = self._key_numbers[key] = len(self._distinct_keys)
            self._distinct_keys.append(key)
        self._key_of.append(number)
        offsets = self._offsets
        offsets.append(start)
        offsets.append(value_start)
        offsets.append(value_end)
        if header < 0:  # a top-level key: `is_inline` asks for these, on every edit
            self._top_keys.add(key)

    @property
    def headers(self) -> Headers:
        """Every header line, in file order (each Header made when asked for)."""
        return Headers(self)

    @property
    def header_starts(self) -> array.array[int]:
        """Where each header line starts, in file order: ascending, to bisect."""
        return self._header_starts

    def header_parent(self, number: int) -> tuple[Path, int]:
        """Header `number`'s path less its element number, and that number (-1: none)."""
        return self._header_parents[number], self._header_counts[number]

    def is_element(self, number: int) -> bool:
        """Whether header `number` is an array's element (`[[...]]`)."""
        return self._header_counts[number] >= 0

    def header(self, number: int) -> Header:
        count = self._header_counts[number]
        return Header(self.table_path(number), count >= 0, self._header_starts[number])

    def table_path(self, header: int) -> Path:
        """The table a header opens (the top level for -1)."""
        if header < 0:
            return ()
        parent, count = self._header_parents[header], self._header_counts[header]
        return parent if count < 0 else (*parent, count)

    @property
    def table_of(self) -> array.array[int]:
        """Each `key = value` line's table, as its header's number (-1: the top level)."""
        return self._table_of

    def key_of(self, number: int) -> tuple[str, ...]:
        """Line `number`'s key, without making its Entry."""
        return self._distinct_keys[self._key_of[number]]

    def line_of_key(self, lines: range, key: tuple[str, ...]) -> int | None:
        """The first of `lines` whose key is `key` (a search of machine ints, in C)."""
        wanted = self._key_numbers.get(key)
        if wanted is None:
            return None
        try:
            return lines.start + self._key_of[lines.start : lines.stop].index(wanted)
        except ValueError:
            return None

    def offsets_of(self, number: int) -> tuple[int, int, int]:
        """Line `number`'s start, value start and value end (no Entry made)."""
        start, value_start, value_end = self._offsets[3 * number : 3 * number + 3]
        return start, value_start, value_end

    def value_end_of(self, number: int) -> int:
        return self._offsets[3 * number + 2]

    def entry(self, number: int) -> Entry:
        start, value_start, value_end = self.offsets_of(number)
        table = self.table_path(self._table_of[number])
        return Entry(table, self.key_of(number), start, value_start, value_end)

    @property
    def entries(self) -> list[Entry]:
        """Every `key = value` line, made on each call (for small files and rare uses)."""
        return [self.entry(number) for number in range(len(self._key_of))]

    @functools.cached_property
    def _positions(self) -> dict[Path, int]:
        """Where each key path is written: only a problem to place needs it, so it is built
        then (at 10,000 records it was a quarter of the index's memory)."""
        positions: dict[Path, int] = {}
        for header in self.headers:
            positions.setdefault(header.path, header.start)
            if header.is_array:  # `[[board]]`: the array itself is where its first element is
                positions.setdefault(header.path[:-1], header.start)
        for entry in self.entries:
            for depth in range(1, len(entry.key) + 1):
                positions.setdefault((*entry.table, *entry.key[:depth]), entry.start)
        for path, offset in self.inline.items():
            positions.setdefault(path, offset)
        return positions

    # Positions -----------------------------------------------------------------------------

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_start(self, offset: int) -> int:
        return self._line_starts[bisect.bisect_right(self._line_starts, offset) - 1]

    def line_end(self, offset: int) -> int:
        """One past the newline of the line holding `offset` (or the end of the text)."""
        index = bisect.bisect_right(self._line_starts, offset)
        return self._line_starts[index] if index < len(self._line_starts) else len(self.text)

    def locate(self, path: Path) -> tuple[int, int]:
        """Line and column of the key or header for `path`, or of its nearest written parent."""
        for depth in range(len(path), 0, -1):
            offset = self._positions.get(path[:depth])
            if offset is not None:
                return self.line_col(offset)
        return 1, 1

    # Records -------------------------------------------------------------------------------

    def records(self, name: str = "sample") -> Records:
        """Every `[[name]]` element written as a header block, in file order."""
        found = self._records.get(name)
        if found is None:
            found = self._records[name] = Records(self, name)
        return found

    @functools.cached_property
    def _records(self) -> dict[str, Records]:
        return {}  # the text never changes: found once per name

    def header_end(self, header: Header) -> int:
        # The header's closing bracket: the end of its line, less any comment and newline.
        line = self.text[header.start : self.line_end(header.start)]
        close = line.index("]]" if header.is_array else "]")
        return header.start + close + (2 if header.is_array else 1)

    def is_inline(self, name: str = "sample") -> bool:
        """True when `name = [...]` is written as one inline array rather than header blocks
        (a top-level key of that name: the scan kept them; a search of every line was 8 ms
        of each edit at 10,000 records)."""
        return (name,) in self._top_keys


def newline_of(text: str) -> str:
    """The file's line ending, as its first line ends (LF for a one-line file)."""
    index = text.find("\n")
    if index > 0 and text[index - 1] == "\r":
        return "\r\n"
    return "\n"


class _Scanner:
    """Walks accepted TOML text statement by statement."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.pos = 0
        self.table: Path = ()
        self.header = -1  # the number of the header whose table holds the next lines
        self.array_counts: dict[Path, int] = {}
        self.parents: dict[Path, Path] = {}  # one tuple for each array's elements
        self.keys: dict[tuple[str, ...], tuple[str, ...]] = {}
        # In a worker, a pause every hundred headers lets a waiting key or save go first: the
        # index of 10,000 records held the interpreter for a quarter of a second (bench (d)).
        self.step = pace.pacer()

    def run(self) -> None:
        text, n = self.text, len(self.text)
        while self.pos < n:
            self._skip_blank()
            if self.pos >= n:
                break
            char = text[self.pos]
            if char in "\r\n":
                self.pos += 1
            elif char == "#":
                self._skip_comment()
            elif char == "[":
                self._header()
            else:
                self._entry()

    def _skip_blank(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def _skip_comment(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end

    def _header(self) -> None:
        start = self.pos
        is_array = self.text.startswith("[[", self.pos)
        self.pos += 2 if is_array else 1
        keys = self._key()
        self.pos += 2 if is_array else 1  # the closing bracket(s)
        path = self._resolve(keys, is_array)
        self.table = path
        parent = path[:-1] if is_array else path
        parent = self.parents.setdefault(parent, parent)
        self.doc.add_header(parent, path[-1] if is_array else -1, start)  # type: ignore[arg-type]
        self.header += 1
        self.step()
        self._skip_comment()

    def _resolve(self, keys: tuple[str, ...], is_array: bool) -> Path:
        # Each array-of-tables along the way means "its latest element".
        path: list[str | int] = []
        for i, key in enumerate(keys):
            path.append(key)
            last = i == len(keys) - 1
            count = self.array_counts.get(tuple(path))
            if count is not None and not (is_array and last):
                path.append(count - 1)
        if is_array:
            count = self.array_counts.get(tuple(path), 0)
            self.array_counts[tuple(path)] = count + 1
            path.append(count)
        return tuple(path)

    def _entry(self) -> None:
        if self._usual_lines():
            return
        start = self.pos
        keys = self._key()
        self._skip_blank()
        self.pos += 1  # "="
        self._skip_blank()
        value_start = self.pos
        self._value(top=True, path=(*self.table, *keys))
        self.doc.add_entry(self.header, keys, start, value_start, self.pos)
        self._skip_blank()
        if self.pos < len(self.text) and self.text[self.pos] == "#":
            self._skip_comment()

    def _usual_lines(self) -> bool:
        """The usual lines from here on, each read in one match (see _SIMPLE_ENTRY); False
        when the line here is not one."""
        text, pos, header, keys = self.text, self.pos, self.header, self.keys
        add, match = self.doc.add_entry, _SIMPLE_ENTRY.match
        read = False
        while pos < len(text) and (line := match(text, pos)) is not None:
            key = (line.group(1),)
            add(header, keys.setdefault(key, key), line.start(1), line.start(2), line.end(2))
            pos, read = line.end(), True
        self.pos = pos
        return read

    def _key(self) -> tuple[str, ...]:
        parts = []
        while True:
            self._skip_blank()
            char = self.text[self.pos]
            if char in "\"'":
                begin = self.pos
                self._string()
                raw = self.text[begin : self.pos]
                parts.append(tomllib.loads(f"k = {raw}")["k"])
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                assert match, f"scanner: no key at offset {self.pos}"
                parts.append(match.group())
                self.pos = match.end()
            self._skip_blank()
            if self.pos < len(self.text) and self.text[self.pos] == ".":
                self.pos += 1
                continue
            # Ten thousand records share a dozen keys: one tuple (and strings) each.
            key = tuple(parts)
            return self.keys.setdefault(key, key)

    def _value(self, top: bool, path: Path) -> None:
        char = self.text[self.pos]
        if char in "\"'":
            self._string()
        elif char in "[{":
            self._container(path)
        elif top:
            # A bare scalar (number, bool, date, time) runs to a comment or the line end;
            # a date-time may hold a space, so trim rather than stop at whitespace.
            end = self.pos
            while end < len(self.text) and self.text[end] not in "#\r\n":
                end += 1
            while end > self.pos and self.text[end - 1] in " \t":
                end -= 1
            self.pos = end
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}#\r\n \t":
                self.pos += 1

    def _string(self) -> None:
        text = self.text
        quote = text[self.pos]
        if text.startswith(quote * 3, self.pos):
            self.pos += 3
            while True:
                char = text[self.pos]
                if char == "\\" and quote == '"':
                    self.pos += 2
                elif char == quote:
                    run = 1
                    while self.pos + run < len(text) and text[self.pos + run] == quote:
                        run += 1
                    self.pos += run
                    if run >= 3:  # up to two quotes may end the content itself
                        return
                else:
                    self.pos += 1
        self.pos += 1
        while True:
            char = text[self.pos]
            if char == "\\" and quote == '"':
                self.pos += 2
            elif char == quote:
                self.pos += 1
                return
            else:
                self.pos += 1

    def _container(self, path: Path) -> None:
        """An inline array or table; where each element starts goes to `doc.inline`, so a
        problem in `sample = [ {...}, ... ]` points at its element, not at `sample =`."""
        close = "]" if self.text[self.pos] == "[" else "}"
        self.pos += 1
        index = 0
        while True:
            char = self.text[self.pos]
            if char in " \t\r\n,":
                self.pos += 1
            elif char == "#":
                self._skip_comment()
            elif char == close:
                self.pos += 1
                return
            elif close == "}":
                self._inline_key_value(path)  # every element of `{ }` is `key = value`
            else:
                self.doc.inline[(*path, index)] = self.pos
                self._value(top=False, path=(*path, index))
                index += 1

    def _inline_key_value(self, path: Path) -> None:
        start = self.pos
        keys = self._key()
        for depth in range(1, len(keys) + 1):
            self.doc.inline.setdefault((*path, *keys[:depth]), start)
        self._skip_blank()
        self.pos += 1  # "="
        self._skip_blank()
        self._value(top=False, path=(*path, *keys))


def iter_lines(text: str) -> Iterator[str]:
    """The lines of `text` with their endings; only `\\n` ends a line in TOML."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1
