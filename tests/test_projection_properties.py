"""Properties of the projections over every year the statutory model knows (2001-2100)."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from approval_clock import WorkCalendar, calendars
from approval_clock.calendars import festivals, statutory_holidays

years = st.integers(min_value=2001, max_value=2099)
rules = st.sampled_from(["statutory", "forecast"])


def _base(year: int) -> WorkCalendar:
    """A mainland-law calendar whose data end the year before ``year``."""
    return WorkCalendar("base", first=date(year - 1, 1, 1), last=date(year - 1, 12, 31), law="CN")


def _days(year: int) -> np.ndarray:
    return np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"))


@given(years, rules)
def test_no_projection_works_a_statutory_day(year: int, rule: str) -> None:
    cal = _base(year).extended(until=date(year, 12, 31), rule=rule)  # type: ignore[arg-type]
    for d in statutory_holidays(year):
        assert not cal.is_working_day(d), d
        assert cal.certainty(d) == "projected"


@given(years)
def test_the_forecast_pays_back_every_bridge_day(year: int) -> None:
    # Each statutory day costs one weekday (itself or its substitute); every other
    # weekday given off is worked on a weekend day: the notices since 2013 all
    # keep this (but 2020, extended for COVID-19).
    cal = _base(year).extended(until=date(year, 12, 31), rule="forecast")
    days = _days(year)
    legal = sum(len(f.days) for f in festivals(year))
    worked = int(cal.is_working_day(days).sum())
    # A bridge day or makeup day of the New Year may sit in late December of
    # the year before or after.
    assert abs(worked - (int(np.is_busday(days).sum()) - legal)) <= 1


@given(st.integers(min_value=2025, max_value=2099))
def test_the_forecast_keeps_to_six_working_days_in_a_row(year: int) -> None:
    cal = _base(year).extended(until=date(year, 12, 31), rule="forecast")
    flags = "".join("1" if w else "0" for w in cal.is_working_day(_days(year)))
    assert max(len(run) for run in flags.split("0")) <= 6


@given(st.integers(min_value=2001, max_value=2098), rules)
def test_projecting_in_steps_is_projecting_at_once(year: int, rule: str) -> None:
    base = _base(year)
    at_once = base.extended(until=date(year + 1, 12, 31), rule=rule)  # type: ignore[arg-type]
    steps = base.extended(until=date(year, 12, 31), rule=rule).extended(  # type: ignore[arg-type]
        until=date(year + 1, 12, 31),
        rule=rule,  # type: ignore[arg-type]
    )
    days = np.concatenate([_days(year), _days(year + 1)])
    assert (at_once.is_working_day(days) == steps.is_working_day(days)).all()


@given(years, rules)
def test_the_year_notice_replaces_the_projection(year: int, rule: str) -> None:
    # A notice that gives exactly the statutory days off, loaded over any
    # projection, gives the calendar it gives without one.
    n = calendars.Notice(
        year=year,
        title="t",
        holidays=[(name, d, d) for d, name in statutory_holidays(year).items()],
    )
    base = _base(year)
    projected = base.extended(until=date(year, 12, 31), rule=rule)  # type: ignore[arg-type]
    assert projected.with_notice(n) == base.with_notice(n)
