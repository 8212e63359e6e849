"""compare(): days saved, exact ratios, the fixed notice part, and per-stage changes."""

from __future__ import annotations

import itertools
from datetime import date
from fractions import Fraction

import pytest

from approval_clock import (
    Link,
    Plan,
    PolicyError,
    Stage,
    WorkCalendar,
    compare,
)
from approval_clock.checks.comparison import parse_ratio, percent

D = date


def _serial(cn: WorkCalendar, *days: int) -> Plan:
    ids = [f"s{k}" for k in range(len(days))]
    return Plan(
        stages=[Stage(i, d) for i, d in zip(ids, days, strict=True)],
        links=[Link(a, b) for a, b in itertools.pairwise(ids)],
        calendar=cn,
    )


def test_huludao_figures(cn: WorkCalendar) -> None:
    # 35 notice + 50 of other work in series, against 35 + 10.
    base = Plan(
        stages=[Stage("notice", 35, kind="notice"), Stage("work", 50)],
        links=[Link("notice", "work")],
        calendar=cn,
    )
    reform = base.replace_stage(Stage("work", 10))
    c = compare(base, reform, start=D(2021, 6, 1))
    assert (c.baseline_days, c.reform_days, c.saved) == (85, 45, 40)
    assert c.ratio == Fraction(40, 85)
    assert c.percent == "47.1%"
    assert (c.fixed_baseline, c.fixed_reform) == (35, 35)
    assert (c.compressible_baseline, c.compressible_reform) == (50, 10)
    assert c.compressible_ratio == Fraction(4, 5)
    assert c.meets(min_ratio=0.45)
    assert c.meets(min_ratio="47%", limit=45)
    assert not c.meets(min_ratio="48%")
    assert not c.meets(limit=44)


def test_ratio_boundary_is_exact(cn: WorkCalendar) -> None:
    # 45 saved out of 100 is exactly 45%; 0.45 * 100 in floating point is 45.00000000000001.
    c = compare(_serial(cn, 100), _serial(cn, 55), start=D(2021, 3, 1))
    assert c.ratio == Fraction(9, 20)
    assert c.meets(min_ratio=0.45)
    assert c.meets(min_ratio="45%")
    assert not c.meets(min_ratio="45.1%")


def test_only_counting_stages_are_on_the_clock(cn: WorkCalendar) -> None:
    # The applicant's 10 days of corrections stop the clock but not the calendar.
    base = Plan(
        stages=[Stage("review", 20), Stage("fix", 10, kind="applicant"), Stage("issue", 5)],
        links=[Link("review", "fix"), Link("fix", "issue")],
        calendar=cn,
    )
    reform = base.without_stage("fix").with_link(Link("review", "issue"))
    c = compare(base, reform, start=D(2021, 3, 1))
    assert (c.baseline_days, c.reform_days) == (25, 25)
    assert c.saved == 0
    by_duration = compare(base, reform, start=D(2021, 3, 1), metric="duration")
    assert (by_duration.baseline_days, by_duration.reform_days) == (35, 25)
    changes = {ch.id: ch for ch in c.changes}
    assert changes["fix"].change == "removed"
    assert changes["review"].change == "unchanged"


def test_stage_changes_and_critical_moves(cn: WorkCalendar) -> None:
    base = Plan(
        stages=[Stage("a", 10), Stage("b", 5), Stage("c", 3)],
        links=[Link("a", "c"), Link("b", "c")],
        calendar=cn,
    )
    # b becomes longer than a: a moves off the critical path, b onto it; d is new.
    reform = base.replace_stage(Stage("b", 12)).with_stage(Stage("d", 1), [Link("c", "d")])
    c = compare(base, reform, start=D(2021, 3, 1))
    changes = {ch.id: ch for ch in c.changes}
    assert changes["a"].change == "unchanged"
    assert changes["a"].critical == "off critical path"
    assert changes["b"].change == "longer"
    assert changes["b"].critical == "onto critical path"
    assert changes["d"].change == "added"
    assert changes["d"].describe() == "d: added, 1 working days"
    # 10 + 3 before, 12 + 3 + 1 after: a reform can be worse, and says so.
    assert c.saved == -3
    assert c.percent == "-23.1%"
    text = c.explain()
    assert "b: longer, 5 -> 12 working days; moved onto critical path" in text
    assert "a: unchanged, 10 working days; moved off critical path" in text


def test_schedules_or_plans(cn: WorkCalendar) -> None:
    base, reform = _serial(cn, 20), _serial(cn, 15)
    s1, s2 = base.schedule(start=D(2021, 9, 1)), reform.schedule(start=D(2021, 9, 1))
    assert compare(s1, s2).saved == compare(base, reform, start=D(2021, 9, 1)).saved == 5
    with pytest.raises(PolicyError, match="give start"):
        compare(base, s2)


def test_errors(cn: WorkCalendar) -> None:
    empty = Plan(stages=[Stage("m", 0)], calendar=cn)
    with pytest.raises(PolicyError, match="baseline takes 0 working days"):
        compare(empty, empty, start=D(2021, 9, 1))
    c = compare(_serial(cn, 20), _serial(cn, 15), start=D(2021, 9, 1))
    with pytest.raises(PolicyError, match="give min_ratio, limit or both"):
        c.meets()
    with pytest.raises(PolicyError, match="expected a fraction"):
        c.meets(min_ratio=45)
    with pytest.raises(PolicyError, match="metric"):
        compare(_serial(cn, 20), _serial(cn, 15), start=D(2021, 9, 1), metric="days")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "value"),
    [(0.45, Fraction(9, 20)), ("45%", Fraction(9, 20)), ("0%", Fraction(0)), (1, Fraction(1))],
)
def test_parse_ratio(text: object, value: Fraction) -> None:
    assert parse_ratio(text) == value


@pytest.mark.parametrize("bad", [1.5, -0.1, "abc", "150%", True, None, [0.4]])
def test_parse_ratio_rejects(bad: object) -> None:
    with pytest.raises(PolicyError, match="expected a fraction between 0 and 1"):
        parse_ratio(bad)


def test_percent_rounds_half_up() -> None:
    assert percent(Fraction(40, 85)) == "47.1%"
    assert percent(Fraction(1, 8)) == "12.5%"
    assert percent(Fraction(1, 2000)) == "0.1%"  # 0.05% rounds up
    assert percent(Fraction(1)) == "100.0%"


def test_calendar_days_side_by_side(cn: WorkCalendar) -> None:
    # 85 working days from Tue 1 June 2021 end Tue 28 Sep (120 calendar days); 45 end
    # Tue 3 Aug (64 calendar days).
    c = compare(_serial(cn, 85), _serial(cn, 45), start=D(2021, 6, 1))
    assert (c.baseline_calendar_days, c.reform_calendar_days, c.saved_calendar_days) == (
        120,
        64,
        56,
    )
    assert (
        c.explain().splitlines()[1] == "duration: 85 -> 45 working days (120 -> 64 calendar days)"
    )
    cd = compare(_serial(cn, 85), _serial(cn, 45), start=D(2021, 6, 1), metric="calendar_days")
    assert (cd.unit, cd.baseline_days, cd.reform_days, cd.saved) == ("calendar days", 120, 64, 56)
    assert cd.ratio == Fraction(56, 120)
    assert cd.explain().splitlines()[:2] == [
        "duration in calendar days: 120 -> 64 calendar days, 56 saved (46.7%)",
        "duration: 85 -> 45 working days",
    ]
    assert cd.meets(limit=64)
    assert not cd.meets(limit=63)


def test_notice_windows_in_calendar_days(cn: WorkCalendar) -> None:
    # A 35-working-day notice from Tue 1 June 2021 runs to Tue 20 July (50 calendar
    # days, over the Dragon Boat Festival, 12-14 June); then 10 days of work.
    base = Plan(stages=[Stage("notice", 35, kind="notice"), Stage("work", 10)],
                links=[Link("notice", "work")], calendar=cn)  # fmt: skip
    c = compare(base, base, start=D(2021, 6, 1), metric="calendar_days")
    assert c.fixed_baseline == 50
    assert base.schedule(start=D(2021, 6, 1)).calendar_days_in_progress(["notice"]) == 50


@pytest.mark.parametrize(
    "bad",
    [
        10**400,
        -(10**400),
        "1e999999999%",
        "1e-999999999%",
        "9" * 5000 + "%",
        "١٢%",
        "1/2%",
        float("nan"),
    ],
)
def test_parse_ratio_refuses_huge_or_odd_numbers_quickly(bad: object) -> None:
    with pytest.raises(PolicyError, match="expected a fraction between 0 and 1"):
        parse_ratio(bad)


def test_parse_ratio_of_ints_is_exact() -> None:
    assert parse_ratio(0) == 0
    assert parse_ratio(1) == 1
    assert parse_ratio(Fraction(10**30 - 1, 10**30)) == Fraction(10**30 - 1, 10**30)
    assert parse_ratio("12.5%") == Fraction(1, 8)
    assert parse_ratio("1e1%") == Fraction(1, 10)
