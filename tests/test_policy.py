"""Policies: rules with expected/actual/verdict, eligibility, files, and the Huludao case."""

from __future__ import annotations

import runpy
import subprocess
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from approval_clock import (
    Condition,
    Plan,
    Policy,
    PolicyError,
    PolicyFileError,
    Stage,
    calendars,
)

HULUDAO = Path(__file__).parent.parent / "examples" / "huludao"
START = date(2021, 6, 1)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.from_toml(HULUDAO / "policy.toml")


@pytest.fixture(scope="module")
def baseline() -> Plan:
    return Plan.from_toml(HULUDAO / "baseline.toml")


@pytest.fixture(scope="module")
def reform() -> Plan:
    return Plan.from_toml(HULUDAO / "reform.toml")


def test_the_reference_case_passes(policy: Policy, baseline: Plan, reform: Plan) -> None:
    report = policy.check(reform, baseline=baseline, start=START)
    assert report.passed
    assert (report.baseline_days, report.actual_days, report.saved) == (85, 45, 40)
    assert report.ratio == Fraction(40, 85)
    assert report.notice_days == 35
    text = report.explain()
    assert "85 -> 45 working days (approval days), 40 days saved, 47.1% >= 45%: passed" in text
    assert "compressible part (without the 35-working-day notice): 50 -> 10" in text
    assert [r.rule for r in report.rules] == [
        "baseline",
        "target_limit",
        "min_ratio",
        "notice_days",
    ]
    assert all(r.passed for r in report.rules)


def test_three_permits_issued_together(reform: Plan) -> None:
    # 三证齐发: registration, planning and construction permits end the same day.
    s = reform.schedule(start=START)
    ends = {s[i].finish for i in ("registration", "planning_permit", "construction_permit")}
    assert ends == {date(2021, 8, 3)}
    # 容缺受理: the permits are accepted with the registration, not after it.
    assert s["construction_permit"].start == s["registration"].start == date(2021, 7, 28)


def test_one_day_too_long_fails_the_target_only(
    policy: Policy, baseline: Plan, reform: Plan
) -> None:
    slower = reform.replace_stage(Stage("registration", 6))
    report = policy.check(slower, baseline=baseline, start=START)
    assert not report.passed
    assert [r.rule for r in report.failed] == ["target_limit"]
    failed = report.failed[0]
    assert (failed.expected, failed.actual) == ("<= 45", "46")
    assert "FAILED: target_limit" in report.explain()


def test_a_shortened_notice_fails_the_notice_rule(
    policy: Policy, baseline: Plan, reform: Plan
) -> None:
    # 30 days of notice: 40 approval days pass the limit and the ratio, but the
    # statutory notice of 35 working days is not kept.
    short = reform.replace_stage(Stage("land_notice", 30, kind="notice"))
    report = policy.check(short, baseline=baseline, start=START)
    assert report.actual_days == 40
    assert [r.rule for r in report.failed] == ["notice_days"]
    assert str(report.failed[0]) == (
        "[FAIL] statutory notice kept whole (included in the limit): expected >= 35, actual 30"
    )


def test_without_a_baseline_plan_the_limit_is_the_baseline(policy: Policy, reform: Plan) -> None:
    report = policy.check(reform, start=START)
    assert report.passed
    assert report.baseline_days == 85
    assert "baseline" not in [r.rule for r in report.rules]


def test_a_baseline_that_does_not_match_its_stated_limit_fails(
    policy: Policy, baseline: Plan, reform: Plan
) -> None:
    longer = baseline.replace_stage(Stage("registration", 11))
    report = policy.check(reform, baseline=longer, start=START)
    assert [r.rule for r in report.failed] == ["baseline"]


def test_check_needs_something_to_compare(reform: Plan) -> None:
    with pytest.raises(PolicyError, match="no baseline"):
        Policy("p", min_ratio=0.45).check(reform, start=START)
    with pytest.raises(PolicyError, match="give start"):
        Policy("p", target_limit=45).check(reform)
    with pytest.raises(PolicyError, match="no rule"):
        Policy("p", baseline_limit=85).check(reform, start=START)


def test_check_all_for_every_start_of_2021(policy: Policy, baseline: Plan, reform: Plan) -> None:
    result = policy.check_all(reform, year=2021, baseline=baseline)
    assert result.passed
    assert result.checked == 250
    assert result.first_failure is None
    assert "250 start dates checked, 0 failed, 0 not covered" in result.explain()


def test_check_all_names_the_first_failing_start(policy: Policy, baseline: Plan) -> None:
    # A plan in calendar days: 63 calendar days is 45 working days from some starts
    # and fewer or more from others.
    plan = Plan(stages=[Stage("all", "63cd")], calendar=calendars.get("CN"))
    strict = Policy("p", baseline_limit=85, target_limit=44)
    result = strict.check_all(plan, year=2021)
    assert not result.passed
    assert result.failures
    first_day, rules = result.failures[0]
    assert rules == ("target_limit",)
    assert result.first_failure is not None
    assert result.first_failure.schedule.requested_start == first_day
    assert result.first_failure.actual_days > 44
    # Every failing start really fails, and every other start really passes.
    failing = {d for d, _ in result.failures}
    for d in result.sweep.starts.tolist()[::10]:
        assert (d in failing) == (not strict.check(plan, start=d).passed)


def test_check_all_does_not_pass_uncovered_starts(policy: Policy, reform: Plan) -> None:
    # Starts late in 2026 end in 2027, past the official notices: not checked,
    # so the year cannot be said to pass.
    result = policy.check_all(reform, year=2026)
    assert result.sweep.uncovered
    assert not result.failures
    assert not result.passed
    assert "not covered by the calendar" in result.explain()


def test_eligibility_met_unmet_unknown(policy: Policy) -> None:
    facts: dict[str, object] = {
        "pilot_zone": True,
        "project_type": "new general industrial, invested by society",
        "state_owned_construction_land": True,
        "utilities_complete": False,
        "sole_bidder": True,
        "regulatory_plan_approved": None,  # None is "not known", like a missing fact
    }
    result = policy.eligibility(facts)
    verdicts = {r.condition.key: r.verdict for r in result}
    assert verdicts == {
        "pilot_zone": "met",
        "project_type": "met",
        "state_owned_construction_land": "met",
        "utilities_complete": "unmet",
        "sole_bidder": "met",
        "regulatory_plan_approved": "unknown",
        "procedures_done_before_permit": "unknown",
    }
    assert result.eligible is False
    assert (
        "[unmet] municipal utilities are already complete: utilities_complete = False, expected True"
        in result.explain()
    )


def test_eligibility_unknown_is_never_false(policy: Policy) -> None:
    assert policy.eligibility({}).eligible is None
    everything = {c.key: c.expected for c in policy.conditions}
    assert policy.eligibility(everything).eligible is True


def test_condition_types_are_strict() -> None:
    c = Condition("sole_bidder", "only bidder", True)
    assert c.evaluate({"sole_bidder": 1}).verdict == "unmet"  # 1 is not True
    choice = Condition("zone", "a pilot zone", ("A", "B"))
    assert choice.evaluate({"zone": "B"}).verdict == "met"
    assert choice.evaluate({"zone": "C"}).reason == "a pilot zone: zone = 'C', expected 'A' or 'B'"
    with pytest.raises(PolicyError, match="expected true/false"):
        choice.evaluate({"zone": ["A"]})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_ratio": 1.5}, "min_ratio: expected a fraction"),
        ({"target_limit": -1}, "target_limit: expected a whole number"),
        ({"target_limit": 45.0}, "target_limit: expected a whole number"),
        ({"metric": "days"}, "metric: expected one of"),
        ({"target_limit": 30, "notice_days": 35}, "cannot exceed target_limit"),
        ({"conditions": [Condition("a", "x"), Condition("a", "y")]}, "given twice"),
    ],
)
def test_invalid_policies(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        Policy("p", **kwargs)  # type: ignore[arg-type]


def test_policy_file_round_trip(policy: Policy) -> None:
    assert Policy.loads(policy.to_toml()) == policy
    odd = Policy(
        'quote " and \\ and \x7f',
        min_ratio=Fraction(1, 8),
        conditions=[Condition("k", "d", (1, 2.5, "x", False), "scope")],
    )
    assert Policy.loads(odd.to_toml()) == odd


def test_a_ratio_that_is_not_a_whole_percentage_round_trips_or_says_why() -> None:
    assert Policy.loads(Policy("p", min_ratio="47.1%").to_toml()).min_ratio == Fraction(471, 1000)
    with pytest.raises(PolicyError, match="cannot be written exactly"):
        Policy("p", min_ratio=Fraction(1, 3)).to_toml()


BASE = 'format = 1\nname = "p"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = 'p'", "policy.toml: format: missing required key"),
        ("format = 2\nname = 'p'", "policy.toml: format: expected 1"),
        (BASE + "colour = 1", "policy.toml: colour: unknown key"),
        (BASE + "min_ratio = '145%'", "policy.toml: min_ratio: expected a fraction"),
        (BASE + "metric = 'hours'", "policy.toml: metric: expected one of"),
        (BASE + "notice_days = '35'", "policy.toml: notice_days: expected a whole number"),
        (BASE + "[[conditions]]\nkey = 'a'", "policy.toml: conditions[0].description: missing"),
        (
            BASE + "[[conditions]]\nkey = 'a'\ndescription = 'x'\nexpected = []",
            "policy.toml: conditions[0].expected: expected at least one value",
        ),
        (
            BASE + "[[conditions]]\nkey = 'a'\ndescription = 'x'\nexpected = {b = 1}",
            "policy.toml: conditions[0].expected: expected true/false",
        ),
        (
            BASE + "[[conditions]]\nkey = 'a'\ndescription = 'x'\ngroup = 'other'",
            "policy.toml: conditions[0].group: expected one of 'condition', 'scope'",
        ),
        (BASE + "target_limit = 30\nnotice_days = 35", "policy.toml: policy 'p': notice_days"),
        ("format = 1\nname = ", "policy.toml: not valid TOML"),
    ],
)
def test_policy_file_errors_name_the_place(text: str, message: str) -> None:
    with pytest.raises(PolicyFileError) as info:
        Policy.loads(text, source="policy.toml")
    assert message in str(info.value)


def test_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match="no such file"):
        Policy.from_toml(tmp_path / "none.toml")


def test_the_example_script_prints_the_verdicts() -> None:
    out = subprocess.run(
        [sys.executable, str(HULUDAO / "check.py")], capture_output=True, text=True, check=True
    ).stdout
    assert "85 -> 45 working days (approval days), 40 days saved, 47.1% >= 45%: passed" in out
    assert "compressible part (without the 35-working-day notice): 50 -> 10" in out
    assert "FAILED: target_limit" in out
    assert "FAILED: notice_days" in out
    assert "land delisted 2021-08-18, planning permit 2021-08-26: 7 working days" in out
    assert "construction permit 2021-09-10: 18 working days" in out
    assert "2021: 250 starts" in out


def test_reform_plan_example_runs() -> None:
    runpy.run_path(str(HULUDAO.parent / "reform_plan.py"), run_name="__main__")


def test_check_all_with_a_baseline_the_calendar_does_not_cover(
    policy: Policy, baseline: Plan, reform: Plan
) -> None:
    # The reform (45 days) fits before 2026-12-31 from more starts than the
    # baseline (85 days): those starts are unchecked, not failures, and not passes.
    result = policy.check_all(reform, year=2026, baseline=baseline)
    assert not result.failures
    assert result.first_failure is None
    assert result.unchecked
    first, why = result.unchecked[0]
    # 85 working days from late August 2026 already end in 2027.
    assert date(2026, 8, 1) <= first < date(2026, 11, 2)
    assert why.startswith("baseline: the plan from")
    assert result.checked == len(result.sweep) - len(result.unchecked)
    assert not result.passed
