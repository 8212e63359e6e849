"""The exceptions approval_clock raises.

Every error the library raises on purpose is an :class:`ApprovalClockError`, and
also an instance of the builtin exception it resembles, so that callers can catch
either ``ApprovalClockError`` (everything from this library) or the builtin
(``ValueError``, ``TypeError``, ``LookupError``) as they would for any other code.

>>> from approval_clock.errors import CalendarCoverageError, ApprovalClockError
>>> issubclass(CalendarCoverageError, ApprovalClockError)
True
>>> issubclass(CalendarCoverageError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "ApprovalClockError",
    "CalendarCoverageError",
    "CalendarFileError",
    "DateTypeError",
    "DurationError",
    "UnknownCalendarError",
]


class ApprovalClockError(Exception):
    """Root of every error raised by approval_clock.

    >>> try:
    ...     raise DurationError("bad")
    ... except ApprovalClockError as e:
    ...     print(type(e).__name__, e)
    DurationError bad
    """


class DurationError(ApprovalClockError, ValueError):
    """A duration value or text is invalid (negative, not a whole number, unknown unit).

    >>> from approval_clock import WorkingDays
    >>> WorkingDays(-1)
    Traceback (most recent call last):
    ...
    approval_clock.errors.DurationError: WorkingDays: expected a whole number of days >= 0, got -1
    """


class DateTypeError(ApprovalClockError, TypeError):
    """A value that should be a date is of a type the library does not accept.

    >>> from approval_clock import calendars
    >>> calendars.get("CN").is_working_day("2021-10-01")
    Traceback (most recent call last):
    ...
    approval_clock.errors.DateTypeError: expected a date (datetime.date, datetime.datetime, numpy.datetime64 or pandas.Timestamp), got str '2021-10-01'
    """


class CalendarCoverageError(ApprovalClockError, ValueError):
    """A date lies outside the range a calendar is authoritative for.

    The message names the date, the calendar, its range and how to extend it.
    """


class UnknownCalendarError(ApprovalClockError, LookupError):
    """No calendar is known under the requested code.

    >>> from approval_clock import calendars
    >>> calendars.get("XX")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    approval_clock.errors.UnknownCalendarError: unknown calendar code 'XX': ...
    """


class CalendarFileError(ApprovalClockError, ValueError):
    """A calendar or notice file is malformed; the message names the file and the place.

    >>> from approval_clock import calendars
    >>> calendars.loads('format = 2', source="x.toml")
    Traceback (most recent call last):
    ...
    approval_clock.errors.CalendarFileError: x.toml: format: expected 1 (the only format so far), got int 2
    """
