"""Kinds of days and Chinese descriptions.

The statutory days are recomputed here from the text of each version of the
全国年节及纪念日放假办法, with lunar dates from lunardate and Qingming from
python-holidays (sources independent of the shipped table), and compared with
``day_kind`` for every day 2004-2026.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from approval_clock import WorkCalendar, calendars

D = date


def _independent_statutory(year: int) -> set[date]:
    import lunardate
    from holidays.calendars.chinese import _ChineseLunisolar

    def lunar(month: int, day: int) -> date:
        with warnings.catch_warnings():  # lunardate renamed toSolarDate
            warnings.simplefilter("ignore", DeprecationWarning)
            d = lunardate.LunarDate(year, month, day).toSolarDate()
        return date(d.year, d.month, d.day)

    new_year = lunar(1, 1)
    one = timedelta(days=1)
    days: list[date] = [D(year, 1, 1)]  # 新年 / 元旦, every version
    if year < 2008:  # 1999: 春节 初一至初三, 劳动节 5月1日至3日, 国庆节 10月1日至3日
        days += [new_year, new_year + one, new_year + 2 * one]
        days += [D(year, 5, 1), D(year, 5, 2), D(year, 5, 3)]
    else:
        if year < 2014:  # 2008: 除夕、初一、初二
            days += [new_year - one, new_year, new_year + one]
        elif year < 2025:  # 2014: 初一、初二、初三
            days += [new_year, new_year + one, new_year + 2 * one]
        else:  # 2025: 除夕、初一至初三
            days += [new_year - one, new_year, new_year + one, new_year + 2 * one]
        days += [D(year, 5, 1)] + ([D(year, 5, 2)] if year >= 2025 else [])
        days += [_ChineseLunisolar().qingming_date(year)[0], lunar(5, 5)]
    days += [D(year, 10, 1), D(year, 10, 2), D(year, 10, 3)]
    if year == 2015:
        days.append(D(2015, 9, 3))  # 国发明电〔2015〕1号
    out = set(days)
    if year >= 2008:
        # 中秋 on a National Day holiday still gives a day off: the next free day.
        mid = lunar(8, 15)
        while mid in out:
            mid += one
        out.add(mid)
    return out


def test_day_kind_of_every_day_2004_2026(cn: WorkCalendar) -> None:
    days = np.arange(np.datetime64("2004-01-01"), np.datetime64("2027-01-01"))
    kinds = cn.day_kind(days)
    working = cn.is_working_day(days)
    weekend = np.asarray([d.astype(date).weekday() >= 5 for d in days])
    statutory = set().union(*(_independent_statutory(y) for y in range(2004, 2027)))
    is_statutory = np.asarray([d.astype(date) in statutory for d in days])
    assert ((kinds == "statutory_holiday") == is_statutory).all()
    assert ((kinds == "makeup_working_day") == (working & weekend)).all()
    assert ((kinds == "working_day") == (working & ~weekend)).all()
    assert ((kinds == "rest_day") == (~working & ~is_statutory)).all()


def test_statutory_days_per_year_match_the_measures(cn: WorkCalendar) -> None:
    counts = {}
    for year in range(2004, 2027):
        days = np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"))
        counts[year] = int((cn.day_kind(days) == "statutory_holiday").sum())
    expected = {y: 10 if y < 2008 else 13 if y >= 2025 else 11 for y in counts}
    expected[2015] = 12
    assert counts == expected


def test_hand_worked_kinds(cn: WorkCalendar) -> None:
    # National Day 2021: 1-3 October by law, 4-7 given off by the notice (调休),
    # Saturday 9 October worked.
    assert [cn.day_kind(D(2021, 10, n)) for n in (1, 3, 4, 7, 8, 9, 10)] == [
        "statutory_holiday",
        "statutory_holiday",
        "rest_day",
        "rest_day",
        "working_day",
        "makeup_working_day",
        "rest_day",
    ]
    # Qingming on Sunday 5 April 2026; Monday 6 April is its substitute: a rest day.
    assert cn.day_kind(D(2026, 4, 5)) == "statutory_holiday"
    assert cn.day_kind(D(2026, 4, 6)) == "rest_day"
    # 2014: the eve was no longer statutory, and was worked.
    assert cn.day_kind(D(2014, 1, 30)) == "working_day"
    # 2020: the extension's days are rest days; Mid-autumn's day off is 4 October.
    assert cn.day_kind(D(2020, 1, 31)) == "rest_day"
    assert cn.day_kind(D(2020, 10, 4)) == "statutory_holiday"
    # 3 September 2015, once.
    assert cn.day_kind(D(2015, 9, 3)) == "statutory_holiday"
    assert cn.day_kind(D(2016, 9, 3)) == "rest_day"  # a Saturday


def test_kinds_of_projected_days(cn: WorkCalendar) -> None:
    statutory = cn.extended(until=D(2027, 12, 31))
    assert statutory.day_kind(D(2027, 1, 1)) == "statutory_holiday"
    assert statutory.day_kind(D(2027, 2, 9)) == "rest_day"  # substitute for 6 February
    forecast = cn.extended(until=D(2027, 12, 31), rule="forecast")
    assert forecast.day_kind(D(2027, 1, 31)) == "makeup_working_day"
    assert forecast.day_kind(D(2027, 2, 11)) == "rest_day"
    assert forecast.day_kind(D(2027, 2, 5)) == "statutory_holiday"


def test_kinds_from_other_sources() -> None:
    fr = calendars.get("FR", years=(2025, 2026))
    assert fr.day_kind(D(2025, 7, 14)) == "statutory_holiday"
    assert fr.day_kind(D(2025, 7, 12)) == "rest_day"  # a Saturday
    own = WorkCalendar(
        "Office",
        first=D(2026, 1, 1),
        last=D(2026, 12, 31),
        holidays={D(2026, 3, 2): "Founders' Day", D(2026, 3, 3): "Closure"},
        statutory=[D(2026, 3, 2)],
    )
    assert own.day_kind(D(2026, 3, 2)) == "statutory_holiday"
    assert own.day_kind(D(2026, 3, 3)) == "rest_day"
    marked = own.with_holidays([D(2026, 3, 4)], name="Local", statutory=True)
    assert marked.day_kind(D(2026, 3, 4)) == "statutory_holiday"
    text = """
format = 1
name = "Region"
first = 2026-01-01
last = 2026-12-31
[[notices]]
year = 2026
title = "t"
holidays = [
  { name = "Local festival", name_zh = "地方节日", first = 2026-04-20, last = 2026-04-20, statutory = true },
  { name = "Closure", first = 2026-04-21, last = 2026-04-21 },
]
"""
    region = calendars.loads(text, source="region.toml")
    assert region.day_kind(D(2026, 4, 20)) == "statutory_holiday"
    assert region.day_kind(D(2026, 4, 21)) == "rest_day"
    assert region.describe(D(2026, 4, 20), lang="zh") == "地方节日"
    assert region.describe(D(2026, 4, 21), lang="zh") == "Closure"  # no Chinese name given
    with pytest.raises(ValueError, match="not a holiday"):
        WorkCalendar("x", first=D(2026, 1, 1), last=D(2026, 12, 31), statutory=[D(2026, 3, 2)])


def test_vector_kinds_keep_missing_and_index(cn: WorkCalendar) -> None:
    a = np.array(["2026-10-01", "NaT", "2026-10-10"], dtype="datetime64[D]")
    assert cn.day_kind(a).tolist() == ["statutory_holiday", None, "makeup_working_day"]
    s = pd.Series(pd.to_datetime(["2026-10-01", "2026-10-12"]), index=[7, 9])
    out = cn.day_kind(s)
    assert list(out.index) == [7, 9]
    assert out.tolist() == ["statutory_holiday", "working_day"]


def test_describe_in_chinese(cn: WorkCalendar) -> None:
    assert [cn.describe(D(2026, 10, n), lang="zh") for n in (1, 10, 11, 12)] == [
        "国庆节",
        "国庆节调休上班",
        "周末",
        "工作日",
    ]
    assert cn.describe(D(2026, 2, 17), lang="zh") == "春节"
    assert cn.describe(D(2023, 10, 1), lang="zh") == "中秋节、国庆节"
    assert cn.describe(D(2015, 9, 3), lang="zh").startswith("中国人民抗日战争")
    assert cn.describe(D(2026, 12, 31), lang="zh") == (
        "工作日（暂定：2027年通知仍可能调整十二月末的日期）"
    )
    ext = cn.extended(until=D(2027, 12, 31))
    assert ext.describe(D(2027, 2, 9), lang="zh") == (
        "春节（法定节假日逢周末补休，预测：尚未载入2027年通知）"
    )
    assert ext.describe(D(2027, 3, 1), lang="zh") == "工作日（预测：尚未载入2027年通知）"
    with pytest.raises(ValueError, match="lang"):
        cn.describe(D(2026, 10, 1), lang="fr")


def test_chinese_names_survive_notices_and_composition(cn: WorkCalendar) -> None:
    from conftest import NOTICE_2027_JSON, NOTICE_2027_TOML

    for path in (NOTICE_2027_TOML, NOTICE_2027_JSON):
        cal = cn.with_notice(path)
        assert cal.describe(D(2027, 10, 1), lang="zh") == "国庆节"
        assert cal.describe(D(2027, 10, 9), lang="zh") == "国庆节调休上班"
    hk = calendars.get("HK", years=(2026, 2026))
    joint = cn & hk
    assert joint.describe(D(2026, 10, 1), lang="zh").startswith("Mainland China：国庆节")
    # A statutory holiday on a weekend stays statutory in the composition.
    assert joint.day_kind(D(2026, 4, 5)) == "statutory_holiday"
