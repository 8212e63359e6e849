"""Any jurisdiction workalendar knows, compiled into a :class:`WorkCalendar`.

workalendar computes holidays by rule, year by year; we ask it once for every day
of the requested years (its ``is_working_day`` is the ground truth, so calendars
with extra working days come out right) and compile the answer. Names come from
its ``holidays(year)``.

Some of its calendars can only compute certain years: they read tables
(Singapore's and Malaysia's Deepavali, Malaysia's Thaipusam), precomputed
astronomy (Japan, Hong Kong, Taiwan, Chile: 1991-2051 or to 2051), lunardate's
range (1900-2099) or start at a law (South Africa from 1910). Asked for another
year, workalendar raises whatever its code happens to raise (``KeyError``,
``ValueError``, ``OverflowError``, ``NotImplementedError``, its own
``CalendarError``); we probe ``holidays(year)`` year by year, so that a missing
year is a :class:`~approval_clock.errors.CalendarCoverageError` naming the code,
the year, and the years that do work.

workalendar's warnings about its own rules ("this Islamic calendar computation
may be wrong") reach the caller as workalendar issues them, and so do the
deprecation warnings of its dependencies (which Python's default filters
hide). Nothing here records, rewrites or filters warnings: the filters are
process-wide, and ``warnings.catch_warnings`` changes them for every thread at
once (a concurrent compile could leave an ``ignore`` filter installed), so the
library leaves them to the application.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import Any

from workalendar.exceptions import CalendarError as _WorkalendarError

from approval_clock._check import quoted
from approval_clock.calendars.workcalendar import WorkCalendar
from approval_clock.errors import CalendarCoverageError, UnknownCalendarError

# What workalendar raises for a year it cannot compute (read from its source:
# KeyError for the Singapore/Malaysia tables, NotImplementedError for
# precomputed astronomy, ValueError from lunardate and date(), OverflowError at
# the ends of date's range, its CalendarError for South Africa before 1910).
# Anything else (TypeError, AttributeError) would be a bug, and is not hidden.
_NOT_THIS_YEAR = (KeyError, ValueError, OverflowError, NotImplementedError, _WorkalendarError)

# The years probed to tell a user what a code supports, besides the years asked
# for: wide enough for every table and precomputed range workalendar has.
_WINDOW = (1900, 2100)
_MAX_YEAR = 9998  # the last year calendars.get accepts (9999 has no next day)
_MARGIN = 20  # years by which the advice on a coverage error suggests widening


def workalendar_class(code: str) -> Any:
    from workalendar.registry import registry

    cls = registry.get(code)
    if cls is None:
        known = sorted(registry.get_calendars(include_subregions=True))
        raise UnknownCalendarError(
            f"unknown calendar code {quoted(code)}: not 'CN' and not in workalendar's registry "
            f"({len(known)} codes, e.g. {', '.join(known[:6])}, ...); "
            f"see approval_clock.calendars.available()"
        )
    return cls


def from_workalendar(
    code: str,
    years: tuple[int, int] | None,
    timezone: str | None,
    *,
    default: tuple[int, int],
) -> WorkCalendar:
    """Compile workalendar's calendar ``code`` for ``years``.

    ``years=None`` means ``default`` narrowed to the run of years workalendar
    supports for the code that overlaps it most.

    Raises :class:`CalendarCoverageError` for a year workalendar cannot compute.
    What workalendar warns comes through as it is (see the module docstring).
    """
    cls = workalendar_class(code)
    cal = cls()
    support = _Support(code, cal, default)
    return _compile(code, cls, cal, support, years, timezone)


def _compile(
    code: str,
    cls: Any,
    cal: Any,
    support: _Support,
    years: tuple[int, int] | None,
    timezone: str | None,
) -> WorkCalendar:
    first_year, last_year = support.default_years() if years is None else years
    names: dict[date, str] = {}
    for year in range(first_year, last_year + 1):
        try:
            days = cal.holidays(year)
        except _NOT_THIS_YEAR as e:
            support.failed(year, e)
            raise CalendarCoverageError(support.refusal(first_year, last_year, year)) from None
        support.worked(year)
        for day, name in days:
            names[day] = f"{names[day]} / {name}" if day in names else name
    weekend = set(cal.get_weekend_days())
    weekmask = "".join("0" if k in weekend else "1" for k in range(7))
    first, last = date(first_year, 1, 1), date(last_year, 12, 31)
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    day = first
    one = timedelta(days=1)
    while day <= last:
        working = cal.is_working_day(day)
        usual = weekmask[day.weekday()] == "1"
        if working and not usual:
            workdays[day] = names.get(day, "working day (workalendar)")
        elif not working and (usual or day in names):
            holidays[day] = names.get(day, "rest day (workalendar)")
        day += one
    return WorkCalendar(
        getattr(cls, "name", code) or code,
        first=first,
        last=last,
        weekmask=weekmask,
        holidays=holidays,
        workdays=workdays,
        timezone=timezone,
        code=code,
        # workalendar's holidays are the jurisdiction's public holidays by law.
        statutory=[d for d in holidays if d in names],
        _range_hint=support.hint(first_year, last_year),
    )


def _reason(e: BaseException) -> str:
    what = e.args[0] if len(e.args) == 1 and isinstance(e.args[0], str) else str(e)
    return f"{type(e).__name__}: {what}" if what else type(e).__name__


@functools.cache
def _window(code: str) -> dict[int, str | None]:
    """For each year of the probe window, None if workalendar computes it, else why not.

    A fresh instance: these years are probed to describe the code, not compiled.
    (What workalendar warns while probing is the same as what it warns compiling.)
    """
    cal = workalendar_class(code)()
    return {year: _why_not(cal, year) for year in range(_WINDOW[0], _WINDOW[1] + 1)}


def _why_not(cal: Any, year: int) -> str | None:
    try:
        cal.holidays(year)
    except _NOT_THIS_YEAR as e:
        return _reason(e)
    return None


_Run = tuple[int, int, bool, bool]  # first, last year; whether each end may go further


class _Support:
    """Which years workalendar can compute for one code: probed on demand, remembered."""

    def __init__(self, code: str, cal: Any, default: tuple[int, int]) -> None:
        self.code = code
        self._default = default
        self._cal = cal
        self._status: dict[int, str | None] = dict(_window(code))

    def worked(self, year: int) -> None:
        self._status[year] = None

    def failed(self, year: int, e: BaseException) -> None:
        self._status[year] = _reason(e)

    def _ok(self, year: int, *, probe: bool = True) -> bool:
        """Whether ``year`` works; an unprobed year counts as working unless ``probe``."""
        if year not in self._status:
            if not probe:
                return True
            self._status[year] = _why_not(self._cal, year)
        return self._status[year] is None

    def _around(self, a: int, b: int, margin: int = 0) -> _Run:
        """The run of supported years containing a..b (all supported).

        Probed as far as the window, or ``margin`` years beyond a..b if that is further.
        """
        lo, hi = a, b
        while lo > max(1, min(a - margin, _WINDOW[0])) and self._ok(lo - 1):
            lo -= 1
        while hi < min(_MAX_YEAR, max(b + margin, _WINDOW[1])) and self._ok(hi + 1):
            hi += 1
        return (
            lo,
            hi,
            lo > 1 and self._ok(lo - 1, probe=False),
            hi < _MAX_YEAR and self._ok(hi + 1, probe=False),
        )

    def _runs(self, extra: _Run | None = None) -> list[_Run]:
        """The runs of supported years in the window (and ``extra``), in order, merged."""
        runs: list[_Run] = []
        lo: int | None = None
        for year in range(_WINDOW[0], _WINDOW[1] + 2):
            if year <= _WINDOW[1] and self._ok(year):
                lo = year if lo is None else lo
            elif lo is not None:
                last = year - 1
                runs.append(
                    (
                        lo,
                        last,
                        lo > 1 and self._ok(lo - 1, probe=False),
                        self._ok(year, probe=False),
                    )
                )
                lo = None
        if extra is not None:
            runs.append(extra)
        runs.sort()
        merged: list[_Run] = []
        for run in runs:
            if merged and run[0] <= merged[-1][1] + 1:
                top = merged[-1]
                hi, hi_open = max((top[1], top[3]), (run[1], run[3]))
                merged[-1] = (top[0], hi, top[2], hi_open)
            else:
                merged.append(run)
        return merged

    def _text(self, runs: list[_Run]) -> str:
        if not runs:
            return f"none of the years {_WINDOW[0]}..{_WINDOW[1]}"
        return ", ".join(
            f"{lo}{' (or earlier)' if lo_open else ''}..{hi}{' (or later)' if hi_open else ''}"
            for lo, hi, lo_open, hi_open in runs
        )

    def default_years(self) -> tuple[int, int]:
        """The default years narrowed to the run of supported years that overlaps them most."""
        first, last = self._default
        runs = self._runs()
        best = max(
            (
                (max(lo, first), min(hi, last))
                for lo, hi, _, _ in runs
                if lo <= last and hi >= first
            ),
            key=lambda r: (r[1] - r[0], r[0]),
            default=None,
        )
        if best is None:
            raise CalendarCoverageError(
                f"calendars.get({self.code!r}): workalendar supports {self.code} for "
                f"{self._text(runs)}, none of the default years {first}..{last}; "
                f"pass years=(first, last) within what it supports"
            )
        return best

    def refusal(self, a: int, b: int, year: int) -> str:
        """The message for years=(a, b) when workalendar cannot compute ``year``."""
        runs = self._runs(self._around(a, year - 1) if year > a else None)
        # A suggestion within what was asked for, from runs of probed years only.
        within = [(max(lo, a), min(hi, b)) for lo, hi, _, _ in runs if lo <= b and hi >= a]
        best = max(within, key=lambda r: (r[1] - r[0], r[0]), default=None)
        fix = f"; ask for years within them, e.g. years={best}" if best else ""
        return (
            f"calendars.get({self.code!r}, years=({a}, {b})): workalendar cannot compute "
            f"{self.code}'s holidays for {year} ({self._status[year]}); it supports "
            f"{self.code} for {self._text(runs)}{fix}"
        )

    def hint(self, a: int, b: int) -> str:
        """What to do about a date outside a..b, for a calendar compiled for a..b."""
        lo, hi, _, _ = run = self._around(a, b, margin=_MARGIN)
        supports = f"workalendar supports {self.code} for {self._text([run])}"
        # Back to the default start or 20 years, and 20 years past the default end
        # or the calendar's: years that were probed and work.
        wider = (
            max(lo, min(a - _MARGIN, self._default[0])),
            min(hi, max(b, self._default[1]) + _MARGIN),
        )
        if wider == (a, b):
            return (
                f"{supports} only, all of which this calendar covers; for other years use "
                f"another source, such as a calendar file of your own (calendars.load)"
            )
        return f"widen years= in calendars.get({self.code!r}, years={wider}); {supports}"
