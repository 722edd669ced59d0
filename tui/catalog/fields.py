"""What a person types into the sample form, read and checked field by field.

The form shows each message next to its field as the person types; the rules are the file
validator's own (each field's check in model.SAMPLE_FIELDS, the rules between records in
rules.py), so the form, the store and `check` never disagree, and say so in the same words.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from typing import Any

import attr

from tui.catalog import rules
from tui.catalog.model import SAMPLE_FIELDS, Catalog, Sample


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def initial_text(sample: Sample | None, tube: int) -> dict[str, str]:
    """The form's starting text for each field, in the fields' order."""
    if sample is not None:
        return {key: _as_text(getattr(sample, key)) for key in SAMPLE_FIELDS}
    texts = {}
    defaults = {key: field.default for key, field in attr.fields_dict(Sample).items()}
    for key, info in SAMPLE_FIELDS.items():
        default = defaults[key]
        if info.choices is not None:  # a choice starts on its default, or the first one
            first = next(iter(info.choices))
            texts[key] = _as_text(default if default is not attr.NOTHING else first)
        else:
            texts[key] = ""
    texts["tube"] = str(tube)
    return texts


# How the text of a box becomes a value, by the field's type, with the hint a person needs.
_WHOLE_NUMBER = {"tube": "a tube number, like 12", "sol": "a whole number, like 164"}


_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_field(
    field: str, text: str, catalog: Catalog, editing: Sample | None
) -> tuple[Any, str | None]:
    """The value of one field and the problem with it, if any: the field's own rule (as
    `check` says it), then the rules between records (tui/catalog/rules.py)."""
    info = SAMPLE_FIELDS[field]
    tubes = catalog.board.tubes if catalog.board.fixed else None  # else the board grows
    stripped = text.strip()
    value: Any
    if field in _WHOLE_NUMBER:
        if not stripped and not info.required:
            return None, None
        try:
            value = int(stripped)
        except ValueError:
            return None, _WHOLE_NUMBER[field]
    elif field == "date":
        if not stripped:
            return None, None
        try:
            value = dt.date.fromisoformat(stripped)
        except ValueError:
            if _DATE_SHAPE.fullmatch(stripped):
                return None, "no such day in the calendar"
            return None, "YYYY-MM-DD, like 2021-08-06"
    elif info.required or info.choices is not None:
        value = text
    else:
        return (text or None), None  # campaign, site, notes: empty means not set
    message = info.check(value, tubes)
    if message:
        return None, "a name is required" if field == "name" and not stripped else message
    if field in ("tube", "name"):
        tube, name = (value, None) if field == "tube" else (None, value)
        found = rules.clash(catalog, tube, name, leaving=editing.tube if editing else None)
        message = found.message if found else None
    return (None, message) if message else (value, None)


def build_sample(
    texts: Mapping[str, str], catalog: Catalog, editing: Sample | None, initial: Mapping[str, str]
) -> tuple[Sample | None, dict[str, str]]:
    """The sample the form describes, or the problems per field.

    Fields the person did not touch keep their old value exactly, so opening and saving a
    sample never rewrites what the form would have normalised (an empty campaign, say).
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, text in texts.items():
        value, message = read_field(field, text, catalog, editing)
        if message:
            errors[field] = message
        elif editing is not None and text == initial.get(field):
            values[field] = getattr(editing, field)
        else:
            values[field] = value
    if errors:
        return None, errors
    if editing is not None:
        return attr.evolve(editing, **values), {}
    return Sample(**values), {}
