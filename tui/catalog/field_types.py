"""What kind of value each field of a sample holds, said once: a whole number, a date, a
choice or text. Each kind knows how a person's text becomes a value (and the hint when it
cannot), how a value shows as text, how it sorts, and whether it lines up on the right. The
form, the queries, the table, the details and the exports ask a field's kind
(model.SAMPLE_FIELDS[key].holds), never its name."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from typing import Any, ClassVar

import attr

_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


@attr.frozen
class WholeNumber:
    """An integer (tube, sol). `hint` is what to type when the text is not one."""

    hint: str
    right: ClassVar[bool] = True

    def parse(self, text: str) -> tuple[Any, str | None]:
        try:
            return int(text), None
        except ValueError:
            return None, self.hint

    def show(self, value: Any) -> str:
        return "" if value is None else str(value)

    def order(self, value: Any) -> Any:
        return value

    def plain(self, value: Any) -> Any:
        return value


@attr.frozen
class Date:
    """A TOML date, typed as YYYY-MM-DD."""

    right: ClassVar[bool] = False

    def parse(self, text: str) -> tuple[Any, str | None]:
        try:
            return dt.date.fromisoformat(text), None
        except ValueError:
            if _DATE_SHAPE.fullmatch(text):
                return None, "no such day in the calendar"
            return None, "YYYY-MM-DD, like 2021-08-06"

    def show(self, value: Any) -> str:
        return "" if value is None else str(value.isoformat())

    def order(self, value: Any) -> Any:
        return value  # dates compare as they are

    def plain(self, value: Any) -> Any:
        return value


@attr.frozen
class Choice:
    """One of an enum's values (kind, status), each with its symbol (not colour alone)."""

    choices: type[enum.StrEnum]
    symbols: Mapping[Any, str]
    right: ClassVar[bool] = False

    def parse(self, text: str) -> tuple[Any, str | None]:
        return text, None  # which values are allowed is the field's check, as `check` says it

    def show(self, value: Any) -> str:
        return "" if value is None else str(value.value)

    def labelled(self, value: Any) -> str:
        """The value with its symbol, as the table shows it."""
        return f"{self.symbols[value]} {value.value}"

    def order(self, value: Any) -> Any:
        return None if value is None else value.value

    def plain(self, value: Any) -> Any:
        return None if value is None else value.value


@attr.frozen
class Text:
    """Free text (name, campaign, site, notes); sorted without case, blank as unset."""

    right: ClassVar[bool] = False

    def parse(self, text: str) -> tuple[Any, str | None]:
        return text, None

    def show(self, value: Any) -> str:
        return value or ""

    def order(self, value: Any) -> Any:
        return value.casefold() if value else None

    def plain(self, value: Any) -> Any:
        return value


FieldType = WholeNumber | Date | Choice | Text
