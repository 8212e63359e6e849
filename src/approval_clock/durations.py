"""Durations: how long a period lasts, in one unit each.

``WorkingDays`` (the unit of the Administrative Licensing Law, art. 82),
``CalendarDays`` and ``CalendarMonths`` (Civil Code arts. 200-204) are separate
value types: a period in working days is never silently read as calendar days.
They are compared and added only within one unit.

Every duration holds a whole number from 0 to :data:`MAX_DURATION`, the days
from 0001-01-01 to 9999-12-31: no longer period can end on a date, and the bound
keeps every calendar computation (scalar or numpy) inside 64-bit integers.

How a duration is laid onto a calendar is the calendar's job:
:meth:`approval_clock.WorkCalendar.deadline`.

The vocabulary of durations
---------------------------

Wherever approval_clock takes a duration (``WorkCalendar.deadline``, a stage's
``duration``, a limit), the same three forms are accepted, and
:func:`as_duration` is the one function that reads them:

* a duration value: ``WorkingDays(20)``, ``CalendarDays(30)``, ``CalendarMonths(2)``;
* its short form, as ``str()`` writes it: ``"20wd"``, ``"30cd"``, ``"2mo"``
  (ASCII digits, then the unit in lower case; spaces around either are allowed;
  :func:`parse_duration`);
* a bare whole number, meaning **working days**: the unit in which the
  Administrative Licensing Law (art. 82) counts licensing time limits, so
  ``20`` is ``WorkingDays(20)``. Python ``int`` and numpy integers
  (``numpy.int64``, ...) are accepted; ``bool`` is not (``True`` days is a bug,
  not a day), nor are floats, even whole ones (``20.0``).

Anything else, a negative number, or more than :data:`MAX_DURATION`, raises
:class:`~approval_clock.errors.DurationError` (a ``ValueError``), naming the
argument. Where a calendar takes one duration per row of an array
(``cal.deadline(dates, limits)``), the rows are whole numbers of working days:
a numpy integer array or a pandas Series of integers (see
:meth:`~approval_clock.WorkCalendar.deadline`).

>>> as_duration(20), as_duration("30cd"), as_duration(CalendarMonths(2))
(WorkingDays(20), CalendarDays(30), CalendarMonths(2))
"""

from __future__ import annotations

import numbers
import operator
import re
from datetime import date
from typing import Any, ClassVar, Self

import attrs

from approval_clock.errors import DurationError, DurationTypeError

__all__ = [
    "MAX_DURATION",
    "CalendarDays",
    "CalendarMonths",
    "Duration",
    "WorkingDays",
    "as_duration",
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
        error = DurationError if type(value) is int else DurationTypeError
        raise error(
            f"{type(instance).__name__}: expected a whole number of days >= 0, got {_cut(shown)}"
        )
    if value > MAX_DURATION:
        raise DurationError(
            f"{type(instance).__name__}: expected at most {MAX_DURATION} (the days from "
            f"0001-01-01 to 9999-12-31: no longer period ends on a date), got "
            f"{_cut(_int_text(value))}"
        )


def _exact_int(value: object) -> object:
    """numpy integers (``np.int64(20)``) as the ``int`` they hold; anything else as it is.

    ``bool`` and ``numpy.bool_`` are left alone, for the validator to refuse.
    """
    if type(value) is int or isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return value
    try:
        return operator.index(value)
    except TypeError:
        return value


@attrs.frozen(order=True, repr=False)
class _Duration:
    n: int = attrs.field(converter=_exact_int, validator=_whole_days)

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

    ``n`` is a whole number ``>= 0``: an ``int`` or a numpy integer (kept as
    the ``int`` it holds). Raises :class:`~approval_clock.errors.DurationError`
    for anything else (``bool``, ``float`` and ``str`` included).

    >>> import numpy as np
    >>> WorkingDays(np.int64(20)) == WorkingDays(20), type(WorkingDays(np.int32(5)).n)
    (True, <class 'int'>)
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
        raise DurationTypeError(
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


def as_duration(value: object, what: str = "duration") -> Duration:
    """``value`` read as a duration: a ``Duration``, its short form, or whole working days.

    The one reading of the duration vocabulary (see the module docstring):
    ``WorkingDays``, ``CalendarDays`` and ``CalendarMonths`` are returned as they
    are, a string is read by :func:`parse_duration`, and a whole number (``int``
    or a numpy integer, not ``bool``) is a number of working days (ALA art. 82).

    Args:
        value: what the caller was given.
        what: the argument's name, at the start of every error message
            (``"stages[3].duration"``).

    Raises:
        DurationError: anything else, a negative number, or a number past
            :data:`MAX_DURATION`; the message starts with ``what``.

    >>> as_duration(20), as_duration("35wd"), as_duration(" 10 cd "), as_duration(CalendarDays(5))
    (WorkingDays(20), WorkingDays(35), CalendarDays(10), CalendarDays(5))
    >>> import numpy as np
    >>> as_duration(np.int64(15))
    WorkingDays(15)
    >>> as_duration(True, "limit")
    Traceback (most recent call last):
    ...
    approval_clock.errors.DurationTypeError: limit: expected a duration (WorkingDays, CalendarDays or CalendarMonths), its short form such as '20wd', '30cd' or '2mo', or a whole number of working days, got bool True
    >>> as_duration(-3, "limit")
    Traceback (most recent call last):
    ...
    approval_clock.errors.DurationError: limit: expected a whole number of working days >= 0, got -3
    """
    if type(value) is int:
        return _working_days(value, what)
    if isinstance(value, (WorkingDays, CalendarDays, CalendarMonths)):
        return value
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except DurationError as e:
            raise DurationError(f"{what}: {e}") from None
    # numpy integers (and other exact integer types) register as Integral; bool
    # and numpy.bool_ are refused: True days is a bug, not a day.
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        try:
            n = operator.index(value)
        except TypeError:
            pass
        else:
            return _working_days(n, what)
    raise DurationTypeError(
        f"{what}: expected a duration (WorkingDays, CalendarDays or CalendarMonths), its "
        f"short form such as '20wd', '30cd' or '2mo', or a whole number of working days, "
        f"got {_shown(value)}"
    )


def _working_days(n: int, what: str) -> WorkingDays:
    if n < 0:
        raise DurationError(
            f"{what}: expected a whole number of working days >= 0, got {_cut(_int_text(n))}"
        )
    if n > MAX_DURATION:
        raise DurationError(
            f"{what}: expected at most {MAX_DURATION} working days (the days from 0001-01-01 "
            f"to 9999-12-31: no longer period ends on a date), got {_cut(_int_text(n))}"
        )
    return WorkingDays(n)


def _shown(value: object) -> str:
    """``type repr`` of a value for a message, cut short (and safe for any repr)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{type(value).__name__} {_cut(_int_text(int(value)))}"
    try:
        text = repr(value)
    except Exception:  # a repr that fails is no reason to lose the message
        text = "(no repr)"
    return f"{type(value).__name__} {_cut(text)}"
