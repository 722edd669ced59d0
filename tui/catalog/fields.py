"""What a person types into the sample form, read and checked field by field.

The form shows each message next to its field as the person types; the rules are the file
validator's own (each field's check in model.SAMPLE_FIELDS, the rules between records in
rules.py), so the form, the store and `check` never disagree, and say so in the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attr

from tui.catalog import rules
from tui.catalog.field_types import Choice, Text
from tui.catalog.model import SAMPLE_FIELDS, Catalog, Sample


def initial_text(sample: Sample | None, tube: int) -> dict[str, str]:
    """The form's starting text for each field, in the fields' order."""
    if sample is not None:
        return {key: info.holds.show(getattr(sample, key)) for key, info in SAMPLE_FIELDS.items()}
    texts = {}
    defaults = {key: field.default for key, field in attr.fields_dict(Sample).items()}
    for key, info in SAMPLE_FIELDS.items():
        default = defaults[key]
        if info.choices is not None:  # a choice starts on its default, or the first one
            first = next(iter(info.choices))
            texts[key] = info.holds.show(default if default is not attr.NOTHING else first)
        else:
            texts[key] = ""
    texts["tube"] = str(tube)
    return texts


def read_field(
    field: str, text: str, catalog: Catalog, editing: Sample | None
) -> tuple[Any, str | None]:
    """The value of one field and the problem with it, if any: the field's own rule (as
    `check` says it), then the rules between records (tui/catalog/rules.py)."""
    info = SAMPLE_FIELDS[field]
    tubes = catalog.board.tubes if catalog.board.fixed else None  # else the board grows
    stripped = text.strip()
    value: Any
    if isinstance(info.holds, Text) and not info.required:
        return (text or None), None  # campaign, site, notes: empty means not set
    if isinstance(info.holds, Text | Choice):
        value, _ = info.holds.parse(text)  # as typed: the check says what is wrong with it
    elif not stripped and not info.required:
        return None, None
    else:
        value, problem = info.holds.parse(stripped)
        if problem is not None:
            return None, problem
    message = info.check(value, tubes)
    if message:
        return None, f"a {field} is required" if not stripped else message
    if info.per_sample:  # the tube and the name: no other sample may have them
        claim: dict[str, Any] = {"tube": None, "name": None, field: value}
        found = rules.clash(catalog, **claim, leaving=editing.tube if editing else None)
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
