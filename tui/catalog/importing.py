"""A spreadsheet in: rows of CSV or JSON (as `export` writes them) made into one change of
many samples, or every problem with its row and column.

Rows are matched to records by tube, or by name where a row has no tube. A blank cell (or a
JSON null) leaves a key as it is; a column of the user's own sets that key. Nothing is
deleted unless `delete_missing`. The change is values (`Plan`): the caller shows it
(`--dry-run`) or hands its pairs to the store, which writes them in one atomic save.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

import attr

from tui.catalog import model
from tui.catalog.changes import record_words
from tui.catalog.export import FORMULA_START, plain_record
from tui.catalog.model import SAMPLE_FIELDS, Catalog, Sample


@attr.frozen
class RowProblem:
    row: int
    column: str
    message: str

    def format(self) -> str:
        where = f"row {self.row}, {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.message}"


@attr.frozen
class Plan:
    """What the rows change: each (old, new) pair (None for an added or deleted sample), and
    the same in `log`'s words, a line per record."""

    pairs: tuple[tuple[Sample | None, Sample | None], ...]
    lines: tuple[str, ...]


Row = tuple[int, dict[str, Any]]  # (its number for the person, column -> value)


def read_rows(text: str, json_format: bool) -> list[Row] | RowProblem:
    """The rows of a CSV file (header first; rows numbered as a spreadsheet shows them, the
    header being row 1) or of a JSON file (`{"samples": [...]}` as export writes, or a list;
    rows numbered from 1); or what stops the file being read as rows."""
    if json_format:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            return RowProblem(error.lineno, "", f"not JSON: {error.msg}")
        records = data.get("samples") if isinstance(data, dict) else data
        if not isinstance(records, list):
            return RowProblem(1, "", 'expected a list of samples, or {"samples": [...]}')
        rows: list[Row] = []
        for number, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                return RowProblem(number, "", "each sample must be a JSON object")
            rows.append((number, record))
        return rows
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        table = list(reader)
    except csv.Error as error:
        return RowProblem(reader.line_num, "", f"not CSV: {error}")
    if not table:
        return []
    header = [_uncell(name) for name in table[0]]
    if len(set(header)) != len(header):
        return RowProblem(1, "", "a column name appears twice")
    out: list[Row] = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line at the end of a sheet
        if len(cells) > len(header):
            return RowProblem(number, "", f"{len(cells)} cells under {len(header)} columns")
        out.append((number, {key: _uncell(cell) for key, cell in zip(header, cells, strict=False)}))
    return out


def _uncell(cell: str) -> str:
    """A cell as export wrote its text: the quote it put before a formula-like start goes."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def plan(catalog: Catalog, rows: Sequence[Row], delete_missing: bool) -> Plan | list[RowProblem]:
    problems: list[RowProblem] = []
    by_name = {model.name_key(s.name): s for s in catalog.samples}
    tubes = catalog.board.tubes if catalog.board.fixed else None
    touched: dict[int, int] = {}  # an existing sample's tube -> the row that names it
    pairs: list[tuple[Sample | None, Sample | None]] = []
    numbers: list[int] = []  # the row of each pair (0: deleted for want of a row)
    for number, row in rows:
        values = {k: v for k, v in row.items() if not _blank(v)}
        old, found = _match(catalog, by_name, values, tubes)
        if found:
            problems.append(RowProblem(number, found[0], found[1]))
            continue
        if old is not None:
            if old.tube in touched:
                said = f"tube {old.tube} is also row {touched[old.tube]}'s"
                problems.append(RowProblem(number, "", said))
                continue
            touched[old.tube] = number
        new = _sample(old, values, number, tubes, problems)
        if new is not None and new != old:
            pairs.append((old, new))
            numbers.append(number)
    if delete_missing:
        gone = [s for s in catalog.samples if s.tube not in touched]
        pairs += [(s, None) for s in gone]
        numbers += [0] * len(gone)
    problems += _clashes(catalog, pairs, numbers)
    if problems:
        return sorted(problems, key=lambda p: p.row)
    return Plan(tuple(pairs), tuple(_line(old, new) for old, new in pairs))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _match(
    catalog: Catalog, by_name: Mapping[str, Sample], values: dict[str, Any], tubes: int | None
) -> tuple[Sample | None, tuple[str, str] | None]:
    """The sample a row is about (None: a new one), or the column and what is wrong."""
    if "tube" in values:
        tube, problem = _value("tube", values["tube"], tubes)
        if problem:
            return None, ("tube", problem)
        return catalog.sample_at(tube), None
    if "name" in values and isinstance(values["name"], str):
        found = by_name.get(model.name_key(values["name"]))
        if found is None:
            return None, ("tube", "a new sample needs a tube (no sample has this name)")
        return found, None
    return None, ("", "the row has neither a tube nor a name to find its sample by")


def _value(key: str, raw: Any, tubes: int | None) -> tuple[Any, str | None]:
    """A cell as the field's value, checked by the field's own rule."""
    info = SAMPLE_FIELDS[key]
    if isinstance(raw, bool | dict | list):
        return None, f"{json.dumps(raw)} is not a {key}"
    value, problem = info.holds.parse(str(raw).strip() if key != "notes" else str(raw))
    if problem:
        return None, problem
    return value, info.check(value, tubes)


def _own(raw: Any, before: Any) -> Any:
    """A cell of a column of the user's own, as a TOML value: JSON's own types as they are;
    CSV text as the type the key held before where it reads as one, else as a whole number,
    a decimal, true/false, a date, a JSON array or table, or text."""
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    if isinstance(before, str):
        return raw
    for read in (int, float, _boolean, dt.date.fromisoformat, _json_container):
        try:
            value = read(text)
        except (ValueError, json.JSONDecodeError):
            continue
        if before is None or type(value) is type(before):
            return value
    return raw


def _boolean(text: str) -> bool:
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(text)


def _json_container(text: str) -> Any:
    value = json.loads(text)
    if not isinstance(value, list | dict):
        raise ValueError(text)
    return value


def _sample(
    old: Sample | None,
    values: dict[str, Any],
    number: int,
    tubes: int | None,
    problems: list[RowProblem],
) -> Sample | None:
    known: dict[str, Any] = {}
    extra = dict(old.extra) if old is not None else {}
    ok = True
    for key, raw in values.items():
        if key in SAMPLE_FIELDS:
            value, problem = _value(key, raw, tubes)
            if problem:
                problems.append(RowProblem(number, key, problem))
                ok = False
            known[key] = value
        else:
            extra[key] = _own(raw, extra.get(key))
    if old is None:
        for required in model.REQUIRED_KEYS:
            if required not in known:
                problems.append(RowProblem(number, required, "a new sample needs one"))
                ok = False
    if not ok:
        return None
    if old is None:
        return Sample(**known, extra=extra)
    return attr.evolve(old, **known, extra=extra)


def _clashes(
    catalog: Catalog, pairs: list[tuple[Sample | None, Sample | None]], numbers: list[int]
) -> list[RowProblem]:
    """Two samples in one tube, or with one name, once every row is applied."""
    leaving = {old.tube for old, _ in pairs if old is not None}
    final = [(s, 0) for s in catalog.samples if s.tube not in leaving]
    final += [(new, n) for (_, new), n in zip(pairs, numbers, strict=True) if new is not None]
    problems = []
    tubes: dict[int, int] = {}
    names: dict[str, int] = {}
    for sample, number in final:
        if sample.tube in tubes:
            row = number or tubes[sample.tube]
            said = f"tube {sample.tube} would hold two samples"
            problems.append(RowProblem(row, "tube", said))
        tubes.setdefault(sample.tube, number)
        key = model.name_key(sample.name)
        if key in names:
            row = number or names[key]
            problems.append(RowProblem(row, "name", f"{sample.name!r} would name two samples"))
        names.setdefault(key, number)
    return problems


def _line(old: Sample | None, new: Sample | None) -> str:
    either = new or old
    assert either is not None
    words = record_words(_record(old), _record(new))
    return f"tube {either.tube} {either.name!r}: {', '.join(words)}"


def _record(sample: Sample | None) -> dict[str, Any] | None:
    """Every set field (the default status too, so `sealed → deposited` reads whole)."""
    if sample is None:
        return None
    return {k: v for k, v in plain_record(sample).items() if v is not None}
