"""Reading TOML files into objects, with errors that name the file and the place.

Shared by the calendar, plan and policy file readers. Each reader raises its own
error class (a subclass of :class:`~approval_clock.errors.ApprovalClockError`);
every message reads ``<file>: <place>: <problem>``, places counting from 0
(``plan.toml: stages[3].duration: ...``). Only TOML is read; nothing in a file
is executed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from approval_clock.errors import ApprovalClockError

T = TypeVar("T")


def shown(value: object) -> str:
    """``type repr`` of a value, cut short, for messages."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def join(place: str, key: str | int) -> str:
    """The place of ``key`` inside ``place``: ``stages[3]``, ``stages[3].duration``."""
    if isinstance(key, int):
        return f"{place}[{key}]"
    return f"{place}.{key}" if place else key


class Reader:
    """Typed access to parsed TOML, raising ``error`` with the file and the place."""

    def __init__(self, source: str, error: type[ApprovalClockError]) -> None:
        self.source = source
        self.error = error

    def fail(self, place: str, problem: str) -> ApprovalClockError:
        where = f"{place}: " if place else ""
        return self.error(f"{self.source}: {where}{problem}")

    def parse(self, text: str) -> dict[str, Any]:
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise self.error(f"{self.source}: not valid TOML: {e}") from None

    def table(
        self, value: object, place: str, allowed: set[str], required: set[str]
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(place, f"expected a table, got {shown(value)}")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(
                join(place, unknown[0]),
                f"unknown key; expected one of {', '.join(sorted(allowed))}",
            )
        missing = sorted(required - set(value))
        if missing:
            raise self.fail(join(place, missing[0]), "missing required key")
        return value

    def get(
        self, table: Mapping[str, Any], key: str, place: str, check: Callable[[object, str], T]
    ) -> T:
        return check(table[key], join(place, key))

    def string(self, value: object, place: str) -> str:
        if not isinstance(value, str):
            raise self.fail(place, f"expected a string, got {shown(value)}")
        return value

    def text(self, value: object, place: str) -> str:
        s = self.string(value, place)
        if not s.strip():
            raise self.fail(place, "expected a non-empty string")
        return s

    def date(self, value: object, place: str) -> date:
        if type(value) is not date:
            raise self.fail(place, f"expected a date such as 2027-01-01, got {shown(value)}")
        return value

    def year(self, value: object, place: str) -> int:
        if type(value) is not int or not 1 <= value <= 9998:
            raise self.fail(place, f"expected a year such as 2027, got {shown(value)}")
        return value

    def whole(self, value: object, place: str, *, what: str = "days") -> int:
        if type(value) is not int or value < 0:
            raise self.fail(place, f"expected a whole number of {what} >= 0, got {shown(value)}")
        return value

    def array(self, value: object, place: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(place, f"expected an array, got {shown(value)}")
        return value

    def choice(self, value: object, place: str, allowed: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise self.fail(
                place, f"expected one of {', '.join(map(repr, allowed))}, got {shown(value)}"
            )
        return value


def read_text(path: Path, error: type[ApprovalClockError]) -> str:
    """A file's UTF-8 text, or ``error`` saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except UnicodeDecodeError as e:
        raise error(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise error(f"{path}: cannot read ({e.strerror})") from None
