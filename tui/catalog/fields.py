"""What a person types into the sample form, read and checked field by field.

The form shows each message next to its field as the person types; the rules are the file
validator's own (model.check_*), so the form and `check` never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attr

from tui.catalog import model
from tui.catalog.model import Catalog, Kind, Sample, Status

TEXT_FIELDS = ("tube", "name", "sol", "date", "campaign", "site", "notes")


def initial_text(sample: Sample | None, tube: int) -> dict[str, str]:
    """The form's starting text for each field."""
    if sample is None:
        return {
            "tube": str(tube),
            "name": "",
            "sol": "",
            "date": "",
            "campaign": "",
            "site": "",
            "notes": "",
            "kind": Kind.ROCK_CORE.value,
            "status": Status.SEALED.value,
        }
    return {
        "tube": str(sample.tube),
        "name": sample.name,
        "kind": sample.kind.value,
        "status": sample.status.value,
        "sol": "" if sample.sol is None else str(sample.sol),
        "date": "" if sample.date is None else sample.date.isoformat(),
        "campaign": sample.campaign or "",
        "site": sample.site or "",
        "notes": sample.notes or "",
    }


def read_field(
    field: str, text: str, catalog: Catalog, editing: Sample | None
) -> tuple[Any, str | None]:
    """The value of one field and the problem with it, if any."""
    if field == "tube":
        try:
            tube = int(text.strip())
        except ValueError:
            return None, "a tube number, like 12"
        if not 1 <= tube <= catalog.board.tubes:
            return None, f"1 to {catalog.board.tubes} on this board"
        holder = catalog.sample_at(tube)
        # The tube being edited is its own, even if its record changed on disk meanwhile:
        # the save then says so, rather than blaming the tube field.
        if holder is not None and (editing is None or holder.tube != editing.tube):
            return None, f"tube {tube} holds {holder.name!r}"
        return tube, None
    if field == "name":
        message = model.check_name(text)
        if message:
            return None, message if text.strip() else "a name is required"
        holder_tube = catalog.tube_named(text)
        if holder_tube is not None and (editing is None or editing.tube != holder_tube):
            return None, f"tube {holder_tube} already has this name"
        return text, None
    if field == "sol":
        if not text.strip():
            return None, None
        try:
            sol = int(text.strip())
        except ValueError:
            return None, "a whole number, like 164"
        return sol, model.check_sol(sol)
    if field == "date":
        if not text.strip():
            return None, None
        try:
            return dt.date.fromisoformat(text.strip()), None
        except ValueError:
            return None, "YYYY-MM-DD, like 2021-08-06"
    if field in ("kind", "status"):
        return text, model.check_enum(field, text, Kind if field == "kind" else Status)
    return (text or None), None  # campaign, site, notes: empty means not set


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
