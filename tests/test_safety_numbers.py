"""Numbers at the edges: every out-of-range number is our error, in scalar and vector forms
alike, naming the file and the place when it came from a file; calendars that reach the
ends of datetime.date's range are refused, and calendars next to them work.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from approval_clock import (
    ApprovalClockError,
    CalendarCoverageError,
    CalendarDays,
    CalendarError,
    CalendarMonths,
    DurationError,
    Link,
    Notice,
    Plan,
    PlanError,
    PlanFileError,
    PolicyFileError,
    Stage,
    WorkCalendar,
    WorkingDays,
    calendars,
    parse_duration,
)
from approval_clock.checks.policy import Policy
from approval_clock.cli import EXIT_BAD_INPUT, main
from approval_clock.durations import MAX_DURATION

D = date
START = D(2021, 6, 1)
STARTS = np.array(["2021-06-01", "2021-06-02"], dtype="datetime64[D]")


@pytest.mark.parametrize("unit", [WorkingDays, CalendarDays, CalendarMonths])
@pytest.mark.parametrize(
    "n",
    [MAX_DURATION + 1, 2**63 - 1, 2**64, 10**18, pytest.param(10**5000, id="10**5000")],
)
def test_a_duration_longer_than_any_calendar_is_refused(unit: type, n: int) -> None:
    with pytest.raises(DurationError, match=rf"^{unit.__name__}: expected at most 3652058") as e:
        unit(n)
    assert len(str(e.value)) < 200  # a huge number is not printed whole


@pytest.mark.parametrize("unit", [WorkingDays, CalendarDays, CalendarMonths])
def test_the_longest_duration_is_past_the_range_in_both_forms(unit: type) -> None:
    cn = calendars.get("CN")
    longest = unit(MAX_DURATION)
    with pytest.raises(CalendarCoverageError):
        cn.deadline(START, longest)
    # The vector form once wrapped around int64 and answered 2004-01-02.
    with pytest.raises(CalendarCoverageError, match=r"ends after the range .* \(and 1 more\)"):
        cn.deadline(STARTS, longest)


@pytest.mark.parametrize("unit", [WorkingDays, CalendarDays, CalendarMonths])
def test_scalar_and_vector_agree_near_the_end_of_the_range(unit: type) -> None:
    cn = calendars.get("CN")
    last = cn.coverage[1]
    starts = [last - timedelta(days=k) for k in (40, 20, 3)]
    for n in (0, 1, 2, 15, 30):
        scalar: list[object] = []
        for d in starts:
            try:
                scalar.append(cn.deadline(d, unit(n)))
            except CalendarCoverageError:
                scalar.append(None)
        if None in scalar:
            with pytest.raises(CalendarCoverageError):
                cn.deadline(np.array(starts, dtype="datetime64[D]"), unit(n))
        else:
            vector = cn.deadline(np.array(starts, dtype="datetime64[D]"), unit(n))
            assert [v.astype(date) for v in vector] == scalar


def test_parse_duration_of_thousands_of_digits_is_our_error() -> None:
    with pytest.raises(DurationError, match="at most 3652058") as e:
        parse_duration("9" * 5000 + "wd")
    assert len(str(e.value)) < 200
    assert parse_duration("0" * 5000 + "5wd") == WorkingDays(5)  # zeros are not digits that count


@pytest.mark.parametrize(
    "lag", [MAX_DURATION + 1, 2**63, 2**64, -(2**64), pytest.param(10**5000, id="10**5000")]
)
def test_a_lag_beyond_any_calendar_is_refused_by_the_plan(lag: int) -> None:
    cn = calendars.get("CN")
    with pytest.raises(PlanError, match=r"links\[0\]\): lag: expected working days from") as e:
        Plan([Stage("a", 1), Stage("b", 1)], [Link("a", "b", lag=lag)], calendar=cn)
    assert len(str(e.value)) < 200


def test_the_longest_lag_is_a_coverage_error() -> None:
    cn = calendars.get("CN")
    plan = Plan([Stage("a", 1), Stage("b", 1)], [Link("a", "b", lag=MAX_DURATION)], calendar=cn)
    with pytest.raises(CalendarCoverageError, match="stage 'b' would finish after the range"):
        plan.schedule(start=START)
    lead = Plan([Stage("a", 1), Stage("b", 1)], [Link("a", "b", lag=-MAX_DURATION)], calendar=cn)
    assert lead.schedule(start=START)["b"].start == START


@pytest.mark.parametrize(
    "stages",
    [
        [Stage("a", 1), Stage("b", "5cd")],  # a lag of 3 000 000 before a calendar-day stage
        [Stage("a", 3_000_000), Stage("b", "5cd")],
    ],
)
def test_a_calendar_day_stage_far_past_the_range_is_a_coverage_error(
    stages: list[Stage],
) -> None:
    cn = calendars.get("CN")
    lag = 3_000_000 if stages[0].duration == WorkingDays(1) else 0
    plan = Plan(stages, [Link("a", "b", lag=lag)], calendar=cn)
    with pytest.raises(CalendarCoverageError):
        plan.schedule(start=START)


# -- numbers in files ---------------------------------------------------------------------

PLAN = """format = 1
calendar = "CN"
[[stages]]
id = "a"
duration = 1
[[stages]]
id = "b"
duration = "5cd"
[[links]]
predecessor = "a"
successor = "b"
lag = LAG
"""


@pytest.mark.parametrize(
    ("lag", "message"),
    [
        (
            str(2**63),
            "plan.toml: links[0].lag: expected whole working days from -3652058 to 3652058",
        ),
        ("-" + str(2**64), "plan.toml: links[0].lag: expected whole working days from"),
        ("9" * 4301, "plan.toml: line 12: a number of more than 64 digits"),
        ('"99999999999cd"', "plan.toml: links[0].lag: expected whole working days (an int"),
    ],
)
def test_numbers_out_of_range_in_a_plan_file_name_the_place(lag: str, message: str) -> None:
    with pytest.raises(PlanFileError) as e:
        Plan.loads(PLAN.replace("LAG", lag), source="plan.toml")
    assert str(e.value).startswith(message), str(e.value)


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        (str(MAX_DURATION + 1), "plan.toml: stages[0].duration: expected at most 3652058 working"),
        ('"99999999wd"', "plan.toml: stages[0].duration: expected a duration of at most 3652058"),
        (f'"{"9" * 5000}cd"', "plan.toml: stages[0].duration: expected a duration of at most"),
    ],
)
def test_durations_out_of_range_in_a_plan_file_name_the_place(duration: str, message: str) -> None:
    text = PLAN.replace("duration = 1", f"duration = {duration}", 1).replace("LAG", "0")
    with pytest.raises(PlanFileError) as e:
        Plan.loads(text, source="plan.toml")
    assert str(e.value).startswith(message), str(e.value)
    assert len(str(e.value)) < 300


def test_a_4301_digit_integer_is_our_error_in_every_reader() -> None:
    huge = "9" * 4301
    with pytest.raises(PolicyFileError, match=r"policy\.toml: line 3: a number of more than 64"):
        Policy.loads(f'format = 1\nname = "p"\ntarget_limit = {huge}\n', source="policy.toml")
    with pytest.raises(ApprovalClockError, match=r"cal\.toml: line 2: a number of more than 64"):
        calendars.loads(f"format = 1\nx = {huge}\n", source="cal.toml")
    with pytest.raises(ApprovalClockError, match=r"n\.json: line 1: a number of more than 64"):
        calendars.loads(f'{{"year": {huge}}}', source="n.json")


def test_a_digit_limit_lifted_by_the_application_does_not_reach_the_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    # An application may lift Python's limit (sys.set_int_max_str_digits(0)); then
    # int() of a million digits takes seconds. The structure check refuses first.
    monkeypatch.setattr(sys, "get_int_max_str_digits", lambda: 0)
    with pytest.raises(PlanFileError, match="a number of more than 64 digits"):
        Plan.loads(PLAN.replace("LAG", "1" * 200_000), source="plan.toml")


def test_numbers_on_the_command_line_are_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    from pathlib import Path

    plan = Path(str(tmp_path)) / "plan.toml"
    plan.write_text(PLAN.replace("LAG", str(2**64)), encoding="utf-8")
    for argv in (
        ["deadline", "2021-06-01", "9" * 5000 + "wd"],
        ["deadline", "2021-06-01", "3652058cd"],
        ["schedule", str(plan), "--start", "2021-06-01"],
        ["records", "x.csv", "--top", "9" * 5000],
    ):
        assert main(argv) == EXIT_BAD_INPUT, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert err.startswith("approval-clock")
        assert "Traceback" not in err


# -- calendars at the ends of datetime.date ---------------------------------------------


@pytest.mark.parametrize(
    ("first", "last"),
    [(date.min, D(3, 12, 31)), (D(9997, 1, 1), date.max), (date.min, date.max)],
)
def test_a_calendar_reaching_the_ends_of_date_is_refused(first: date, last: date) -> None:
    with pytest.raises(CalendarError, match=r"must lie within 0001-01-02\.\.9999-12-30"):
        WorkCalendar("x", first=first, last=last)


def test_calendars_next_to_the_ends_of_date_compose_take_notices_and_schedule() -> None:
    low = WorkCalendar("low", first=D(1, 1, 2), last=D(3, 12, 31))
    high = WorkCalendar("high", first=D(9997, 1, 1), last=D(9999, 12, 30))
    for cal in (low, high):
        other = cal.with_weekmask("1111110")
        assert (cal & other).coverage == cal.coverage
        assert (cal | other).coverage == cal.coverage
        assert cal.diff(other)
    low_notice = Notice(year=2, title="t", holidays=[("h", D(2, 3, 1), D(2, 3, 2))])
    assert not low.with_notice(low_notice).is_working_day(D(2, 3, 1))
    high_notice = Notice(year=9998, title="t", holidays=[("h", D(9998, 3, 2), D(9998, 3, 3))])
    assert not high.with_notice(high_notice).is_working_day(D(9998, 3, 2))
    # A notice may cover the ends of date; only a calendar may not.
    assert Notice(year=1, title="t", covers=(date.min, D(1, 12, 31))).covered()[0] == date.min
    assert Notice(year=9998, title="t", covers=(D(9998, 1, 1), date.max)).covered()[1] == date.max
    with pytest.raises(CalendarError, match=r"0001-01-02\.\.9999-12-30"):
        high.with_notice(Notice(year=9999 - 1, title="t", covers=(D(9998, 1, 1), date.max)))
    # Calendar-day and month stages from the first day of the range.
    for duration in ("5cd", "1mo"):
        sched = Plan([Stage("a", duration)], calendar=low).schedule(start=D(1, 1, 2))
        assert sched.start == D(1, 1, 2)
    assert Plan([Stage("a", "5cd")], calendar=high).schedule(start=D(9999, 12, 20)).finish == D(
        9999, 12, 24
    )
    with pytest.raises(CalendarCoverageError):
        Plan([Stage("a", "30cd")], calendar=high).schedule(start=D(9999, 12, 20))
    with pytest.raises(CalendarCoverageError):
        high.deadline(D(9999, 12, 30), CalendarMonths(5))
    with pytest.raises(CalendarCoverageError):
        high.deadline(np.array(["9999-12-30"], dtype="datetime64[D]"), CalendarDays(5))


def test_huge_catalogue_limits_are_refused_not_wrapped() -> None:
    pd = pytest.importorskip("pandas")
    from approval_clock.errors import RecordsError
    from approval_clock.records import limit_compression

    for statutory in ([10**30], [2**62, 2**62]):
        catalog = pd.DataFrame({"statutory": statutory, "committed": [1] * len(statutory)})
        with pytest.raises(RecordsError, match="working days from 0 to 3652058"):
            limit_compression(catalog)
