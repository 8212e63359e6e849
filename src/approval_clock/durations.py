"""Durations: how long a period lasts, in one unit each.

``WorkingDays`` (the unit of the Administrative Licensing Law, art. 82),
``CalendarDays`` and ``CalendarMonths`` (Civil Code arts. 200-204) are separate
value types: a period in working days is never silently read as calendar days.
They are compared and added only within one unit. :func:`parse_duration` reads
the short forms used in plan files (``"20wd"``, ``"10cd"``, ``"3mo"``).

How a duration is laid onto a calendar is the calendar's job:
:meth:`approval_clock.WorkCalendar.deadline`.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Self

import attrs

from approval_clock.errors import DurationError

__all__ = ["CalendarDays", "CalendarMonths", "Duration", "WorkingDays", "parse_duration"]


def _whole_days(instance: Any, attribute: attrs.Attribute[int], value: object) -> None:
    # bool is an int subclass, and True days is almost certainly a bug.
    if type(value) is not int or value < 0:
        shown = f"{type(value).__name__} {value!r}" if type(value) is not int else repr(value)
        raise DurationError(
            f"{type(instance).__name__}: expected a whole number of days >= 0, got {shown}"
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
    """
    if not isinstance(text, str):
        raise DurationError(
            f"expected a duration string such as '20wd', got {type(text).__name__} {text!r}"
        )
    m = _SHORT.fullmatch(text)
    if m is None or m.group(2) not in _UNITS:
        raise DurationError(f"expected a duration such as '20wd', '10cd' or '3mo', got {text!r}")
    return _UNITS[m.group(2)](int(m.group(1)))
