"""The statutory holidays of the 全国年节及纪念日放假办法, version by version.

Hand-worked examples from the text of each version, and the official notices
2004-2026 as the check that the model (and the lunar table) are right.
"""

from __future__ import annotations

from datetime import date

import pytest

from approval_clock import WorkCalendar, calendars
from approval_clock.calendars import (
    MEASURES,
    festivals,
    measures_in_force,
    statutory_holidays,
)
from approval_clock.calendars._statutory import substitute_days
from approval_clock.errors import ApprovalClockError, ArgumentTypeError, CalendarCoverageError

D = date


@pytest.mark.parametrize(
    ("year", "revision", "days"),
    [
        (2004, 1999, 10),
        (2007, 1999, 10),
        (2008, 2008, 11),
        (2013, 2008, 11),
        (2014, 2014, 11),
        (2024, 2014, 11),
        (2025, 2025, 13),
        (2027, 2025, 13),
        (2100, 2025, 13),
    ],
)
def test_each_year_follows_the_version_in_force(year: int, revision: int, days: int) -> None:
    m = measures_in_force(year)
    assert m.in_force.year == revision
    assert m.days == days
    # Days counted with multiplicity: two festivals on one date still give two days.
    assert sum(len(f.days) for f in festivals(year) if f.key != "victory_day") == days


def test_the_2027_statutory_days() -> None:
    # New Year; Spring Festival eve and days 1-3 (正月初一 is 6 February 2027);
    # Qingming (the solar term); Labour Day 1-2; Dragon Boat (五月初五);
    # Mid-autumn (八月十五); National Day 1-3.
    assert list(statutory_holidays(2027)) == [
        D(2027, 1, 1),
        D(2027, 2, 5),
        D(2027, 2, 6),
        D(2027, 2, 7),
        D(2027, 2, 8),
        D(2027, 4, 5),
        D(2027, 5, 1),
        D(2027, 5, 2),
        D(2027, 6, 9),
        D(2027, 9, 15),
        D(2027, 10, 1),
        D(2027, 10, 2),
        D(2027, 10, 3),
    ]
    assert statutory_holidays(2027)[D(2027, 2, 5)] == "Spring Festival"
    assert [f.name_zh for f in festivals(2027)] == [
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    ]


def test_the_spring_festival_eve_came_and_went() -> None:
    # 2008-2013: eve, day 1, day 2. 2014-2024: days 1-3 (the 2014 eve,
    # 30 January, was worked). Since 2025: eve and days 1-3.
    assert list(statutory_holidays(2013))[1:4] == [D(2013, 2, 9), D(2013, 2, 10), D(2013, 2, 11)]
    assert list(statutory_holidays(2014))[1:4] == [D(2014, 1, 31), D(2014, 2, 1), D(2014, 2, 2)]
    assert calendars.get("CN").is_working_day(D(2014, 1, 30))
    assert [d for d, n in statutory_holidays(2025).items() if n == "Spring Festival"] == [
        D(2025, 1, 28),
        D(2025, 1, 29),
        D(2025, 1, 30),
        D(2025, 1, 31),
    ]
    # 1999 version: Labour Day and National Day three days each, no lunar festivals
    # but the Spring Festival.
    assert len([d for d, n in statutory_holidays(2005).items() if n == "Labour Day"]) == 3
    assert "Dragon Boat Festival" not in statutory_holidays(2007).values()


def test_victory_day_2015_is_statutory_once() -> None:
    assert statutory_holidays(2015)[D(2015, 9, 3)] == "Victory Day (70th anniversary)"
    assert D(2016, 9, 3) not in statutory_holidays(2016)


def test_every_statutory_day_2004_2026_was_a_rest_day(cn: WorkCalendar) -> None:
    # The notices never worked a statutory day: the model and the data agree.
    for year in range(2004, 2027):
        for d, name in statutory_holidays(year).items():
            assert not cn.is_working_day(d), (d, name)


def test_substitute_days_for_statutory_days_on_weekends(cn: WorkCalendar) -> None:
    # 2026: Qingming on Sunday 5 April -> Monday 6 April; Labour Day 2 May on a
    # Saturday -> Monday 4 May; National Day 3 October on a Saturday -> 5 October.
    assert list(substitute_days(festivals(2026))) == [D(2026, 4, 6), D(2026, 5, 4), D(2026, 10, 5)]
    # Against the notices 2004-2026: every substitute the rule places was a rest
    # day but two, where the notice chose otherwise: 2012 gave Friday 22 June
    # (before the Saturday Dragon Boat), 2015 folded the Sunday Mid-autumn's
    # day into National Day week.
    worked = [
        d for y in range(2004, 2027) for d in substitute_days(festivals(y)) if cn.is_working_day(d)
    ]
    assert worked == [D(2012, 6, 25), D(2015, 9, 28)]


def test_measures_table_is_in_order_and_bad_years_are_refused() -> None:
    assert [m.in_force for m in MEASURES] == sorted(m.in_force for m in MEASURES)
    with pytest.raises(CalendarCoverageError, match="2000-2100"):
        statutory_holidays(2101)
    with pytest.raises(ArgumentTypeError):
        statutory_holidays("2027")  # type: ignore[arg-type]
    with pytest.raises(ApprovalClockError):
        measures_in_force(1999)


def test_the_count_of_statutory_days_per_year_is_the_law_s() -> None:
    # 10 under the 1999 version, 11 under 2008 and 2014 (12 in 2015 with
    # 3 September), 13 since 2025; also in the years Mid-autumn fell on National
    # Day: its day off is then the day after National Day's three.
    expected = {y: 10 for y in range(2004, 2008)}
    expected.update({y: 11 for y in range(2008, 2025)})
    expected[2015] = 12
    expected.update({y: 13 for y in range(2025, 2101)})
    assert {y: len(statutory_holidays(y)) for y in expected} == expected
    mid = next(f for f in festivals(2020) if f.key == "mid_autumn")
    assert (mid.days, mid.moved_from) == ((D(2020, 10, 4),), D(2020, 10, 1))
    assert next(f for f in festivals(2009) if f.key == "mid_autumn").days == (D(2009, 10, 4),)
    assert next(f for f in festivals(2026) if f.key == "mid_autumn").moved_from is None
