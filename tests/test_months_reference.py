"""Civil Code art. 202 month periods against an independent implementation.

The library does its own month arithmetic (eight lines for dates, numpy
``datetime64[M]`` for arrays); ``dateutil.relativedelta`` is the reference here:
the same day ``n`` months later, or the last day of a shorter month, then rolled
forward to a working day (art. 203).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from approval_clock import CalendarMonths, WorkCalendar


def _expected(cal: WorkCalendar, d: date, n: int) -> date:
    target = d + relativedelta(months=n)
    while not cal.is_working_day(target):
        target += timedelta(days=1)
    return target


@given(st.dates(date(2004, 1, 1), date(2024, 12, 31)), st.integers(0, 24))
def test_month_deadlines_match_relativedelta(cn: WorkCalendar, d: date, n: int) -> None:
    assert cn.deadline(d, CalendarMonths(n)) == _expected(cn, d, n)


def test_month_ends_and_leap_days(cn: WorkCalendar) -> None:
    starts = [date(2020, 1, 31), date(2020, 2, 29), date(2021, 1, 29), date(2023, 8, 31)]
    for d in starts:
        for n in (1, 6, 12, 13):
            assert cn.deadline(d, CalendarMonths(n)) == _expected(cn, d, n), (d, n)


def test_vector_month_deadlines_match_relativedelta(cn: WorkCalendar) -> None:
    days = np.arange(np.datetime64("2019-01-01"), np.datetime64("2023-12-31"), 7)
    got = cn.deadline(days, CalendarMonths(5))
    want = [_expected(cn, d.astype(date), 5) for d in days]
    assert [g.astype(date) for g in got] == want
