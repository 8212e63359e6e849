"""Durations: how long a period lasts, in one unit each.

``WorkingDays`` (the unit of the Administrative Licensing Law, art. 82),
``CalendarDays`` and ``CalendarMonths`` (Civil Code arts. 200-204) are separate
value types: a period in working days is never silently read as calendar days.
They are compared and added only within one unit. :func:`parse_duration` reads
the short forms used in plan files (``"20wd"``, ``"10cd"``, ``"3mo"``).

Every duration holds a whole number from 0 to :data:`MAX_DURATION`, the days
from 0001-01-01 to 9999-12-31: no longer period can end on a date, and the bound
keeps every calendar computation (scalar or numpy) inside 64-bit integers.

How a duration is laid onto a calendar is the calendar's job:
:meth:`approval_clock.WorkCalendar.deadline`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar, Self

import attrs

from approval_clock.errors import DurationError

__all__ = [
    "MAX_DURATION",
    "CalendarDays",
    "CalendarMonths",
    "Duration",
    "WorkingDays",
    "parse_duration",
]

MAX_DURATION = date.max.toordinal() - date.min.toordinal()
"""The largest ``n`` of a duration (3 652 058): the days from 0001-01-01 to 9999-12-31."""


def _cut(shown: str, limit: int = 40) -> str:
    """A value as a message shows it, cut short: a message never carries a huge value whole."""
    return shown if len(shown) <= limit else f"{shown[: limit - 4]}...{shown[-1]}"


def _int_text(value: int) -> str:
    # str() of an int of thousands of digits is slow, and refused past 4300 of them.
    return str(value) if value.bit_length() <= 128 else f"an int of {value.bit_length()} bits"


def _whole_days(instance: Any, attribute: attrs.Attribute[int], value: object) -> None:
    # bool is an int subclass, and True days is almost certainly a bug.
    if type(value) is not int or value < 0:
        if type(value) is int:
            shown = _int_text(value)
        else:
            try:
                shown = f"{type(value).__name__} {value!r}"
            except ValueError:  # the repr of a huge int subclass
                shown = type(value).__name__
        raise DurationError(
            f"{type(instance).__name__}: expected a whole number of days >= 0, got {_cut(shown)}"
        )
    if value > MAX_DURATION:
        raise DurationError(
            f"{type(instance).__name__}: expected at most {MAX_DURATION} (the days from "
            f"0001-01-01 to 9999-12-31: no longer period ends on a date), got "
            f"{_cut(_int_text(value))}"
        )


@attrs.frozen(order=True, repr=False)
class _Duration:
    n: int = attrs.field(validator=_whole_days)

    suffix: ClassVar[str] = ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.n})"

    def __str__(self) -> str:
        return f"{self.n}{self.suffix}"

    def __add__(self, other: object) -> Self:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, _Duration)
        return type(self)(self.n + other.n)


@attrs.frozen(order=True, repr=False)
class WorkingDays(_Duration):
    """A period counted in working days of a calendar (ALA art. 82).

    >>> WorkingDays(20)
    WorkingDays(20)
    >>> str(WorkingDays(20)), WorkingDays(5) + WorkingDays(10), WorkingDays(5) < WorkingDays(6)
    ('20wd', WorkingDays(15), True)

    Raises :class:`~approval_clock.errors.DurationError` for anything but a whole
    number ``>= 0`` (``bool``, ``float`` and ``str`` included).
    """

    suffix: ClassVar[str] = "wd"


@attrs.frozen(order=True, repr=False)
class CalendarDays(_Duration):
    """A period counted in calendar days; ends rolled to a working day (Civil Code art. 203).

    >>> CalendarDays(10), str(CalendarDays(10))
    (CalendarDays(10), '10cd')
    """

    suffix: ClassVar[str] = "cd"


@attrs.frozen(order=True, repr=False)
class CalendarMonths(_Duration):
    """A period counted in months: the same day n months later, or that month's last day.

    (Civil Code art. 202.)

    >>> CalendarMonths(3), str(CalendarMonths(3))
    (CalendarMonths(3), '3mo')
    """

    suffix: ClassVar[str] = "mo"


Duration = WorkingDays | CalendarDays | CalendarMonths
"""Any of the three duration types."""

_UNITS: dict[str, type[WorkingDays] | type[CalendarDays] | type[CalendarMonths]] = {
    "wd": WorkingDays,
    "cd": CalendarDays,
    "mo": CalendarMonths,
}
# ASCII digits only: \d would also read Arabic-Indic or full-width digits as days.
_SHORT = re.compile(r"\s*([0-9]+)\s*([a-z]+)\s*", re.ASCII)


def parse_duration(text: str) -> Duration:
    """Read a short-form duration: ``"20wd"``, ``"10cd"`` or ``"3mo"``.

    >>> parse_duration("35wd"), parse_duration("20cd"), parse_duration("3mo")
    (WorkingDays(35), CalendarDays(20), CalendarMonths(3))
    >>> parse_duration("3 weeks")
    Traceback (most recent call last):
    ...
    approval_clock.errors.DurationError: expected a duration such as '20wd', '10cd' or '3mo', got '3 weeks'
    >>> parse_duration("9" * 5000 + "wd")
    Traceback (most recent call last):
    ...
    approval_clock.errors.DurationError: expected a duration of at most 3652058 (the days from 0001-01-01 to 9999-12-31), got '99999999999999999999999999999999999...'
    """
    if not isinstance(text, str):
        raise DurationError(
            f"expected a duration string such as '20wd', got {type(text).__name__} {_cut(repr(text))}"
        )
    m = _SHORT.fullmatch(text)
    if m is None or m.group(2) not in _UNITS:
        raise DurationError(
            f"expected a duration such as '20wd', '10cd' or '3mo', got {_cut(repr(text))}"
        )
    digits = m.group(1).lstrip("0")
    # Compared as text first: int() of thousands of digits is slow, or refused.
    if len(digits) > len(str(MAX_DURATION)) or int(digits or "0") > MAX_DURATION:
        raise DurationError(
            f"expected a duration of at most {MAX_DURATION} (the days from 0001-01-01 "
            f"to 9999-12-31), got {_cut(repr(text))}"
        )
    return _UNITS[m.group(2)](int(digits or "0"))
