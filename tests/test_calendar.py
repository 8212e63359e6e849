"""WorkCalendar: the counting rules, hand-checked on the mainland calendar.

Every expected date below was worked out by hand from the State Council notice
for that year; the comment says how.
"""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from approval_clock import (
    ApprovalClockError,
    CalendarCoverageError,
    CalendarDays,
    CalendarMonths,
    DateTypeError,
    DurationError,
    Notice,
    WorkCalendar,
    WorkingDays,
    calendars,
)

D = date


# -- the press record and the counting vocabulary ------------------------------------


def test_count_press_record_land_to_construction_permit_is_18(cn: WorkCalendar) -> None:
    # Land delisted Wed 2021-08-18, construction permit Fri 2021-09-10: Aug 18-20 (3),
    # Aug 23-27 (5), Aug 30-Sep 3 (5), Sep 6-10 (5) = 18 working days, both ends counted.
    assert cn.count(D(2021, 8, 18), D(2021, 9, 10)) == 18


def test_count_press_record_land_to_planning_permit_is_7(cn: WorkCalendar) -> None:
    # Aug 18, 19, 20, 23, 24, 25, 26.
    assert cn.count(D(2021, 8, 18), D(2021, 8, 26)) == 7


def test_elapsed_excludes_the_start_day(cn: WorkCalendar) -> None:
    # Civil Code art. 201: the day of the event is not counted.
    assert cn.elapsed(D(2021, 8, 18), D(2021, 9, 10)) == 17
    assert cn.elapsed(D(2021, 8, 18), D(2021, 8, 18)) == 0
    assert cn.count(D(2021, 8, 18), D(2021, 8, 18)) == 1


def test_elapsed_is_signed(cn: WorkCalendar) -> None:
    assert cn.elapsed(D(2021, 9, 10), D(2021, 8, 18)) == -17


def test_count_refuses_a_start_after_the_end(cn: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="start is after the end"):
        cn.count(D(2021, 9, 10), D(2021, 8, 18))


# -- working days: holidays and makeup days ------------------------------------------


@pytest.mark.parametrize(
    ("day", "working", "why"),
    [
        (D(2021, 10, 1), False, "National Day"),  # Fri, statutory holiday
        (D(2021, 10, 7), False, "National Day"),  # Thu, weekday given off
        (D(2021, 9, 26), True, "makeup working day for National Day"),  # Sun worked
        (D(2021, 10, 9), True, "makeup working day for National Day"),  # Sat worked
        (D(2021, 10, 10), False, "weekend"),
        (D(2021, 10, 8), True, "working day"),
        (D(2021, 2, 7), True, "makeup working day for Spring Festival"),  # Sun worked
        (D(2021, 2, 17), False, "Spring Festival"),  # Wed, last day off
        (D(2026, 1, 4), True, "makeup working day for New Year's Day"),  # Sun worked
        (D(2026, 2, 14), True, "makeup working day for Spring Festival"),  # Sat worked
        (D(2026, 2, 23), False, "Spring Festival"),  # Mon, 9-day holiday ends
        (D(2026, 9, 20), True, "makeup working day for National Day"),
        (D(2026, 10, 10), True, "makeup working day for National Day"),
    ],
)
def test_describe_and_is_working_day_agree_with_the_notice(
    cn: WorkCalendar, day: date, working: bool, why: str
) -> None:
    assert cn.is_working_day(day) is working
    assert cn.describe(day) == why


def test_2005_12_31_is_a_makeup_working_day(cn: WorkCalendar) -> None:
    # 国办发明电〔2005〕35号: 元旦 1月1日—3日放假，12月31日（星期六）上班.
    # chinesecalendar 1.11 gets this wrong; see [[verdicts]] in cn.toml.
    assert cn.is_working_day(D(2005, 12, 31))
    assert cn.describe(D(2005, 12, 31)) == "makeup working day for New Year's Day"


def test_2020_amendment_overrides_the_original_notice(cn: WorkCalendar) -> None:
    # The 2020 notice made Sat 2020-02-01 a working day; the extension of
    # 2020-01-27 (国办发明电〔2020〕1号) moved the end of the holiday to Sun 2020-02-02.
    assert not cn.is_working_day(D(2020, 1, 31))
    assert not cn.is_working_day(D(2020, 2, 1))
    assert cn.is_working_day(D(2020, 1, 19))  # makeup day the extension kept
    assert cn.is_working_day(D(2020, 2, 3))


def test_2019_labour_day_amendment(cn: WorkCalendar) -> None:
    # Amended 2019-03-22: 5月1日至4日放假, 4月28日（星期日）、5月5日（星期日）上班.
    assert [cn.is_working_day(D(2019, 5, k)) for k in (1, 2, 3, 4, 5)] == [
        False,
        False,
        False,
        False,
        True,
    ]
    assert cn.is_working_day(D(2019, 4, 28))


def test_2015_victory_day_holiday(cn: WorkCalendar) -> None:
    assert not cn.is_working_day(D(2015, 9, 3))
    assert not cn.is_working_day(D(2015, 9, 4))
    assert cn.is_working_day(D(2015, 9, 6))  # Sunday worked


def test_makeup_day_in_the_previous_year_belongs_to_the_next_notice(cn: WorkCalendar) -> None:
    # The 2008 notice: 2007-12-29 (Sat) worked, 2007-12-30..2008-01-01 off.
    assert cn.is_working_day(D(2007, 12, 29))
    assert not cn.is_working_day(D(2007, 12, 31))  # a Monday given off


# -- deadlines -----------------------------------------------------------------------


def test_deadline_working_days_crosses_spring_festival_2021(cn: WorkCalendar) -> None:
    # From Tue 2021-02-09: Feb 10 (1); Feb 11-17 off; Feb 18 (2), Feb 19 (3),
    # Sat Feb 20 worked (4), Mon Feb 22 (5).
    assert cn.deadline(D(2021, 2, 9), WorkingDays(3)) == D(2021, 2, 19)
    assert cn.deadline(D(2021, 2, 9), WorkingDays(5)) == D(2021, 2, 22)


def test_deadline_working_days_crosses_national_day_2021(cn: WorkCalendar) -> None:
    # From Tue 2021-09-28: Sep 29 (1), Sep 30 (2), Oct 1-7 off, Oct 8 (3),
    # Sat Oct 9 worked (4), Oct 11-15 (5-9), 18-22 (10-14), 25-29 (15-19), Nov 1 (20).
    assert cn.deadline(D(2021, 9, 28), WorkingDays(3)) == D(2021, 10, 8)
    assert cn.deadline(D(2021, 9, 28), WorkingDays(4)) == D(2021, 10, 9)
    assert cn.deadline(D(2021, 9, 28), WorkingDays(20)) == D(2021, 11, 1)


def test_deadline_working_days_national_day_2026(cn: WorkCalendar) -> None:
    # From Tue 2026-09-29: Sep 30 (1); Oct 1-7 off; Thu Oct 8 (2), Fri Oct 9 (3),
    # Sat Oct 10 worked (4), Mon Oct 12 (5).
    assert cn.deadline(D(2026, 9, 29), WorkingDays(5)) == D(2026, 10, 12)


def test_deadline_zero_working_days_is_the_day_itself(cn: WorkCalendar) -> None:
    assert cn.deadline(D(2021, 10, 1), WorkingDays(0)) == D(2021, 10, 1)


def test_deadline_from_a_holiday_counts_from_the_next_working_day(cn: WorkCalendar) -> None:
    # Accepted on a holiday (an online application): day 1 is Fri 2021-10-08.
    assert cn.deadline(D(2021, 10, 2), WorkingDays(1)) == D(2021, 10, 8)


def test_deadline_calendar_days_ending_on_a_holiday_rolls_forward(cn: WorkCalendar) -> None:
    # Civil Code art. 203: 2021-09-21 + 10 days = Fri 2021-10-01 (National Day);
    # Oct 2-7 are off too; the period ends on Fri 2021-10-08.
    assert cn.deadline(D(2021, 9, 21), CalendarDays(10)) == D(2021, 10, 8)
    # Ending on a working day: no roll.
    assert cn.deadline(D(2021, 9, 20), CalendarDays(10)) == D(2021, 9, 30)


def test_deadline_calendar_days_ending_on_a_makeup_saturday_does_not_roll(
    cn: WorkCalendar,
) -> None:
    # 2021-09-29 + 10 days = Sat 2021-10-09, a makeup working day.
    assert cn.deadline(D(2021, 9, 29), CalendarDays(10)) == D(2021, 10, 9)


def test_deadline_months_ending_on_a_makeup_saturday(cn: WorkCalendar) -> None:
    # Civil Code art. 202: 2021-09-09 + 1 month = Sat 2021-10-09, a makeup working
    # day, so the period ends there; one day later it would end on Sun 2021-10-10
    # and roll to Mon 2021-10-11.
    assert cn.deadline(D(2021, 9, 9), CalendarMonths(1)) == D(2021, 10, 9)
    assert cn.deadline(D(2021, 9, 10), CalendarMonths(1)) == D(2021, 10, 11)


def test_deadline_months_without_the_same_day_take_the_last_day(cn: WorkCalendar) -> None:
    # 2021-01-31 + 1 month -> Sun 2021-02-28 -> Mon 2021-03-01.
    assert cn.deadline(D(2021, 1, 31), CalendarMonths(1)) == D(2021, 3, 1)
    # 2020-01-31 + 1 month -> Sat 2020-02-29 (leap year) -> Mon 2020-03-02.
    assert cn.deadline(D(2020, 1, 31), CalendarMonths(1)) == D(2020, 3, 2)
    # 2021-03-31 + 3 months -> Wed 2021-06-30, a working day.
    assert cn.deadline(D(2021, 3, 31), CalendarMonths(3)) == D(2021, 6, 30)


def test_deadline_rejects_anything_but_a_duration(cn: WorkCalendar) -> None:
    # A bare int is working days (issue 12); a float, a bool or None is no duration.
    for bad in (5.0, True, None, "5 days"):
        with pytest.raises(DurationError, match="duration: expected a duration"):
            cn.deadline(D(2021, 1, 4), bad)


def test_next_previous_and_roll(cn: WorkCalendar) -> None:
    assert cn.next_working_day(D(2021, 9, 30)) == D(2021, 10, 8)
    assert cn.next_working_day(D(2021, 10, 8)) == D(2021, 10, 9)  # makeup Saturday
    assert cn.previous_working_day(D(2021, 10, 8)) == D(2021, 9, 30)
    assert cn.roll_forward(D(2021, 10, 3)) == D(2021, 10, 8)
    assert cn.roll_forward(D(2021, 10, 8)) == D(2021, 10, 8)


def test_working_and_rest_days_lists(cn: WorkCalendar) -> None:
    assert cn.working_days(D(2021, 9, 30), D(2021, 10, 11)) == [
        D(2021, 9, 30),
        D(2021, 10, 8),
        D(2021, 10, 9),
        D(2021, 10, 11),
    ]
    rest = cn.rest_days(D(2021, 10, 1), D(2021, 10, 10))
    assert list(rest) == [D(2021, 10, k) for k in (1, 2, 3, 4, 5, 6, 7, 10)]
    assert rest[D(2021, 10, 10)] == "weekend"


def test_working_day_numbers_round_trip(cn: WorkCalendar) -> None:
    k = cn.working_day_number(D(2021, 9, 30))
    assert cn.working_day_number(D(2021, 10, 7)) == k  # holidays keep the number
    assert cn.date_of_working_day(k + 1) == D(2021, 10, 8)
    with pytest.raises(CalendarCoverageError):
        cn.date_of_working_day(0)


# -- what a date is ------------------------------------------------------------------


def test_aware_datetime_is_converted_to_beijing_time(cn: WorkCalendar) -> None:
    # 2026-09-30T17:00Z is 2026-10-01 01:00 in Beijing: National Day.
    late = datetime(2026, 9, 30, 17, 0, tzinfo=UTC)
    assert cn.describe(late) == "National Day"
    assert not cn.is_working_day(late)
    # Naive datetimes are taken as local time.
    assert cn.is_working_day(datetime(2026, 9, 30, 17, 0))


def test_numpy_and_pandas_scalars() -> None:
    pd = pytest.importorskip("pandas")
    cn = calendars.get("CN")
    assert cn.is_working_day(np.datetime64("2021-10-09"))
    assert cn.is_working_day(pd.Timestamp("2021-10-09 13:30"))
    assert not cn.is_working_day(pd.Timestamp("2026-09-30T17:00Z"))


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2021-10-09", date(2021, 10, 9)),  # a makeup Saturday
        ("2021-10-09T23:59:59.999999999", date(2021, 10, 9)),
        ("2021-10-10T00:00", date(2021, 10, 10)),  # the Sunday after
        ("2021-10", date(2021, 10, 1)),  # a month: its first day, National Day
        ("1969-12-28T12:00", date(1969, 12, 28)),  # before 1970: floored, still Sunday
    ],
)
def test_datetime64_scalars_of_any_unit_are_their_day(value: str, day: date) -> None:
    cal = WorkCalendar("Mon-Fri", first=date(1969, 1, 1), last=date(2030, 12, 31))
    cal = cal.with_holidays({date(2021, 10, 1): "National Day"}).with_workdays(
        {date(2021, 10, 9): "makeup"}
    )
    assert cal.is_working_day(np.datetime64(value)) == cal.is_working_day(day)
    assert cal.working_day_number(np.datetime64(value)) == cal.working_day_number(day)


@pytest.mark.parametrize("bad", ["2021-10-01", 20211001, 2021.5, None, (2021, 10, 1)])
def test_other_types_are_a_type_error_that_says_what_is_expected(
    cn: WorkCalendar, bad: object
) -> None:
    if isinstance(bad, tuple):
        # A tuple is read as a sequence of dates, and its ints are not dates.
        with pytest.raises(DateTypeError, match="expected dates"):
            cn.is_working_day(bad)
        return
    with pytest.raises(DateTypeError, match=r"expected a date \(datetime.date"):
        cn.is_working_day(bad)
    assert issubclass(DateTypeError, TypeError)


def test_a_missing_scalar_is_a_clear_error(cn: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="missing date"):
        cn.is_working_day(np.datetime64("NaT"))


# -- coverage ------------------------------------------------------------------------


def test_outside_the_range_names_date_calendar_range_and_remedy(cn: WorkCalendar) -> None:
    with pytest.raises(CalendarCoverageError) as info:
        cn.is_working_day(D(2027, 3, 1))
    msg = str(info.value)
    assert "2027-03-01" in msg
    assert "'Mainland China'" in msg
    assert "2004-01-01..2026-12-31" in msg
    assert "with_notice" in msg
    assert "extended(until=" in msg
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ApprovalClockError)


def test_outside_the_range_before(cn: WorkCalendar) -> None:
    with pytest.raises(CalendarCoverageError, match="2003-12-31 is before the range"):
        cn.count(D(2003, 12, 31), D(2004, 1, 5))


def test_deadline_past_the_range_is_an_error_not_a_guess(cn: WorkCalendar) -> None:
    with pytest.raises(CalendarCoverageError, match="ends after the range"):
        cn.deadline(D(2026, 12, 20), WorkingDays(20))
    with pytest.raises(CalendarCoverageError, match="ends after the range"):
        cn.deadline(D(2026, 12, 20), CalendarMonths(1))


def test_array_coverage_error_names_first_value_and_count(cn: WorkCalendar) -> None:
    days = np.array(["2021-01-04", "2031-05-06", "2035-01-01"], dtype="datetime64[D]")
    with pytest.raises(CalendarCoverageError, match=r"2031-05-06 .*\(and 1 more value"):
        cn.is_working_day(days)


def test_projection_only_when_asked_and_marked(cn: WorkCalendar) -> None:
    ext = cn.extended(until=D(2027, 12, 31))
    # Fri 2027-01-01 is New Year's Day whatever the 2027 notice says (the
    # statutory rule, the default); Mon 2027-01-04 is an ordinary working day.
    assert not ext.is_working_day(D(2027, 1, 1))
    assert ext.describe(D(2027, 1, 1)) == (
        "New Year's Day (statutory, projected: no 2027 notice loaded)"
    )
    assert ext.describe(D(2027, 1, 4)) == "working day (projected: no 2027 notice loaded)"
    assert ext.is_provisional(D(2027, 1, 1))
    assert not ext.is_provisional(D(2026, 12, 31))
    assert ext.provisional == (D(2027, 1, 1), D(2027, 12, 31))
    assert cn.provisional is None
    weekends = cn.extended(until=D(2027, 12, 31), rule="weekends")
    assert weekends.is_working_day(D(2027, 1, 1))
    assert weekends.describe(D(2027, 1, 1)) == "working day (projected: no 2027 notice loaded)"
    with pytest.raises(ValueError, match="must be after"):
        cn.extended(until=D(2026, 6, 1))
    with pytest.raises(ValueError, match="expected one of 'statutory', 'forecast', 'weekends'"):
        cn.extended(until=D(2027, 6, 1), rule="lunar")  # type: ignore[arg-type]


# -- vectors -------------------------------------------------------------------------


def test_vector_results_equal_scalar_results(cn: WorkCalendar) -> None:
    rng = np.random.default_rng(7)
    base = np.datetime64("2005-01-01")
    a = base + rng.integers(0, 7000, 500).astype("timedelta64[D]")
    b = a + rng.integers(0, 400, 500).astype("timedelta64[D]")
    counts = cn.count(a, b)
    elapsed = cn.elapsed(a, b)
    ends = cn.deadline(a, WorkingDays(15))
    months = cn.deadline(a, CalendarMonths(2))
    days = cn.deadline(a, CalendarDays(9))
    for k in range(len(a)):
        da, db = a[k].astype(date), b[k].astype(date)
        assert counts[k] == cn.count(da, db)
        assert elapsed[k] == cn.elapsed(da, db)
        assert ends[k].astype(date) == cn.deadline(da, WorkingDays(15))
        assert months[k].astype(date) == cn.deadline(da, CalendarMonths(2))
        assert days[k].astype(date) == cn.deadline(da, CalendarDays(9))
    assert counts.dtype == np.int64


def test_vector_nat_gives_missing_results(cn: WorkCalendar) -> None:
    a = np.array(["2021-08-18", "NaT"], dtype="datetime64[D]")
    b = np.array(["2021-09-10", "2021-09-10"], dtype="datetime64[D]")
    counts = cn.count(a, b)
    assert counts[0] == 18
    assert np.isnan(counts[1])
    ends = cn.deadline(a, WorkingDays(1))
    assert ends[0] == np.datetime64("2021-08-19")
    assert np.isnat(ends[1])
    assert cn.is_working_day(a).tolist() == [True, False]


def test_vector_datetimes_of_any_unit_and_lists(cn: WorkCalendar) -> None:
    stamps = np.array(["2021-10-09T23:59", "2021-10-10T00:01"], dtype="datetime64[m]")
    assert cn.is_working_day(stamps).tolist() == [True, False]
    assert cn.count([D(2021, 8, 18)], [D(2021, 9, 10)]).tolist() == [18]


def test_vector_count_refuses_reversed_pairs_with_position(cn: WorkCalendar) -> None:
    a = np.array(["2021-01-04", "2021-02-01"], dtype="datetime64[D]")
    b = np.array(["2021-01-08", "2021-01-01"], dtype="datetime64[D]")
    with pytest.raises(ValueError, match="position 1"):
        cn.count(a, b)


def test_vector_shapes_must_broadcast(cn: WorkCalendar) -> None:
    a = np.array(["2021-01-04", "2021-02-01"], dtype="datetime64[D]")
    b = np.array(["2021-01-08", "2021-03-01", "2021-04-01"], dtype="datetime64[D]")
    with pytest.raises(ValueError, match="do not broadcast"):
        cn.elapsed(a, b)


def test_strings_in_arrays_are_refused(cn: WorkCalendar) -> None:
    with pytest.raises(DateTypeError):
        cn.is_working_day(np.array(["2021-01-04"]))


def test_pandas_series_in_series_out_with_index() -> None:
    pd = pytest.importorskip("pandas")
    cn = calendars.get("CN")
    a = pd.Series(pd.to_datetime(["2021-08-18", None, "2021-09-28"]), index=[7, 8, 9])
    b = pd.Series(pd.to_datetime(["2021-09-10", "2021-09-10", "2021-10-08"]), index=[7, 8, 9])
    counts = cn.count(a, b)
    assert isinstance(counts, pd.Series)
    assert list(counts.index) == [7, 8, 9]
    assert counts[7] == 18
    assert counts[9] == 4  # Sep 28, 29, 30, Oct 8
    assert counts.isna().tolist() == [False, True, False]
    ends = cn.deadline(a, WorkingDays(3))
    assert ends[9] == pd.Timestamp("2021-10-08")  # day 1 Sep 29, day 2 Sep 30, day 3 Oct 8
    assert pd.isna(ends[8])
    flags = cn.is_working_day(a)
    assert flags.isna().tolist() == [False, True, False]


def test_pandas_aware_series_converted_to_the_calendar_zone() -> None:
    pd = pytest.importorskip("pandas")
    cn = calendars.get("CN")
    s = pd.Series(pd.to_datetime(["2026-09-30T17:00Z", "2026-09-30T15:00Z"]))
    # 01:00 on Oct 1 in Beijing (holiday); 23:00 on Sep 30 (working day).
    assert cn.is_working_day(s).tolist() == [False, True]


# -- composition ---------------------------------------------------------------------


def _tiny(name: str, **kw: object) -> WorkCalendar:
    return WorkCalendar(name, first=D(2026, 1, 1), last=D(2026, 12, 31), **kw)  # type: ignore[arg-type]


def test_and_or_combine_working_status() -> None:
    a = _tiny("A", holidays={D(2026, 3, 2): "A day"})
    b = _tiny("B", holidays={D(2026, 3, 3): "B day"}, workdays={D(2026, 3, 7): "B Saturday"})
    both, either = a & b, a | b
    assert not both.is_working_day(D(2026, 3, 2))
    assert both.describe(D(2026, 3, 2)) == "A: A day"
    assert not both.is_working_day(D(2026, 3, 7))  # A rests on Saturday
    assert either.is_working_day(D(2026, 3, 2))
    assert either.is_working_day(D(2026, 3, 7))
    assert (
        either.describe(D(2026, 3, 7))
        == "makeup working day for B: makeup working day for B Saturday"
    )


def test_and_takes_the_overlap_of_ranges() -> None:
    a = WorkCalendar("A", first=D(2026, 1, 1), last=D(2026, 6, 30))
    b = WorkCalendar("B", first=D(2026, 3, 1), last=D(2026, 12, 31))
    assert (a & b).coverage == (D(2026, 3, 1), D(2026, 6, 30))
    c = WorkCalendar("C", first=D(2027, 1, 1), last=D(2027, 12, 31))
    with pytest.raises(CalendarCoverageError, match="no days in common"):
        _ = a & c


def test_with_holidays_workdays_weekmask(cn: WorkCalendar) -> None:
    regional = cn.with_holidays({D(2026, 4, 20): "Zhuang March 3rd"})
    assert not regional.is_working_day(D(2026, 4, 20))
    assert cn.is_working_day(D(2026, 4, 20))  # the original is untouched
    worked = cn.with_workdays([D(2026, 10, 3)], name="Service day")
    assert worked.describe(D(2026, 10, 3)) == "makeup working day for Service day"
    hall = cn.with_weekmask("1111110")
    assert hall.is_working_day(D(2026, 11, 28))  # an ordinary Saturday
    assert not hall.is_working_day(D(2026, 10, 3))  # National Day still off
    assert hall.weekmask == "1111110"


def test_with_notice_extends_the_range(notice_2027: Notice) -> None:
    cn = calendars.get("CN")
    cal = cn.with_notice(notice_2027)
    assert cal.coverage == (D(2004, 1, 1), D(2027, 12, 31))
    assert not cal.is_working_day(D(2027, 2, 8))
    assert cal.is_working_day(D(2027, 2, 14))
    assert cal.provisional is None
    gap = Notice(year=2029, title="gap")
    with pytest.raises(CalendarCoverageError, match="gap"):
        cn.with_notice(gap)


def test_with_notice_replaces_projection(notice_2027: Notice) -> None:
    ext = calendars.get("CN").extended(until=D(2028, 12, 31), rule="forecast")
    cal = ext.with_notice(notice_2027)
    assert cal.provisional == (D(2028, 1, 1), D(2028, 12, 31))
    # What the projection made for 2027 is gone, the notice rules there alone.
    assert cal.certainty(D(2027, 6, 1)) == "official"
    assert cal == calendars.get("CN").with_notice(notice_2027).extended(
        until=D(2028, 12, 31), rule="forecast"
    )
    n2028 = Notice(
        year=2028,
        title="t",
        holidays=[(name, d, d) for d, name in calendars.statutory_holidays(2028).items()],
    )
    with pytest.raises(CalendarCoverageError, match="projected"):
        ext.with_notice(n2028)


# -- value semantics -----------------------------------------------------------------


def test_calendars_are_immutable_hashable_and_picklable(cn: WorkCalendar) -> None:
    with pytest.raises(AttributeError, match="immutable"):
        cn._name = "x"  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(cn))
    assert again == cn
    assert hash(again) == hash(cn)
    assert cn != cn.with_weekmask("1111110")
    holidays = cn.holidays
    assert isinstance(holidays, dict)
    holidays.clear()  # a copy: the calendar is unaffected
    assert cn.holidays


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weekmask": "11111"}, "weekmask"),
        ({"weekmask": "0000000"}, "at least one"),
        ({"first": D(2026, 2, 1), "last": D(2026, 1, 1)}, "is after last"),
        ({"holidays": {D(2027, 1, 1): "x"}}, "outside the calendar's range"),
        ({"holidays": {D(2026, 5, 1): "x"}, "workdays": {D(2026, 5, 1): "y"}}, "both"),
        ({"timezone": "Mars/Olympus"}, "unknown IANA zone"),
    ],
)
def test_invalid_calendars_are_refused(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"first": D(2026, 1, 1), "last": D(2026, 12, 31)}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        WorkCalendar("bad", **args)  # type: ignore[arg-type]


def test_a_calendar_without_zone_refuses_aware_datetimes() -> None:
    cal = _tiny("No zone")
    with pytest.raises(ValueError, match="needs a calendar time zone"):
        cal.is_working_day(datetime(2026, 3, 2, tzinfo=UTC))
    assert cal.is_working_day(datetime(2026, 3, 2, 12))


def test_weekmask_other_than_saturday_sunday() -> None:
    # A Friday-Saturday weekend.
    cal = _tiny("Gulf", weekmask="1111001")
    start = D(2026, 3, 2)  # Monday
    days = [start + timedelta(days=k) for k in range(7)]
    assert [cal.is_working_day(d) for d in days] == [True, True, True, True, False, False, True]
