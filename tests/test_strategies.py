"""approval_clock.strategies: what each strategy draws, how it shrinks, bad arguments."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from approval_clock import (
    CalendarDays,
    CalendarMonths,
    Link,
    Plan,
    Stage,
    WorkCalendar,
    WorkingDays,
    calendars,
)
from approval_clock import strategies as acs
from approval_clock.checks.policy import Policy

CN = calendars.get("CN")
MON_FRI = WorkCalendar("Mon-Fri", first=date(2020, 1, 1), last=date(2030, 12, 31))


def test_the_package_does_not_import_hypothesis() -> None:
    code = "import sys, approval_clock; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_hypothesis_the_import_error_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import approval_clock.strategies\n"
        "except ImportError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install hypothesis (the 'hypothesis' extra; see docs/install.md)" in out.stdout


@given(acs.dates(CN, min_value=date(2021, 3, 1), max_value=date(2021, 3, 31)))
def test_dates_stay_in_bounds(d: date) -> None:
    assert date(2021, 3, 1) <= d <= date(2021, 3, 31)


@given(acs.dates(CN))
def test_dates_of_a_calendar_stay_in_its_coverage(d: date) -> None:
    CN.is_working_day(d)  # raises outside the coverage


@given(acs.working_dates(CN, min_value=date(2021, 10, 1), max_value=date(2021, 10, 10)))
def test_working_dates_are_working_days(d: date) -> None:
    assert CN.is_working_day(d)
    assert date(2021, 10, 1) <= d <= date(2021, 10, 10)


def test_working_dates_cover_every_working_day_in_range() -> None:
    # National Day 2021: Oct 8 (Fri) and Oct 9 (a makeup Saturday) are the only ones.
    seen = {find(acs.working_dates(CN, min_value=date(2021, 10, 1), max_value=date(2021, 10, 9)),
                 lambda d, x=x: d == x) for x in (date(2021, 10, 8), date(2021, 10, 9))}  # fmt: skip
    assert seen == {date(2021, 10, 8), date(2021, 10, 9)}


@given(acs.durations(units=(CalendarDays, CalendarMonths), min_days=3, max_days=9, max_months=2))
def test_durations_respect_units_and_bounds(d: CalendarDays | CalendarMonths) -> None:
    if isinstance(d, CalendarDays):
        assert 3 <= d.n <= 9
    else:
        assert isinstance(d, CalendarMonths)
        assert d.n <= 2


@given(acs.calendars(min_value=date(2024, 1, 1), max_value=date(2025, 12, 31), min_days=400))
def test_calendars_are_valid_and_bounded(cal: WorkCalendar) -> None:
    first, last = cal.coverage
    assert date(2024, 1, 1) <= first
    assert last <= date(2025, 12, 31)
    assert (last - first).days + 1 >= 400
    assert "1" in cal.weekmask
    assert not set(cal.holidays) & set(cal.workdays)
    assert all(first <= d <= last for d in [*cal.holidays, *cal.workdays])


def test_calendars_draw_odd_week_masks_holidays_and_makeup_days() -> None:
    odd = find(acs.calendars(), lambda c: c.weekmask not in ("1111100",) and c.weekmask[6] == "1")
    assert odd.weekmask.count("1") >= 1
    assert find(acs.calendars(), lambda c: len(c.holidays) > 10).holidays
    made = find(acs.calendars(), lambda c: any(c.weekmask[d.weekday()] != "1" for d in c.workdays))
    assert any(made.is_working_day(d) for d in made.workdays)
    short = find(acs.calendars(), lambda c: c.coverage[1] - c.coverage[0] < timedelta(days=400))
    assert short.coverage[1] - short.coverage[0] >= timedelta(days=365)


@given(acs.stages(kinds=("notice", "special"), calendars=(None, MON_FRI)))
def test_stages_use_the_kinds_and_calendars_given(stage: Stage) -> None:
    assert stage.kind in ("notice", "special")
    assert stage.calendar in (None, MON_FRI)
    assert isinstance(stage.duration, WorkingDays)
    assert stage.duration.n <= 10


@given(acs.links(["a", "b", "c", "d"], kinds=("SS",), min_lag=1, max_lag=2))
def test_links_go_forward_in_the_order_given(link: Link) -> None:
    ids = ["a", "b", "c", "d"]
    assert ids.index(link.predecessor) < ids.index(link.successor)
    assert link.kind == "SS"
    assert link.lag in (1, 2)


@given(
    acs.plans(
        min_stages=2,
        max_stages=7,
        max_links=5,
        link_kinds=("FS", "FF"),
        calendar=acs.calendars(min_days=1000),
        stage_calendars=(None, MON_FRI),
        calendar_day_lags=True,
    )
)
def test_plans_are_valid_and_bounded(plan: Plan) -> None:
    assert 2 <= len(plan.stages) <= 7
    assert len(plan.links) <= 5
    assert {ln.kind for ln in plan.links} <= {"FS", "FF"}
    assert {s.calendar for s in plan.stages} <= {None, MON_FRI}
    assert plan.calendar.name == "Random"
    assert len({ln.key for ln in plan.links}) == len(plan.links)


def test_plans_link_stages_in_any_direction_without_cycles() -> None:
    # Links follow a drawn order, not the stage numbering: s1 -> s0 happens too.
    def backwards(p: Plan) -> bool:
        return any(int(ln.predecessor[1:]) > int(ln.successor[1:]) for ln in p.links)

    plan = find(acs.plans(), backwards)
    assert backwards(plan)


# Shrinking is a heuristic search, so these only ask for what it reached from
# each of 150 seeds (hypothesis 6.170): more than one minimal plan exists for
# "three links" (two stages with FS+SS+FF, or three stages), and that one is left out.
_SHRINK = settings(database=None, phases=[Phase.generate, Phase.shrink])


def test_plans_shrink_toward_few_stages_and_links() -> None:
    assert find(acs.plans(), lambda p: True, settings=_SHRINK).links == ()
    one = find(acs.plans(), lambda p: len(p.links) >= 1, settings=_SHRINK)
    assert one.links == (Link("s0", "s1", "FS", 0),)
    assert len(one.stages) == 2


def test_plans_shrink_by_dropping_whole_stages() -> None:
    four = find(acs.plans(), lambda p: len(p.stages) >= 4, settings=_SHRINK)
    assert (len(four.stages), four.links) == (4, ())
    two = find(acs.plans(link_kinds=("FS",)), lambda p: len(p.links) >= 2, settings=_SHRINK)
    assert len(two.links) == 2
    assert len(two.stages) == 3  # the fewest that hold two FS links


@given(acs.plans(max_stages=12, max_links=40), st.dates(date(2021, 1, 1), date(2024, 12, 31)))
def test_drawn_plans_can_be_scheduled(plan: Plan, start: date) -> None:
    assert plan.schedule(start=start).duration >= 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: acs.dates(CN, min_value=date(2030, 1, 1)), "outside calendar 'Mainland China'"),
        (lambda: acs.dates(min_value=date(2021, 2, 1), max_value=date(2021, 1, 1)), "is after"),
        (lambda: acs.dates(min_value="2021-01-01"), "expected a datetime.date"),
        (
            lambda: acs.working_dates(CN, min_value=date(2021, 10, 1), max_value=date(2021, 10, 7)),
            "no working day",
        ),
        (lambda: acs.working_dates("CN"), "expected a WorkCalendar"),
        (lambda: acs.durations(units=()), "non-empty sequence"),
        (lambda: acs.durations(units=(int,)), "expected WorkingDays"),
        (lambda: acs.durations(min_days=5, max_days=2), "above max_days"),
        (lambda: acs.calendars(weekmask="0000000"), "at least one weekday"),
        (lambda: acs.calendars(min_days=10**6), "min_days"),
        (lambda: acs.stages(kinds=("hearing",)), "kinds"),
        (lambda: acs.links(["a"]), "at least two distinct"),
        (lambda: acs.links(["a", "b"], min_lag=3, max_lag=1), "above max_lag"),
        (lambda: acs.plans(min_stages=0), "min_stages"),
        (lambda: acs.plans(link_kinds=("SF",)), "link_kinds"),
        (lambda: acs.plans(calendar="CN"), "expected a WorkCalendar"),
    ],
)
def test_bad_arguments_are_invalid_arguments(make: object, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        make()  # type: ignore[operator]


@given(acs.policies(max_days=60, max_conditions=2))
def test_policies_are_consistent(policy: Policy) -> None:
    limits = [policy.notice_days, policy.target_limit, policy.baseline_limit]
    given_ = [x for x in limits if x is not None]
    assert given_ == sorted(given_)
    assert all(0 <= x <= 60 for x in given_)
    assert len(policy.conditions) <= 2


# -- plans(): stages a failure does not need shrink away -------------------------------------


def _fs_chain_of_three_and_a_milestone(p: Plan) -> bool:
    succ: dict[str, set[str]] = {}
    for ln in p.links:
        if ln.kind == "FS":
            succ.setdefault(ln.predecessor, set()).add(ln.successor)
    chain = any(succ.get(b) for a in succ for b in succ[a])
    return chain and any(s.is_milestone for s in p.stages)


# Seeds 8 and 9 ended at 4 and 6 stages before (each is a full shrink, so one in
# every run); thirty with the thorough profile.
_SEEDS = range(30) if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else (8,)


@pytest.mark.parametrize("seed", _SEEDS)
def test_plans_shrink_isolated_stages_away(seed: int) -> None:
    # Three FS-linked stages, one of them a milestone: three stages are all it
    # takes. Before stages could be left out without moving other draws, about a
    # quarter of the seeds ended at 4 to 6 stages, the rest isolated milestones.
    import random

    plan = find(
        acs.plans(max_stages=8),
        _fs_chain_of_three_and_a_milestone,
        settings=settings(_SHRINK, max_examples=300),
        random=random.Random(seed),
    )
    assert len(plan.stages) == 3, plan


# -- variations() ------------------------------------------------------------------------

REFORM = Plan.from_toml("examples/huludao/reform.toml")


@given(acs.variations(REFORM))
def test_variations_keep_ids_kinds_and_stay_valid(plan: Plan) -> None:
    assert [(s.id, s.kind) for s in plan.stages] == [(s.id, s.kind) for s in REFORM.stages]
    assert plan.stage("land_notice").duration == WorkingDays(35)  # notices kept by default
    assert plan.calendar is REFORM.calendar
    assert len({ln.key for ln in plan.links}) == len(plan.links)


@given(acs.variations(REFORM, durations={"design": (2, 4)}, changes=("duration",)))
def test_variations_change_only_the_stages_with_bounds(plan: Plan) -> None:
    assert plan.links == REFORM.links
    for s, t in zip(plan.stages, REFORM.stages, strict=True):
        if s.id == "design":
            # 5 is outside (2, 4): a change puts it inside.
            assert s.duration == t.duration or 2 <= s.duration.n <= 4
        else:
            assert s == t


def test_variations_shrink_toward_the_original_plan() -> None:
    assert find(acs.variations(REFORM), lambda p: True, settings=_SHRINK) == REFORM
    # One change of one kind is the smallest difference; the changed duration is
    # the nearest to the stage's own.
    longer = find(
        acs.variations(REFORM, changes=("duration",)),
        lambda p: p.stage("registration").duration.n > 5,
        settings=_SHRINK,
    )
    assert longer.stage("registration").duration == WorkingDays(6)
    assert [s for s in longer.stages if s.id != "registration"] == [
        s for s in REFORM.stages if s.id != "registration"
    ]
    parallel = find(
        acs.variations(REFORM, changes=("parallel",)), lambda p: p != REFORM, settings=_SHRINK
    )
    gone = set(REFORM.links) - set(parallel.links)
    added = set(parallel.links) - set(REFORM.links)
    assert len(gone) == 1
    (fs,) = gone
    assert fs.kind == "FS"
    assert {(ln.predecessor, ln.successor, ln.kind) for ln in added} <= {
        (fs.predecessor, fs.successor, "SS"),
        (fs.predecessor, fs.successor, "FF"),
    }


def test_added_links_never_make_a_cycle() -> None:
    # Many links added at once on a chain: each goes forward in the plan's order.
    chain = Plan(
        stages=[Stage(f"s{i}", 1) for i in range(6)],
        links=[Link(f"s{i}", f"s{i + 1}") for i in range(5)],
        calendar=CN,
    )

    @settings(max_examples=30)
    @given(acs.variations(chain, changes=("add_link", "remove_link"), max_changes=12))
    def check(plan: Plan) -> None:
        assert plan.schedule(start=date(2021, 6, 1)).duration >= 1

    check()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: acs.variations("plan"), "expected a Plan"),  # type: ignore[arg-type]
        (lambda: acs.variations(REFORM, durations={"x": (1, 2)}), "no stage 'x'"),
        (lambda: acs.variations(REFORM, durations={"design": (3, 1)}), "0 <= min <= max"),
        (lambda: acs.variations(REFORM, keep=["x"]), "keep: no stage 'x'"),
        (lambda: acs.variations(REFORM, changes=("shuffle",)), "changes"),
        (lambda: acs.variations(REFORM, max_changes=-1), "max_changes"),
        (lambda: acs.variations(REFORM, min_lag=2, max_lag=1), "above max_lag"),
    ],
)
def test_bad_variation_arguments_are_invalid_arguments(make: object, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        make()  # type: ignore[operator]
