"""The mainland calendar against independent sources, day by day, 2004-2026.

Two packages transcribe the same notices independently: ``holidays`` (China and
its ``weekend_workdays``) and ``chinesecalendar``. Every day of the range must
agree with both, except the dates listed in ``[[verdicts]]`` in the data file,
where the notice text decided; a verdict that no longer matches a disagreement
fails too, so the list cannot go stale.
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from importlib import resources

import pytest

from approval_clock import calendars

holidays = pytest.importorskip("holidays")
chinese_calendar = pytest.importorskip("chinese_calendar")

FIRST, LAST = date(2004, 1, 1), date(2026, 12, 31)


def _data() -> dict[str, object]:
    ref = resources.files("approval_clock.calendars").joinpath("data", "cn.toml")
    return tomllib.loads(ref.read_text(encoding="utf-8"))


def _days() -> list[date]:
    return [FIRST + timedelta(days=k) for k in range((LAST - FIRST).days + 1)]


def _verdict_dates() -> set[date]:
    return {v["date"] for v in _data()["verdicts"]}  # type: ignore[attr-defined]


def test_covers_2004_through_2026() -> None:
    assert calendars.get("CN").coverage == (FIRST, LAST)


def test_agrees_with_the_holidays_package_every_day() -> None:
    cn = calendars.get("CN")
    ref = holidays.China(years=range(2003, 2028))
    makeup = ref.weekend_workdays

    def working(d: date) -> bool:
        return d in makeup or (d not in ref and d.weekday() < 5)

    differ = {d for d in _days() if cn.is_working_day(d) != working(d)}
    # No verdict was needed against `holidays`; any difference is a regression.
    assert differ == set()


def test_agrees_with_chinesecalendar_except_the_recorded_verdicts() -> None:
    cn = calendars.get("CN")
    from chinese_calendar import constants

    def working(d: date) -> bool:
        return d in constants.workdays or (d not in constants.holidays and d.weekday() < 5)

    differ = {d for d in _days() if cn.is_working_day(d) != working(d)}
    assert differ == _verdict_dates()


def test_every_verdict_is_documented() -> None:
    for v in _data()["verdicts"]:  # type: ignore[attr-defined]
        assert v["verdict"]
        assert v["reason"]
        assert v["packages"]
        assert "国办发明电" in v["reason"] or "notice" in v["reason"]


def test_every_year_has_a_notice_and_every_makeup_day_is_a_weekend_day() -> None:
    notices = _data()["notices"]
    years = {n["year"] for n in notices}  # type: ignore[attr-defined]
    assert years == set(range(2004, 2027))
    for n in notices:  # type: ignore[attr-defined]
        assert n["title"].startswith("国务院")
        for w in n.get("workdays", []):
            assert w["date"].weekday() >= 5, (n["year"], w)


def test_no_silent_gaps_every_year_has_spring_festival_and_national_day() -> None:
    cn = calendars.get("CN")
    for year in range(2004, 2027):
        names = {cn.describe(d) for d in cn.rest_days(date(year, 1, 1), date(year, 12, 31))}
        assert "Spring Festival" in names, year
        assert any("National Day" in n for n in names), year


def test_yearly_rest_day_totals_match_the_holidays_package() -> None:
    # A coarse second look: the number of working days per year.
    cn = calendars.get("CN")
    ref = holidays.China(years=range(2003, 2028))
    for year in (2008, 2015, 2020, 2021, 2025, 2026):
        first, last = date(year, 1, 1), date(year, 12, 31)
        expected = sum(
            1
            for d in (first + timedelta(days=k) for k in range((last - first).days + 1))
            if d in ref.weekend_workdays or (d not in ref and d.weekday() < 5)
        )
        assert cn.count(first, last) == expected, year
