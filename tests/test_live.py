"""Live cases: schedules from actual dates (actuals, as_of) and the bridge from records.

Hand-worked on the CN calendar around National Day 2021: Mon 27 - Thu 30 Sep
working, Fri 1 - Thu 7 Oct rest, Fri 8 Oct working, Sat 9 Oct a makeup working
day, Sun 10 rest, Mon 11 - Fri 15 Oct working.

The plan: review (5 working days) -> permit (3) -> certificate (2), all FS, and a
fee (1 day) with no links. Planned from Mon 27 Sep: review Sep 27-30 and Oct 8,
permit Oct 9, 11, 12, certificate Oct 13, 14.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from approval_clock import (
    CalendarCoverageError,
    DateTypeError,
    Link,
    Plan,
    PlanError,
    Policy,
    Stage,
    UnknownStageError,
    WorkCalendar,
)

D = date
START = D(2021, 9, 27)


@pytest.fixture
def plan(cn: WorkCalendar) -> Plan:
    return Plan(
        stages=[Stage("review", 5), Stage("permit", 3), Stage("certificate", 2), Stage("fee", 1)],
        links=[Link("review", "permit"), Link("permit", "certificate")],
        calendar=cn,
    )


def test_the_plan_as_planned(plan: Plan) -> None:
    s = plan.schedule(start=START)
    assert (s["review"].finish, s["permit"].finish, s["certificate"].finish) == (
        D(2021, 10, 8),
        D(2021, 10, 12),
        D(2021, 10, 14),
    )
    assert all(st.status == "planned" for st in s)


def test_a_case_in_progress_is_forecast_from_its_actual_dates(plan: Plan) -> None:
    # The review was done early (Sep 27-29); the permit was accepted Thu 30 Sep and is
    # still open on Mon 11 Oct. Its 3 days from Sep 30 would end Sat 9 Oct (Sep 30,
    # Oct 8, 9), before as_of: it finishes on the first working day after, Tue 12.
    # The certificate follows: Oct 13, 14. The fee, not started, starts after as_of:
    # Tue 12 Oct.
    s = plan.schedule(
        START,
        actuals={"review": (D(2021, 9, 27), D(2021, 9, 29)), "permit": (D(2021, 9, 30), None)},
        as_of=D(2021, 10, 11),
    )
    assert s.as_of == D(2021, 10, 11)
    r, p, c, f = s["review"], s["permit"], s["certificate"], s["fee"]
    assert (r.status, r.start, r.finish, r.working_days) == (
        "done",
        D(2021, 9, 27),
        D(2021, 9, 29),
        3,
    )
    assert (p.status, p.start, p.finish, p.working_days) == (
        "in progress",
        D(2021, 9, 30),
        D(2021, 10, 12),
        5,
    )
    assert (c.status, c.start, c.finish) == ("planned", D(2021, 10, 13), D(2021, 10, 14))
    assert (f.start, f.held_by) == (D(2021, 10, 12), "as_of")
    # On the clock: Sep 27-29 (3), Sep 30, Oct 8, 9, 11, 12 (5), Oct 13, 14 (2).
    assert (s.approval_days, s.duration, s.finish) == (10, 10, D(2021, 10, 14))
    # Done stages have no float and are never critical; the open permit and the
    # certificate are critical; the fee may slip from Oct 12 to Oct 14.
    assert (r.total_float, r.critical) == (0, False)
    assert p.critical
    assert c.critical
    assert f.total_float == 2
    assert s.critical_path == ("permit", "certificate")
    assert "these are its actual dates, as of 2021-10-11" in s.explain("review")
    assert "not before the first working day after 2021-10-11" in s.explain("permit")
    assert "nothing is forecast on or before as_of 2021-10-11" in s.explain("fee")


def test_a_started_stage_within_its_duration_keeps_its_planned_finish(plan: Plan) -> None:
    # Permit accepted Thu 30 Sep, as of Fri 8 Oct: its 3 days end Sat 9 Oct, the
    # first working day after as_of, so the forecast is Oct 9; certificate Oct 11, 12.
    s = plan.schedule(
        START,
        actuals={"review": (D(2021, 9, 27), D(2021, 9, 29)), "permit": (D(2021, 9, 30), None)},
        as_of=D(2021, 10, 8),
    )
    assert s["permit"].finish == D(2021, 10, 9)
    assert (s["certificate"].start, s["certificate"].finish) == (D(2021, 10, 11), D(2021, 10, 12))


def test_links_into_finished_stages_no_longer_bind(plan: Plan) -> None:
    # Out of sequence: the certificate was issued (Sep 28) before the permit; its FS
    # link from the permit does not move it.
    s = plan.schedule(
        START, actuals={"certificate": (D(2021, 9, 28), D(2021, 9, 28))}, as_of=D(2021, 9, 28)
    )
    assert (s["certificate"].start, s["certificate"].finish) == (D(2021, 9, 28), D(2021, 9, 28))
    assert s["review"].start == D(2021, 9, 29)  # not started: after as_of


def test_an_ff_link_still_holds_a_started_stage(cn: WorkCalendar) -> None:
    # 容缺受理: the permit (2 days) was accepted with the registration on Mon 27 Sep and
    # may not finish before it; the registration (6 days: Sep 27-30, Oct 8, 9) is not
    # done, so the permit's forecast finish is Sat 9 Oct, not Tue 28 Sep.
    p = Plan(
        stages=[Stage("registration", 6), Stage("permit", 2)],
        links=[Link("registration", "permit", "SS"), Link("registration", "permit", "FF")],
        calendar=cn,
    )
    s = p.schedule(
        START,
        actuals={"registration": (START, None), "permit": (START, None)},
        as_of=D(2021, 9, 29),
    )
    assert s["registration"].finish == D(2021, 10, 9)
    assert s["permit"].finish == D(2021, 10, 9)
    assert s["permit"].driver == Link("registration", "permit", "FF")
    assert "the FF link 'registration' -> 'permit' (FF) holds its finish back" in s.explain(
        "permit"
    )


def test_a_milestone_reached_is_dated_on_its_day(cn: WorkCalendar) -> None:
    p = Plan(stages=[Stage("listed", 0), Stage("notice", 3, kind="notice")],
             links=[Link("listed", "notice")], calendar=cn)  # fmt: skip
    s = p.schedule(START, actuals={"listed": (D(2021, 9, 28), None)}, as_of=D(2021, 9, 28))
    assert (s["listed"].start, s["listed"].status) == (D(2021, 9, 28), "done")
    assert s["notice"].start == D(2021, 9, 29)  # the day after it is reached


def test_as_of_alone_moves_everything_after_it(plan: Plan) -> None:
    s = plan.schedule(START, as_of=D(2021, 9, 30))
    assert s["review"].start == D(2021, 10, 8)
    assert s["review"].held_by == "as_of"


@pytest.mark.parametrize(
    ("actuals", "as_of", "error", "message"),
    [
        ({"review": (START, None)}, None, PlanError, "actuals: give as_of=date"),
        ({"reviews": (START, None)}, D(2021, 9, 30), UnknownStageError, "no stage 'reviews'"),
        ({"review": START}, D(2021, 9, 30), PlanError, r"expected \(actual start, actual finish"),
        (
            {"review": (D(2021, 9, 29), D(2021, 9, 28))},
            D(2021, 9, 30),
            PlanError,
            "actual finish 2021-09-28 is before the actual start 2021-09-29",
        ),
        (
            {"review": (START, D(2021, 10, 8))},
            D(2021, 9, 30),
            PlanError,
            "actual finish 2021-10-08 is after as_of 2021-09-30",
        ),
        ({"review": (D(2021, 10, 8), None)}, D(2021, 9, 30), PlanError, "is after as_of"),
        ({"review": (D(2021, 9, 20), None)}, D(2021, 9, 30), PlanError, "before the plan start"),
        ({"review": ("2021-09-27", None)}, D(2021, 9, 30), DateTypeError, "actual start"),
        ({}, "2021-09-30", DateTypeError, "as_of: expected a datetime.date"),
        ({}, D(2030, 1, 1), CalendarCoverageError, "as_of: "),
    ],
)
def test_actuals_that_contradict_are_refused(
    plan: Plan, actuals: dict[str, object], as_of: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        plan.schedule(START, actuals=actuals, as_of=as_of)  # type: ignore[arg-type]


# -- from records -----------------------------------------------------------------------

pd = pytest.importorskip("pandas")


@pytest.fixture
def analysis(cn: WorkCalendar) -> object:
    from approval_clock.records import analyze

    records = pd.DataFrame(
        {
            "case": ["A", "A", "B", "C"],
            "stage": ["review", "permit", "review", "survey"],
            "accepted": ["2021-09-27", "2021-09-30", "2021-09-28", "2021-09-27"],
            "completed": ["2021-09-29", None, None, None],
            "limit": [5, 3, 5, 5],
        }
    )
    return analyze(records, calendar=cn, as_of=D(2021, 10, 11))


def test_actuals_from_records(analysis: object) -> None:
    from approval_clock import live

    assert live.actuals(analysis, "A") == {  # type: ignore[arg-type]
        "review": (D(2021, 9, 27), D(2021, 9, 29)),
        "permit": (D(2021, 9, 30), None),
    }
    got = live.actuals(analysis, "C", stage_ids={"survey": "review"})  # type: ignore[arg-type]
    assert got == {"review": (D(2021, 9, 27), None)}
    from approval_clock.errors import RecordsError

    with pytest.raises(RecordsError, match="case 'Z': no accepted stage rows"):
        live.actuals(analysis, "Z")  # type: ignore[arg-type]
    with pytest.raises(RecordsError, match="no column 'office'"):
        live.actuals(analysis, "A", case_column="office")  # type: ignore[arg-type]


def test_a_portfolio_is_forecast_one_row_per_case(plan: Plan, analysis: object) -> None:
    from approval_clock import live

    policy = Policy("permit within 10", baseline_limit=20, target_limit=10)
    out = live.forecast(plan, analysis, policy=policy)  # type: ignore[arg-type]
    assert list(out.index) == ["A", "B", "C"]
    assert out.index.name == "case"
    a = out.loc["A"]
    # Case A as in the hand-worked test above: forecast Oct 14, 10 approval days.
    assert (a["finish"], a["approval_days"], a["done_stages"], a["open_stages"]) == (
        pd.Timestamp("2021-10-14"),
        10,
        1,
        1,
    )
    assert (bool(a["passed"]), a["failed_rules"], a["problem"]) == (True, [], None)
    # Case B: review accepted Tue 28 Sep, open on Mon 11 Oct: 5 days from Sep 28 end
    # Oct 8, so it finishes Tue 12; permit Oct 13-15, certificate Oct 18, 19.
    b = out.loc["B"]
    assert b["finish"] == pd.Timestamp("2021-10-19")
    assert not bool(b["passed"])
    assert b["failed_rules"] == ["target_limit"]
    # Case C names a stage the plan does not have: kept, with the problem.
    c = out.loc["C"]
    assert "no stage 'survey' in the plan" in c["problem"]
    assert pd.isna(c["finish"])
    mapped = live.forecast(plan, analysis, cases=["C", "Q"], stage_ids={"survey": "review"})  # type: ignore[arg-type]
    assert mapped.loc["C", "problem"] is None
    assert mapped.loc["Q", "problem"] == "no accepted stage rows in analysis.stages"


# -- a case that goes as planned is forecast as planned ------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from approval_clock.strategies import durations as any_durations  # noqa: E402
from approval_clock.strategies import plans  # noqa: E402


@given(
    plans(max_stages=6, durations=any_durations(max_days=20, max_months=1), min_lag=-2),
    st.dates(D(2021, 1, 4), D(2024, 6, 28)),
    st.integers(0, 60),
)
def test_actual_dates_as_planned_give_the_planned_schedule(
    plan_: Plan, start: date, days: int
) -> None:
    # Record what the plan's own schedule says had happened by as_of: the stages
    # started by then with their start, and their finish if it came by then. The
    # live schedule from those actuals is the plan's schedule again.
    planned = plan_.schedule(start=start)
    as_of = planned.start + timedelta(days=days)
    actuals = {
        s.id: (s.start, s.finish if s.finish <= as_of else None)
        for s in planned
        if s.start <= as_of and not (s.stage.is_milestone and s.start > as_of)
    }
    live = plan_.schedule(start, actuals=actuals, as_of=as_of)
    for p, q in zip(planned, live, strict=True):
        assert (q.start, q.finish) == (p.start, p.finish), (p, q)
        if p.id not in actuals:
            assert q.status == "planned"
        elif actuals[p.id][1] is None and not p.stage.is_milestone:
            assert q.status == "in progress"
        else:
            assert q.status == "done"
    # (The plan's own finish can differ by a day when it closes with a milestone
    # that a start and a finish place at once: an actual milestone after an FS link
    # is taken to be reached at the end of its day.)
    assert live.approval_days == planned.approval_days
