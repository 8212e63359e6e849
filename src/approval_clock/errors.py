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
    "ArgumentTypeError",
    "ArgumentValueError",
    "CalendarCoverageError",
    "CalendarError",
    "CalendarFileError",
    "ColumnTypeError",
    "CycleError",
    "DateOrderError",
    "DateTypeError",
    "DurationError",
    "DurationTypeError",
    "MissingDateError",
    "MissingExtraError",
    "PlanError",
    "PlanFileError",
    "PlanTypeError",
    "PolicyError",
    "PolicyFileError",
    "RecordsError",
    "UnknownCalendarError",
    "UnknownStageError",
]


class ApprovalClockError(Exception):
    """Root of every error raised by approval_clock.

    >>> try:
    ...     raise DurationError("bad")
    ... except ApprovalClockError as e:
    ...     print(type(e).__name__, e)
    DurationError bad
    """


class ArgumentTypeError(ApprovalClockError, TypeError):
    """An argument has the wrong type (a calendar name that is not a string, a plan that is not a Plan).

    Dates of the wrong type raise :class:`DateTypeError`, a subclass.

    >>> from datetime import date
    >>> from approval_clock import WorkCalendar
    >>> WorkCalendar(3, first=date(2026, 1, 1), last=date(2026, 12, 31))
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentTypeError: name: expected a non-empty string, got 3
    """


class ArgumentValueError(ApprovalClockError, ValueError):
    """An argument has the right type but a value the function cannot take (``year=0``, ``lang="fr"``).

    Values with a domain of their own raise that domain's class instead (a negative
    duration is a :class:`DurationError`, a bad stage a :class:`PlanError`).

    >>> from approval_clock._check import check_choice
    >>> check_choice("fr", ("en", "zh"), "lang")
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentValueError: lang: expected one of 'en', 'zh', got str 'fr'
    """


class CalendarError(ApprovalClockError, ValueError):
    """A calendar cannot be built or extended as asked: a bad week mask, range, zone or rule.

    >>> from datetime import date
    >>> from approval_clock import WorkCalendar
    >>> WorkCalendar("x", first=date(2026, 1, 1), last=date(2026, 12, 31), weekmask="11111")
    Traceback (most recent call last):
    ...
    approval_clock.errors.CalendarError: weekmask: expected 7 characters of 0 and 1 for Monday..Sunday such as '1111100', got '11111'
    """


class DateOrderError(ApprovalClockError, ValueError):
    """Two dates are in the wrong order: a period that ends before it starts.

    >>> from datetime import date
    >>> from approval_clock import calendars
    >>> calendars.get("CN").count(date(2021, 9, 10), date(2021, 8, 18))
    Traceback (most recent call last):
    ...
    approval_clock.errors.DateOrderError: count(2021-09-10, 2021-08-18): the start is after the end
    """


class MissingDateError(ApprovalClockError, ValueError):
    """A single date is missing (NaT): there is no answer to give for it.

    In arrays, missing dates give missing results instead (see the concepts page).
    """


class DurationError(ApprovalClockError, ValueError):
    """A duration value or text is invalid (negative, not a whole number, unknown unit).

    >>> from approval_clock import WorkingDays
    >>> WorkingDays(-1)
    Traceback (most recent call last):
    ...
    approval_clock.errors.DurationError: WorkingDays: expected a whole number of days >= 0, got -1
    """


class DateTypeError(ArgumentTypeError):
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


class PlanError(ApprovalClockError, ValueError):
    """A plan, stage or link is invalid; the message names the stage, link or value.

    >>> from approval_clock import Stage
    >>> Stage("design", -2)
    Traceback (most recent call last):
    ...
    approval_clock.errors.PlanError: stage 'design': duration: expected a whole number of days >= 0, got -2
    """


class CycleError(PlanError):
    """The links of a plan form a cycle; ``cycle`` holds one cycle's stage ids in order.

    >>> from approval_clock import Plan, Stage, Link, calendars
    >>> Plan(stages=[Stage("a", 1), Stage("b", 1)],
    ...      links=[Link("a", "b"), Link("b", "a")], calendar=calendars.get("CN"))
    Traceback (most recent call last):
    ...
    approval_clock.errors.CycleError: links form a cycle: 'a' -> 'b' -> 'a'; remove one of these links
    """

    def __init__(self, message: str, cycle: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.cycle = cycle


class PlanFileError(ApprovalClockError, ValueError):
    """A plan file is malformed; the message names the file, the place and the problem.

    >>> from approval_clock import Plan
    >>> Plan.loads('format = 1\\ncalendar = "CN"\\nstages = [{ id = "a", duration = -2 }]',
    ...            source="plan.toml")
    Traceback (most recent call last):
    ...
    approval_clock.errors.PlanFileError: plan.toml: stages[0].duration: expected a whole number of days >= 0, got -2
    """


class UnknownStageError(ApprovalClockError, KeyError):
    """No stage has the requested id (in a plan or a schedule).

    >>> from approval_clock import Plan, Stage, calendars
    >>> Plan(stages=[Stage("a", 1)], calendar=calendars.get("CN")).stage("x")
    Traceback (most recent call last):
    ...
    approval_clock.errors.UnknownStageError: no stage 'x' in the plan; the stages are 'a'
    """

    def __str__(self) -> str:
        # KeyError shows its argument with repr(); a message reads better as is.
        return str(self.args[0]) if self.args else ""


class MissingExtraError(ApprovalClockError, ImportError):
    """An optional dependency is not installed; the message says which extra to install.

    >>> issubclass(MissingExtraError, ImportError)
    True
    """


class RecordsError(ApprovalClockError, ValueError):
    """Approval records cannot be analysed as given: a column is missing or clashes, ``as_of`` is needed.

    Rows with bad values are not errors: :func:`approval_clock.records.analyze`
    puts them in ``rejected`` with a reason. This is for problems with the frame
    or the arguments as a whole; the message names the column or argument.

    >>> raise RecordsError("stages: no column 'accepted'")
    Traceback (most recent call last):
    ...
    approval_clock.errors.RecordsError: stages: no column 'accepted'
    """


class ColumnTypeError(ArgumentTypeError):
    """A column of approval records has a dtype that cannot hold what it should.

    A subclass of :class:`ArgumentTypeError`: also raised for an argument of the
    wrong type (``calendar``, ``as_of``, ``warn_within``, a frame that is not a
    DataFrame); the message names it.

    >>> raise ColumnTypeError("stages['accepted']: expected dates, got int64")
    Traceback (most recent call last):
    ...
    approval_clock.errors.ColumnTypeError: stages['accepted']: expected dates, got int64
    """


class PolicyError(ApprovalClockError, ValueError):
    """A policy, comparison or sweep cannot be evaluated as asked.

    For example a compression ratio against a baseline of 0 days, or a check with
    neither a baseline plan nor a baseline limit to compare against.

    >>> from approval_clock import Policy
    >>> Policy("p", min_ratio=1.5)
    Traceback (most recent call last):
    ...
    approval_clock.errors.PolicyError: min_ratio: expected a fraction between 0 and 1 such as 0.45 or '45%', got float 1.5
    """


class PolicyFileError(ApprovalClockError, ValueError):
    """A policy file is malformed; the message names the file and the place.

    >>> from approval_clock import Policy
    >>> Policy.loads('format = 1\\nname = "p"\\ntarget_limit = -45', source="policy.toml")
    Traceback (most recent call last):
    ...
    approval_clock.errors.PolicyFileError: policy.toml: target_limit: expected a whole number of working days >= 0, got int -45
    """


class DurationTypeError(ArgumentTypeError, DurationError):
    """A duration of the wrong type (``1.5``, ``True``): an :class:`ArgumentTypeError` and a :class:`DurationError`.

    >>> from approval_clock.durations import as_duration
    >>> as_duration(1.5, "limit")
    Traceback (most recent call last):
    ...
    approval_clock.errors.DurationTypeError: limit: expected a duration (WorkingDays, CalendarDays or CalendarMonths), its short form such as '20wd', '30cd' or '2mo', or a whole number of working days, got float 1.5
    """


class PlanTypeError(ArgumentTypeError, PlanError):
    """A stage or link argument of the wrong type: an :class:`ArgumentTypeError` and a :class:`PlanError`.

    >>> from approval_clock import Stage
    >>> Stage("a", 1.5)
    Traceback (most recent call last):
    ...
    approval_clock.errors.PlanTypeError: stage 'a': duration: expected a whole number of working days, WorkingDays, CalendarDays, CalendarMonths or a short form such as '20wd', got float 1.5
    """
