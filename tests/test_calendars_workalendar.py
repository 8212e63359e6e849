"""Calendars from workalendar's registry are the same day by day as workalendar says."""

from __future__ import annotations

import warnings
from datetime import UTC, date, timedelta

import pytest

from approval_clock import UnknownCalendarError, calendars


@pytest.mark.parametrize("code", ["FR", "HK", "JP", "US-CA"])
def test_same_working_days_as_workalendar(code: str) -> None:
    from workalendar.registry import registry

    ours = calendars.get(code, years=(2020, 2027))
    theirs = registry.get(code)()
    first = date(2020, 1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for k in range((date(2027, 12, 31) - first).days + 1):
            d = first + timedelta(days=k)
            assert ours.is_working_day(d) == theirs.is_working_day(d), (code, d)


def test_holiday_names_come_through() -> None:
    fr = calendars.get("FR", years=(2024, 2026))
    assert fr.describe(date(2025, 7, 14)) == "Bastille Day"
    assert fr.describe(date(2025, 7, 13)) == "weekend"


def test_years_can_be_widened_and_are_validated() -> None:
    assert calendars.get("FR", years=(1990, 2050)).coverage == (
        date(1990, 1, 1),
        date(2050, 12, 31),
    )
    with pytest.raises(ValueError, match="years"):
        calendars.get("FR", years=(2030, 2020))
    with pytest.raises(ValueError, match="official notices"):
        calendars.get("CN", years=(2000, 2030))


def test_time_zone_is_explicit() -> None:
    from datetime import datetime

    fr = calendars.get("FR", years=(2025, 2025))
    assert fr.timezone is None
    with pytest.raises(ValueError, match="time zone"):
        fr.is_working_day(datetime(2025, 7, 13, 23, tzinfo=UTC))
    paris = calendars.get("FR", years=(2025, 2025), timezone="Europe/Paris")
    # 23:00 UTC on Sun 13 July is 01:00 on Mon 14 July (Bastille Day) in Paris.
    assert paris.describe(datetime(2025, 7, 13, 23, tzinfo=UTC)) == "Bastille Day"


def test_unknown_code() -> None:
    with pytest.raises(UnknownCalendarError, match="'XX'") as info:
        calendars.get("XX")
    assert isinstance(info.value, LookupError)


def test_available_lists_cn_and_the_registry() -> None:
    codes = calendars.available()
    assert "CN" in codes
    assert "HK" in codes
    assert len(codes) > 100


def test_joint_stage_calendar_cn_and_hk() -> None:
    cn = calendars.get("CN")
    hk = calendars.get("HK", years=(2021, 2021))
    both = cn & hk
    # 1 July is a Hong Kong holiday, a mainland working day.
    assert cn.is_working_day(date(2021, 7, 1))
    assert not both.is_working_day(date(2021, 7, 1))
    # Sat 9 Oct 2021 is a mainland makeup day; Hong Kong works Saturdays in workalendar.
    assert both.is_working_day(date(2021, 10, 9))
