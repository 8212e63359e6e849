"""Any jurisdiction workalendar knows, compiled into a :class:`WorkCalendar`.

workalendar computes holidays by rule, year by year; we ask it once for every day
of the requested years (its ``is_working_day`` is the ground truth, so calendars
with extra working days come out right) and compile the answer. Names come from
its ``holidays(year)``.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from typing import Any

from approval_clock.calendar import WorkCalendar
from approval_clock.errors import UnknownCalendarError


def workalendar_class(code: str) -> Any:
    from workalendar.registry import registry

    cls = registry.get(code)
    if cls is None:
        known = sorted(registry.get_calendars(include_subregions=True))
        raise UnknownCalendarError(
            f"unknown calendar code {code!r}: not 'CN' and not in workalendar's registry "
            f"({len(known)} codes, e.g. {', '.join(known[:6])}, ...); "
            f"see approval_clock.calendars.available()"
        )
    return cls


def from_workalendar(
    code: str, first_year: int, last_year: int, timezone: str | None
) -> WorkCalendar:
    # workalendar's lunar helpers emit DeprecationWarnings from their own
    # dependencies (lunardate); they are not the caller's to act on.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return _compile(code, first_year, last_year, timezone)


def _compile(code: str, first_year: int, last_year: int, timezone: str | None) -> WorkCalendar:
    cls = workalendar_class(code)
    cal = cls()
    weekend = set(cal.get_weekend_days())
    weekmask = "".join("0" if k in weekend else "1" for k in range(7))
    names: dict[date, str] = {}
    for year in range(first_year, last_year + 1):
        for day, name in cal.holidays(year):
            names[day] = f"{names[day]} / {name}" if day in names else name
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
    )
