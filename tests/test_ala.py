"""approval_clock.plans.ala: the Administrative Licensing Law's periods as data and stages."""

from __future__ import annotations

from datetime import date

import pytest

from approval_clock import CalendarDays, Link, Plan, PlanError, WorkCalendar, WorkingDays, ala


def test_the_periods_of_the_law() -> None:
    # Art. 42: 20 working days, extendable by 10; 45 + 15 for joint handling;
    # art. 44: 10 working days; art. 45: not counted (art. 82: working days).
    table = {p.article: (p.limit, p.extension, p.maximum, p.kind) for p in ala.PERIODS}
    assert table == {
        "32(4)": (WorkingDays(5), None, WorkingDays(5), "work"),
        "42(1)": (WorkingDays(20), WorkingDays(10), WorkingDays(30), "work"),
        "42(2)": (WorkingDays(45), WorkingDays(15), WorkingDays(60), "work"),
        "43": (WorkingDays(20), None, WorkingDays(20), "work"),
        "44": (WorkingDays(10), None, WorkingDays(10), "work"),
        "45": (None, None, None, "special"),
        "47": (WorkingDays(20), None, WorkingDays(20), "special"),
    }
    assert "可以延长十日" in ala.ART_42_DECISION.quote
    assert "四十五日" in ala.ART_42_JOINT.quote
    assert "延长十五日" in ala.ART_42_JOINT.quote


def test_stages_of_the_periods() -> None:
    assert ala.ART_42_DECISION.stage("d").duration == WorkingDays(20)
    assert ala.ART_42_DECISION.stage("d", extended=True).duration == WorkingDays(30)
    assert ala.ART_42_JOINT.stage("j", extended=True).duration == WorkingDays(60)
    assert ala.ART_47_HEARING.stage("h").kind == "special"
    assert not ala.special_procedure("expert", 15).counts
    with pytest.raises(PlanError, match="allows no extension"):
        ala.ART_44_CERTIFICATE.stage("c", extended=True)
    with pytest.raises(PlanError, match="does not count this time"):
        ala.ART_45_SPECIAL.stage("s")
    with pytest.raises(PlanError, match="exceeds the law's 60wd"):
        ala.ART_42_JOINT.stage("j", duration="61wd")
    with pytest.raises(PlanError, match="counts working days"):
        ala.ART_42_DECISION.stage("d", duration=CalendarDays(20))


def test_a_plan_from_the_law_over_national_day(cn: WorkCalendar) -> None:
    # Accepted Mon 27 Sep 2021. The decision (20 working days): Sep 27-30 (4), Oct 8, 9
    # (makeup Saturday) (6), 11-15 (11), 18-22 (16), 25-28 (20): taken Thu 28 Oct.
    # A hearing of 10 working days in between (SS + 5) does not count. The
    # certificate (10 days) follows: Oct 29, Nov 1-5, Nov 8-11. On the clock: 30.
    plan = Plan(
        stages=[
            ala.ART_42_DECISION.stage("decision"),
            ala.ART_47_HEARING.stage("hearing", duration=10),
            ala.ART_44_CERTIFICATE.stage("certificate"),
        ],
        links=[Link("decision", "hearing", "SS", 5), Link("decision", "certificate")],
        calendar=cn,
    )
    s = plan.schedule(start=date(2021, 9, 27))
    assert s["decision"].finish == date(2021, 10, 28)
    assert (s["certificate"].start, s["certificate"].finish) == (
        date(2021, 10, 29),
        date(2021, 11, 11),
    )
    assert s.approval_days == 30
    # The statutory deadline counts from the day after acceptance (art. 201): Sep 28
    # is day 1, Fri 29 Oct day 20, one working day after the stage that starts on
    # the acceptance day finishes.
    assert cn.deadline(date(2021, 9, 27), WorkingDays(20)) == date(2021, 10, 29)
