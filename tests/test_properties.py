"""The property suite: invariants of calendars and plans on random inputs.

Inputs come from :mod:`approval_clock.strategies`, the same strategies users get,
so random week masks, holiday periods, makeup days and coverages, and acyclic
plans with every link kind. How many examples each test runs is the Hypothesis
profile's business (``tests/conftest.py``).

Invariants, and where each is pinned (this file unless named):

Calendars
  * deadline/elapsed inverse: ``elapsed(d, deadline(d, n wd)) == n`` — random
    calendars and CN in ``test_calendar_properties.py``; here also the other way
    round (``deadline(a, elapsed(a, b))`` is the last working day on or before b)
    and "the deadline is the first day on which n working days have elapsed".
  * count and elapsed are additive over adjacent ranges; ``elapsed(a, c) ==
    -elapsed(c, a)``; count = elapsed + the start day if working.
  * scalar equals vector for every query (here on random calendars; on CN in
    ``test_calendar_properties.py``).
  * composition: ``&``/``|`` agree with and/or of the parts, are commutative and
    associative, absorb, and cover the intersection of the ranges.
  * ``describe`` says "working day" or "makeup working day for ..." exactly on
    working days (also on composed calendars).
  * the engine equals a day-by-day reference (``test_calendar_properties.py``).

Plans
  * every link holds between early dates and between late dates;
  * 0 <= free float <= total float; critical == (total float 0);
  * zero-float stages form a path from the plan's start to its finish: follow
    the driving links back from the stage that ends the plan and every stage on
    the way is critical, down to one the plan start drives;
  * adding a link never moves a stage earlier nor the finish earlier, removing
    one never moves them later (the duration follows whenever the plan's first
    day stays put: on one calendar it always does);
  * lengthening a stage never shortens the plan and shortening never lengthens
    it, stage by stage — for plans without FF links (any units), and for plans
    without SS links in working days. Outside those it fails, as in MS Project:
    an FF-bound stage that grows *starts earlier* and drags its SS successors
    with it, and an FF-bound calendar-day stage can reach only some finishes
    (``test_schedule.py`` pins both by hand);
  * plan files round-trip: ``Plan.loads(plan.to_toml()) == plan``, and the text
    is canonical; so do policy files; reprs of plans, stages and links evaluate
    back to equal objects;
  * a finish_by date changes floats only (``test_constraints.py``).

Rule changes (``strategies.variations``)
  * no variation of the Huludao reform that keeps the notice and only shortens
    stages, makes FS links parallel or removes links misses the policy for any
    start of 2021;
  * every variation keeps every stage's id, kind, name and calendar, and stays
    a valid plan that round-trips.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from approval_clock import (
    CalendarDays,
    CalendarMonths,
    Link,
    Plan,
    Schedule,
    Stage,
    WorkCalendar,
    WorkingDays,
    calendars,
)
from approval_clock.checks.policy import Policy
from approval_clock.strategies import calendars as random_calendars
from approval_clock.strategies import dates, durations, plans, policies, variations

# Coverage of at least three years, and plans started in its first two months:
# even a calendar that works one day a week has room for the longest plan drawn.
CALS = random_calendars(min_days=3 * 366)
WIDE_CALS = random_calendars(min_days=3 * 366, name="B")


def early_dates(cal: WorkCalendar) -> st.SearchStrategy[date]:
    first = cal.coverage[0]
    return dates(cal, max_value=first + timedelta(days=60))


# -- calendars ----------------------------------------------------------------------


@given(CALS, st.data(), st.integers(0, 80))
def test_deadline_is_the_first_day_n_working_days_have_elapsed(
    cal: WorkCalendar, data: st.DataObject, n: int
) -> None:
    d = data.draw(early_dates(cal))
    end = cal.deadline(d, WorkingDays(n))
    assert cal.elapsed(d, end) == n
    if n == 0:
        assert end == d
    else:
        assert cal.is_working_day(end)
        assert cal.elapsed(d, end - timedelta(days=1)) == n - 1


@given(CALS, st.data())
def test_deadline_of_elapsed_is_the_last_working_day_up_to_b(
    cal: WorkCalendar, data: st.DataObject
) -> None:
    a, b = sorted(data.draw(st.lists(dates(cal), min_size=2, max_size=2)))
    n = cal.elapsed(a, b)
    back = cal.deadline(a, WorkingDays(n))
    assert a <= back <= b
    assert cal.elapsed(back, b) == 0  # no working day in (back, b]
    if n:
        assert cal.is_working_day(back)


@given(CALS, st.data())
def test_count_and_elapsed_are_additive(cal: WorkCalendar, data: st.DataObject) -> None:
    a, b, c = sorted(data.draw(st.lists(dates(cal), min_size=3, max_size=3)))
    assume(b < c)
    assert cal.count(a, b) + cal.count(b + timedelta(days=1), c) == cal.count(a, c)
    assert cal.elapsed(a, b) + cal.elapsed(b, c) == cal.elapsed(a, c)
    assert cal.elapsed(a, c) == -cal.elapsed(c, a)
    assert cal.count(a, c) == cal.elapsed(a, c) + int(cal.is_working_day(a))


@given(CALS, st.data(), st.integers(0, 30))
def test_scalar_equals_vector(cal: WorkCalendar, data: st.DataObject, n: int) -> None:
    _first, last = cal.coverage
    # Far enough from the end that every deadline below stays inside the range.
    room = dates(cal, max_value=last - timedelta(days=400))
    starts = data.draw(st.lists(room, min_size=1, max_size=20))
    spans = data.draw(st.lists(st.integers(0, 200), min_size=len(starts), max_size=len(starts)))
    a = np.array(starts, dtype="datetime64[D]")
    b = a + np.array(spans, dtype="timedelta64[D]")
    vec = {
        "count": cal.count(a, b),
        "elapsed": cal.elapsed(a, b),
        "working": cal.is_working_day(a),
        "numbers": cal.working_day_number(a),
        "wd": cal.deadline(a, WorkingDays(n)),
        "cd": cal.deadline(a, CalendarDays(n)),
        "mo": cal.deadline(a, CalendarMonths(n % 7)),
        "next": cal.next_working_day(a),
    }
    for i, (da, span) in enumerate(zip(starts, spans, strict=True)):
        db = da + timedelta(days=span)
        assert vec["count"][i] == cal.count(da, db)
        assert vec["elapsed"][i] == cal.elapsed(da, db)
        assert vec["working"][i] == cal.is_working_day(da)
        assert vec["numbers"][i] == cal.working_day_number(da)
        assert vec["wd"][i].astype(date) == cal.deadline(da, WorkingDays(n))
        assert vec["cd"][i].astype(date) == cal.deadline(da, CalendarDays(n))
        assert vec["mo"][i].astype(date) == cal.deadline(da, CalendarMonths(n % 7))
        assert vec["next"][i].astype(date) == cal.next_working_day(da)


def _describes_work(text: str) -> bool:
    return text == "working day" or text.startswith("makeup working day for ")


@given(CALS, WIDE_CALS, random_calendars(min_days=3 * 366, name="C"), st.data())
def test_composition_laws(
    a: WorkCalendar, b: WorkCalendar, c: WorkCalendar, data: st.DataObject
) -> None:
    lo = max(x.coverage[0] for x in (a, b, c))
    hi = min(x.coverage[1] for x in (a, b, c))
    assume(lo <= hi)
    # A composition with no working weekday is refused (test_calendar_properties.py).
    assume(
        any(x == y == z == "1" for x, y, z in zip(a.weekmask, b.weekmask, c.weekmask, strict=False))
    )
    both, either = a & b, a | b
    common = (max(a.coverage[0], b.coverage[0]), min(a.coverage[1], b.coverage[1]))
    assert both.coverage == either.coverage == common
    left, right = (a & b) & c, a & (b & c)
    left_or, right_or = (a | b) | c, a | (b | c)
    d0 = data.draw(dates(min_value=lo, max_value=hi))
    for k in range(21):  # three weeks: every weekday, and a holiday period or two
        d = d0 + timedelta(days=k)
        if d > hi:
            break
        wa, wb, wc = a.is_working_day(d), b.is_working_day(d), c.is_working_day(d)
        assert both.is_working_day(d) == (wa and wb) == (b & a).is_working_day(d)
        assert either.is_working_day(d) == (wa or wb) == (b | a).is_working_day(d)
        assert left.is_working_day(d) == right.is_working_day(d) == (wa and wb and wc)
        assert left_or.is_working_day(d) == right_or.is_working_day(d) == (wa or wb or wc)
        assert (a | both).is_working_day(d) == wa  # absorption
        assert (a & either).is_working_day(d) == wa
        for x in (both, either, left, left_or):
            assert x.is_working_day(d) == _describes_work(x.describe(d))


@given(CALS, st.data())
def test_describe_agrees_with_is_working_day_over_a_month(
    cal: WorkCalendar, data: st.DataObject
) -> None:
    d0 = data.draw(dates(cal, max_value=cal.coverage[1] - timedelta(days=31)))
    for k in range(31):
        d = d0 + timedelta(days=k)
        assert cal.is_working_day(d) == _describes_work(cal.describe(d)), cal.describe(d)
    rest = cal.rest_days(d0, d0 + timedelta(days=30))
    assert all(not _describes_work(text) for text in rest.values())
    assert len(rest) + cal.count(d0, d0 + timedelta(days=30)) == 31


# -- plans --------------------------------------------------------------------------


@st.composite
def scheduled(
    draw: st.DrawFn,
    *,
    link_kinds: tuple[str, ...] = ("FS", "SS", "FF"),
    multi: bool = False,
    calendar_days: bool | None = None,
) -> tuple[Plan, date]:
    """A plan on a random calendar, and a start date.

    ``multi``: stages may use a second random calendar. ``calendar_days``: stages
    and lags may be in calendar days (by default when ``multi``).
    """
    in_cd = multi if calendar_days is None else calendar_days
    cal = draw(CALS)
    own: tuple[WorkCalendar | None, ...] = (None,)
    lo = cal.coverage[0]
    if multi:
        other = draw(WIDE_CALS)
        lo = max(lo, other.coverage[0])
        # Room for the longest plan on a calendar that works one day a week.
        assume(lo + timedelta(days=800) <= min(cal.coverage[1], other.coverage[1]))
        own = (None, other)
    # Not on the first day of a range: see test_a_calendar_day_stage_on_the_first_day_*.
    lo += timedelta(days=1)
    plan = draw(
        plans(
            calendar=cal,
            link_kinds=link_kinds,
            stage_calendars=own,
            durations=durations(units=(WorkingDays, CalendarDays), max_days=10)
            if in_cd
            else durations(units=(WorkingDays,), max_days=10),
            calendar_day_lags=in_cd,
        )
    )
    return plan, draw(dates(cal, min_value=lo, max_value=lo + timedelta(days=60)))


def boundaries(plan: Plan, sched: Schedule, id: str, late: bool) -> tuple[int, int]:
    """(start, end) of a stage as working-day numbers of its calendar, end exclusive."""
    s = sched[id]
    cal = plan.calendar_of(id)
    first, last = (s.late_start, s.late_finish) if late else (s.start, s.finish)
    b = cal.working_day_number(first)
    if s.stage.is_milestone:
        # A finish milestone is dated on the day before its boundary (docs/plans.md).
        b += s.milestone == "finish"
        return b, b
    return b, cal.working_day_number(last) + 1


@given(scheduled())
def test_every_link_holds_between_early_and_between_late_dates(case: tuple[Plan, date]) -> None:
    plan, start = case
    sched = plan.schedule(start=start)
    for late in (False, True):
        for ln in plan.links:
            ps, pe = boundaries(plan, sched, ln.predecessor, late)
            qs, qe = boundaries(plan, sched, ln.successor, late)
            assert isinstance(ln.lag, int)
            bound, value = {"FS": (pe, qs), "SS": (ps, qs), "FF": (pe, qe)}[ln.kind]
            assert value >= bound + ln.lag, (str(ln), late)


@given(scheduled(multi=True))
def test_floats_are_non_negative(case: tuple[Plan, date]) -> None:
    plan, start = case
    sched = plan.schedule(start=start)
    for s in sched:
        assert 0 <= s.free_float <= s.total_float
        if s.calendar == plan.calendar:
            assert s.critical == (s.total_float == 0)
        else:
            # Floats count working days of the plan's calendar: a stage on another
            # calendar may slip by a day the plan does not work (total float 0,
            # yet not critical), never the other way round.
            assert not s.critical or s.total_float == 0
        assert s.start <= s.late_start
        assert s.start >= start
    assert set(sched.critical_path) == {s.id for s in sched if s.critical}


def critical_chain(plan: Plan, sched: Schedule) -> list[str]:
    """The driving links followed back from a stage that ends the plan, last first."""
    # The plan ends where the latest end boundary is (a milestone's is its date).
    stage = max(sched, key=lambda s: boundaries(plan, sched, s.id, late=False)[1])
    chain = [stage.id]
    while stage.driver is not None:
        stage = sched[stage.driver.predecessor]
        chain.append(stage.id)
    return chain


@given(scheduled())
def test_zero_float_stages_form_a_path_from_start_to_finish(case: tuple[Plan, date]) -> None:
    plan, start = case
    sched = plan.schedule(start=start)
    chain = critical_chain(plan, sched)
    # Every stage that ends the plan is critical, and so is each one that drives a
    # critical stage, down to a stage the plan start drives (on the plan's first day).
    for id in chain:
        assert sched[id].critical, (id, chain)
    first = sched[chain[-1]]
    assert first.driver is None
    assert first.start == plan.calendar.roll_forward(start) == sched.start
    # Consecutive stages on the chain touch: the link between them is tight.
    for succ_id, pred_id in itertools.pairwise(chain):
        ln = sched[succ_id].driver
        assert ln is not None
        assert ln.predecessor == pred_id
    starts = [sched[i].start for i in sched.critical_path]
    assert starts == sorted(starts)  # critical_path lists the critical stages by start


@given(scheduled(multi=True), st.data())
def test_adding_a_link_never_moves_anything_earlier(
    case: tuple[Plan, date], data: st.DataObject
) -> None:
    plan, start = case
    assume(len(plan.stages) > 1)
    sched = plan.schedule(start=start)
    topo = [s.id for s in sched]  # a topological order: a link along it makes no cycle
    i = data.draw(st.integers(0, len(topo) - 2))
    j = data.draw(st.integers(i + 1, len(topo) - 1))
    link = Link(topo[i], topo[j], data.draw(st.sampled_from(["FS", "SS", "FF"])))
    assume(link.key not in {ln.key for ln in plan.links})
    more = plan.with_link(link).schedule(start=start)
    for s in sched:
        assert more[s.id].start >= s.start
        assert more[s.id].finish >= s.finish
    assert more.finish >= sched.finish
    assert more.start >= sched.start
    if more.start == sched.start:
        assert more.duration >= sched.duration


@given(scheduled(multi=True), st.data())
def test_removing_a_link_never_moves_anything_later(
    case: tuple[Plan, date], data: st.DataObject
) -> None:
    plan, start = case
    assume(plan.links)
    sched = plan.schedule(start=start)
    link = data.draw(st.sampled_from(plan.links))
    fewer = plan.without_link(link).schedule(start=start)
    for s in sched:
        assert fewer[s.id].start <= s.start
        assert fewer[s.id].finish <= s.finish
    assert fewer.finish <= sched.finish
    assert fewer.start <= sched.start
    if fewer.start == sched.start:
        assert fewer.duration <= sched.duration


def _resized(plan: Plan, stage: Stage, change: int) -> Plan:
    d = stage.duration
    assume(d.n + change >= 0)
    return plan.replace_stage(
        Stage(
            stage.id,
            type(d)(d.n + change),
            name=stage.name,
            kind=stage.kind,
            calendar=stage.calendar,
        )
    )


# Two anomalies, both pinned by hand in test_schedule.py, bound these two tests:
# * a stage held back by an FF link that grows *starts earlier*, and drags its SS
#   successors with it: so no plan here has both FF and SS links;
# * a calendar-day stage held back by FF can only start on a working day, so the
#   finishes it can reach skip days: one more calendar day can move its start a
#   working day *earlier* and its finish earlier. So FF plans are in working days.
MONOTONE = [
    pytest.param(("FS", "SS"), True, id="FS+SS, calendar days too"),
    pytest.param(("FS", "FF"), False, id="FS+FF, working days"),
]


@pytest.mark.parametrize(("kinds", "in_cd"), MONOTONE)
@given(st.data())
def test_lengthening_a_stage_never_shortens_the_plan(
    kinds: tuple[str, ...], in_cd: bool, data: st.DataObject
) -> None:
    plan, start = data.draw(scheduled(link_kinds=kinds, multi=True, calendar_days=in_cd))
    stage = data.draw(st.sampled_from(plan.stages))
    longer = _resized(plan, stage, data.draw(st.integers(1, 5)))
    before, after = plan.schedule(start=start), longer.schedule(start=start)
    assert after.finish >= before.finish
    assert after.duration >= before.duration
    for s in before:  # by end boundary: a stage shrunk to a milestone has no finish day
        end = boundaries(plan, before, s.id, late=False)[1]
        assert boundaries(plan, after, s.id, late=False)[1] >= end


@pytest.mark.parametrize(("kinds", "in_cd"), MONOTONE)
@given(st.data())
def test_shortening_a_stage_never_lengthens_the_plan(
    kinds: tuple[str, ...], in_cd: bool, data: st.DataObject
) -> None:
    plan, start = data.draw(scheduled(link_kinds=kinds, multi=True, calendar_days=in_cd))
    stage = data.draw(st.sampled_from(plan.stages))
    shorter = _resized(plan, stage, -data.draw(st.integers(1, 5)))
    before, after = plan.schedule(start=start), shorter.schedule(start=start)
    assert after.finish <= before.finish
    assert after.duration <= before.duration
    for s in before:  # by end boundary: a stage shrunk to a milestone has no finish day
        end = boundaries(plan, before, s.id, late=False)[1]
        assert boundaries(plan, after, s.id, late=False)[1] <= end


HK = calendars.get("HK")


@given(
    plans(
        max_stages=5,
        stage_calendars=(None, HK),
        durations=durations(max_days=400, max_months=24),
        calendar_day_lags=True,
        min_lag=-30,
        max_lag=30,
    ),
    st.lists(st.text(max_size=10), min_size=6, max_size=6),
)
def test_plan_files_round_trip(plan: Plan, names: list[str]) -> None:
    # Display names are free text (quotes, control characters, CJK): give some.
    named = Plan(
        stages=[
            Stage(s.id, s.duration, name=n, kind=s.kind, calendar=s.calendar)
            for s, n in zip(plan.stages, names, strict=False)
        ],
        links=plan.links,
        calendar=plan.calendar,
        name=names[-1],
    )
    text = named.to_toml()
    again = Plan.loads(text)
    assert again == named
    assert again.to_toml() == text


def test_a_calendar_day_stage_on_the_first_day_of_the_range_can_be_scheduled() -> None:
    cal = WorkCalendar("R", first=date(2020, 9, 22), last=date(2030, 12, 31))  # a Tuesday
    plan = Plan(stages=[Stage("s0", CalendarDays(1))], calendar=cal)
    # The period starts on Sep 22 (day 1) and ends that day.
    assert plan.schedule(start=date(2020, 9, 22))["s0"].finish == date(2020, 9, 22)


@given(policies())
def test_policy_files_round_trip(policy: Policy) -> None:
    text = policy.to_toml()
    again = Policy.loads(text)
    assert again == policy
    assert again.to_toml() == text


# -- rule changes and readable examples ----------------------------------------------------

HULUDAO_POLICY = Policy.from_toml("examples/huludao/policy.toml")
HULUDAO_BASELINE = Plan.from_toml("examples/huludao/baseline.toml")
HULUDAO_REFORM = Plan.from_toml("examples/huludao/reform.toml")
SHORTER = {s.id: (1, s.duration.n) for s in HULUDAO_REFORM.stages if s.kind != "notice"}


@given(
    variations(HULUDAO_REFORM, durations=SHORTER, changes=("duration", "parallel", "remove_link"))
)
def test_no_variation_of_the_reform_keeping_the_notice_misses_the_target_in_2021(
    plan: Plan,
) -> None:
    # Shorter stages (the notice kept), more parallel stages, fewer links: every
    # start of 2021 still meets the 45-day target and the 45% compression.
    note(plan.to_toml())
    result = HULUDAO_POLICY.check_all(plan, year=2021, baseline=HULUDAO_BASELINE)
    assert result.passed, result.explain()


@given(variations(HULUDAO_REFORM, max_changes=6, min_lag=-2, max_lag=3))
def test_variations_are_valid_and_keep_every_stage(plan: Plan) -> None:
    note(repr(plan))
    assert [(s.id, s.kind, s.name, s.calendar) for s in plan.stages] == [
        (s.id, s.kind, s.name, s.calendar) for s in HULUDAO_REFORM.stages
    ]
    # The notice keeps its 35 days by default; the others stay within 0..2n.
    for s, t in zip(plan.stages, HULUDAO_REFORM.stages, strict=True):
        if s.kind == "notice":
            assert s.duration == t.duration
        else:
            assert 0 <= s.duration.n <= 2 * t.duration.n
    sched = plan.schedule(start=date(2021, 6, 1))
    assert sched.duration >= 35  # nothing can shorten the statutory notice
    assert Plan.loads(plan.to_toml()) == plan


@given(plans(max_stages=5, calendar_day_lags=True, durations=durations(max_days=30)))
def test_reprs_evaluate_back_to_equal_plans(plan: Plan) -> None:
    import datetime

    namespace = {"Plan": Plan, "Stage": Stage, "Link": Link, "calendars": calendars}
    namespace["datetime"] = datetime
    assert eval(repr(plan), namespace) == plan
    for s in plan.stages:
        assert eval(repr(s), namespace) == s
    for ln in plan.links:
        assert eval(repr(ln), namespace) == ln
