"""Date constraints: not_before (start no earlier than) and finish_by (finish no later than).

Hand-worked on the CN calendar, 2021. The days used:

* September: Sat 18 a makeup working day, Mon 20 - Tue 21 Mid-autumn rest, Sun 26 a
  makeup working day.
* October: Fri 1 - Thu 7 National Day rest, Fri 8 working, Sat 9 a makeup working
  day, Sun 10 rest, Mon 11 working.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from approval_clock import Link, Plan, PlanError, Stage, WorkCalendar
from approval_clock.strategies import plans

D = date


def plan(cn: WorkCalendar, stages: list[Stage], links: list[Link] = ()) -> Plan:  # type: ignore[assignment]
    return Plan(stages=stages, links=links, calendar=cn)


# -- not_before -------------------------------------------------------------------------


def test_not_before_holds_a_start_back_over_national_day(cn: WorkCalendar) -> None:
    # Planned from Mon 27 Sep; the land listing is not before Sat 2 Oct (a rest day of
    # National Day): it starts on the first working day on or after it, Fri 8 Oct,
    # and its 3 days are Oct 8, 9 (makeup Saturday), 11.
    p = plan(cn, [Stage("prepare", 2), Stage("listing", 3, not_before=D(2021, 10, 2))],
             [Link("prepare", "listing")])  # fmt: skip
    s = p.schedule(start=D(2021, 9, 27))
    assert (s["listing"].start, s["listing"].finish) == (D(2021, 10, 8), D(2021, 10, 11))
    assert s["listing"].held_by == "not_before"
    assert s["listing"].driver is None
    assert "its not_before date 2021-10-02 holds it back" in s.explain("listing")
    # prepare (Sep 27-28) could slip to the last day before the listing: Sep 29, 30
    # are 2 working days of float.
    assert s["prepare"].total_float == 2
    assert s.finish == D(2021, 10, 11)


def test_a_not_before_the_links_pass_changes_nothing(cn: WorkCalendar) -> None:
    # prepare: Sep 27, 28; FS puts listing on Wed 29, after its not_before (Sep 28).
    p = plan(cn, [Stage("prepare", 2), Stage("listing", 1, not_before=D(2021, 9, 28))],
             [Link("prepare", "listing")])  # fmt: skip
    s = p.schedule(start=D(2021, 9, 27))
    assert s["listing"].start == D(2021, 9, 29)
    assert s["listing"].held_by == "link"
    # A not_before before the plan start is the plan start.
    q = plan(cn, [Stage("a", 1, not_before=D(2021, 9, 1))]).schedule(start=D(2021, 9, 27))
    assert (q["a"].start, q["a"].held_by) == (D(2021, 9, 27), "plan start")


def test_a_milestone_not_before_a_date_is_a_start_milestone_on_it(cn: WorkCalendar) -> None:
    # The listing milestone may not come before Fri 8 Oct; the stage it follows ends
    # Thu 30 Sep. It is the start of Oct 8, dated Oct 8 (not Sep 30).
    p = plan(cn, [Stage("a", 3), Stage("m", 0, not_before=D(2021, 10, 8))], [Link("a", "m")])
    s = p.schedule(start=D(2021, 9, 28))
    assert s["a"].finish == D(2021, 9, 30)
    assert (s["m"].start, s["m"].milestone) == (D(2021, 10, 8), "start")


# -- finish_by ---------------------------------------------------------------------------


def test_a_finish_by_that_cannot_be_met_gives_negative_float(cn: WorkCalendar) -> None:
    # review: 10 working days from Wed 22 Sep: 22, 23, 24, 26 (makeup Sunday), 27, 28,
    # 29, 30, Oct 8, 9 (makeup Saturday). permit: Oct 11, 12. Promised by Fri 8 Oct:
    # Oct 9, 11, 12 are 3 working days late, so both carry a total float of -3.
    p = plan(cn, [Stage("review", 10), Stage("permit", 2, finish_by=D(2021, 10, 8))],
             [Link("review", "permit")])  # fmt: skip
    s = p.schedule(start=D(2021, 9, 22))
    assert (s["review"].finish, s["permit"].finish) == (D(2021, 10, 9), D(2021, 10, 12))
    assert (s["review"].total_float, s["permit"].total_float) == (-3, -3)
    # The late dates are where they would have to be: permit Sep 30 - Oct 8, review
    # 3 working days earlier than its early start (Sep 18 makeup Saturday, 17, 16).
    assert (s["permit"].late_start, s["permit"].late_finish) == (D(2021, 9, 30), D(2021, 10, 8))
    assert s["review"].late_start == D(2021, 9, 16)
    assert s["review"].free_float == 0  # free float is about successors: never negative
    assert s.critical_path == ("review", "permit")
    assert s.missed_deadlines == ("permit",)
    assert s["permit"].misses_finish_by
    lines = s.explain("permit").splitlines()
    assert lines[-1] == (
        "finish by 2021-10-08: MISSED, 3 working days late; negative float on 'review', 'permit'"
    )
    # The plan is not refused, and its figures are as without the date.
    assert (s.duration, s.approval_days) == (12, 12)


def test_a_finish_by_met_says_the_days_to_spare(cn: WorkCalendar) -> None:
    # review Sep 22 .. Oct 9 as above; a finish by Fri 15 Oct leaves Oct 11-15: 5 days.
    p = plan(cn, [Stage("review", 10, finish_by=D(2021, 10, 15))])
    s = p.schedule(start=D(2021, 9, 22))
    assert s.missed_deadlines == ()
    assert s["review"].total_float == 0  # the plan's end binds first
    assert (
        s.explain("review").splitlines()[-1] == "finish by 2021-10-15: met, 5 working days to spare"
    )


def test_a_finish_by_tighter_than_the_plan_end_leaves_less_float(cn: WorkCalendar) -> None:
    # Two parallel stages from Mon 27 Sep: long, 10 days (Sep 27-30, Oct 8, 9 makeup
    # Saturday, 11-14), and short, 2 days (Sep 27, 28), due Wed 29 Sep: its float is
    # 1 (it may slip to Sep 28-29), not the 8 the plan's end would leave.
    p = plan(cn, [Stage("long", 10), Stage("short", 2, finish_by=D(2021, 9, 29))])
    s = p.schedule(start=D(2021, 9, 27))
    assert s["long"].finish == D(2021, 10, 14)
    assert s["short"].total_float == 1
    assert not s["short"].critical
    free = plan(cn, [Stage("long", 10), Stage("short", 2)]).schedule(start=D(2021, 9, 27))
    assert free["short"].total_float == 8


def test_finish_by_of_a_calendar_day_stage_can_be_negative(cn: WorkCalendar) -> None:
    # A 10-calendar-day notice from Mon 27 Sep ends Wed 6 Oct, a rest day, so on Fri 8
    # Oct (Civil Code art. 203). Due Thu 30 Sep. Starting Wed 22 Sep it would end Fri
    # 1 Oct, National Day, so Oct 8 again; Sep 19-21 are rest days; starting Sat 18
    # Sep (a makeup working day) it ends Mon 27 Sep, in time. So the late start is
    # Sep 18: 5 working days (Sep 18, 22, 23, 24, 26) before the early start.
    p = plan(cn, [Stage("notice", "10cd", kind="notice", finish_by=D(2021, 9, 30))])
    s = p.schedule(start=D(2021, 9, 27))
    n = s["notice"]
    assert (n.start, n.finish) == (D(2021, 9, 27), D(2021, 10, 8))
    assert (n.late_start, n.late_finish) == (D(2021, 9, 18), D(2021, 9, 27))
    assert n.total_float == -5
    assert s.missed_deadlines == ("notice",)


def test_constraints_are_checked_at_construction() -> None:
    with pytest.raises(PlanError, match=r"not_before: expected a datetime\.date or None"):
        Stage("a", 1, not_before="2021-09-01")  # type: ignore[arg-type]
    with pytest.raises(PlanError, match="finish_by 2021-08-01 is before not_before 2021-09-01"):
        Stage("a", 1, not_before=D(2021, 9, 1), finish_by=D(2021, 8, 1))


@given(plans(max_stages=6), st.data())
def test_finish_by_changes_floats_only_and_they_stay_consistent(
    plan_: Plan, data: st.DataObject
) -> None:
    # A finish_by never moves an early date; the stage's total float is at most the
    # working days from its finish to the date; and it is never more than without it.
    start = data.draw(st.dates(D(2021, 1, 4), D(2025, 6, 30)))
    free = plan_.schedule(start=start)
    k = data.draw(st.integers(0, len(plan_.stages) - 1))
    target = plan_.stages[k]
    due = data.draw(st.dates(start, D(2025, 12, 31)))
    bound = plan_.with_stage_changes(target.id, finish_by=due).schedule(start=start)
    for s, t in zip(free, bound, strict=True):
        assert (s.start, s.finish) == (t.start, t.finish)
        assert t.total_float <= s.total_float
        assert t.free_float == s.free_float
    t = bound[target.id]
    assert t.misses_finish_by == (t.finish > due)
    assert (target.id in bound.missed_deadlines) == t.misses_finish_by
    if t.misses_finish_by:
        assert t.total_float < 0
        assert t.critical
