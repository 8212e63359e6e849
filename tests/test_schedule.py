"""Scheduling: hand-worked examples on the mainland calendar, then invariants.

Every expected date below was worked out by hand from the CN calendar; the
comment says how. Working days around the dates used (2021):

* August: no holidays; Wed 18, Thu 19, Fri 20, Mon 23 ... Fri 27, Mon 30, Tue 31.
* September: Sat 18 is a makeup working day, Mon 20 - Tue 21 Mid-autumn rest,
  Sun 26 a makeup working day (for National Day).
* October: Fri 1 - Thu 7 National Day rest, Fri 8 working, Sat 9 a makeup working
  day, Sun 10 rest, Mon 11 working.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approval_clock import (
    CalendarCoverageError,
    CalendarDays,
    DateTypeError,
    Link,
    Plan,
    Schedule,
    Stage,
    UnknownStageError,
    WorkCalendar,
    WorkingDays,
    calendars,
)
from approval_clock.plans.schedule import _schedule

D = date


def run(cn: WorkCalendar, stages: list[Stage], links: list[Link], start: date) -> Schedule:
    return Plan(stages=stages, links=links, calendar=cn).schedule(start=start)


def dates(sched: Schedule, id: str) -> tuple[date, date]:
    return sched[id].start, sched[id].finish


# -- the calendar facts the examples rest on ------------------------------------------


def test_the_calendar_facts_used_here(cn: WorkCalendar) -> None:
    assert cn.describe(D(2021, 9, 26)) == "makeup working day for National Day"
    assert cn.describe(D(2021, 10, 1)) == "National Day"
    assert cn.describe(D(2021, 10, 9)) == "makeup working day for National Day"
    assert cn.describe(D(2026, 10, 10)) == "makeup working day for National Day"
    assert cn.describe(D(2026, 10, 7)) == "National Day"


# -- FS -------------------------------------------------------------------------------


def test_fs_serial_stages_take_the_sum_of_their_days(cn: WorkCalendar) -> None:
    # a: Aug 18, 19, 20, 23, 24 (5). b: Aug 25, 26, 27, 30, 31, Sep 1, 2, 3, 6, 7 (10).
    s = run(cn, [Stage("a", 5), Stage("b", 10)], [Link("a", "b")], D(2021, 8, 18))
    assert dates(s, "a") == (D(2021, 8, 18), D(2021, 8, 24))
    assert dates(s, "b") == (D(2021, 8, 25), D(2021, 9, 7))
    assert (s.start, s.finish, s.duration, s.approval_days) == (
        D(2021, 8, 18),
        D(2021, 9, 7),
        15,
        15,
    )
    assert s.calendar_days == 21  # Aug 18 .. Sep 7
    assert s["b"].driver == Link("a", "b")


def test_fs_positive_lag_waits_working_days(cn: WorkCalendar) -> None:
    # a: Aug 18-20. Lag 2 skips Mon 23 and Tue 24; b: Wed 25, Thu 26.
    s = run(cn, [Stage("a", 3), Stage("b", 2)], [Link("a", "b", lag=2)], D(2021, 8, 18))
    assert dates(s, "b") == (D(2021, 8, 25), D(2021, 8, 26))
    assert s.duration == 7  # Aug 18, 19, 20, 23, 24, 25, 26: the lag is waiting time
    assert s.approval_days == 5  # the two waiting days run no stage


def test_fs_negative_lag_overlaps(cn: WorkCalendar) -> None:
    # a: Aug 18-20; without a lead b would start Mon 23; a lead of 1 starts it Fri 20.
    s = run(cn, [Stage("a", 3), Stage("b", 2)], [Link("a", "b", lag=-1)], D(2021, 8, 18))
    assert dates(s, "b") == (D(2021, 8, 20), D(2021, 8, 23))
    assert s.duration == 4
    assert s.approval_days == 4  # Aug 20 counted once though two stages run


def test_a_finish_milestone_is_dated_on_its_predecessor_s_finish_day(cn: WorkCalendar) -> None:
    # a: Aug 18-20 (Fri). The milestone is reached when a is done, at the end of
    # Friday 20, and dated that day, as MS Project and P6 show it (it used to be
    # dated Monday 23, the next working day). It takes no time: the plan's finish
    # stays Fri 20.
    s = run(cn, [Stage("a", 3), Stage("m", 0)], [Link("a", "m")], D(2021, 8, 18))
    assert dates(s, "m") == (D(2021, 8, 20), D(2021, 8, 20))
    assert s["m"].milestone == "finish"
    assert (s.finish, s.duration) == (D(2021, 8, 20), 3)
    assert s["m"].working_days == 0
    assert s.explain("m").startswith("'m' (a finish milestone) is reached on 2021-08-20")


def test_a_finish_milestone_before_a_holiday_keeps_the_finish_day(cn: WorkCalendar) -> None:
    # a: 3 working days from Tue 28 Sep 2021: Sep 28, 29, 30. National Day follows
    # (Oct 1-7 rest). The milestone is dated Thu 30 Sep, not Fri 8 Oct.
    s = run(cn, [Stage("a", 3), Stage("m", 0)], [Link("a", "m")], D(2021, 9, 28))
    assert dates(s, "m") == (D(2021, 9, 30), D(2021, 9, 30))
    assert s["m"].late_start == D(2021, 9, 30)


def test_a_start_milestone_is_dated_on_the_day_its_successors_start(cn: WorkCalendar) -> None:
    # No predecessor: the milestone is the start of the plan, Mon 27 Sep 2021... but
    # asked from Sat 2 Oct (National Day), the first working day is Fri 8 Oct: the
    # milestone and the stage after it are both dated Oct 8.
    s = run(cn, [Stage("go", 0), Stage("a", 2)], [Link("go", "a")], D(2021, 10, 2))
    assert s["go"].milestone == "start"
    assert dates(s, "go") == (D(2021, 10, 8), D(2021, 10, 8))
    assert dates(s, "a") == (D(2021, 10, 8), D(2021, 10, 9))  # Sat 9: a makeup working day
    # Placed by an SS link (lag 1) from a stage starting Thu 30 Sep: the start of
    # the next working day, Fri 8 Oct, the day an FS successor of it starts.
    t = run(
        cn,
        [Stage("a", 3), Stage("m", 0), Stage("b", 1)],
        [Link("a", "m", "SS", 1), Link("m", "b")],
        D(2021, 9, 30),
    )
    assert t["m"].milestone == "start"
    assert dates(t, "m") == (D(2021, 10, 8), D(2021, 10, 8))
    assert dates(t, "b") == (D(2021, 10, 8), D(2021, 10, 8))


def test_a_milestone_after_a_milestone_is_the_same_instant(cn: WorkCalendar) -> None:
    # a: Aug 18-20. m1 and m2 (FS from m1) are both the end of Fri 20; with a lag
    # of 2 after m1, m3 is the end of Tue 24 (Mon 23, Tue 24 waited).
    s = run(
        cn,
        [Stage("a", 3), Stage("m1", 0), Stage("m2", 0), Stage("m3", 0)],
        [Link("a", "m1"), Link("m1", "m2"), Link("m1", "m3", lag=2)],
        D(2021, 8, 18),
    )
    assert [s[m].start for m in ("m1", "m2", "m3")] == [
        D(2021, 8, 20),
        D(2021, 8, 20),
        D(2021, 8, 24),
    ]
    assert {s[m].milestone for m in ("m1", "m2", "m3")} == {"finish"}


def test_a_milestone_after_a_saturday_on_another_calendar_waits_for_monday(
    cn: WorkCalendar,
) -> None:
    # The hall works Saturdays: 2 days from Fri 20 Aug 2021 end Sat 21. The plan's
    # calendar does not work Saturdays, so the milestone (on it) cannot be reached
    # at the end of Saturday: it waits for Mon 23, as MS Project moves it to the next
    # working time of its calendar, and is a start milestone dated that day.
    hall = cn.with_weekmask("1111110")
    s = run(
        cn,
        [Stage("a", 2, calendar=hall), Stage("m", 0)],
        [Link("a", "m")],
        D(2021, 8, 20),
    )
    assert s["a"].finish == D(2021, 8, 21)
    assert (s["m"].start, s["m"].milestone) == (D(2021, 8, 23), "start")
    # On the hall's own calendar it is a finish milestone, dated Saturday.
    t = run(
        cn,
        [Stage("a", 2, calendar=hall), Stage("m", 0, calendar=hall)],
        [Link("a", "m")],
        D(2021, 8, 20),
    )
    assert (t["m"].start, t["m"].milestone) == (D(2021, 8, 21), "finish")


def test_a_milestone_between_stages_adds_no_time(cn: WorkCalendar) -> None:
    # a: Aug 18-20; m on Fri 20 (a finish milestone); b starts the next working
    # day, Mon 23, as it would after a directly: Aug 23, 24.
    s = run(
        cn,
        [Stage("a", 3), Stage("m", 0), Stage("b", 2)],
        [Link("a", "m"), Link("m", "b")],
        D(2021, 8, 18),
    )
    assert dates(s, "m") == (D(2021, 8, 20), D(2021, 8, 20))
    assert dates(s, "b") == (D(2021, 8, 23), D(2021, 8, 24))
    assert s.duration == 5


# -- SS -------------------------------------------------------------------------------


def test_ss_zero_lag_starts_together(cn: WorkCalendar) -> None:
    s = run(cn, [Stage("a", 5), Stage("b", 2)], [Link("a", "b", "SS")], D(2021, 8, 18))
    assert dates(s, "b") == (D(2021, 8, 18), D(2021, 8, 19))
    assert s["b"].driver == Link("a", "b", "SS")  # the link binds as much as the start


def test_ss_positive_lag(cn: WorkCalendar) -> None:
    # a starts Wed 18; 2 working days later is Fri 20; b: Fri 20, Mon 23.
    s = run(cn, [Stage("a", 5), Stage("b", 2)], [Link("a", "b", "SS", 2)], D(2021, 8, 18))
    assert dates(s, "b") == (D(2021, 8, 20), D(2021, 8, 23))


def test_ss_negative_lag_starts_before_the_predecessor(cn: WorkCalendar) -> None:
    # x: Aug 18-19; a FS after x: Fri 20 - Tue 24; b SS -1 from a: Thu 19.
    s = run(
        cn,
        [Stage("x", 2), Stage("a", 3), Stage("b", 1)],
        [Link("x", "a"), Link("a", "b", "SS", -1)],
        D(2021, 8, 18),
    )
    assert dates(s, "a") == (D(2021, 8, 20), D(2021, 8, 24))
    assert dates(s, "b") == (D(2021, 8, 19), D(2021, 8, 19))


def test_no_stage_starts_before_the_plan_start(cn: WorkCalendar) -> None:
    # SS -3 would put b on Aug 13; the plan starts Aug 18, so b starts then, driven
    # by the plan start, not by the link.
    s = run(cn, [Stage("a", 5), Stage("b", 2)], [Link("a", "b", "SS", -3)], D(2021, 8, 18))
    assert dates(s, "b") == (D(2021, 8, 18), D(2021, 8, 19))
    assert s["b"].driver is None


# -- FF -------------------------------------------------------------------------------


def test_ff_zero_lag_finishes_together_and_starts_later(cn: WorkCalendar) -> None:
    # a: Aug 18-24. b (2 days) must finish no earlier than Tue 24: Mon 23, Tue 24.
    s = run(cn, [Stage("a", 5), Stage("b", 2)], [Link("a", "b", "FF")], D(2021, 8, 18))
    assert dates(s, "b") == (D(2021, 8, 23), D(2021, 8, 24))
    assert s["b"].driver == Link("a", "b", "FF")


def test_ff_positive_lag(cn: WorkCalendar) -> None:
    # a finishes Tue 24; +2 working days: Thu 26; b (2 days): Wed 25, Thu 26.
    s = run(cn, [Stage("a", 5), Stage("b", 2)], [Link("a", "b", "FF", 2)], D(2021, 8, 18))
    assert dates(s, "b") == (D(2021, 8, 25), D(2021, 8, 26))
    assert s.finish == D(2021, 8, 26)


def test_ff_negative_lag(cn: WorkCalendar) -> None:
    # a finishes Tue 24; -1: Mon 23; b (2 days): Fri 20, Mon 23.
    s = run(cn, [Stage("a", 5), Stage("b", 2)], [Link("a", "b", "FF", -1)], D(2021, 8, 18))
    assert dates(s, "b") == (D(2021, 8, 20), D(2021, 8, 23))


def test_ff_never_pulls_a_long_stage_before_the_plan_start(cn: WorkCalendar) -> None:
    # a: Aug 18-19. b (5 days) would have to start Aug 13 to finish with a; it
    # cannot start before the plan, so it runs Aug 18-24, finishing later than a.
    s = run(cn, [Stage("a", 2), Stage("b", 5)], [Link("a", "b", "FF")], D(2021, 8, 18))
    assert dates(s, "b") == (D(2021, 8, 18), D(2021, 8, 24))


def test_ff_into_a_milestone_marks_the_predecessor_s_end(cn: WorkCalendar) -> None:
    # a: Aug 18-20. The milestone may not come before a ends: the end of Fri 20,
    # like FS (it used to be dated Mon 23).
    s = run(cn, [Stage("a", 3), Stage("m", 0)], [Link("a", "m", "FF")], D(2021, 8, 18))
    assert dates(s, "m") == (D(2021, 8, 20), D(2021, 8, 20))
    assert s["m"].milestone == "finish"


def test_accept_early_issue_after_ss_plus_ff(cn: WorkCalendar) -> None:
    # 容缺受理: the permit (3 days) is accepted with the registration (SS) but issued
    # no earlier than the registration finishes (FF). Registration: Aug 18-24. The
    # FF link drives: the permit runs Fri 20, Mon 23, Tue 24.
    s = run(
        cn,
        [Stage("registration", 5), Stage("permit", 3)],
        [Link("registration", "permit", "SS"), Link("registration", "permit", "FF")],
        D(2021, 8, 18),
    )
    assert dates(s, "permit") == (D(2021, 8, 20), D(2021, 8, 24))
    assert s["permit"].driver == Link("registration", "permit", "FF")
    assert s.duration == 5


def test_issued_together_three_permits_finish_on_one_day(cn: WorkCalendar) -> None:
    # 三证齐发: FF links both ways between permits of 2, 4 and 3 days all starting
    # no earlier than Aug 18 would be a cycle; the idiom is FF from the longest
    # chain: registration (Aug 18-24) -> FF -> each permit.
    stages = [Stage("reg", 5), Stage("p1", 2), Stage("p2", 4), Stage("p3", 3)]
    links = [Link("reg", p, "FF") for p in ("p1", "p2", "p3")]
    s = run(cn, stages, links, D(2021, 8, 18))
    assert {s[p].finish for p in ("p1", "p2", "p3")} == {D(2021, 8, 24)}
    assert s["p2"].start == D(2021, 8, 19)  # Aug 19, 20, 23, 24


# -- calendar days, holidays, National Day ------------------------------------------------


def test_notice_in_calendar_days_ending_on_a_holiday_rolls_forward(cn: WorkCalendar) -> None:
    # The notice starts Wed Sep 22, 2021 (day 1) and runs 10 calendar days: it would end
    # Fri Oct 1, National Day, so it ends on the next working day, Fri Oct 8 (Civil
    # Code art. 203). The decision (1 day) follows on Sat Oct 9, a makeup working day.
    s = run(
        cn,
        [Stage("notice", CalendarDays(10), kind="notice"), Stage("decision", 1)],
        [Link("notice", "decision")],
        D(2021, 9, 22),
    )
    assert dates(s, "notice") == (D(2021, 9, 22), D(2021, 10, 8))
    assert dates(s, "decision") == (D(2021, 10, 9), D(2021, 10, 9))
    # Working days Sep 22, 23, 24, 26 (makeup Sunday), 27, 28, 29, 30, Oct 8, 9.
    assert (s.duration, s.approval_days, s.calendar_days) == (10, 10, 18)
    assert s["notice"].working_days == 9


def test_a_plan_straddling_national_day_2021(cn: WorkCalendar) -> None:
    # a (3 days) from Wed Sep 29: Sep 29, 30, then Oct 8 after the holiday.
    # b (2 days): Sat Oct 9 (makeup working day), Mon Oct 11 (Sun 10 is rest).
    s = run(cn, [Stage("a", 3), Stage("b", 2)], [Link("a", "b")], D(2021, 9, 29))
    assert dates(s, "a") == (D(2021, 9, 29), D(2021, 10, 8))
    assert dates(s, "b") == (D(2021, 10, 9), D(2021, 10, 11))
    assert (s.duration, s.calendar_days) == (5, 13)


def test_a_plan_straddling_national_day_2026(cn: WorkCalendar) -> None:
    # 2026: Mid-autumn Fri Sep 25 - Sun 27, National Day Thu Oct 1 - Wed 7, Sat Oct 10
    # worked. Starting Fri Sep 25 (a holiday), the first working day is Mon Sep 28.
    # a (4): Sep 28, 29, 30, Oct 8. b (3): Fri Oct 9, Sat Oct 10, Mon Oct 12.
    s = run(cn, [Stage("a", 4), Stage("b", 3)], [Link("a", "b")], D(2026, 9, 25))
    assert s.start == D(2026, 9, 28)
    assert dates(s, "a") == (D(2026, 9, 28), D(2026, 10, 8))
    assert dates(s, "b") == (D(2026, 10, 9), D(2026, 10, 12))
    assert s.duration == 7


def test_lag_in_calendar_days(cn: WorkCalendar) -> None:
    # a: Aug 18-20 (ends Friday). 3 calendar days after that end: Sat, Sun, Mon have
    # passed, so b starts Tue Aug 24.
    s = run(
        cn,
        [Stage("a", 3), Stage("b", 1)],
        [Link("a", "b", lag=CalendarDays(3))],
        D(2021, 8, 18),
    )
    assert dates(s, "b") == (D(2021, 8, 24), D(2021, 8, 24))


def test_stage_in_calendar_months(cn: WorkCalendar) -> None:
    # Starts Mon Aug 30, 2021 (day 1); 1 month from the day before (Aug 29) is Sep 29.
    s = run(
        cn,
        [Stage("x", 0), Stage("review", "1mo")],
        [Link("x", "review", lag=8)],
        D(2021, 8, 18),
    )
    assert dates(s, "review") == (D(2021, 8, 30), D(2021, 9, 29))


def test_a_stage_on_a_joint_calendar_waits_for_both(cn: WorkCalendar) -> None:
    # A regional office closed Mon 23 - Tue 24 Aug. b is handled jointly (cn & region):
    # after a (Aug 18-20) it starts Wed 25: Aug 25, 26. c (cn) follows on Fri 27.
    region = cn.with_holidays([D(2021, 8, 23), D(2021, 8, 24)], name="Regional closure")
    s = run(
        cn,
        [Stage("a", 3), Stage("b", 2, calendar=cn & region), Stage("c", 1)],
        [Link("a", "b"), Link("b", "c")],
        D(2021, 8, 18),
    )
    assert dates(s, "b") == (D(2021, 8, 25), D(2021, 8, 26))
    assert dates(s, "c") == (D(2021, 8, 27), D(2021, 8, 27))
    assert s.duration == 8  # Aug 18 .. 27 on the plan calendar
    assert s.approval_days == 6  # Aug 23 and 24 run no stage
    # a may slip into the closure without delaying b: it has 2 days of float.
    assert (s["a"].total_float, s["a"].late_finish) == (2, D(2021, 8, 24))
    assert s.critical_path == ("b", "c")


def test_a_stage_on_a_saturday_calendar_uses_the_saturday(cn: WorkCalendar) -> None:
    # A service hall open on Saturdays handles b: after a (Fri Aug 20) it works Sat
    # Aug 21; c (cn) follows Mon 23. The plan calendar counts Fri and Mon only.
    hall = cn.with_weekmask("1111110")
    s = run(
        cn,
        [Stage("a", 1), Stage("b", 1, calendar=hall), Stage("c", 1)],
        [Link("a", "b"), Link("b", "c")],
        D(2021, 8, 20),
    )
    assert dates(s, "b") == (D(2021, 8, 21), D(2021, 8, 21))
    assert dates(s, "c") == (D(2021, 8, 23), D(2021, 8, 23))
    assert (s.duration, s.approval_days, s.calendar_days) == (2, 2, 4)
    assert s["b"].working_days == 0  # Saturday is not a working day of the plan


def test_ff_from_a_saturday_finish_waits_for_the_next_working_day(cn: WorkCalendar) -> None:
    # x (cn): Fri Aug 20. a (Saturday hall): Sat Aug 21. b (cn, 2 days) must finish no
    # earlier than a, on Saturday: its first working day on or after it is Mon 23, so
    # b runs Fri 20, Mon 23 (finishing Friday would be before a finishes).
    hall = cn.with_weekmask("1111110")
    s = run(
        cn,
        [Stage("x", 1), Stage("a", 1, calendar=hall), Stage("b", 2)],
        [Link("x", "a"), Link("a", "b", "FF")],
        D(2021, 8, 20),
    )
    assert dates(s, "a") == (D(2021, 8, 21), D(2021, 8, 21))
    assert dates(s, "b") == (D(2021, 8, 20), D(2021, 8, 23))
    assert s["b"].driver == Link("a", "b", "FF")


# -- floats, critical path, explain, records ------------------------------------------


def test_total_and_free_float(cn: WorkCalendar) -> None:
    # a (5): Aug 18-24. b (2): Aug 18-19 -> d (1): Aug 20. c after a and d: Aug 25.
    # d may slip to Aug 24: total and free float 2. b may slip 2 in total, but any
    # slip moves d: free float 0. a and c are critical.
    s = run(
        cn,
        [Stage("a", 5), Stage("b", 2), Stage("d", 1), Stage("c", 1)],
        [Link("a", "c"), Link("b", "d"), Link("d", "c")],
        D(2021, 8, 18),
    )
    assert (s["d"].total_float, s["d"].free_float) == (2, 2)
    assert (s["b"].total_float, s["b"].free_float) == (2, 0)
    assert (s["b"].late_start, s["b"].late_finish) == (D(2021, 8, 20), D(2021, 8, 23))
    assert s["a"].total_float == 0
    assert s["a"].critical
    assert s.critical_path == ("a", "c")


def test_floats_of_an_ss_successor_are_bounded_by_the_plan_end(cn: WorkCalendar) -> None:
    # b starts with a (SS) but nothing follows it: it may slip until it would end
    # after the plan's last day (a's finish, Aug 24): b (2) late start Mon 23 = 3 days.
    s = run(cn, [Stage("a", 5), Stage("b", 2)], [Link("a", "b", "SS")], D(2021, 8, 18))
    assert (s["b"].total_float, s["b"].free_float) == (3, 3)


def test_explain_names_the_driving_link(cn: WorkCalendar) -> None:
    s = run(
        cn,
        [Stage("registration", 5), Stage("permit", 3)],
        [Link("registration", "permit", "SS"), Link("registration", "permit", "FF")],
        D(2021, 8, 18),
    )
    text = s.explain("permit")
    assert "FF link 'registration' -> 'permit' (FF)" in text
    assert "2021-08-20" in text
    assert "2021-08-24" in text
    assert "plan start 2021-08-18" in s.explain("registration")


def test_to_records_are_plain_dicts_in_topological_order(cn: WorkCalendar) -> None:
    s = run(cn, [Stage("b", 2), Stage("a", 1)], [Link("a", "b")], D(2021, 8, 18))
    recs = s.to_records()
    assert [r["id"] for r in recs] == ["a", "b"]
    assert recs[1] == {
        "id": "b",
        "name": "",
        "kind": "work",
        "duration": "2wd",
        "calendar": "Mainland China",
        "start": D(2021, 8, 19),
        "finish": D(2021, 8, 20),
        "late_start": D(2021, 8, 19),
        "late_finish": D(2021, 8, 20),
        "total_float": 0,
        "free_float": 0,
        "critical": True,
        "working_days": 2,
        "calendar_days": 2,
        "counts": True,
        "driver": "'a' -> 'b' (FS)",
        "held_by": "link",
        "status": "planned",
        "milestone": None,
        "not_before": None,
        "finish_by": None,
    }
    assert [x.id for x in s] == ["a", "b"]
    assert len(s) == 2
    assert "a" in s


def test_approval_days_leave_out_applicant_and_special_stages(cn: WorkCalendar) -> None:
    # prepare (applicant, Aug 18-20) -> review (work, Aug 23-27) -> hearing (special,
    # Aug 30-31) -> decision (work, Sep 1). 3 + 5 + 2 + 1 = 11 days, 6 on the clock.
    s = run(
        cn,
        [
            Stage("prepare", 3, kind="applicant"),
            Stage("review", 5),
            Stage("hearing", 2, kind="special"),
            Stage("decision", 1),
        ],
        [Link("prepare", "review"), Link("review", "hearing"), Link("hearing", "decision")],
        D(2021, 8, 18),
    )
    assert (s.duration, s.approval_days) == (11, 6)


# -- errors -------------------------------------------------------------------------------


def test_unknown_stage_in_a_schedule(cn: WorkCalendar) -> None:
    s = run(cn, [Stage("a", 1)], [], D(2021, 8, 18))
    with pytest.raises(UnknownStageError, match="no stage 'x'"):
        s["x"]
    with pytest.raises(KeyError):
        s.explain("x")


def test_start_must_be_a_date(cn: WorkCalendar) -> None:
    plan = Plan(stages=[Stage("a", 1)], calendar=cn)
    with pytest.raises(DateTypeError, match=r"start: expected a datetime\.date, got str"):
        plan.schedule(start="2021-08-18")  # type: ignore[arg-type]


def test_a_plan_running_past_the_calendar_names_the_stage(cn: WorkCalendar) -> None:
    plan = Plan(stages=[Stage("a", 5), Stage("late", 20)], links=[Link("a", "late")], calendar=cn)
    with pytest.raises(
        CalendarCoverageError, match=r"stage 'late' would finish after .*2026-12-31"
    ):
        plan.schedule(start=D(2026, 12, 1))
    with pytest.raises(CalendarCoverageError, match="plan start: 2027-01-04 is after"):
        plan.schedule(start=D(2027, 1, 4))


def test_a_plan_on_a_projected_calendar_is_provisional(cn: WorkCalendar) -> None:
    ext = cn.extended(until=D(2027, 12, 31))
    plan = Plan(stages=[Stage("a", 5), Stage("b", 20)], links=[Link("a", "b")], calendar=ext)
    assert plan.schedule(start=D(2026, 12, 1)).provisional
    assert not plan.schedule(start=D(2026, 6, 1)).provisional
    # A stage on an official calendar inside a plan on the projected one.
    mixed = Plan(stages=[Stage("a", 3, calendar=cn), Stage("b", 10)], calendar=ext)
    assert mixed.schedule(start=D(2026, 12, 21)).provisional
    # A stage on a projected calendar that runs past the plan calendar's own range is refused: the plan's
    # duration would count days nobody knows.
    past = Plan(stages=[Stage("a", 30, calendar=ext)], calendar=cn)
    with pytest.raises(CalendarCoverageError, match="counted on its calendar"):
        past.schedule(start=D(2026, 12, 1))


def test_a_schedule_is_made_by_plan_schedule() -> None:
    with pytest.raises(TypeError, match=r"Plan\.schedule"):
        Schedule()


# -- invariants -------------------------------------------------------------------------

MON_FRI = WorkCalendar("Mon-Fri", first=D(2020, 1, 1), last=D(2030, 12, 31))
SAT_HALL = calendars.get("CN").with_weekmask("1111110")


@st.composite
def plans(
    draw: st.DrawFn,
    *,
    kinds: tuple[str, ...] = ("FS", "SS", "FF"),
    max_stages: int = 7,
    calendar_units: bool = False,
    other_calendars: bool = False,
) -> Plan:
    """Acyclic plans: links only go from a lower to a higher stage number."""
    cal = draw(st.sampled_from([MON_FRI, calendars.get("CN")]))
    n = draw(st.integers(1, max_stages))
    stages = []
    for i in range(n):
        dur: int | CalendarDays = draw(st.integers(0, 6))
        if calendar_units and draw(st.booleans()):
            dur = CalendarDays(draw(st.integers(0, 12)))
        own = draw(st.sampled_from([None, SAT_HALL])) if other_calendars else None
        kind = draw(st.sampled_from(["work", "notice", "applicant", "special"]))
        stages.append(Stage(f"s{i}", dur, kind=kind, calendar=own))  # type: ignore[arg-type]
    links: dict[tuple[int, int, str], Link] = {}
    if n > 1:
        for _ in range(draw(st.integers(0, 2 * n))):
            i = draw(st.integers(0, n - 2))
            j = draw(st.integers(i + 1, n - 1))
            kind = draw(st.sampled_from(kinds))
            lag: int | CalendarDays = draw(st.integers(-3, 3))
            if calendar_units and draw(st.booleans()):
                lag = CalendarDays(draw(st.integers(0, 5)))
            links[(i, j, kind)] = Link(f"s{i}", f"s{j}", kind, lag)  # type: ignore[arg-type]
    return Plan(stages=stages, links=list(links.values()), calendar=cal)


starts = st.dates(D(2021, 1, 1), D(2025, 6, 30))


def bounds(plan: Plan, sched: Schedule, id: str, late: bool = False) -> tuple[int, int]:
    """(start, end) boundaries in working-day numbers of the stage's calendar."""
    s = sched[id]
    cal = plan.calendar_of(id)
    first, last = (s.late_start, s.late_finish) if late else (s.start, s.finish)
    b = cal.working_day_number(first)
    if s.stage.is_milestone:
        # A finish milestone is dated on the day before its boundary (docs/plans.md).
        b += s.milestone == "finish"
        return b, b
    return b, cal.working_day_number(last) + 1


@settings(max_examples=100, deadline=None)
@given(plans(), starts)
def test_every_link_holds_early_and_late(plan: Plan, start: date) -> None:
    sched = plan.schedule(start=start)
    for late in (False, True):
        for ln in plan.links:
            ps, pe = bounds(plan, sched, ln.predecessor, late)
            ss, se = bounds(plan, sched, ln.successor, late)
            assert isinstance(ln.lag, int)
            if ln.kind == "FS":
                assert ss >= pe + ln.lag
            elif ln.kind == "SS":
                assert ss >= ps + ln.lag
            else:
                assert se >= pe + ln.lag


@settings(max_examples=100, deadline=None)
@given(plans(), starts)
def test_every_start_is_as_early_as_allowed(plan: Plan, start: date) -> None:
    # Each stage starts at the plan start, or exactly where its driving link puts it.
    sched = plan.schedule(start=start)
    first = plan.calendar.working_day_number(plan.calendar.roll_forward(start))
    for s in sched:
        assert plan.calendar.is_working_day(s.start)
        assert s.start >= start
        b, e = bounds(plan, sched, s.id)
        assert e - b == s.duration.n
        ln = s.driver
        if ln is None:
            assert b == first
            continue
        assert isinstance(ln.lag, int)
        ps, pe = bounds(plan, sched, ln.predecessor)
        if ln.kind == "FS":
            assert b == pe + ln.lag
        elif ln.kind == "SS":
            assert b == ps + ln.lag
        else:
            assert e == pe + ln.lag


@settings(max_examples=100, deadline=None)
@given(plans(), starts)
def test_floats_are_non_negative_and_critical_stages_have_none(plan: Plan, start: date) -> None:
    sched = plan.schedule(start=start)
    for s in sched:
        assert 0 <= s.free_float <= s.total_float
        assert s.critical == (s.total_float == 0)
        assert s.late_start >= s.start
        if not s.stage.is_milestone:
            assert s.late_finish <= sched.finish
    assert set(sched.critical_path) == {s.id for s in sched if s.critical}
    starts_in_order = [sched[i].start for i in sched.critical_path]
    assert starts_in_order == sorted(starts_in_order)
    # Something is critical: the stages that end the plan (or the first milestone).
    assert sched.critical_path


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 8), min_size=1, max_size=12), starts)
def test_a_serial_chain_lasts_the_sum_of_its_stages(durations: list[int], start: date) -> None:
    ids = [f"s{i}" for i in range(len(durations))]
    plan = Plan(
        stages=[Stage(i, d) for i, d in zip(ids, durations, strict=True)],
        links=[Link(a, b) for a, b in itertools.pairwise(ids)],
        calendar=calendars.get("CN"),
    )
    sched = plan.schedule(start=start)
    assert sched.duration == sum(durations)
    assert sched.approval_days == sum(durations)
    if sum(durations):
        assert sched.duration == calendars.get("CN").count(sched.start, sched.finish)


def test_lengthening_a_calendar_day_stage_held_by_ff_can_finish_earlier() -> None:
    # Found by the property above (hypothesis seed 10). A calendar-day stage can only
    # start on a working day and its end is start - 1 + n days rolled forward, so the
    # finishes it can reach are not every day. Mon-Fri calendar, start Fri 2021-01-01;
    # a (3 wd): Fri Jan 1, Mon 4, Tue 5; b finishes no earlier than a (FF).
    # b = 4 cd: from Jan 1 it would end Mon Jan 4, too early; the next working start
    # is Mon Jan 4, ending Thu Jan 7. b = 5 cd: from Jan 1 it ends Tue Jan 5: in time.
    def plan(b: int) -> Plan:
        return Plan(
            stages=[Stage("a", 3), Stage("b", CalendarDays(b))],
            links=[Link("a", "b", "FF")],
            calendar=MON_FRI,
        )

    four = plan(4).schedule(start=D(2021, 1, 1))
    five = plan(5).schedule(start=D(2021, 1, 1))
    assert (four["b"].start, four["b"].finish, four.finish) == (
        D(2021, 1, 4),
        D(2021, 1, 7),
        D(2021, 1, 7),
    )
    assert (five["b"].start, five["b"].finish, five.finish) == (
        D(2021, 1, 1),
        D(2021, 1, 5),
        D(2021, 1, 5),
    )


@settings(max_examples=100, deadline=None)
@given(plans(calendar_units=True, other_calendars=True), starts, st.data())
def test_adding_a_link_never_shortens_and_removing_never_lengthens(
    plan: Plan, start: date, data: st.DataObject
) -> None:
    sched = plan.schedule(start=start)
    n = len(plan.stages)
    if plan.links:
        k = data.draw(st.integers(0, len(plan.links) - 1))
        fewer = plan.without_link(plan.links[k]).schedule(start=start)
        assert fewer.finish <= sched.finish
        assert fewer.duration <= sched.duration
    if n > 1:
        i = data.draw(st.integers(0, n - 2))
        j = data.draw(st.integers(i + 1, n - 1))
        link = Link(f"s{i}", f"s{j}", data.draw(st.sampled_from(["FS", "SS", "FF"])))
        if link.key not in {ln.key for ln in plan.links}:
            more = plan.with_link(link).schedule(start=start)
            assert more.finish >= sched.finish
            assert more.duration >= sched.duration
            for s in sched:  # every stage too, not just the end
                assert more[s.id].start >= s.start


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(
        plans(kinds=("FS", "FF"), other_calendars=True),
        plans(kinds=("FS",), calendar_units=True, other_calendars=True),
    ),
    starts,
    st.data(),
)
def test_lengthening_a_stage_never_shortens_the_plan(
    plan: Plan, start: date, data: st.DataObject
) -> None:
    # With FS and FF links, in working days; or FS links in any unit. With SS
    # links it can shorten (next test), and so can a calendar-day stage held back
    # by FF (the test after).
    sched = plan.schedule(start=start)
    stage = data.draw(st.sampled_from(plan.stages))
    d = stage.duration
    longer = plan.replace_stage(
        Stage(
            stage.id,
            type(d)(d.n + data.draw(st.integers(1, 5))),
            kind=stage.kind,
            calendar=stage.calendar,
        )
    )
    after = longer.schedule(start=start)
    assert after.finish >= sched.finish
    assert after.duration >= sched.duration


def test_lengthening_an_ff_driven_stage_can_shorten_the_plan_through_ss(
    cn: WorkCalendar,
) -> None:
    # The PDM anomaly (MS Project and P6 show it too): b is held back by FF from a, so
    # a longer b *starts earlier*, and c, which starts with b (SS), moves earlier.
    # a: Aug 18-31 (10). b (1): Aug 31 -> c (20) runs Aug 31, Sep 1-3, 6-10, 13-17, Sat 18
    # (makeup), 22-24 (20-21 Mid-autumn), Sun 26 (makeup), Mon 27: 29 days in all.
    # b (5): Aug 25-31 -> c runs Aug 25-27, 30-31, Sep 1-3, 6-10, 13-17, 18, 22: 25 days.
    def plan(b_days: int) -> Plan:
        return Plan(
            stages=[Stage("a", 10), Stage("b", b_days), Stage("c", 20)],
            links=[Link("a", "b", "FF"), Link("b", "c", "SS")],
            calendar=cn,
        )

    short_b = plan(1).schedule(start=D(2021, 8, 18))
    long_b = plan(5).schedule(start=D(2021, 8, 18))
    assert (short_b["c"].start, short_b.finish, short_b.duration) == (
        D(2021, 8, 31),
        D(2021, 9, 27),
        29,
    )
    assert (long_b["c"].start, long_b.finish, long_b.duration) == (
        D(2021, 8, 25),
        D(2021, 9, 22),
        25,
    )


@settings(max_examples=100, deadline=None)
@given(plans(calendar_units=True), starts)
def test_the_simple_and_general_passes_agree(plan: Plan, start: date) -> None:
    # Single-calendar plans take integer fast paths; the general passes (forced to
    # convert through day ordinals for every link) must give the same schedule.
    fast = plan.schedule(start=start)
    slow = _schedule(plan, start, general=True)
    assert fast.to_records() == slow.to_records()
    summary = ("start", "finish", "duration", "approval_days", "calendar_days", "critical_path")
    assert [getattr(fast, a) for a in summary] == [getattr(slow, a) for a in summary]


@settings(max_examples=100, deadline=None)
@given(plans(calendar_units=True, other_calendars=True), starts)
def test_multi_calendar_plans_keep_their_links_in_calendar_time(plan: Plan, start: date) -> None:
    sched = plan.schedule(start=start)
    for s in sched:
        cal = plan.calendar_of(s.id)
        assert cal.is_working_day(s.start)
        assert cal.is_working_day(s.finish)
        assert s.start <= s.finish
        assert s.late_start >= s.start
        assert s.total_float >= s.free_float >= 0
        if isinstance(s.duration, WorkingDays) and s.duration.n:
            assert cal.count(s.start, s.finish) == s.duration.n
        elif s.duration.n:
            assert s.finish == cal.deadline(s.start - timedelta(days=1), s.duration)
    for ln in plan.links:
        p, q = sched[ln.predecessor], sched[ln.successor]
        if ln.lag != 0:
            continue
        if ln.kind == "FS" and not p.stage.is_milestone:
            # A finish milestone is dated on its predecessor's finish day.
            assert q.start > p.finish or (q.milestone == "finish" and q.start == p.finish)
        elif ln.kind == "SS":
            assert q.start >= p.start
        elif ln.kind == "FF" and not (p.stage.is_milestone or q.stage.is_milestone):
            assert q.finish >= p.finish


# -- scale --------------------------------------------------------------------------------


def test_a_chain_of_100_000_stages_does_not_recurse() -> None:
    cal = WorkCalendar("Mon-Fri", first=D(2000, 1, 1), last=D(2499, 12, 31))
    n = 100_000  # speed at this size is measured in benchmarks/plans.py, not here
    ids = [f"s{i}" for i in range(n)]
    plan = Plan(
        stages=[Stage(i, 1) for i in ids],
        links=[Link(a, b) for a, b in itertools.pairwise(ids)],
        calendar=cal,
    )
    sched = plan.schedule(start=D(2000, 1, 3))
    assert sched.duration == n
    assert len(sched.critical_path) == n
    assert sched[ids[-1]].finish == cal.date_of_working_day(n)


def test_a_stage_with_less_than_a_plan_day_of_slack_has_zero_float_but_is_not_critical() -> None:
    # Plan calendar: Mondays only; both stages on Monday-Friday. 'long' runs
    # Mon 6 - Fri 10 Jan 2020; 'short' (3 days) could start as late as Wed 8 Jan:
    # two weekdays of slack, less than one plan working day (a week), so its total
    # float, in whole plan working days, is 0, yet a slip does not delay the plan.
    mondays = WorkCalendar("Mondays", first=D(2020, 1, 1), last=D(2021, 12, 31), weekmask="1000000")
    plan = Plan(
        stages=[Stage("long", 5, calendar=MON_FRI), Stage("short", 3, calendar=MON_FRI)],
        calendar=mondays,
    )
    s = plan.schedule(start=D(2020, 1, 6))
    assert (s["short"].start, s["short"].late_start) == (D(2020, 1, 6), D(2020, 1, 8))
    assert s["short"].total_float == 0
    assert not s["short"].critical
    assert s["long"].critical
