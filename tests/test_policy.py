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
    Link,
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
        "[FAIL] statutory notice kept whole (one uninterrupted notice stage, included in the "
        "limit): expected >= 35, actual 30 (land_notice)"
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
    assert result.verdict == "passed"
    assert "250 start dates in 2021: 250 passed, 0 failed, 0 not checked" in result.explain()


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
    assert result.verdict == "not checked"
    assert "204 passed, 0 failed, 44 not checked (44 reform not covered)" in result.explain()


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


# -- the statutory notice is one uninterrupted notice stage --------------------------------


def test_two_overlapping_notices_do_not_make_a_statutory_notice(
    policy: Policy, baseline: Plan, reform: Plan
) -> None:
    # Two 20-day notices, the second starting 15 working days after the first: from
    # 4 June 2021 they cover 35 working days together (to 23 July, as the one notice
    # did), and the plan still takes 45 approval days. But neither is a 35-day notice.
    split = reform.with_stage_changes("land_notice", duration=20).with_stage(
        Stage("land_notice_2", 20, kind="notice"),
        [Link("land_notice", "land_notice_2", "SS", 15), Link("land_notice_2", "land_contract")],
    )
    s = split.schedule(start=START)
    assert (s["land_notice"].start, s["land_notice_2"].finish) == (
        date(2021, 6, 4),
        date(2021, 7, 23),
    )
    report = policy.check(split, baseline=baseline, start=START)
    assert (report.actual_days, report.notice_days, report.longest_notice) == (45, 35, 20)
    assert [r.rule for r in report.failed] == ["notice_days"]
    assert str(report.failed[0]) == (
        "[FAIL] statutory notice kept whole (one uninterrupted notice stage, included in the "
        "limit): expected >= 35, actual 20 (land_notice)"
    )
    # The year check uses the same rule for every start.
    year = policy.check_all(split, year=2021, baseline=baseline)
    assert year.counts()["failed"] == 250
    assert {rules for _, rules in year.failures} == {("notice_days",)}


# -- every start once -------------------------------------------------------------------


@pytest.mark.parametrize(("year", "working_days"), [(2021, 250), (2026, 248)])
def test_every_start_of_the_year_appears_exactly_once(
    policy: Policy, baseline: Plan, reform: Plan, year: int, working_days: int
) -> None:
    cn = calendars.get("CN")
    result = policy.check_all(reform, year=year, baseline=baseline)
    starts = [o.start for o in result.outcomes]
    assert starts == cn.working_days(date(year, 1, 1), date(year, 12, 31))
    assert len(starts) == working_days
    c = result.counts()
    assert c["passed"] + c["failed"] + c["not checked"] == working_days
    assert c["reform not covered"] + c["baseline not covered"] + c["projected"] == c["not checked"]
    assert c["not checked"] == len(result.sweep.uncovered) + len(result.unchecked)
    assert result.checked == c["passed"] + c["failed"]
    if year == 2026:
        # 45 working days from 2 November end in 2027; 85 from 1 September do.
        assert (c["passed"], c["reform not covered"], c["baseline not covered"]) == (164, 44, 40)
        reasons = {o.start: o.reason for o in result.not_checked}
        assert date(2026, 8, 31) not in reasons  # 85 working days from 31 Aug end 31 Dec
        assert min(d for d, r in reasons.items() if r == "baseline not covered") == date(2026, 9, 1)
        assert min(d for d, r in reasons.items() if r == "reform not covered") == date(2026, 11, 2)
        assert result.verdict == "not checked"
        assert not result.passed
        # The first start: Sunday 4 January 2026, a makeup working day for New Year.
        first = result.outcomes[0]
        assert (first.start, first.verdict, first.certainty) == (
            date(2026, 1, 4),
            "passed",
            "official",
        )
    else:
        assert c == {**c, "passed": 250, "failed": 0, "not checked": 0}


def test_results_on_projected_days_are_not_verdicts(
    policy: Policy, baseline: Plan, reform: Plan
) -> None:
    # On a calendar projected through 2027 every start of 2026 has a result, but the
    # 84 whose reform or baseline schedule reaches 2027 rest on projected days.
    ext = calendars.get("CN").extended(until=date(2027, 12, 31))
    result = policy.check_all(
        reform.with_calendar(ext), year=2026, baseline=baseline.with_calendar(ext)
    )
    c = result.counts()
    assert (c["passed"], c["failed"], c["not checked"], c["projected"]) == (164, 0, 84, 84)
    projected = result.not_checked
    assert {o.reason for o in projected} == {"projected"}
    assert all(o.certainty == "projected" and o.rules == () for o in projected)
    assert result.certainty == "projected"  # they have a result, though no verdict
    assert "on the projection, 84 of the 84 projected starts would pass and 0 would fail" in (
        result.explain()
    )
    # A projected start that would fail keeps the rules it would break.
    strict = Policy("strict", baseline_limit=85, target_limit=44)
    late = strict.check_all(reform.with_calendar(ext), [date(2026, 12, 1)])
    assert late.outcomes[0].rules == ("target_limit",)
    assert late.failures == ()


def test_start_outcomes_as_records() -> None:
    from approval_clock import StartOutcome

    o = StartOutcome(date(2026, 11, 2), "not checked", reason="reform not covered", detail="why")
    assert o.to_record() == {
        "start": date(2026, 11, 2),
        "verdict": "not checked",
        "rules": [],
        "reason": "reform not covered",
        "detail": "why",
        "certainty": None,
    }


# -- a target in calendar days ----------------------------------------------------------


def test_a_policy_target_in_calendar_days(baseline: Plan, reform: Plan) -> None:
    # From 1 June 2021 the baseline spans 120 calendar days (to 28 Sep), the reform 64
    # (to 3 Aug): 56 saved, 46.7%.
    world_bank = Policy(
        "calendar days", metric="calendar_days", baseline_limit=120, target_limit=64
    )
    report = world_bank.check(reform, baseline=baseline, start=START)
    assert (report.baseline_days, report.actual_days, report.saved) == (120, 64, 56)
    assert report.passed
    assert report.explain().splitlines()[0] == (
        "calendar days: 120 -> 64 calendar days (duration in calendar days), 56 days saved, 46.7%: passed"
    )
    assert [r.description for r in report.rules] == [
        "baseline process takes the stated calendar days",
        "reform takes at most the target calendar days",
    ]
    # Over every start of 2021 the reform takes 61 to 70 calendar days: a 64-day
    # target fails from the starts whose 45 working days cross a long holiday.
    year = Policy("cd", metric="calendar_days", baseline_limit=200, target_limit=64).check_all(
        reform, year=2021
    )
    assert year.counts()["failed"] == int((year.sweep.calendar_days > 64).sum()) > 0
    assert Policy.loads(world_bank.to_toml()) == world_bank


# -- numbers at the edges ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"target_limit": 10**30},
            "target_limit: expected a whole number of days from 0 to 1000000",
        ),
        ({"baseline_limit": 10**5000}, "got an int of about 5001 digits"),
        ({"notice_days": 2**63}, "notice_days: expected a whole number of days from 0 to"),
        ({"min_ratio": 10**400}, "min_ratio: expected a fraction between 0 and 1"),
        ({"min_ratio": "1e999999999%"}, "min_ratio: expected a fraction"),
        ({"min_ratio": "1e-999999999%"}, "min_ratio: expected a fraction"),
        ({"min_ratio": "9" * 5000 + "%"}, "min_ratio: expected a fraction"),
        ({"min_ratio": float("inf")}, "min_ratio: expected a fraction"),
    ],
)
def test_huge_numbers_are_our_error_not_an_overflow(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(PolicyError, match=message):
        Policy("p", **kwargs)  # type: ignore[arg-type]


def test_huge_numbers_in_a_policy_file_name_the_file() -> None:
    with pytest.raises(
        PolicyFileError, match=r"policy\.toml: .*target_limit: expected a whole number"
    ):
        Policy.loads(BASE + f"target_limit = {10**30}", source="policy.toml")
    with pytest.raises(PolicyFileError, match=r"policy\.toml: min_ratio: expected a fraction"):
        Policy.loads(BASE + "min_ratio = '1e-999999999%'", source="policy.toml")
