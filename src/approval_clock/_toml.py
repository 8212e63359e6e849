"""Reading TOML files into objects, with errors that name the file and the place.

Shared by the calendar, plan and policy file readers. Each reader raises its own
error class (a subclass of :class:`~approval_clock.errors.ApprovalClockError`);
every message reads ``<file>: <place>: <problem>``, places counting from 0
(``plan.toml: stages[3].duration: ...``). Only TOML is read; nothing in a file
is executed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from approval_clock._dates import describe_value as shown
from approval_clock.errors import ApprovalClockError

T = TypeVar("T")

__all__ = ["Reader", "join", "read_text", "shown", "toml_string"]


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped.

    (JSON's escaping is not enough: TOML also forbids a raw DEL, U+007F.)

    >>> print(toml_string('say "hi"\\n'))
    "say \\"hi\\"\\n"
    """
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < " " or ch == "\x7f":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def join(place: str, key: str | int) -> str:
    """The place of ``key`` inside ``place``: ``stages[3]``, ``stages[3].duration``.

    A key that is not a TOML bare key is shown quoted, as TOML writes it, so that a
    key holding a newline or a dot cannot garble the place.
    """
    if isinstance(key, int):
        return f"{place}[{key}]"
    if not _BARE_KEY.fullmatch(key):
        key = toml_string(key)
    return f"{place}.{key}" if place else key


class Reader:
    """Typed access to parsed TOML, raising ``error`` with the file and the place."""

    def __init__(self, source: str, error: type[ApprovalClockError]) -> None:
        self.source = source
        self.error = error

    def fail(self, place: str, problem: str) -> ApprovalClockError:
        where = f"{place}: " if place else ""
        return self.error(f"{self.source}: {where}{problem}")

    def parse(self, text: object) -> dict[str, Any]:
        if not isinstance(text, str):
            raise self.error(f"{self.source}: expected the text of a TOML file, got {shown(text)}")
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise self.error(f"{self.source}: not valid TOML: {e}") from None
        except RecursionError:
            # tomllib parses nested arrays and inline tables recursively.
            raise self.error(
                f"{self.source}: not valid TOML: arrays or tables nested too deeply"
            ) from None

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
