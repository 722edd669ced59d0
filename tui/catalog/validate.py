"""Bytes in, a Catalog or a list of problems out: every problem at once, each with a place."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attr

from tui.catalog import model, pace, rules, toml_read
from tui.catalog.model import Board, Catalog, Sample
from tui.lazy import later

# What only a problem to place or an edit to make needs (tui/lazy.py): a valid file's first
# screen loads none of it.
if TYPE_CHECKING:
    import difflib
    import unicodedata

    from tui.catalog import document, edit
    from tui.catalog.document import Document, Path
else:
    difflib = later("difflib")
    unicodedata = later("unicodedata")
    document = later("tui.catalog.document")
    edit = later("tui.catalog.edit")

BOM = "\ufeff"


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@attr.frozen(order=True)
class Problem:
    line: int
    col: int
    message: str = attr.field(order=False)
    severity: Severity = attr.field(default=Severity.ERROR, order=False)

    def format(self, path: str) -> str:
        return f"{path}:{self.line}:{self.col}: {self.severity}: {self.message}"


class Parsed:
    """The outcome of reading a catalogue. `catalog` is None when any error was found.

    Built once and never changed: the position index of the text (`document`) and the
    inline-array hint are worked out when first asked for (a problem to place, an edit to
    make), so a valid file costs tomllib and the model, and are the same every time after.
    """

    def __init__(
        self,
        text: str,
        problems: tuple[Problem, ...],
        catalog: Catalog | None = None,
        data: dict[str, Any] | None = None,
        bom: bool = False,
        inline_hint: bool | None = None,
        document: Document | None = None,
    ) -> None:
        self.text = text  # decoded, without a byte-order mark
        self.problems = problems
        self.catalog = catalog
        self.data = data
        self.bom = bom
        self._inline_hint = inline_hint  # known already (an appended record keeps it)
        if document is not None:  # built already, to place a problem
            self.__dict__["document"] = document

    @functools.cached_property
    def document(self) -> Document:
        return document.Document(self.text)  # a valid file on the first screen never needs it

    @functools.cached_property
    def may_be_inline(self) -> bool:
        """False when no line can start `sample = [...]`: a quick look that spares an edit
        the full scan. True only means: look properly."""
        if self._inline_hint is not None:
            return self._inline_hint
        return edit.INLINE_HINT.search(self.text) is not None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


def sets_tubes(data: dict[str, Any] | None) -> bool:
    """Whether `[board]` sets `tubes`; if not, the board is as large as its highest tube."""
    board = (data or {}).get("board")
    return isinstance(board, dict) and "tubes" in board


def parse_bytes(raw: bytes) -> Parsed:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Parsed(text="", problems=tuple(_encoding_problems(raw)))
    return parse_text(text)


def string_sharer() -> Callable[[list[Any]], None]:
    """Records changed in place to one copy of each key, and of each short text value, across
    them all: the parser makes a new string for every key of every record, and ten thousand
    records share a dozen keys and a few hundred kinds, statuses, campaigns and sites (bench
    (g)). Given to the parser, which hands it the records a slice at a time."""
    shared: dict[str, str] = {}
    step = pace.pacer()

    def share(records: list[Any]) -> None:
        for index, record in enumerate(records):
            step()
            if isinstance(record, dict):
                records[index] = {
                    shared.setdefault(key, key): (
                        shared.setdefault(value, value)
                        if isinstance(value, str) and len(value) <= 40
                        else value
                    )
                    for key, value in record.items()
                }

    return share


def parse_text(text: str) -> Parsed:
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    try:
        data = toml_read.loads(body, string_sharer())
    except toml_read.TOMLDecodeError as error:
        return Parsed(text=body, problems=(syntax_problem(error, body),), bom=bom)
    except RecursionError:
        return Parsed(text=body, problems=(_too_deep(body),), bom=bom)
    built: list[Document] = []  # the position index, once a problem needs a place

    def located() -> Document:
        if not built:
            built.append(document.Document(body))
        return built[0]

    checker = _Checker(located)
    catalog = checker.check(data)
    problems = tuple(sorted(checker.problems))
    if any(p.severity is Severity.ERROR for p in problems):
        catalog = None
    return Parsed(body, problems, catalog, data, bom, document=built[0] if built else None)


HEAD_MIN_BYTES = 512 * 1024  # below this, reading the whole file is quick enough
_SAMPLE_HEADER = r"^\[\[sample\]\]"  # compiled on first use: only large files need it


def parse_head(raw: bytes, records: int = 400) -> Parsed | None:
    """The first `records` samples of a large file, to show while the rest is read.

    Only when it is safe to show: the head must be valid TOML on its own (a cut inside a
    multi-line string never is), hold no problems, and carry `[board]` with `tubes`, so the
    board's shape will not change when the whole file arrives. Otherwise None: read it all.
    """
    if len(raw) < HEAD_MIN_BYTES:
        return None
    toml_read.prepare()  # the rest is read in a worker, which may not import the fast parser
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text.removeprefix(BOM)
    headers = re.finditer(_SAMPLE_HEADER, text, re.M)
    cut = next((m.start() for i, m in enumerate(headers) if i == records), None)
    if cut is None:
        return None
    head = parse_text(text[:cut])
    if head.catalog is None or not sets_tubes(head.data):
        return None
    return head


def _encoding_problems(raw: bytes) -> list[Problem]:
    problems = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            col = len(line[: error.start].decode("utf-8", errors="replace")) + 1
            message = (
                f"not UTF-8: byte 0x{line[error.start]:02x} cannot be read; save the file as UTF-8"
            )
            problems.append(Problem(number, col, message))
    return problems


# Patterns kept as text, compiled by `re` on first use: a good file never needs them.
_AT_LINE = r"^(.*) \(at line (\d+), column (\d+)\)$"
_AT_END = r"^(.*) \(at end of document\)$"


def syntax_problem(error: toml_read.TOMLDecodeError, text: str) -> Problem:
    message = str(error)
    match = re.match(_AT_LINE, message, re.S)
    if match:
        line, col = int(match[2]), int(match[3])
        return Problem(line, col, f"TOML syntax: {match[1]}{_invisible_at(text, line, col)}")
    match = re.match(_AT_END, message, re.S)
    lines = text.split("\n")
    line, col = len(lines), len(lines[-1]) + 1
    return Problem(line, col, f"TOML syntax: {match[1] if match else message} at end of file")


def _invisible_at(text: str, line: int, col: int) -> str:
    """Name an invisible character where TOML stopped reading: a byte-order mark pasted into
    the middle of a file, a zero-width space, a no-break space look like nothing at all."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines) or not 1 <= col <= len(lines[line - 1]):
        return ""
    char = lines[line - 1][col - 1]
    if char in " \t\r" or unicodedata.category(char) not in ("Cc", "Cf", "Zs", "Zl", "Zp"):
        return ""
    name = unicodedata.name(char, "a control character")
    what = ", a byte-order mark," if char == BOM else ""
    return f": the character here is U+{ord(char):04X} {name}{what} which is invisible; delete it"


def _too_deep(text: str, limit: int = 100) -> Problem:
    """Where arrays or inline tables first nest deeper than `limit` (strings not parsed: this
    only places the message)."""
    depth, line, col = 0, 1, 1
    for char in text:
        if char in "[{":
            depth += 1
            if depth > limit:
                break
        elif char in "]}":
            depth -= 1
        if char == "\n":
            line, col = line + 1, 1
        else:
            col += 1
    return Problem(line, col, f"values are nested too deeply to read (over {limit} levels)")


@functools.lru_cache(maxsize=4096)  # the same user key recurs in every record
def _suggest(key: str, known: tuple[str, ...]) -> str | None:
    """The known key that `key` looks like a misspelling of, if any."""
    if key.lower() in known:
        return key.lower()
    close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.75)
    return close[0] if close else None


def _note_claims(
    where: dict[tuple[str, object], int], index: int, tube: int | None, name: str | None
) -> None:
    """Record `index`'s tube and name in `where`, unless an earlier record claimed them."""
    if tube is not None:
        where.setdefault(("tube", tube), index)
    if name is not None:
        where.setdefault(("name", model.name_key(name)), index)


class _Checker:
    """Every problem of a parsed catalogue at once, each at its place; the Catalog when there
    is none."""

    def __init__(self, document: Callable[[], Document]) -> None:
        self.document = document  # built on the first problem that needs a place
        self.problems: list[Problem] = []

    @property
    def doc(self) -> Document:
        return self.document()

    def report(self, path: Path, message: str, severity: Severity = Severity.ERROR) -> None:
        line, col = self.doc.locate(path)
        self.problems.append(Problem(line, col, message, severity))

    def warn_unknown(self, path: Path, key: str, known: tuple[str, ...]) -> None:
        guess = _suggest(key, known)
        if guess is not None:
            where = ".".join(str(p) for p in path[:-1] if isinstance(p, str)) or "the top level"
            self.report(
                path,
                f"unknown key {key!r} in {where}: did you mean {guess!r}? (kept as your own key)",
                Severity.WARNING,
            )

    def check(self, data: dict[str, Any]) -> Catalog | None:
        for key in data:
            if key not in ("board", "sample"):
                self.warn_unknown((key,), key, ("board", "sample"))
        self.explicit_tubes = sets_tubes(data)
        board = self.check_board(data.get("board", {}))
        samples = self.check_samples(data.get("sample", []), board)
        if board is None or samples is None:
            return None
        if not self.explicit_tubes:
            board = attr.evolve(board, tubes=max((s.tube for s in samples), default=1))
        return Catalog(board, tuple(samples))

    def check_board(self, table: object) -> Board | None:
        if not isinstance(table, dict):
            self.report(("board",), "board must be a table: write [board] on its own line")
            return None
        ok = True
        for key, value in table.items():
            path: Path = ("board", key)
            if key == "title":
                message = model.check_text("board.title", value)
            elif key in ("tubes", "columns"):
                message = model.check_board_count(key, value)
            elif key in ("sample", "samples"):
                self.report(
                    path,
                    f"board.{key} is not read as samples: they belong at the top level. Put "
                    "`sample = [...]` above [board], or write [[sample]] blocks "
                    f"(not [[board.{key}]])",
                    Severity.WARNING,
                )
                continue
            else:
                self.warn_unknown(path, key, model.BOARD_KEYS)
                continue
            if message:
                self.report(path, message)
                ok = False
        if not ok:
            return None
        return Board(
            title=table.get("title", model.DEFAULT_TITLE),
            tubes=table.get("tubes", 1),
            columns=table.get("columns"),
            fixed="tubes" in table,
        )

    def check_samples(self, records: object, board: Board | None) -> list[Sample] | None:
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            self.report(("sample",), "sample must be an array of tables: write [[sample]] blocks")
            return None
        tubes = board.tubes if board is not None and self.explicit_tubes else None
        samples: list[Sample] = []
        # Duplicates are judged on the raw values, so they show even in a broken record; the
        # range is the field's own rule (check_sample), so only the tube and name are asked.
        claims = rules.Claims(Board())
        # Where each tube and name was first claimed, to say the line of a clash: made at
        # the first clash from the records before it (a valid file has none, and the map
        # of every record was 25 MB of the read's peak at 100,000, bench (g)).
        where: dict[tuple[str, object], int] | None = None
        current = 0

        def first_claims(index: int) -> dict[tuple[str, object], int]:
            found: dict[tuple[str, object], int] = {}
            for earlier, record in enumerate(records[:index]):
                _note_claims(found, earlier, *self._asked(record))
            return found

        def line_of(field: str, asked: object) -> int | None:
            nonlocal where
            if where is None:
                where = first_claims(current)
            key = model.name_key(asked) if isinstance(asked, str) else asked
            index = where.get((field, key))
            return None if index is None else self.doc.locate(("sample", index, field))[0]

        ok = True
        step = pace.pacer()
        for index, record in enumerate(records):
            step()
            current = index
            sample = self.check_sample(index, record, tubes)
            ok = ok and sample is not None
            if sample is not None:
                samples.append(sample)
            base: Path = ("sample", index)
            asked_tube, asked_name = self._asked(record)
            for found in (
                rules.clash(claims, asked_tube, None, line_of=line_of),
                rules.clash(claims, None, asked_name, line_of=line_of),
            ):
                if found is not None:
                    self.report((*base, found.field), found.message)
                    ok = False
            if where is not None:
                _note_claims(where, index, asked_tube, asked_name)
            claims.claim(asked_tube if asked_tube is not None else record.get("tube"), asked_name)
        return samples if ok else None

    @staticmethod
    def _asked(record: dict[str, Any]) -> tuple[int | None, str | None]:
        """The tube and name a record claims, where each is one to claim."""
        tube, name = record.get("tube"), record.get("name")
        asked_tube = tube if model.is_int(tube) and not model.check_tube(tube) else None
        asked_name = name if isinstance(name, str) and name.strip() else None
        return asked_tube, asked_name

    @functools.cache  # noqa: B019 (one checker per read; built once, not per record)
    def _rules(self, tubes: int | None) -> dict[str, Callable[[object], str | None]]:
        """Each field's own rule, from its definition (model.SAMPLE_FIELDS)."""

        def bound(
            check: Callable[[object, int | None], str | None],
        ) -> Callable[[object], str | None]:
            return lambda value: check(value, tubes)

        return {key: bound(info.check) for key, info in model.SAMPLE_FIELDS.items()}

    def check_sample(self, index: int, record: dict[str, Any], tubes: int | None) -> Sample | None:
        base: Path = ("sample", index)
        ok = True
        for required in model.REQUIRED_KEYS:
            if required not in record:
                self.report(base, f"this sample has no {required} (required)")
                ok = False
        rules = self._rules(tubes)
        extra: dict[str, Any] = {}
        for key, value in record.items():
            rule = rules.get(key)
            if rule is None:
                self.warn_unknown((*base, key), key, model.SAMPLE_KEYS)
                extra[key] = value
                continue
            message = rule(value)
            if message:
                self.report((*base, key), message)
                ok = False
        if not ok:
            return None
        known = {k: v for k, v in record.items() if k in model.SAMPLE_KEYS}
        return model.checked_sample(known, extra)  # every value was just checked above


def sample_from_record(record: dict[str, Any]) -> Sample:
    """The Sample a checked record describes: known keys as fields, the rest as its own."""
    known = {k: v for k, v in record.items() if k in model.SAMPLE_KEYS}
    extra = {k: v for k, v in record.items() if k not in model.SAMPLE_KEYS}
    return Sample(**known, extra=extra)
