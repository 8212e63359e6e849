"""Reading TOML files into objects, with errors that name the file and the place.

Shared by the calendar, plan and policy file readers (and, for the size and
structure checks, the holiday-cn JSON reader). Each reader raises its own error
class (a subclass of :class:`~approval_clock.errors.ApprovalClockError`); every
message reads ``<file>: <place>: <problem>``, places counting from 0
(``plan.toml: stages[3].duration: ...``). Only TOML is read; nothing in a file
is executed.

Before a parser sees a text, :func:`check_text` bounds it by the caller's
:class:`~approval_clock.limits.Limits`: its size, the nesting of arrays and
tables, the parts of its dotted keys (``tomllib`` is quadratic in them), the
number of values and the length of numbers. The check lexes strings and
comments exactly where TOML does, so that nothing hides inside what looks like
a string, and runs in linear time (regular expressions with possessive
quantifiers and numpy). :func:`read_text` reads only regular files (a FIFO or a
device never blocks the reader), no more than the size limit, and accepts a
UTF-8 byte order mark, as :meth:`Reader.parse` does in text.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np

from approval_clock._dates import describe_value as shown
from approval_clock.errors import ApprovalClockError
from approval_clock.limits import Limits, check_limits

T = TypeVar("T")

__all__ = [
    "Reader",
    "check_same",
    "check_text",
    "first_difference",
    "from_toml_text",
    "join",
    "json_types",
    "read_form",
    "read_text",
    "shown",
    "toml_string",
]

BOM = "\ufeff"
"""The UTF-8 byte order mark, as text: accepted (and dropped) at the start of a file."""

# Strings and comments, lexed as TOML lexes them (a multi-line string may end in up
# to two extra quotes). Every alternative matches whatever follows its opening
# (an unterminated string runs to the end of its line, or of the text), so the
# engine never retries: linear time. The parser refuses what is unterminated.
_TOML_SKIP = re.compile(
    r'"""(?:[^"\\]++|\\.|"(?!""))*+(?:"{3,5}|\Z)'
    r"|'''(?:[^']++|'(?!''))*+(?:'{3,5}|\Z)"
    r'|"(?:[^"\\\n]++|\\.)*+"?'
    r"|'[^'\n]*+'?"
    r"|#[^\n]*+",
    re.DOTALL,
)
_JSON_SKIP = re.compile(r'"(?:[^"\\\n]++|\\.)*+"?', re.DOTALL)
_LONG_NUMBER = 64
_NUMBER = re.compile(rf"[0-9][0-9_]{{{_LONG_NUMBER}}}")
_KEY_STOPS = r"\n=,\[\]{}"


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


def json_types(value: Any) -> Any:
    """``value`` (parsed TOML) with only JSON types: dates become ISO strings.

    >>> from datetime import date
    >>> json_types({"first": date(2027, 1, 1), "days": [date(2027, 1, 2)], "n": 3})
    {'first': '2027-01-01', 'days': ['2027-01-02'], 'n': 3}
    """
    if isinstance(value, dict):
        return {k: json_types(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_types(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_toml_text(text: str) -> dict[str, Any]:
    """What our own writer produced, parsed and given JSON types (for ``to_dict``)."""
    parsed: dict[str, Any] = json_types(tomllib.loads(text))
    return parsed


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


def _text_size(text: str) -> int:
    """The UTF-8 size of ``text`` in bytes (lone surrogates counted as they are encoded)."""
    return len(text.encode("utf-8", "surrogatepass"))


def _line_at(text: str, skip: re.Pattern[str], pos: int) -> int:
    """The line, in ``text``, of offset ``pos`` in ``text`` with its strings made one character.

    Only called to word an error: it walks the strings again to map the offset back.
    """
    shift = 0
    for m in skip.finditer(text):
        if m.start() - shift > pos:
            break
        shift += len(m.group()) - 1
    return text.count("\n", 0, pos + shift) + 1


def check_text(
    text: str,
    limits: Limits,
    fail: Callable[[str], ApprovalClockError],
    *,
    kind: Literal["TOML", "JSON"] = "TOML",
) -> None:
    """Refuse ``text`` if it is over ``limits``, before any parser sees it (linear time).

    ``fail(problem)`` makes the reader's error. Strings and comments are lexed as
    the format lexes them, and then left out: what they hold is never structure.

    >>> from approval_clock.errors import PlanFileError
    >>> from approval_clock.limits import Limits
    >>> def fail(problem): return PlanFileError(f"x.toml: {problem}")
    >>> check_text('a.b.c = "x.y.z.w"', Limits(depth=3), fail)
    >>> check_text("a.b.c.d = 1", Limits(depth=3), fail)
    Traceback (most recent call last):
    ...
    approval_clock.errors.PlanFileError: x.toml: line 1: a dotted key or table header of more than 3 parts; at most 3 (limits.depth) are accepted
    """
    if len(text) > limits.file_bytes or _text_size(text) > limits.file_bytes:
        raise fail(
            f"{_text_size(text)} bytes, more than the {limits.file_bytes} accepted "
            f"(limits.file_bytes; pass limits=Limits(file_bytes=...) to accept more)"
        )
    skip = _TOML_SKIP if kind == "TOML" else _JSON_SKIP
    bare = skip.sub("S", text)
    separators = "=,[{" if kind == "TOML" else ":,[{"
    elements = sum(bare.count(c) for c in separators)
    if elements > limits.elements:
        raise fail(
            f"about {elements} values (counted from its separators), more than the "
            f"{limits.elements} accepted (limits.elements)"
        )
    data = np.frombuffer(bare.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    # Brackets are single bytes in UTF-8 and never part of a longer character.
    step = np.isin(data, (0x5B, 0x7B)).astype(np.int32) - np.isin(data, (0x5D, 0x7D))
    if len(step) and int(np.cumsum(step).max()) > limits.depth:
        at = int(np.argmax(np.cumsum(step) > limits.depth))
        pos = len(data[:at].tobytes().decode("utf-8", "surrogatepass"))
        raise fail(
            f"line {_line_at(text, skip, pos)}: arrays or tables nested more than "
            f"{limits.depth} deep; at most {limits.depth} (limits.depth) are accepted"
        )
    if kind == "TOML":
        parts = re.compile(rf"\.(?:[^{_KEY_STOPS}.]*+\.){{{limits.depth - 1}}}")
        m = parts.search(bare)
        if m is not None:
            raise fail(
                f"line {_line_at(text, skip, m.start())}: a dotted key or table header of "
                f"more than {limits.depth} parts; at most {limits.depth} (limits.depth) "
                f"are accepted"
            )
    m = _NUMBER.search(bare)
    if m is not None:
        raise fail(
            f"line {_line_at(text, skip, m.start())}: a number of more than "
            f"{_LONG_NUMBER} digits; no value of these files needs one"
        )


class Reader:
    """Typed access to parsed TOML, raising ``error`` with the file and the place.

    The same reader builds objects from the JSON form of a file (``from_dict``):
    with ``iso_dates=True`` a date may also be an ISO string (``"2027-01-01"``),
    as JSON has no date type. One reader, so the two forms are the same model.
    """

    def __init__(
        self,
        source: str,
        error: type[ApprovalClockError],
        limits: Limits | None = None,
        *,
        iso_dates: bool = False,
    ) -> None:
        self.source = source
        self.error = error
        self.limits = check_limits(limits)
        self.iso_dates = iso_dates

    def fail(self, place: str, problem: str) -> ApprovalClockError:
        where = f"{place}: " if place else ""
        return self.error(f"{self.source}: {where}{problem}")

    def parse(self, text: object) -> dict[str, Any]:
        """The TOML document in ``text``, once :func:`check_text` has let it through.

        A leading byte order mark is dropped.
        """
        if not isinstance(text, str):
            raise self.error(f"{self.source}: expected the text of a TOML file, got {shown(text)}")
        text = text.removeprefix(BOM)
        check_text(text, self.limits, lambda problem: self.fail("", problem))
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise self.error(f"{self.source}: not valid TOML: {e}") from None
        except RecursionError:
            # tomllib parses nested arrays and inline tables recursively (the depth
            # limit keeps far from this; a caller may have raised it).
            raise self.error(
                f"{self.source}: not valid TOML: arrays or tables nested too deeply"
            ) from None
        except ValueError:
            # int() refusing a number longer than sys.get_int_max_str_digits().
            raise self.error(
                f"{self.source}: not valid TOML: a number of more than "
                f"{sys.get_int_max_str_digits()} digits"
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
        if self.iso_dates and isinstance(value, str) and len(value) == 10:
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
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


def read_text(
    path: Path,
    error: type[ApprovalClockError],
    limits: Limits | None = None,
    *,
    name: str | None = None,
) -> str:
    """A file's UTF-8 text, or ``error`` saying why it cannot be read.

    Only a regular file is read, and no more than ``limits.file_bytes`` of it: a
    FIFO, a device or a directory is refused without blocking (it is opened
    non-blocking and looked at before any read). A UTF-8 byte order mark is
    dropped. ``name`` is what messages call the file (by default ``path``).
    Messages say what is wrong with the file, never what it holds.
    """
    lim = check_limits(limits)
    shown_as = str(path) if name is None else name
    flags = os.O_RDONLY
    for extra in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, extra, 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error(f"{shown_as}: no such file") from None
    except OSError as e:
        raise error(f"{shown_as}: cannot read ({e.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(
                f"{shown_as}: cannot read: not a regular file ({_file_kind(info.st_mode)}); "
                f"only regular files are read"
            )
        if info.st_size > lim.file_bytes:
            raise error(_too_big(shown_as, info.st_size, lim))
        with os.fdopen(fd, "rb") as f:
            fd = -1
            data = f.read(lim.file_bytes + 1)
    except OSError as e:
        raise error(f"{shown_as}: cannot read ({e.strerror})") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > lim.file_bytes:  # it grew while being read
        raise error(_too_big(shown_as, len(data), lim))
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as e:
        raise error(f"{shown_as}: not UTF-8 text ({e.reason} at byte {e.start + start})") from None


def _too_big(name: str, size: int, limits: Limits) -> str:
    return (
        f"{name}: {size} bytes or more, more than the {limits.file_bytes} accepted "
        f"(limits.file_bytes; pass limits=Limits(file_bytes=...) to accept more)"
    )


def _file_kind(mode: int) -> str:
    for test, what in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return what
    return "not a file"


def first_difference(recorded: Any, now: Any, place: str = "") -> str:
    """Where two JSON values first differ, for the error of ``from_dict``."""
    if isinstance(recorded, dict) and isinstance(now, dict):
        for key in list(recorded) + [k for k in now if k not in recorded]:
            if recorded.get(key) != now.get(key):
                return first_difference(
                    recorded.get(key), now.get(key), f"{place}.{key}".lstrip(".")
                )
    if isinstance(recorded, list) and isinstance(now, list) and len(recorded) == len(now):
        for k, (a, b) in enumerate(zip(recorded, now, strict=True)):
            if a != b:
                return first_difference(a, b, f"{place}[{k}]")
    return (
        f"the recorded results differ from those made again ({place or 'value'}: "
        f"{shown(recorded)} recorded, {shown(now)} now); has a calendar changed since?"
    )


def read_form(
    data: object,
    what: str,
    error: type[ApprovalClockError],
    allowed: Iterable[str],
    required: Iterable[str],
    limits: Limits | None = None,
) -> tuple[Reader, dict[str, Any]]:
    """Start reading a result's JSON form: a table of ``allowed`` keys, ``format = 1``.

    Returns the reader (dates may be ISO strings) and the table. Every result's
    ``from_dict`` begins so, then makes the result again and :func:`check_same`.

    >>> r, t = read_form({"format": 1, "plan": {}}, "sweep", ValueError, {"format", "plan"}, {"plan"})  # type: ignore[arg-type]
    >>> r.source, sorted(t)
    ('sweep (dict)', ['format', 'plan'])
    """
    from approval_clock._check import check_mapping

    form = check_mapping(data, "data", what=f"a {what}'s JSON form (a dict)")
    r = Reader(f"{what} (dict)", error, limits, iso_dates=True)
    t = r.table(dict(form), "", set(allowed), {"format", *required})
    if type(t["format"]) is not int or t["format"] != 1:
        raise r.fail("format", f"expected 1 (the only format so far), got {shown(t['format'])}")
    return r, t


def check_same(r: Reader, recorded: dict[str, Any], again: dict[str, Any], keys: Any) -> None:
    """Refuse a JSON form whose recorded results differ from those made again.

    ``from_dict`` of a result makes it again from its inputs; the first key of
    ``keys`` whose value differs fails, naming the place inside it.

    >>> r = Reader("x (dict)", ValueError)  # type: ignore[arg-type]
    >>> check_same(r, {"figures": {"finish": "2021-08-03"}}, {"figures": {"finish": "2021-08-04"}}, ["figures"])
    Traceback (most recent call last):
    ...
    ValueError: x (dict): figures: the recorded results differ from those made again (finish: str '2021-08-03' recorded, str '2021-08-04' now); has a calendar changed since?
    """
    for key in keys:
        if key in recorded and recorded[key] != again.get(key):
            raise r.fail(key, first_difference(recorded[key], again.get(key)))
