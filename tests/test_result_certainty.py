"""Results say how sure they are: Schedule, Comparison, Sweep, policy reports, records.

Every day of a calendar is "official", "tentative" (29-31 December 2026 on the
shipped CN calendar: the 2027 notice may still change them) or "projected" (2027
on ``cn.extended(until=2027-12-31)``). A result carries the least certain of the
days it rests on. The December 2026 of CN, for the hand-worked dates below:

    Mon 21 .. Fri 25 working, Sat 26 / Sun 27 rest, Mon 28 working: official
    Tue 29, Wed 30, Thu 31 working: tentative
    (extended) Fri 1 Jan 2027 New Year's Day, Sat 2 / Sun 3 rest, Mon 4 working: projected
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from approval_clock import (
    CalendarCoverageError,
    Link,
    Plan,
    Policy,
    Stage,
    Sweep,
    WorkCalendar,
    calendars,
    compare,
    sweep,
)
from approval_clock.calendars.workcalendar import CERTAINTIES
from approval_clock.checks.sweeps import _starts, _sweep_each
from approval_clock.errors import RecordsError
from approval_clock.plans.schedule import _schedule
from approval_clock.records import analyze

D = date
TENTATIVE_LINE = (
    "certainty: tentative (rests on late-December days that the next notice may still change)"
)
PROJECTED_LINE = "certainty: projected (rests on days past the last loaded notice)"


@pytest.fixture(scope="module")
def ext(cn: WorkCalendar) -> WorkCalendar:
    """CN projected through 2027 (rule="statutory")."""
    return cn.extended(until=D(2027, 12, 31))


def one(days: int | str, calendar: WorkCalendar, **kw: object) -> Plan:
    return Plan(stages=[Stage("review", days, **kw)], calendar=calendar)  # type: ignore[arg-type]


def counts(values: object) -> dict[str, int]:
    arr = np.asarray(values, dtype=object)
    return {c: int((arr == c).sum()) for c in CERTAINTIES}


# -- Schedule ---------------------------------------------------------------------------


def test_a_stage_ending_on_29_december_is_tentative(cn: WorkCalendar) -> None:
    # 7 working days from Mon 21 Dec: 21, 22, 23, 24, 25, Mon 28, Tue 29.
    s = one(7, cn).schedule(start=D(2026, 12, 21))
    assert s.finish == D(2026, 12, 29)
    assert s.certainty == "tentative"
    assert not s.provisional


def test_a_stage_ending_on_28_december_is_official(cn: WorkCalendar) -> None:
    # 6 working days from Mon 21 Dec end on Mon 28, the last official day before the window.
    s = one(6, cn).schedule(start=D(2026, 12, 21))
    assert s.finish == D(2026, 12, 28)
    assert s.certainty == "official"


def test_a_plan_in_june_is_official(cn: WorkCalendar, ext: WorkCalendar) -> None:
    plan = Plan(stages=[Stage("a", 5), Stage("b", 10)], links=[Link("a", "b")], calendar=cn)
    assert plan.schedule(start=D(2026, 6, 1)).certainty == "official"
    assert plan.with_calendar(ext).schedule(start=D(2026, 6, 1)).certainty == "official"


def test_a_plan_reaching_2027_on_the_projection_is_projected(ext: WorkCalendar) -> None:
    # 20 working days from Tue 15 Dec: Dec 15-18 (4), 21-25 (9), 28-31 (13),
    # Jan 4-8 (18; Jan 1 is New Year's Day), Jan 11, 12 (20).
    s = one(20, ext).schedule(start=D(2026, 12, 15))
    assert s.finish == D(2027, 1, 12)
    assert s.certainty == "projected"
    assert s.provisional


def test_the_requested_start_counts_even_before_any_stage(ext: WorkCalendar) -> None:
    # Starting on Tue 29 Dec: one working day, that same tentative day.
    assert one(1, ext).schedule(start=D(2026, 12, 29)).certainty == "tentative"
    # Thu 31 Dec and Mon 4 Jan 2027 (projected).
    s = one(2, ext).schedule(start=D(2026, 12, 31))
    assert s.finish == D(2027, 1, 4)
    assert s.certainty == "projected"


def _each(plan: Plan, starts: list[date] | None = None, *, year: int | None = None) -> Sweep:
    """The sweep that schedules every start (what the fast path must equal)."""
    return _sweep_each(plan, _starts(plan, starts, year))


def test_calendar_day_stages_take_the_general_path(cn: WorkCalendar) -> None:
    plan = one("10cd", cn, kind="notice")
    # From Fri 18 Dec, day 1 is the 18th: 10 calendar days end Sun 27, a rest day,
    # rolled to Mon 28 (official).
    s = plan.schedule(start=D(2026, 12, 18))
    assert s["review"].finish == D(2026, 12, 28)
    assert s.certainty == "official"
    # From Sat 19 Dec the stage starts Mon 21 and ends Wed 30 (tentative).
    s = plan.schedule(start=D(2026, 12, 19))
    assert s["review"].finish == D(2026, 12, 30)
    assert s.certainty == "tentative"
    # A June start leaves the general path early, official.
    assert plan.schedule(start=D(2026, 6, 1)).certainty == "official"


def test_a_stage_on_another_calendar_counts(cn: WorkCalendar, ext: WorkCalendar) -> None:
    # 7 working days on ext from Mon 21 Dec end on Tue 29: the stage calendar is
    # asked about a tentative day, the plan calendar (official) is not.
    tentative = Plan(stages=[Stage("a", 7, calendar=ext)], calendar=cn)
    assert tentative.schedule(start=D(2026, 12, 21)).certainty == "tentative"
    assert tentative.schedule(start=D(2026, 6, 1)).certainty == "official"
    joint = Plan(stages=[Stage("a", 30, calendar=ext)], calendar=ext)
    assert joint.schedule(start=D(2026, 12, 1)).certainty == "projected"


def test_stages_past_the_plan_calendars_range_are_refused(
    cn: WorkCalendar, ext: WorkCalendar
) -> None:
    # The plan's duration and approval clock are counted on the plan calendar;
    # a stage on a longer calendar that runs past it would make those figures
    # count unknown days (1-3 January 2027) as working days.
    mixed = Plan(stages=[Stage("a", 30, calendar=ext)], calendar=cn)
    with pytest.raises(
        CalendarCoverageError, match=r"counted on its calendar 'Mainland China'.*2027-01-12"
    ):
        mixed.schedule(start=D(2026, 12, 1))
    fr = calendars.get("FR", years=(2025, 2025))
    plan = Plan(stages=[Stage("a", 30, calendar=cn)], calendar=fr)
    with pytest.raises(CalendarCoverageError, match="2026-01-12"):
        plan.schedule(start=D(2025, 12, 1))
    assert plan.schedule(start=D(2025, 6, 2)).certainty == "official"


def test_the_plan_calendar_is_asked_about_the_finish(cn: WorkCalendar) -> None:
    # A stage on France's calendar (all official) in a plan on CN: 5 French working
    # days from Thu 24 Dec 2026 are 24, 28, 29, 30, 31 (Christmas off). CN counts
    # the plan's duration up to Thu 31 Dec, a tentative day.
    fr = calendars.get("FR", years=(2025, 2026))
    s = Plan(stages=[Stage("a", 5, calendar=fr)], calendar=cn).schedule(start=D(2026, 12, 24))
    assert s.finish == D(2026, 12, 31)
    assert s.certainty == "tentative"


def test_a_start_on_a_rest_day_no_plan_working_day_follows(ext: WorkCalendar) -> None:
    # A hall open on Saturday 2 January 2027; the plan calendar has no working day
    # from Fri 1 Jan (New Year's Day) to Sat 2 Jan, so its latest day (Thu 31 Dec)
    # lies before the requested start, which is still asked about (projected).
    hall = ext.with_workdays({D(2027, 1, 2): "hall open"})
    s = Plan(stages=[Stage("a", 1, calendar=hall)], calendar=ext).schedule(start=D(2027, 1, 1))
    assert s["a"].finish == D(2027, 1, 2)
    assert s.certainty == "projected"


def test_a_calendar_without_uncertain_days_is_official() -> None:
    fr = calendars.get("FR", years=(2025, 2026))
    assert fr.tentative == ()
    s = one(5, fr).schedule(start=D(2026, 12, 24))
    assert s.finish == D(2026, 12, 31)
    assert s.certainty == "official"


def test_both_scheduling_passes_agree(cn: WorkCalendar, ext: WorkCalendar) -> None:
    plan = Plan(
        stages=[Stage("a", 3), Stage("b", 4), Stage("m", 0)],
        links=[Link("a", "b", "SS", 1), Link("b", "m")],
        calendar=cn,
    )
    seen = set()
    for cal in (cn, ext):
        p = plan.with_calendar(cal)
        for day in range(1, 32):
            start = D(2026, 12, day)
            try:
                fast = p.schedule(start=start)
            except Exception:
                continue  # past the official range on cn
            general = _schedule(p, start, general=True)
            assert fast.certainty == general.certainty, start
            assert fast.provisional == (fast.certainty == "projected"), start
            seen.add(fast.certainty)
    assert seen == set(CERTAINTIES)


def test_explain_and_html_say_so_only_when_not_official(cn: WorkCalendar) -> None:
    late = one(7, cn).schedule(start=D(2026, 12, 21))
    text = late.explain("review")
    assert text.splitlines()[-1] == TENTATIVE_LINE
    assert TENTATIVE_LINE in late._repr_html_()
    june = one(7, cn).schedule(start=D(2026, 6, 1))
    assert "certainty" not in june.explain("review")
    assert "certainty" not in june._repr_html_()


def test_explain_names_the_projection(ext: WorkCalendar) -> None:
    s = one(20, ext).schedule(start=D(2026, 12, 15))
    assert s.explain("review").splitlines()[-1] == PROJECTED_LINE


# -- Comparison -------------------------------------------------------------------------


def test_comparison_takes_the_less_certain_schedule(cn: WorkCalendar) -> None:
    # Baseline 7 days ends Tue 29 Dec (tentative), reform 5 days Fri 25 Dec (official).
    c = compare(one(7, cn), one(5, cn), start=D(2026, 12, 21))
    assert (c.baseline.certainty, c.reform.certainty) == ("tentative", "official")
    assert c.certainty == "tentative"
    assert TENTATIVE_LINE in c.explain().splitlines()
    assert TENTATIVE_LINE in c._repr_html_()
    # Swapped, the reform is the tentative one.
    assert compare(one(5, cn), one(7, cn), start=D(2026, 12, 21)).certainty == "tentative"


def test_comparison_projected_and_official(ext: WorkCalendar) -> None:
    c = compare(one(20, ext), one(7, ext), start=D(2026, 12, 15))
    assert c.certainty == "projected"
    assert PROJECTED_LINE in c.explain().splitlines()
    june = compare(one(20, ext), one(7, ext), start=D(2026, 6, 1))
    assert june.certainty == "official"
    assert "certainty" not in june.explain()


# -- Sweep ------------------------------------------------------------------------------


def test_sweep_over_2026_on_cn(cn: WorkCalendar) -> None:
    s = sweep(one(45, cn), year=2026)
    assert s.fast
    assert len(s) == 204
    assert counts(s.certainty) == {"official": 201, "tentative": 3, "projected": 0}
    # The last three covered starts end on 29, 30 and 31 December.
    late = s.starts[s.certainty == "tentative"].tolist()
    assert late == [D(2026, 10, 28), D(2026, 10, 29), D(2026, 10, 30)]
    assert s.finish[-3:].tolist() == [D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)]
    assert cn.count(D(2026, 10, 28), D(2026, 12, 29)) == 45
    # 45 days from Tue 27 Oct end on Mon 28 Dec: official.
    k = s.starts.tolist().index(D(2026, 10, 27))
    assert s.finish[k] == np.datetime64("2026-12-28")
    assert s.certainty[k] == "official"
    records = s.to_records()
    assert [r["certainty"] for r in records[-4:]] == ["official"] + ["tentative"] * 3


def test_sweep_over_2026_on_the_projection(ext: WorkCalendar) -> None:
    s = sweep(one(45, ext), year=2026)
    assert len(s) == 248
    assert not s.uncovered
    assert counts(s.certainty) == {"official": 201, "tentative": 3, "projected": 44}
    # Every start whose result reaches 2027 is both provisional and projected.
    assert np.array_equal(s.provisional, s.certainty == "projected")
    assert s.starts[s.certainty == "projected"][0] == np.datetime64("2026-11-02")
    slow = _each(one(45, ext), year=2026)
    assert np.array_equal(slow.certainty, s.certainty)


def test_sweep_certainty_matches_each_schedule(cn: WorkCalendar, ext: WorkCalendar) -> None:
    plan = Plan(
        stages=[Stage("notice", "10cd", kind="notice"), Stage("review", 3)],
        links=[Link("notice", "review")],
        calendar=ext,
    )
    starts = [D(2026, 12, d) for d in range(10, 32)]
    s = sweep(plan, starts)
    assert not s.fast
    assert s.certainty.dtype == object
    want = [plan.schedule(start=d).certainty for d in starts]
    assert s.certainty.tolist() == want
    assert set(want) == set(CERTAINTIES)


def test_sweep_counts_from_the_requested_start() -> None:
    # A calendar whose weekend of 6-7 June 2026 is tentative (mid-range).
    cal = WorkCalendar(
        "t", first=D(2026, 1, 1), last=D(2026, 12, 31), tentative=[(D(2026, 6, 6), D(2026, 6, 7))]
    )
    plan = one(3, cal)
    # From Sat 6 Jun: the start itself is tentative; from Fri 5 Jun the stage
    # (5, 8, 9 June) spans the weekend; from Mon 8 Jun it does not.
    starts = [D(2026, 6, 6), D(2026, 6, 5), D(2026, 6, 8)]
    fast = sweep(plan, starts)
    assert fast.fast
    assert fast.certainty.tolist() == ["tentative", "tentative", "official"]
    assert _each(plan, starts).certainty.tolist() == fast.certainty.tolist()
    assert [plan.schedule(start=d).certainty for d in starts] == fast.certainty.tolist()


def test_an_empty_sweep_has_an_empty_certainty(cn: WorkCalendar) -> None:
    s = sweep(one(45, cn), [D(2026, 12, 1)])
    assert len(s) == 0
    assert s.certainty.dtype == object
    assert s.certainty.shape == (0,)
    slow = sweep(one("10cd", cn), [D(2030, 1, 1)])
    assert slow.certainty.shape == (0,)


# -- policies ---------------------------------------------------------------------------


POLICY = Policy("pilot", baseline_limit=85, target_limit=45)


def test_policy_report_certainty(cn: WorkCalendar) -> None:
    report = POLICY.check(one(7, cn), start=D(2026, 12, 21))
    assert report.certainty == "tentative"
    assert TENTATIVE_LINE in report.explain().splitlines()
    assert TENTATIVE_LINE in report._repr_html_()
    june = POLICY.check(one(7, cn), start=D(2026, 6, 1))
    assert june.certainty == "official"
    assert "certainty" not in june.explain()


def test_policy_report_counts_the_baseline(cn: WorkCalendar) -> None:
    # The reform (5 days) ends Fri 25 Dec, the baseline (7 days) Tue 29 Dec.
    report = POLICY.check(one(5, cn), baseline=one(7, cn), start=D(2026, 12, 21))
    assert report.schedule.certainty == "official"
    assert report.certainty == "tentative"


def test_check_all_counts_by_certainty(cn: WorkCalendar, ext: WorkCalendar) -> None:
    on_cn = POLICY.check_all(one(45, cn), year=2026)
    assert on_cn.certainty == "tentative"
    assert "certainty: 3 starts rest on tentative days" in on_cn.explain().splitlines()
    on_ext = POLICY.check_all(one(45, ext), year=2026)
    assert on_ext.certainty == "projected"
    assert (
        "certainty: 3 starts rest on tentative days, 44 on projected days"
        in on_ext.explain().splitlines()
    )
    year_2021 = POLICY.check_all(one(45, cn), year=2021)
    assert year_2021.certainty == "official"
    assert "certainty" not in year_2021.explain()


def test_check_all_takes_the_baseline_into_account(cn: WorkCalendar) -> None:
    # Reform 5 days: from 1 Jun and 28 Oct, both official. Baseline 45 days: from
    # 28 Oct it ends on 29 Dec (tentative).
    starts = [D(2026, 6, 1), D(2026, 10, 28)]
    report = Policy("p", target_limit=45).check_all(one(5, cn), starts, baseline=one(45, cn))
    assert counts(report.sweep.certainty) == {"official": 2, "tentative": 0, "projected": 0}
    assert report.certainties == ("official", "tentative")
    assert report.certainty == "tentative"
    assert "certainty: 1 start rests on tentative days" in report.explain().splitlines()
    # A fixed baseline schedule that is tentative makes every start tentative.
    fixed = one(7, cn).schedule(start=D(2026, 12, 21))
    report = Policy("p", target_limit=45).check_all(one(5, cn), starts, baseline=fixed)
    assert report.certainties == ("tentative", "tentative")


def test_check_all_without_checked_starts_is_official(cn: WorkCalendar) -> None:
    report = POLICY.check_all(one(45, cn), [D(2026, 12, 1)])
    assert report.checked == 0
    assert report.certainty == "official"
    assert "certainty" not in report.explain()


# -- records ----------------------------------------------------------------------------


def frame(rows: list[tuple[str, str | None, int]]) -> pd.DataFrame:
    """Stage rows (accepted, completed or None, limit), one case each."""
    return pd.DataFrame(
        {
            "case": [f"C{k}" for k in range(len(rows))],
            "stage": "s",
            "accepted": pd.to_datetime([a for a, _, _ in rows]),
            "completed": pd.to_datetime([c for _, c, _ in rows]),
            "limit": [n for _, _, n in rows],
        }
    )


def test_records_rows_by_hand(cn: WorkCalendar) -> None:
    rows = [
        # Done the same day, but the 2-day deadline is Wed 30 Dec: tentative.
        ("2026-12-28", "2026-12-28", 2),
        # Deadline Wed 23 Dec (22, 23), done Thu 24: official.
        ("2026-12-21", "2026-12-24", 2),
        # Done on Tue 29 Dec: tentative whatever the deadline.
        ("2026-12-21", "2026-12-29", 10),
        ("2021-09-01", "2021-09-03", 5),
    ]
    r = analyze(frame(rows), calendar=cn)
    st = r.stages
    assert st["deadline"].tolist()[:2] == [pd.Timestamp("2026-12-30"), pd.Timestamp("2026-12-23")]
    assert st["certainty"].tolist() == ["tentative", "official", "tentative", "official"]
    assert r.certainty == "tentative"
    assert isinstance(st["certainty"].dtype, pd.CategoricalDtype)
    assert list(st["certainty"].cat.categories) == list(CERTAINTIES)
    assert st["certainty"].cat.ordered
    assert st["certainty"].max() == "tentative"
    assert TENTATIVE_LINE in r._repr_html_()


def test_records_deadline_past_the_calendar_rests_on_its_last_days(cn: WorkCalendar) -> None:
    # Open since Tue 1 Dec, measured to Mon 21 Dec (official), limit 30: the 22
    # working days left in December are not enough, the deadline lies past the
    # range (NaT) and so rests on every day up to 31 December.
    r = analyze(frame([("2026-12-01", None, 30)]), calendar=cn, as_of=D(2026, 12, 21))
    assert r.stages["deadline"].isna().all()
    assert r.stages["status"].tolist() == ["open"]
    assert r.stages["certainty"].tolist() == ["tentative"]


def test_records_on_the_projection(ext: WorkCalendar) -> None:
    # 5 days from Mon 28 Dec: 29, 30, 31, Mon 4 Jan, Tue 5 Jan 2027.
    r = analyze(
        frame([("2026-12-28", "2026-12-28", 5), ("2026-06-01", "2026-06-02", 5)]), calendar=ext
    )
    assert r.stages["deadline"].tolist()[0] == pd.Timestamp("2027-01-05")
    assert r.stages["certainty"].tolist() == ["projected", "official"]
    assert r.certainty == "projected"


def test_records_official_only(cn: WorkCalendar) -> None:
    r = analyze(frame([("2021-09-01", "2021-09-03", 5)]), calendar=cn)
    assert r.stages["certainty"].tolist() == ["official"]
    assert r.certainty == "official"
    assert "certainty" not in r._repr_html_()
    nothing = analyze(frame([("2021-09-03", "2021-09-01", 5)]), calendar=cn)
    assert len(nothing.stages) == 0
    assert nothing.certainty == "official"


def test_records_vectorized_equals_one_row_at_a_time(ext: WorkCalendar) -> None:
    rng = np.random.default_rng(20261229)
    n = 300
    accepted = np.datetime64("2026-11-15") + rng.integers(0, 60, n)
    completed = accepted + rng.integers(0, 20, n)
    limit = rng.integers(0, 15, n)
    stages = pd.DataFrame(
        {
            "case": np.arange(n),
            "stage": "s",
            "accepted": accepted.astype("datetime64[s]"),
            "completed": completed.astype("datetime64[s]"),
            "limit": limit,
        }
    )
    st = analyze(stages, calendar=ext).stages
    want = [
        ext.certainty(a.date(), max(m, d).date())
        for a, m, d in zip(st["accepted"], st["measured_to"], st["deadline"], strict=True)
    ]
    assert st["certainty"].tolist() == want
    assert set(want) == set(CERTAINTIES)


def test_records_refuse_an_input_column_named_certainty(cn: WorkCalendar) -> None:
    stages = frame([("2021-09-01", "2021-09-03", 5)]).assign(certainty="sure")
    with pytest.raises(RecordsError, match="'certainty' would be overwritten"):
        analyze(stages, calendar=cn)
