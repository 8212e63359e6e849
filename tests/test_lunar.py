"""The shipped lunar table (calendars/data/lunar.csv) against its generator and two
independent sources, for every year 2004-2100.

* the generator: lunar-python, run again (the table is not edited by hand);
* lunar dates: lunardate's table (1900-2099) and python-holidays' lunisolar
  table (to 2100), two tables compiled independently of lunar-python;
* Qingming: PyEphem's ephemeris (VSOP87), the day the Sun's apparent
  longitude reaches 15 degrees, in Beijing time. python-holidays' Qingming is
  a threshold formula: it agrees for 2004-2099 and says 4 April for 2100,
  where the ephemeris (and lunar-python) put the term at 00:36 on 5 April.
"""

from __future__ import annotations

import math
import warnings
from datetime import date, datetime, timedelta

import pytest

from approval_clock.calendars import _lunar
from approval_clock.calendars._lunar import lunar_year
from approval_clock.errors import CalendarCoverageError

YEARS = range(2004, 2101)


def test_the_table_is_what_the_generator_writes() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "tools" / "make_lunar_table.py"
    spec = importlib.util.spec_from_file_location("make_lunar_table", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = module.TARGET.read_text(encoding="utf-8")
    assert shipped == module.text()


def test_lunar_dates_agree_with_lunardate() -> None:
    import lunardate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for y in range(2004, 2100):  # lunardate stops at 2099
            row = lunar_year(y)

            def solar(month: int, day: int, y: int = y) -> date:
                d = lunardate.LunarDate(y, month, day).toSolarDate()
                return date(d.year, d.month, d.day)

            assert (row.new_year, row.dragon_boat, row.mid_autumn) == (
                solar(1, 1),
                solar(5, 5),
                solar(8, 15),
            ), y


def test_lunar_dates_agree_with_python_holidays() -> None:
    from holidays.calendars.chinese import _ChineseLunisolar

    c = _ChineseLunisolar()
    for y in YEARS:
        row = lunar_year(y)
        assert row.new_year == c.lunar_new_year_date(y)[0], y
        assert row.dragon_boat == c.dragon_boat_date(y)[0], y
        assert row.mid_autumn == c.mid_autumn_date(y)[0], y
        if y < 2100:
            assert row.qingming == c.qingming_date(y)[0], y
    # The one disagreement, settled by the ephemeris below.
    assert c.qingming_date(2100)[0] == date(2100, 4, 4)
    assert lunar_year(2100).qingming == date(2100, 4, 5)


def _qingming_moment(year: int) -> datetime:
    """When the Sun's apparent geocentric longitude reaches 15 degrees, Beijing time."""
    import ephem

    def longitude(t: float) -> float:
        sun = ephem.Sun()
        sun.compute(ephem.Date(t))
        eq = ephem.Equatorial(sun.g_ra, sun.g_dec, epoch=ephem.Date(t))
        return math.degrees(ephem.Ecliptic(eq, epoch=ephem.Date(t)).lon)

    lo, hi = float(ephem.Date(datetime(year, 3, 30))), float(ephem.Date(datetime(year, 4, 10)))
    for _ in range(40):  # bisection to well under a second
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if longitude(mid) < 15 else (lo, mid)
    moment: datetime = ephem.Date(lo).datetime()
    return moment + timedelta(hours=8)


def test_qingming_agrees_with_the_ephemeris_every_year() -> None:
    # The closest call is 2071, ten minutes after midnight on 5 April; model
    # differences (delta T, nutation) are well under a minute.
    for y in YEARS:
        assert lunar_year(y).qingming == _qingming_moment(y).date(), y


def test_the_dates_fall_where_the_calendar_allows() -> None:
    for y in range(_lunar.FIRST_YEAR, _lunar.LAST_YEAR + 1):
        row = lunar_year(y)
        assert date(y, 1, 21) <= row.new_year <= date(y, 2, 20)
        assert date(y, 4, 4) <= row.qingming <= date(y, 4, 6)
        assert date(y, 5, 27) <= row.dragon_boat <= date(y, 6, 25)  # 27 May in 2039
        assert date(y, 9, 7) <= row.mid_autumn <= date(y, 10, 8)


def test_a_year_outside_the_table_is_an_error() -> None:
    with pytest.raises(CalendarCoverageError, match="2000-2100"):
        lunar_year(2101)
    with pytest.raises(CalendarCoverageError, match="2000-2100"):
        lunar_year(1999)
