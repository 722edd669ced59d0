"""The catalogue as data: Board, Sample and Catalog, and the rules each field obeys.

The field rules live here as small functions that return a message or None, so that the
file validator, the attrs validators and the form all say the same thing in the same words.
"""

from __future__ import annotations

import collections
import datetime as dt
import enum
import itertools
import operator
import unicodedata
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
    ValuesView,
)
from typing import Any, Literal

# attrs through its `attr` namespace, everywhere in tui: the same functions and classes as
# `attrs.*`, without the five re-export modules `import attrs` loads (start-up; the figure
# is in bench/RESULTS.md).
import attr

from tui.catalog.field_types import Choice, Date, FieldType, Text, WholeNumber


class Kind(enum.StrEnum):
    ROCK_CORE = "rock-core"
    REGOLITH = "regolith"
    ATMOSPHERE = "atmosphere"
    WITNESS = "witness"


class Status(enum.StrEnum):
    SEALED = "sealed"
    UNSEALED = "unsealed"
    DEPOSITED = "deposited"


# What each kind and status looks like, said once for the board, the table, the summary, the
# help and the printed sheet: symbols first (they carry the meaning without colour).
KIND_SYMBOL = {Kind.ROCK_CORE: "■", Kind.REGOLITH: "░", Kind.ATMOSPHERE: "○", Kind.WITNESS: "♦"}
STATUS_SYMBOL = {Status.SEALED: "=", Status.UNSEALED: "!", Status.DEPOSITED: "▼"}
# The kind colours of any theme that does not set its own, and of the printed sheet.
KIND_COLOURS = {
    "tube-rock-core": "#8c4a2f",
    "tube-rock-core-text": "#ffffff",
    "tube-regolith": "#9c7c38",
    "tube-regolith-text": "#000000",
    "tube-atmosphere": "#2f6690",
    "tube-atmosphere-text": "#ffffff",
    "tube-witness": "#6b6b6b",
    "tube-witness-text": "#ffffff",
}

DEFAULT_TITLE = "Sample tubes"
MAX_TUBES = 100_000  # far beyond any lab's rack, and small enough to lay out

BOARD_KEYS = ("title", "tubes", "columns")
MAX_TOML_INT = 2**63 - 1


def is_int(value: object) -> bool:
    # bool is a subclass of int in Python, but `tube = true` is not a number in TOML.
    return isinstance(value, int) and not isinstance(value, bool)


def name_key(name: str) -> str:
    """The form of a name used to compare names: case and Unicode normalisation ignored."""
    if name.isascii():  # NFC leaves ASCII as it is, and casefold is lower there
        return name.lower().strip()
    return unicodedata.normalize("NFC", name).casefold().strip()


def choices(enum_type: type[enum.StrEnum]) -> str:
    return " | ".join(member.value for member in enum_type)


def check_tube(value: object, tubes: int | None = None) -> str | None:
    if not is_int(value):
        return "tube must be a whole number"
    assert isinstance(value, int)
    if value < 1:
        return f"tube {value} is out of range: tubes are numbered from 1"
    if value > MAX_TUBES:
        return f"tube {value} is out of range: at most {MAX_TUBES:,} tubes are supported"
    if tubes is not None and value > tubes:
        return f"tube {value} is out of range: the board has tubes 1..{tubes}"
    return None


def check_name(value: object) -> str | None:
    if not isinstance(value, str):
        return "name must be a string"
    if not value.strip():
        return "name must not be empty"
    if not _has_visible(value):
        return "name must have a visible character (it holds only invisible ones, such as U+200B)"
    return None


def _has_visible(text: str) -> bool:
    """Whether any character of `text` shows as something: not only spaces, controls,
    format characters (zero-width ones, a soft hyphen, a byte-order mark) or marks that
    only combine with another character."""
    if text.isascii() and text.isprintable():  # the usual name, without a look per character
        return bool(text) and not text.isspace()
    return any(
        not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Mn", "Me", "Zs")
        for char in text
    )


def check_enum(key: str, value: object, enum_type: type[enum.StrEnum]) -> str | None:
    if not isinstance(value, str):
        return f"{key} must be a string, one of: {choices(enum_type)}"
    if value not in _VALUES[enum_type]:
        return f"unknown {key} {value!r}: expected one of {choices(enum_type)}"
    return None


_VALUES: dict[type[enum.StrEnum], frozenset[str]] = {
    kind: frozenset(member.value for member in kind) for kind in (Kind, Status)
}


def check_sol(value: object) -> str | None:
    if not is_int(value):
        return "sol must be a whole number (a mission day)"
    assert isinstance(value, int)
    if value < 0:
        return f"sol {value} is out of range: sols count from 0"
    if value > MAX_TOML_INT:
        return f"sol {value} is too large for a TOML integer"
    return None


def check_date(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return f"date must be a plain date without a time: date = {value.date().isoformat()}"
    if isinstance(value, dt.date):
        return None
    if isinstance(value, str):
        try:
            parsed = dt.date.fromisoformat(value.strip())
        except ValueError:
            return "date must be a TOML date written as YYYY-MM-DD without quotes"
        return f"date is quoted, so TOML reads it as text: write date = {parsed.isoformat()}"
    return "date must be a TOML date written as YYYY-MM-DD without quotes"


def check_text(key: str, value: object) -> str | None:
    if not isinstance(value, str):
        return f"{key} must be a string"
    return None


def check_board_count(key: str, value: object) -> str | None:
    if not is_int(value):
        return f"board.{key} must be a whole number"
    assert isinstance(value, int)
    if value < 1:
        return f"board.{key} must be at least 1"
    if value > MAX_TUBES:
        return f"board.{key} {value} is too large: at most {MAX_TUBES:,} is supported"
    return None


def _raise_if(message: str | None) -> None:
    if message is not None:
        raise ValueError(message)


def _valid_tube(_: object, __: attr.Attribute[int], value: int) -> None:
    _raise_if(check_tube(value))


def _valid_name(_: object, __: attr.Attribute[str], value: str) -> None:
    _raise_if(check_name(value))


def _valid_sol(_: object, __: attr.Attribute[int | None], value: int | None) -> None:
    if value is not None:
        _raise_if(check_sol(value))


def _valid_date(_: object, __: attr.Attribute[dt.date | None], value: dt.date | None) -> None:
    if value is not None:
        _raise_if(check_date(value))


_KEY_SETS: dict[tuple[str, ...], tuple[str, ...]] = {}  # each set of own keys' names, once


class OwnKeys(Mapping[str, Any]):
    """A sample's own keys (those tubeboard does not know), in file order, never changed.

    A dict a sample was 184 bytes for one key and 360 for six (18 MB at 100,000 samples,
    bench (g)); here the key names are one tuple shared by every sample that has the same
    ones, and the values a tuple: 96 and 136 bytes."""

    __slots__ = ("_keys", "_values")

    def __init__(self, items: Mapping[str, Any]) -> None:
        keys = tuple(items)
        if len(_KEY_SETS) < 4096:  # a file of all different names shares nothing
            keys = _KEY_SETS.setdefault(keys, keys)
        self._keys = keys
        self._values = tuple(items.values())

    def __getitem__(self, key: str) -> Any:
        try:
            return self._values[self._keys.index(key)]
        except ValueError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    # The views and equality in C, not through the mixins' lookup a key at a time (`S` on
    # 10,000 samples compares and merges every sample's own keys).
    def items(self) -> ItemsView[str, Any]:
        return dict(zip(self._keys, self._values, strict=True)).items()

    def values(self) -> ValuesView[Any]:
        return dict(zip(self._keys, self._values, strict=True)).values()

    def columns(self) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        """The names (one tuple shared by samples with the same ones) and the values."""
        return self._keys, self._values

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OwnKeys):
            keys, values = other.columns()
            if keys is self._keys:
                return values == self._values
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # equal to dicts, which are not hashable

    def __repr__(self) -> str:
        return repr(dict(self))


NO_OWN_KEYS = OwnKeys({})


def own_items(extra: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """A sample's own keys with their values, in file order, with no dict made for them: a
    pass over every sample (the table's columns, an export) at 100,000 samples took a third
    longer through `items()`, which makes one."""
    if isinstance(extra, OwnKeys):
        keys, values = extra.columns()
        return zip(keys, values, strict=True)
    return iter(extra.items())


_EXTRA = operator.attrgetter("extra")


def own_columns(samples: Iterable[Sample]) -> dict[str, list[Any]]:
    """Every own key of any of `samples` (in the order they first appear) with its values
    (grouped by samples with the same keys, not in the samples' order). Samples with the
    same own keys (one shared tuple of names) are taken together, a column of values each,
    with no step in Python per key and sample: the table's columns at 100,000 samples."""
    columns: dict[str, list[Any]] = {}
    rows: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for extra in map(_EXTRA, samples):
        if isinstance(extra, OwnKeys):
            names, values = extra.columns()
            found = rows.get(names)
            if found is None:
                found = rows[names] = []
                for name in names:
                    columns.setdefault(name, [])
            found.append(values)
        else:
            for name, value in extra.items():
                columns.setdefault(name, []).append(value)
    for names, found_rows in rows.items():
        for name, column in zip(names, zip(*found_rows, strict=True), strict=True):
            columns[name].extend(column)
    return columns


OWN_KEYS_FEW = 16  # more, and a key is looked up in a dict (an OwnKeys searches its names)


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(value, OwnKeys):
        return value
    if len(value) > OWN_KEYS_FEW:  # 100,000 keys of one sample (tests/corpus) stay quick
        return dict(value)
    return OwnKeys(value) if value else NO_OWN_KEYS


@attr.frozen
class FieldInfo:
    """Everything about one field of a sample, said once: the form, `check`, the details,
    the exports and the JSON Schema all derive from these (see SAMPLE_FIELDS)."""

    check: Callable[[object, int | None], str | None]  # the value, board.tubes if set
    holds: FieldType  # the kind of value: its parse, its text, its sort order
    schema: dict[str, Any]  # its JSON Schema entry, less what the type says
    required: bool = False
    row: Literal["input", "select", "notes"] = "input"  # its row in the form
    placeholder: str = ""
    always_shown: bool = False  # in the details even when unset (they never are)
    per_sample: bool = False  # one sample's own (tube, name): never set on many at once

    @property
    def choices(self) -> type[enum.StrEnum] | None:
        return self.holds.choices if isinstance(self.holds, Choice) else None


def _info(**info: Any) -> dict[str, FieldInfo]:
    return {"tubeboard": FieldInfo(**info)}


def _text_rule(key: str) -> Callable[[object, int | None], str | None]:
    return lambda value, _tubes: check_text(key, value)


def _enum_rule(
    key: str, enum_type: type[enum.StrEnum]
) -> Callable[[object, int | None], str | None]:
    return lambda value, _tubes: check_enum(key, value, enum_type)


@attr.frozen
class Sample:
    """One filled tube. `extra` holds the user's own keys, in file order, exactly as read.

    The order of the fields is the order of a new record's keys, the form's rows and the
    exports' columns; each field's metadata says the rest."""

    tube: int = attr.field(
        validator=_valid_tube,
        metadata=_info(
            check=check_tube,
            holds=WholeNumber("a tube number, like 12"),
            required=True,
            per_sample=True,
            always_shown=True,
            schema={
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_TUBES,
                "description": "The tube's number on the board, 1..board.tubes; one sample per "
                "tube.",
            },
        ),
    )
    name: str = attr.field(
        validator=_valid_name,
        metadata=_info(
            check=lambda value, _tubes: check_name(value),
            holds=Text(),
            required=True,
            per_sample=True,
            always_shown=True,
            placeholder="required",
            schema={
                "type": "string",
                "pattern": "\\S",
                "description": "The sample's name; not empty, with a visible character, and "
                "unique ignoring case.",
            },
        ),
    )
    kind: Kind = attr.field(
        converter=Kind,
        metadata=_info(
            check=_enum_rule("kind", Kind),
            holds=Choice(Kind, KIND_SYMBOL),
            required=True,
            always_shown=True,
            row="select",
            schema={"description": "What the tube holds"},
        ),
    )
    status: Status = attr.field(
        default=Status.SEALED,
        converter=Status,
        metadata=_info(
            check=_enum_rule("status", Status),
            holds=Choice(Status, STATUS_SYMBOL),
            always_shown=True,
            row="select",
            schema={"description": "Where the tube is (default sealed)"},
        ),
    )
    sol: int | None = attr.field(
        default=None,
        validator=_valid_sol,
        metadata=_info(
            check=lambda value, _tubes: check_sol(value),
            holds=WholeNumber("a whole number, like 164"),
            placeholder="mission day",
            schema={
                "type": "integer",
                "minimum": 0,
                "maximum": MAX_TOML_INT,
                "description": "The mission day (sol) it was taken, from 0.",
            },
        ),
    )
    date: dt.date | None = attr.field(
        default=None,
        validator=_valid_date,
        metadata=_info(
            check=lambda value, _tubes: check_date(value),
            holds=Date(),
            placeholder="YYYY-MM-DD",
            schema={
                # A TOML date reaches JSON Schema as text: "format" checks its shape, and
                # `tubeboard check` also refuses the quoted form.
                "type": "string",
                "format": "date",
                "description": "The Earth date it was taken, as a TOML date without quotes: "
                "date = 2021-08-06",
            },
        ),
    )
    campaign: str | None = attr.field(
        default=None,
        metadata=_info(
            check=_text_rule("campaign"),
            holds=Text(),
            schema={"type": "string", "description": "The science campaign."},
        ),
    )
    site: str | None = attr.field(
        default=None,
        metadata=_info(
            check=_text_rule("site"),
            holds=Text(),
            schema={"type": "string", "description": "Where on Mars it was taken."},
        ),
    )
    notes: str | None = attr.field(
        default=None,
        metadata=_info(
            check=_text_rule("notes"),
            holds=Text(),
            row="notes",
            schema={"type": "string", "description": "Free notes; may span lines."},
        ),
    )
    extra: Mapping[str, Any] = attr.field(
        default=NO_OWN_KEYS, converter=_frozen_mapping, hash=False
    )

    def to_toml(self) -> dict[str, Any]:
        """The record as TOML data: known keys first (unset ones, and the default status,
        left out), then the user's."""
        data: dict[str, Any] = {}
        for key in SAMPLE_KEYS:
            value = getattr(self, key)
            if value is None or (key == "status" and value is Status.SEALED):
                continue
            data[key] = toml_value(value)
        data.update(own_items(self.extra))
        return data


def toml_value(value: Any) -> Any:
    """A field's value as the file has it: a choice as its text."""
    return value.value if isinstance(value, enum.Enum) else value


# The fields of a sample, in order, with what each says of itself: the one list of them.
SAMPLE_FIELDS: dict[str, FieldInfo] = {
    field.name: field.metadata["tubeboard"]
    for field in attr.fields(Sample)
    if "tubeboard" in field.metadata
}
SAMPLE_KEYS = tuple(SAMPLE_FIELDS)
REQUIRED_KEYS = tuple(key for key, info in SAMPLE_FIELDS.items() if info.required)


@attr.frozen
class Board:
    """The board's settings: its title, its number of tubes, its columns."""

    title: str = DEFAULT_TITLE
    tubes: int = 1
    columns: int | None = None
    # Whether [board] sets `tubes`: if not, the board is as long as its highest tube, and
    # grows when a sample goes past it. (How the file says it: two boards of as many tubes
    # compare equal.)
    fixed: bool = attr.field(default=False, eq=False)


# Each field of Sample: its name, its default (None for a required one) and its converter,
# read once from the class itself.
_SAMPLE_PLAN: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...] = tuple(
    (
        field.name,
        None if field.default is attr.NOTHING else field.default,
        field.converter if callable(field.converter) else None,
    )
    for field in attr.fields(Sample)
)


def checked_sample(known: Mapping[str, Any], extra: Mapping[str, Any]) -> Sample:
    """A Sample from values the reader has just checked field by field (validate.py), made
    without running the validators a second time: they are a third of reading a large file.
    No switch is thrown: attrs' global `validators.disabled()` would turn validation off for
    every thread while it is held, and parses run in three workers."""
    sample = object.__new__(Sample)
    for name, default, convert in _SAMPLE_PLAN:
        if name == "extra":
            value: Any = extra
        else:
            value = known.get(name, default)
        if convert is not None:
            value = convert(value)
        object.__setattr__(sample, name, value)
    return sample


_SAMPLE_ATTRIBUTES = attr.fields_dict(Sample)  # once: `evolved` is called for every tube
# A sample's values read at once and put without the frozen class's __setattr__ (its slots'
# own setters): copying 10,000 samples for S took 25 ms through getattr and setattr.
_SAMPLE_VALUES = operator.attrgetter(*(name for name, _, _ in _SAMPLE_PLAN))
_SAMPLE_SETTERS = {name: getattr(Sample, name).__set__ for name, _, _ in _SAMPLE_PLAN}


_PUTS = tuple(_SAMPLE_SETTERS.values())


def _copied(sample: Sample) -> Sample:
    made = object.__new__(Sample)
    # Each slot's setter called with its value in one C loop (no Python step per field).
    collections.deque(map(operator.call, _PUTS, itertools.repeat(made), _SAMPLE_VALUES(sample)), 0)
    return made


def evolved(sample: Sample, changes: Mapping[str, Any]) -> Sample:
    """`attr.evolve(sample, **changes)` for a change of many: the changed fields converted
    and validated as the class does it, the others taken as they are (they were checked when
    `sample` was made; no rule spans two fields). Evolving all 10,000 tubes re-checked every
    field of each: a sixth of `S` on them all (bench (k))."""
    fields = _SAMPLE_ATTRIBUTES
    made = _copied(sample)
    for name, value in changes.items():
        field = fields[name]  # a KeyError, as evolve's TypeError, for a field Sample lacks
        converted = field.converter(value) if callable(field.converter) else value
        if field.validator is not None:
            field.validator(made, field, converted)
        object.__setattr__(made, name, converted)
    return made


def changed_by(
    samples: Sequence[Sample], changes: Mapping[str, Any]
) -> list[tuple[Sample, Sample]]:
    """Each of `samples` that `changes` change, with what it becomes (`evolved`, each value
    converted and checked once for them all, not once a sample)."""
    if not samples or not changes:
        return []
    probe = evolved(samples[0], changes)  # refuses, as evolve would, what the class refuses
    values = {name: getattr(probe, name) for name in changes}
    setters = [(_SAMPLE_SETTERS[name], value) for name, value in values.items()]
    current = operator.attrgetter(*values)  # one value, or a tuple of them for several
    wanted = tuple(values.values()) if len(values) > 1 else next(iter(values.values()))
    pairs = []
    for sample in samples:
        if current(sample) == wanted:
            continue  # already so: nothing to write
        made = _copied(sample)
        for put, value in setters:
            put(made, value)
        pairs.append((sample, made))
    return pairs


@attr.frozen
class Catalog:
    """One catalogue as read: its board and its samples, indexed by tube and name."""

    board: Board = attr.field(factory=Board)
    samples: tuple[Sample, ...] = ()
    # Tube number to sample, built once: the board asks on every cursor move.
    _index: dict[int, Sample] = attr.field(init=False, eq=False, repr=False)
    # Compared name to tube, built when first asked for (by a save, not by a read).
    _names: dict[str, int] | None = attr.field(init=False, eq=False, repr=False, default=None)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", {sample.tube: sample for sample in self.samples})

    def changed(self, position: int, sample: Sample | None, board: Board | None = None) -> Catalog:
        """This catalogue with `sample` at `position` of the samples: added at the end when
        `position` is past it, removed when `sample` is None. A save's way to the new
        catalogue, without indexing ten thousand samples again."""
        samples, index = list(self.samples), dict(self._index)
        if position < len(samples):
            del index[samples[position].tube]
            if sample is None:
                del samples[position]
            else:
                samples[position] = sample
        elif sample is not None:
            samples.append(sample)
        if sample is not None:
            index[sample.tube] = sample
        if len(index) != len(samples):  # tubes used twice: index them as the reader does
            return Catalog(board or self.board, tuple(samples))
        new = Catalog(board or self.board)  # no samples yet, so nothing to index
        object.__setattr__(new, "samples", tuple(samples))
        object.__setattr__(new, "_index", index)
        return new

    def tube_named(self, name: str) -> int | None:
        """The tube holding a sample of this name, ignoring case and Unicode form."""
        if self._names is None:
            names = {name_key(sample.name): sample.tube for sample in self.samples}
            object.__setattr__(self, "_names", names)
        assert self._names is not None
        return self._names.get(name_key(name))

    def by_tube(self) -> dict[int, Sample]:
        return dict(self._index)

    def sample_at(self, tube: int) -> Sample | None:
        return self._index.get(tube)

    def empty_tubes(self) -> Iterator[int]:
        used = {sample.tube for sample in self.samples}
        return (tube for tube in range(1, self.board.tubes + 1) if tube not in used)


def field_changes(old: Sample, new: Sample) -> list[str]:
    """What differs between two versions of a sample, in words: `status: 'sealed' → ...`."""
    changes = []
    for key in SAMPLE_KEYS:
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            changes.append(f"{key}: {_word(before)} → {_word(after)}")
    for key in old.extra.keys() | new.extra.keys():
        if key not in new.extra:
            changes.append(f"{key}: removed")
        elif key not in old.extra:
            changes.append(f"{key}: added")
        elif old.extra[key] != new.extra[key]:
            changes.append(f"{key}: changed")
    return changes


def _word(value: object) -> str:
    if value is None:
        return "unset"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:39] + "…")
    return str(value)


def describe_changes(old: Catalog, new: Catalog, most: int = 4) -> str:
    """A short account of what differs between two catalogues, for a notification."""
    before, after = old.by_tube(), new.by_tube()
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    changed = sorted(t for t in before.keys() & after.keys() if before[t] != after[t])
    parts = []
    for word, tubes in (("added", added), ("changed", changed), ("emptied", removed)):
        if not tubes:
            continue
        listed = ", ".join(str(t) for t in tubes[:most]) + (" …" if len(tubes) > most else "")
        parts.append(f"tube{'s' if len(tubes) > 1 else ''} {listed} {word}")
    if old.board != new.board:
        parts.append("board settings changed")
    return "; ".join(parts) or "no change to the samples"
