"""Past the last notice: projections, certainty, and the back-test against history.

The back-test builds the calendar from the notices before a year only
(``notices_through``), projects the year, and compares with what its notice
really said, on the days the notice governs (29 December of the year before
to 28 December: the late-December days belong to the next notice).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from approval_clock import (
    CalendarCoverageError,
    CalendarDays,
    CalendarError,
    DateOrderError,
    Notice,
    WorkCalendar,
    WorkingDays,
    calendars,
)
from approval_clock.calendars import festivals, statutory_holidays

D = date


def _governed(year: int) -> list[date]:
    first = D(year - 1, 12, 29)
    return [first + timedelta(days=k) for k in range((D(year, 12, 28) - first).days + 1)]


def _backtest(year: int, rule: str, cn: WorkCalendar) -> tuple[int, int]:
    """(right, changed): the days the real notice changed from plain weekends, and how
    many of them the projection from the notices before ``year`` got right."""
    projected = calendars.get("CN", notices_through=year - 1).extended(
        until=D(year, 12, 31),
        rule=rule,  # type: ignore[arg-type]
    )
    changed = [d for d in _governed(year) if cn.is_working_day(d) != (d.weekday() < 5)]
    right = [d for d in changed if projected.is_working_day(d) == cn.is_working_day(d)]
    return len(right), len(changed)


# -- the statutory rule ------------------------------------------------------------------


@pytest.mark.parametrize("year", range(2005, 2027))
def test_the_statutory_projection_never_works_a_statutory_day(year: int) -> None:
    projected = calendars.get("CN", notices_through=year - 1).extended(until=D(year, 12, 31))
    for d, name in statutory_holidays(year).items():
        assert not projected.is_working_day(d), (d, name)
        assert projected.certainty(d) == "projected"


def test_2027_is_projected_with_its_statutory_days(cn: WorkCalendar) -> None:
    ext = cn.extended(until=D(2027, 12, 31))
    for d in [D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 8), D(2027, 4, 5), D(2027, 5, 2)]:
        assert not ext.is_working_day(d)
    for d in [D(2027, 6, 9), D(2027, 9, 15), D(2027, 10, 1), D(2027, 10, 3)]:
        assert not ext.is_working_day(d)
    assert (
        ext.describe(D(2027, 10, 1)) == "National Day (statutory, projected: no 2027 notice loaded)"
    )
    # Saturday 6 and Sunday 7 February are statutory: the measures require two
    # weekdays off in their place, after the holiday.
    assert not ext.is_working_day(D(2027, 2, 9))
    assert ext.describe(D(2027, 2, 9)).startswith("Spring Festival (substitute weekday off")
    assert ext.is_working_day(D(2027, 2, 11))  # a bridge day: only a notice can give it


def test_a_20_day_deadline_from_mid_december_is_projected_and_late_enough(
    cn: WorkCalendar,
) -> None:
    start = D(2026, 12, 15)
    with pytest.raises(CalendarCoverageError, match="with_notice"):
        cn.deadline(start, WorkingDays(20))
    for rule in ("statutory", "forecast"):
        ext = cn.extended(until=D(2027, 12, 31), rule=rule)  # type: ignore[arg-type]
        end = ext.deadline(start, WorkingDays(20))
        # 16-31 December give 12 working days; 1 January is New Year's Day, so
        # the 20th working day is Wednesday 13 January at the earliest.
        assert end >= D(2027, 1, 13)
        assert ext.certainty(start, end) == "projected"
    # With weekends only the deadline would wrongly count 1 January.
    weekends = cn.extended(until=D(2027, 12, 31), rule="weekends")
    assert weekends.deadline(start, WorkingDays(20)) == D(2027, 1, 12)


def test_a_projection_needs_a_law_and_stops_with_the_lunar_table(cn: WorkCalendar) -> None:
    fr = calendars.get("FR", years=(2025, 2026))
    with pytest.raises(CalendarError, match="rule='weekends'"):
        fr.extended(until=D(2027, 12, 31))
    assert fr.extended(until=D(2027, 12, 31), rule="weekends").certainty(D(2027, 5, 3)) == (
        "projected"
    )
    with pytest.raises(CalendarError, match="2000-2100"):
        cn.extended(until=D(2101, 1, 31))
    assert cn.extended(until=D(2101, 1, 31), rule="weekends").coverage[1] == D(2101, 1, 31)


# -- the forecast --------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_forecast_back_test_meets_the_aim(year: int, cn: WorkCalendar) -> None:
    # Aim: at least 85% of the days the notice changed from plain weekends.
    right, changed = _backtest(year, "forecast", cn)
    assert right / changed >= 0.85, (right, changed)
    # The statutory rule knows only the statutory days and their substitutes.
    right_s, changed_s = _backtest(year, "statutory", cn)
    assert changed_s == changed
    assert 0.4 < right_s / changed_s < right / changed


def test_the_forecast_of_2027_follows_the_principles(cn: WorkCalendar) -> None:
    f = cn.extended(until=D(2027, 12, 31), rule="forecast")
    days = np.arange(np.datetime64("2027-01-01"), np.datetime64("2028-01-01"))
    # Every statutory day is a weekday off, itself or by a substitute, and every
    # other weekday given off is paid back by a makeup Saturday or Sunday: the
    # year has as many working days as weekdays less the statutory days.
    legal = sum(len(fe.days) for fe in festivals(2027))
    assert int(f.is_working_day(days).sum()) == int(np.is_busday(days).sum()) - legal
    # Spring Festival from the eve (Friday 5 February), 8 days and more with the weekend.
    assert not f.is_working_day(days[35:43]).any()  # 5..12 February
    # No more than six working days in a row (art. 7 of the measures since 2025).
    work = f.is_working_day(days)
    longest = max(len(run) for run in "".join("1" if w else "0" for w in work).split("0"))
    assert longest <= 6
    # Mid-autumn on a Wednesday: that day alone.
    assert not f.is_working_day(D(2027, 9, 15))
    assert f.is_working_day(D(2027, 9, 14))
    assert f.is_working_day(D(2027, 9, 16))
    makeup = f.describe(D(2027, 10, 9))
    assert (
        makeup == "makeup working day for National Day (forecast, projected: no 2027 notice loaded)"
    )


def test_the_forecast_may_rearrange_the_tentative_days() -> None:
    # 1 January 2019 was a Tuesday: the 2019 notice worked Saturday 29 December
    # 2018 and gave Monday 31 December off. From the notices through 2018 the
    # forecast says the same, and those days become projected.
    through = calendars.get("CN", notices_through=2018)
    assert through.tentative == ((D(2018, 12, 29), D(2018, 12, 31)),)
    f = through.extended(until=D(2019, 12, 31), rule="forecast")
    assert f.is_working_day(D(2018, 12, 29))
    assert not f.is_working_day(D(2018, 12, 31))
    assert f.provisional == (D(2018, 12, 29), D(2019, 12, 31))
    assert f.certainty(D(2018, 12, 28)) == "official"
    assert f.tentative == ()


# -- certainty -------------------------------------------------------------------------------


def test_certainty_scalar_range_vector_and_series(cn: WorkCalendar) -> None:
    ext = cn.extended(until=D(2027, 12, 31))
    assert [ext.certainty(D(2026, 12, n)) for n in (28, 29, 31)] == [
        "official",
        "tentative",
        "tentative",
    ]
    assert ext.certainty(D(2027, 1, 1)) == "projected"
    assert ext.certainty(D(2026, 1, 5), D(2026, 12, 28)) == "official"
    assert ext.certainty(D(2026, 12, 1), D(2026, 12, 30)) == "tentative"
    assert ext.certainty(D(2026, 12, 1), D(2027, 1, 4)) == "projected"
    with pytest.raises(DateOrderError):
        ext.certainty(D(2026, 12, 30), D(2026, 12, 1))
    a = np.array(["2026-06-01", "2026-12-30", "2027-03-01", "NaT"], dtype="datetime64[D]")
    assert ext.certainty(a).tolist() == ["official", "tentative", "projected", None]
    b = np.array(["2026-06-05", "2027-01-04", "2027-03-02", "2027-03-03"], dtype="datetime64[D]")
    assert ext.certainty(a, b).tolist() == ["official", "projected", "projected", None]
    s = pd.Series(pd.to_datetime(["2026-06-01", "2026-12-29"]), index=["x", "y"])
    out = ext.certainty(s)
    assert list(out.index) == ["x", "y"]
    assert out.tolist() == ["official", "tentative"]


def test_the_tentative_window_is_derived_from_the_notices(cn: WorkCalendar) -> None:
    # In 5 of the 22 years 2005-2026 the next notice changed late-December days,
    # the earliest 29 December (2007 and 2018): so 29-31 December is tentative.
    from approval_clock.calendars.notice import late_changes

    notices = [n for n in _shipped_notices()]
    changed = late_changes(notices, "1111100")
    assert sorted({d.year for d in changed}) == [2005, 2006, 2007, 2011, 2018]
    assert min(d.day for d in changed) == 29
    assert cn.tentative == ((D(2026, 12, 29), D(2026, 12, 31)),)
    # From the notices known at the time: the 2006 notice changed 31 December
    # 2005, the 2007 notice 30 December 2006, the 2008 notice 29 December 2007.
    for year, day in ((2006, 31), (2007, 30), (2008, 29)):
        through = calendars.get("CN", notices_through=year)
        assert through.tentative == ((D(year, 12, day), D(year, 12, 31)),)
    # A loaded notice settles the old window and opens the next one.
    cal = cn.with_notice(_notice_2027())
    assert cal.certainty(D(2026, 12, 30)) == "official"
    assert cal.tentative == ((D(2027, 12, 29), D(2027, 12, 31)),)


def _shipped_notices() -> list[Notice]:
    import tomllib
    from importlib import resources

    from approval_clock._toml import Reader
    from approval_clock.calendars._files import notice_from_table
    from approval_clock.errors import CalendarFileError

    text = (
        resources.files("approval_clock.calendars")
        .joinpath("data", "cn.toml")
        .read_text(encoding="utf-8")
    )
    r = Reader("cn.toml", CalendarFileError)
    return [notice_from_table(r, t, "") for t in tomllib.loads(text)["notices"]]


def _notice_2027() -> Notice:
    from conftest import NOTICE_2027_TOML

    return calendars.load_notice(NOTICE_2027_TOML)


def test_notices_through_builds_from_the_earlier_notices_only(cn: WorkCalendar) -> None:
    c = calendars.get("CN", notices_through=2024)
    assert c.coverage == (D(2004, 1, 1), D(2024, 12, 31))
    days = np.arange(np.datetime64("2004-01-01"), np.datetime64("2024-12-29"))
    assert (c.is_working_day(days) == cn.is_working_day(days)).all()
    with pytest.raises(CalendarCoverageError):
        c.is_working_day(D(2025, 1, 2))
    for bad in (2003, 2027):
        with pytest.raises(CalendarError, match="notices_through"):
            calendars.get("CN", notices_through=bad)
    with pytest.raises(TypeError, match="notices_through"):
        calendars.get("CN", notices_through="2024")  # type: ignore[arg-type]
    with pytest.raises(CalendarError, match="notices_through"):
        calendars.get("FR", notices_through=2024)


# -- the notice arrives ---------------------------------------------------------------------


def test_a_loaded_notice_replaces_exactly_what_the_projection_made(cn: WorkCalendar) -> None:
    n = _notice_2027()
    for rule in ("statutory", "forecast", "weekends"):
        ext = cn.extended(until=D(2027, 12, 31), rule=rule)  # type: ignore[arg-type]
        assert ext.with_notice(n) == cn.with_notice(n), rule
    # A projection past the notice's year keeps its later years.
    long = cn.extended(until=D(2029, 12, 31)).with_notice(n)
    assert long.provisional == (D(2028, 1, 1), D(2029, 12, 31))
    assert not long.is_working_day(D(2028, 1, 3))  # substitute for New Year on Saturday
    # with_holidays on a projected day is the user's, not the projection's.
    own = cn.extended(until=D(2027, 12, 31)).with_holidays({D(2027, 3, 1): "Closure"})
    assert not own.with_notice(n).is_working_day(D(2027, 3, 1))


def test_diff_lists_the_days_the_notice_moved(cn: WorkCalendar) -> None:
    projected = cn.extended(until=D(2027, 12, 31))
    new = cn.with_notice(_notice_2027())
    changes = new.diff(projected)
    # The illustrative notice adds bridge days and makeup days, and keeps the
    # statutory rule's substitutes (it gives 4 and 5 October off anyway).
    moved = {c.date: c.after.working for c in changes}
    assert moved[D(2027, 1, 31)] is True
    assert moved[D(2027, 2, 11)] is False
    assert D(2027, 10, 4) not in moved
    assert all(
        c.before.certainty == "projected" and c.after.certainty == "official" for c in changes
    )
    assert all(c.before.working != c.after.working for c in changes)
    assert new.diff(new) == []
    # The days that moved are exactly where the two calendars disagree.
    days = np.arange(np.datetime64("2027-01-01"), np.datetime64("2028-01-01"))
    disagree = days[new.is_working_day(days) != projected.is_working_day(days)]
    assert [np.datetime64(c.date, "D") for c in changes] == list(disagree)


def test_vector_deadlines_show_which_moved(cn: WorkCalendar) -> None:
    # The recipe of docs/next-notice.md: recompute, compare.
    rng = np.random.default_rng(3)
    starts = np.datetime64("2026-09-01") + rng.integers(0, 120, 10_000).astype("timedelta64[D]")
    old = cn.extended(until=D(2027, 12, 31))
    new = cn.with_notice(_notice_2027())
    before = old.deadline(starts, WorkingDays(20))
    after = new.deadline(starts, WorkingDays(20))
    moved = before != after
    # A start in September is settled (official both before and after); one whose
    # period crosses 11 February moved.
    assert not moved[starts < np.datetime64("2026-11-20")].any()
    crossing = (starts > np.datetime64("2027-01-15")) & (starts < np.datetime64("2027-01-25"))
    assert moved[crossing].all()
    assert (new.certainty(starts, after) != "projected").all()


def test_calendar_days_roll_past_a_projected_holiday(cn: WorkCalendar) -> None:
    ext = cn.extended(until=D(2027, 12, 31))
    # 2026-12-22 + 10 days is 1 January 2027: New Year's Day, rolled to Monday 4 January.
    assert ext.deadline(D(2026, 12, 22), CalendarDays(10)) == D(2027, 1, 4)


def test_projected_calendars_pickle_and_compare(cn: WorkCalendar) -> None:
    import pickle

    f = cn.extended(until=D(2028, 12, 31), rule="forecast")
    again = pickle.loads(pickle.dumps(f))
    assert again == f
    assert again.describe(D(2027, 10, 9)) == f.describe(D(2027, 10, 9))
    assert again.tentative == f.tentative
    assert f != cn.extended(until=D(2028, 12, 31))
