"""Work limits: stages and links of a plan file, the span of a calendar, each with a default
that fits a web request and raised only when the caller says so (approval_clock.limits).
"""

from __future__ import annotations

import tracemalloc
from datetime import date

import pytest

from approval_clock import (
    ArgumentTypeError,
    CalendarError,
    CalendarFileError,
    Plan,
    PlanFileError,
    Policy,
    calendars,
)
from approval_clock.limits import DEFAULT_LIMITS, Limits

D = date


def plan_text(stages: int, links: int = 0) -> str:
    out = ["format = 1", 'calendar = "CN"']
    for i in range(stages):
        out += ["[[stages]]", f'id = "s{i}"', "duration = 1"]
    for i in range(links):
        out += ["[[links]]", f'predecessor = "s{i}"', f'successor = "s{i + 1}"']
    return "\n".join(out) + "\n"


def test_the_defaults_are_documented() -> None:
    documented = Limits(
        file_bytes=512 * 1024,
        depth=32,
        elements=50_000,
        stages=500,
        links=2_500,
        calendars=8,
        calendar_years=200,
    )
    assert documented == DEFAULT_LIMITS
    assert Limits() == DEFAULT_LIMITS


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10", None])
def test_a_limit_is_a_whole_number_of_at_least_one(bad: object) -> None:
    with pytest.raises(ArgumentTypeError, match=r"^Limits: stages: expected a whole number >= 1"):
        Limits(stages=bad)  # type: ignore[arg-type]


def test_limits_must_be_limits() -> None:
    with pytest.raises(
        ArgumentTypeError, match=r"limits: expected an approval_clock\.limits\.Limits"
    ):
        Plan.loads(plan_text(1), limits={"stages": 5})  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError):
        calendars.get("CN").extended(until=D(2027, 12, 31), limits=5)  # type: ignore[arg-type]


def test_stages_and_links_of_a_plan_file_are_counted_before_any_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from approval_clock.plans import _file as planfile

    text = plan_text(501)
    real_stage = planfile.Stage

    def no_stage(*args: object, **kwargs: object) -> None:
        raise AssertionError("a stage was built before the count was checked")

    monkeypatch.setattr(planfile, "Stage", no_stage)
    with pytest.raises(PlanFileError) as e:
        Plan.loads(text, source="plan.toml")
    monkeypatch.setattr(planfile, "Stage", real_stage)
    assert str(e.value) == (
        "plan.toml: stages: 501 stages, more than the 500 a plan file may have "
        "(limits.stages; pass limits=Limits(stages=...) to accept more)"
    )
    assert len(Plan.loads(text, limits=Limits(stages=501)).stages) == 501
    with pytest.raises(PlanFileError, match=r"links: 10 links, more than the 9 .*limits\.links"):
        Plan.loads(plan_text(11, 10), source="plan.toml", limits=Limits(links=9))


def test_a_plan_file_at_the_default_limits_loads_and_schedules() -> None:
    # (How long it takes is in docs/security.md, measured; not asserted here.)
    text = plan_text(500, 499)
    plan = Plan.loads(text)
    assert len(plan.stages) == 500
    assert plan.schedule(start=D(2021, 6, 1)).duration > 0


def test_extending_a_calendar_past_the_limit_allocates_nothing() -> None:
    cn = calendars.get("CN")
    tracemalloc.start()
    try:
        with pytest.raises(CalendarError) as e:
            cn.extended(until=D(9999, 12, 30), rule="weekends")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # This once built 2.9 million days: hundreds of MB.
    assert peak < 1 << 20
    assert str(e.value) == (
        "extended(until=9999-12-30) would make calendar 'Mainland China' cover 2004..9999, "
        "7996 years, more than the 200 accepted (limits.calendar_years); pass "
        "limits=Limits(calendar_years=...) to allow a longer calendar"
    )
    assert cn.extended(until=D(2203, 12, 31), rule="weekends").coverage[1] == D(2203, 12, 31)
    longer = cn.extended(until=D(2303, 12, 31), rule="weekends", limits=Limits(calendar_years=300))
    assert longer.coverage[1] == D(2303, 12, 31)


def test_workalendar_years_are_bounded() -> None:
    with pytest.raises(CalendarError, match=r"years=\(1, 9998\): 9998 years, more than the 200"):
        calendars.get("FR", years=(1, 9998))


CALENDAR = """format = 1
name = "Long"
first = FIRST
last = LAST
"""


def test_a_calendar_file_may_not_span_more_than_the_limit() -> None:
    text = CALENDAR.replace("FIRST", "0001-01-02").replace("LAST", "9999-12-30")
    with pytest.raises(CalendarFileError) as e:
        calendars.loads(text, source="cal.toml")
    assert str(e.value) == (
        "cal.toml: last: 0001-01-02..9999-12-30 would make a calendar of 9999 years, more than "
        "the 200 accepted (limits.calendar_years; pass limits=Limits(calendar_years=...) to "
        "accept a longer one)"
    )
    ok = CALENDAR.replace("FIRST", "1901-01-01").replace("LAST", "2100-12-31")
    assert calendars.loads(ok).coverage == (D(1901, 1, 1), D(2100, 12, 31))


def test_a_notice_may_not_grow_a_calendar_past_the_limit() -> None:
    covers = 'year = 2027\ntitle = "x"\ncovers = [2027-01-01, 9999-12-31]\n'
    with pytest.raises(CalendarFileError, match=r"n\.toml: covers: 2027-01-01\.\.9999-12-31 would"):
        calendars.loads(covers, source="n.toml")
    based = 'format = 1\nbase = "CN"\n[[notices]]\n' + covers
    with pytest.raises(CalendarFileError, match=r"b\.toml: notices\[0\]\.covers: 2027-01-01"):
        calendars.loads(based, source="b.toml")
    # Each notice adjacent to the last: together they may not pass the limit either.
    notices = "".join(
        f'[[notices]]\nyear = {y}\ntitle = "x"\ncovers = [{y}-01-01, {y + 49}-12-31]\n'
        for y in (2041, 2091, 2141, 2191)
    )
    with pytest.raises(CalendarFileError, match=r"notices\[3\]: 2000-01-01\.\.2240-12-31 would"):
        calendars.loads('format = 1\nbase = "FR"\n' + notices, source="b.toml")


def test_policy_files_take_limits_too() -> None:
    text = 'format = 1\nname = "p"\ntarget_limit = 45\n'
    assert Policy.loads(text, limits=Limits(file_bytes=100)).name == "p"
    with pytest.raises(Exception, match=r"more than the 10 accepted \(limits\.file_bytes"):
        Policy.loads(text, source="p.toml", limits=Limits(file_bytes=10))
