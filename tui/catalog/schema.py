"""The JSON Schema of catalog.toml, built from the model so the two cannot drift.

Editors that read `#:schema` lines (taplo, Even Better TOML) use it to complete keys and flag
mistakes while a person types. It is draft-04, the draft they read. JSON Schema cannot say
everything `tubeboard check` does: it cannot tell a TOML date from a quoted one (both reach it
as text), see duplicate tubes or names across records, or compare a tube with board.tubes.
Those stay with `check`; everything else is said in both.
"""

from __future__ import annotations

import json
from typing import Any

from tui.catalog import model
from tui.catalog.model import Kind, Status

SCHEMA_FILE = "catalog.schema.json"
SCHEMA_LINE = f"#:schema ./{SCHEMA_FILE}"

_KIND_DOCS = {
    Kind.ROCK_CORE: "a core drilled from rock",
    Kind.REGOLITH: "loose surface material",
    Kind.ATMOSPHERE: "a sample of the air",
    Kind.WITNESS: "a witness tube: it records what the rover may have brought from Earth",
}
_STATUS_DOCS = {
    Status.SEALED: "sealed and carried by the rover (the default)",
    Status.UNSEALED: "filled but not sealed",
    Status.DEPOSITED: "left on the surface at a depot",
}


def _count(what: str) -> dict[str, Any]:
    return {
        "type": "integer",
        "minimum": 1,
        "maximum": model.MAX_TUBES,
        "description": what,
    }


def _choice(
    enum_type: type[Kind] | type[Status], docs: dict[Any, str], what: str
) -> dict[str, Any]:
    return {
        "type": "string",
        "enum": [member.value for member in enum_type],
        "description": f"{what}: {model.choices(enum_type)}",
        "x-taplo": {"docs": {"enumValues": [docs[member] for member in enum_type]}},
    }


_CHOICE_DOCS: dict[type[Kind] | type[Status], dict[Any, str]] = {
    Kind: _KIND_DOCS,
    Status: _STATUS_DOCS,
}


def _sample_properties() -> dict[str, Any]:
    """Each field's entry, from its definition (model.SAMPLE_FIELDS)."""
    properties: dict[str, Any] = {}
    for key, info in model.SAMPLE_FIELDS.items():
        if info.choices is not None:
            docs = _CHOICE_DOCS[info.choices]  # type: ignore[index]
            properties[key] = _choice(info.choices, docs, info.schema["description"])  # type: ignore[arg-type]
        else:
            properties[key] = dict(info.schema)
    return properties


def catalog_schema() -> dict[str, Any]:
    """The schema as JSON data."""
    board = {
        "title": {
            "type": "string",
            "description": f'Shown above the board (default "{model.DEFAULT_TITLE}").',
        },
        "tubes": _count(
            "How many tubes the board has, numbered 1..tubes (default: the highest tube used)."
        ),
        "columns": _count("Tubes per board row (default: fit the screen)."),
    }
    assert tuple(board) == model.BOARD_KEYS, "schema and model.BOARD_KEYS differ"
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": "tubeboard catalogue",
        "description": "A board of sample tubes: one [[sample]] block per filled tube. "
        "Keys not listed here are your own, and are kept as written.",
        "type": "object",
        "properties": {
            "board": {
                "type": "object",
                "description": "The board itself (optional).",
                "properties": board,
                "additionalProperties": True,
            },
            "sample": {
                "type": "array",
                "description": "One [[sample]] block per filled tube.",
                "items": {
                    "type": "object",
                    "required": list(model.REQUIRED_KEYS),
                    "properties": _sample_properties(),
                    "additionalProperties": True,
                    "x-taplo": {"initKeys": list(model.REQUIRED_KEYS)},
                },
            },
        },
        "additionalProperties": True,
    }


def schema_text() -> str:
    """The schema as the text of catalog.schema.json."""
    return json.dumps(catalog_schema(), indent=2, ensure_ascii=False) + "\n"
