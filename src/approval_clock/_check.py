"""One vocabulary of argument checks, used by every public function.

Each check takes the value, the name the caller knows it by (``"year"``,
``"stages[3]"``, ``"Policy.check: plan"``) and what is allowed, and either returns
the value (normalised where that is the point: numpy integers become ``int``) or
raises. A wrong *type* always raises :class:`~approval_clock.errors.ArgumentTypeError`
(a ``TypeError``); a value of the right type that is out of range raises the
``ValueError``-based class the caller names (``error=``), by default
:class:`~approval_clock.errors.ArgumentValueError`. Messages have one shape,
``"<name>: expected <what>, got <type> <value>"``, and never quote more than a
short prefix of the value, so a huge or hostile argument is not echoed back.

>>> from approval_clock._check import check_int
>>> check_int(2021, "year", min_value=1, max_value=9999)
2021
>>> check_int("2021", "year")
Traceback (most recent call last):
...
approval_clock.errors.ArgumentTypeError: year: expected a whole number, got str '2021'
>>> check_int(0, "year", min_value=1, max_value=9999)
Traceback (most recent call last):
...
approval_clock.errors.ArgumentValueError: year: expected a whole number from 1 to 9999, got int 0
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from approval_clock._dates import describe_value
from approval_clock.errors import ApprovalClockError, ArgumentTypeError, ArgumentValueError

__all__ = [
    "check_choice",
    "check_date",
    "check_instance",
    "check_int",
    "check_mapping",
    "check_path",
    "check_sequence",
    "check_str",
    "fail_type",
    "quoted",
    "shown",
]

T = TypeVar("T")
ValueErrorClass = type[ApprovalClockError]

#: ``type repr`` of a value, cut short (the one way error messages show a value).
shown = describe_value


def quoted(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut short: for naming a value the caller gave (a code, an id).

    >>> quoted("CN"), quoted("x" * 100)[-6:]
    ("'CN'", 'xxx...')
    """
    if isinstance(value, int) and value.bit_length() > 128:
        return f"an int of {value.bit_length()} bits"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def fail_type(name: str, expected: str, value: object) -> ArgumentTypeError:
    """The error for ``value`` not being ``expected`` (to ``raise``; it is returned).

    >>> raise fail_type("calendar", "a WorkCalendar", "CN")
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentTypeError: calendar: expected a WorkCalendar, got str 'CN'
    """
    return ArgumentTypeError(f"{name}: expected {expected}, got {shown(value)}")


def check_instance(
    value: object, types: type[T] | tuple[type[T], ...], name: str, expected: str | None = None
) -> T:
    """``value`` if it is an instance of ``types``; else :class:`ArgumentTypeError`.

    ``expected`` words the type for the message (default: the class names).

    >>> from approval_clock import WorkCalendar, calendars
    >>> check_instance(calendars.get("CN"), WorkCalendar, "calendar").name
    'Mainland China'
    >>> check_instance(None, WorkCalendar, "calendar")
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentTypeError: calendar: expected a WorkCalendar, got NoneType None
    """
    if isinstance(value, types):
        return value
    if expected is None:
        classes = types if isinstance(types, tuple) else (types,)
        expected = " or ".join(f"a {c.__name__}" for c in classes)
    raise fail_type(name, expected, value)


def _range_words(min_value: int | float | None, max_value: int | float | None) -> str:
    if min_value is not None and max_value is not None:
        return f" from {min_value} to {max_value}"
    if min_value is not None:
        return f" >= {min_value}"
    if max_value is not None:
        return f" <= {max_value}"
    return ""


def check_int(
    value: object,
    name: str,
    *,
    min_value: int | None = None,
    max_value: int | None = None,
    what: str = "a whole number",
    error: ValueErrorClass = ArgumentValueError,
) -> int:
    """``value`` as an ``int`` if it is an integer (numpy integers too, not ``bool``).

    Out of ``[min_value, max_value]`` raises ``error`` (a ``ValueError`` class).

    >>> import numpy as np
    >>> check_int(np.int64(7), "n")
    7
    >>> check_int(True, "n", what="a count")
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentTypeError: n: expected a count, got bool True
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise fail_type(name, what, value)
    number = int(value)
    if (min_value is not None and number < min_value) or (
        max_value is not None and number > max_value
    ):
        raise error(
            f"{name}: expected {what}{_range_words(min_value, max_value)}, got {shown(number)}"
        )
    return number


def check_str(
    value: object,
    name: str,
    *,
    nonempty: bool = False,
    what: str | None = None,
    error: ValueErrorClass = ArgumentValueError,
) -> str:
    """``value`` if it is a ``str`` (non-empty after stripping, if asked).

    >>> check_str("CN", "code", nonempty=True)
    'CN'
    >>> check_str(" ", "code", nonempty=True)
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentValueError: code: expected a non-empty string, got str ' '
    """
    words = what or ("a non-empty string" if nonempty else "a string")
    if not isinstance(value, str):
        raise fail_type(name, words, value)
    if nonempty and not value.strip():
        raise error(f"{name}: expected {words}, got {shown(value)}")
    return value


def check_choice(
    value: object,
    choices: Iterable[str],
    name: str,
    *,
    error: ValueErrorClass = ArgumentValueError,
) -> str:
    """``value`` if it is one of the strings ``choices``.

    >>> check_choice("zh", ("en", "zh"), "lang")
    'zh'
    >>> check_choice("fr", ("en", "zh"), "lang")
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentValueError: lang: expected one of 'en', 'zh', got str 'fr'
    """
    options = tuple(choices)
    words = "one of " + ", ".join(repr(c) for c in options)
    if not isinstance(value, str):
        raise fail_type(name, words, value)
    if value not in options:
        raise error(f"{name}: expected {words}, got {shown(value)}")
    return value


def check_date(value: object, name: str) -> date:
    """``value`` if it is a ``datetime.date`` (not a ``datetime``: say which day).

    Calendar methods accept more (numpy, pandas, aware datetimes converted to the
    calendar's zone) and check through the calendar; this is for plain date
    arguments such as a plan's ``start``.

    >>> from datetime import date
    >>> check_date(date(2021, 6, 1), "start")
    datetime.date(2021, 6, 1)
    >>> check_date("2021-06-01", "start")
    Traceback (most recent call last):
    ...
    approval_clock.errors.DateTypeError: start: expected a datetime.date, got str '2021-06-01'
    """
    from approval_clock.errors import DateTypeError

    if type(value) is date:
        return value
    raise DateTypeError(f"{name}: expected a datetime.date, got {shown(value)}")


def check_sequence(
    value: object,
    name: str,
    *,
    what: str = "a list",
    item: Callable[[object, str], T] | None = None,
) -> list[T]:
    """``value`` as a list if it is an iterable that is not a string, bytes or mapping.

    ``item(x, f"{name}[{i}]")`` checks (and may convert) each element.

    >>> check_sequence((1, 2), "years", item=check_int)
    [1, 2]
    >>> check_sequence("2021", "years")
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentTypeError: years: expected a list, got str '2021'
    """
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        raise fail_type(name, what, value)
    items = list(value)
    if item is None:
        return items
    return [item(x, f"{name}[{i}]") for i, x in enumerate(items)]


def check_mapping(value: object, name: str, *, what: str = "a mapping (dict)") -> Mapping[Any, Any]:
    """``value`` if it is a mapping.

    >>> check_mapping({"a": 1}, "actuals")
    {'a': 1}
    >>> check_mapping([("a", 1)], "actuals")
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentTypeError: actuals: expected a mapping (dict), got list [('a', 1)]
    """
    if isinstance(value, Mapping):
        return value
    raise fail_type(name, what, value)


def check_path(value: object, name: str) -> Path:
    """``value`` as a :class:`~pathlib.Path` if it is a ``str`` or ``os.PathLike``.

    >>> check_path("plan.toml", "path")
    PosixPath('plan.toml')
    >>> check_path(None, "path")
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentTypeError: path: expected a file path (str or os.PathLike), got NoneType None
    """
    if isinstance(value, str):
        return Path(value)
    if isinstance(value, os.PathLike):
        fspath = value.__fspath__()
        if isinstance(fspath, str):
            return Path(fspath)
    raise fail_type(name, "a file path (str or os.PathLike)", value)
