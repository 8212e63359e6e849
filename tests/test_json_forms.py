"""JSON forms: to_dict / from_dict round trips, and every form valid against its schema.

The TOML files and the JSON forms are one model read by one reader, so every
example file, parsed and given JSON types, must validate against the schema
too, and be readable by ``from_dict``.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import approval_clock
from approval_clock import ApprovalClockError, Notice, Policy, strategies
from approval_clock._toml import json_types

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _validator(name: str) -> Any:
    schema = approval_clock.schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _official_notices() -> list[dict[str, Any]]:
    text = (
        resources.files("approval_clock.calendars").joinpath("data", "cn.toml").read_text("utf-8")
    )
    notices: list[dict[str, Any]] = json_types(tomllib.loads(text)["notices"])
    return notices


@pytest.mark.parametrize("name", approval_clock._schema.SCHEMAS)
def test_each_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    _validator(name)


def test_schema_returns_a_fresh_copy() -> None:
    approval_clock.schema("plan")["title"] = "changed"
    assert approval_clock.schema("plan")["title"] != "changed"


@pytest.mark.parametrize(
    "path",
    sorted(EXAMPLES.glob("**/*.toml")),
    ids=lambda p: str(p.relative_to(EXAMPLES)),
)
def test_every_example_file_is_valid_against_its_schema(path: Path) -> None:
    data = json_types(tomllib.loads(path.read_text("utf-8")))
    kind = "policy" if "conditions" in data or "min_ratio" in data else None
    kind = kind or ("plan" if "stages" in data else "notice")
    errors = [e.message for e in _validator(kind).iter_errors(data)]
    assert not errors, f"{path.name} ({kind}): {errors}"
    if kind == "policy":
        assert Policy.from_dict(data) == Policy.from_toml(path)
    elif kind == "notice":
        assert Notice.from_dict(data) == approval_clock.calendars.load_notice(path)


def test_every_official_notice_round_trips_and_validates() -> None:
    validator = _validator("notice")
    tables = _official_notices()
    assert len(tables) >= 26
    for table in tables:
        notice = Notice.from_dict(table)
        form = notice.to_dict()
        assert not list(validator.iter_errors(form)), table["title"]
        assert json.loads(json.dumps(form)) == form  # JSON types only
        assert Notice.from_dict(form) == notice


@given(strategies.policies())
def test_policies_round_trip_through_their_json_form(policy: Policy) -> None:
    form = policy.to_dict()
    assert not list(_validator("policy").iter_errors(form))
    assert json.loads(json.dumps(form)) == form
    assert Policy.from_dict(form) == policy


def test_the_json_form_is_read_by_the_file_reader_with_places_in_errors() -> None:
    good = Policy("p", target_limit=45, min_ratio=0.45).to_dict()
    with pytest.raises(ApprovalClockError, match=r"conditions\[0\]\.key: missing required key"):
        Policy.from_dict({**good, "conditions": [{"description": "x"}]})
    with pytest.raises(ApprovalClockError, match=r"holidays\[0\]\.first: expected a date"):
        Notice.from_dict(
            {
                "year": 2027,
                "title": "x",
                "holidays": [{"name": "a", "first": "2027-13-01", "last": "2027-01-02"}],
            }
        )


def test_iso_dates_are_read_from_the_json_form_only() -> None:
    """A TOML file must use TOML dates; its JSON form uses ISO strings."""
    table = {"year": 2027, "title": "x", "workdays": [{"name": "a", "date": "2027-02-20"}]}
    assert Notice.from_dict(table).workdays[0].date == date(2027, 2, 20)
    toml = 'year = 2027\ntitle = "x"\nworkdays = [{ name = "a", date = "2027-02-20" }]\n'
    with pytest.raises(ApprovalClockError, match="expected a date"):
        approval_clock.calendars._files.notice_text(toml, "n.toml")


# -- plans and results -----------------------------------------------------------


def _registry() -> Any:
    from referencing import Registry, Resource

    resources = [
        (
            f"https://approval-clock.example/schemas/{n}.json",
            Resource.from_contents(approval_clock.schema(n)),
        )
        for n in approval_clock._schema.SCHEMAS
    ]
    return Registry().with_resources(resources)


def _valid(name: str, form: dict[str, Any]) -> None:
    schema = approval_clock.schema(name)
    validator = jsonschema.Draft202012Validator(
        schema,
        registry=_registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(form)]
    assert not errors, errors[:5]
    assert json.loads(json.dumps(form)) == form  # JSON types only


@given(strategies.plans(calendar=approval_clock.calendars.get("CN")))
def test_plans_round_trip_through_their_json_form(plan: approval_clock.Plan) -> None:
    form = plan.to_dict()
    _valid("plan", form)
    assert approval_clock.Plan.from_dict(form) == plan


def _results() -> dict[str, Any]:
    from approval_clock import Plan, compare, sweep

    plan = Plan.from_toml(EXAMPLES / "huludao" / "reform.toml")
    base = Plan.from_toml(EXAMPLES / "huludao" / "baseline.toml")
    policy = Policy.from_toml(EXAMPLES / "huludao" / "policy.toml")
    start = date(2021, 6, 1)
    live = plan.schedule(
        start, actuals={"generation": (start, date(2021, 6, 4))}, as_of=date(2021, 6, 8)
    )
    return {
        "schedule": plan.schedule(start),
        "live schedule": live,
        "comparison": compare(base, plan, start=start),
        "policy_report": policy.check(plan, baseline=base, start=start),
        "policy_sweep_report": policy.check_all(plan, [start, date(2026, 12, 30)], baseline=base),
        "year policy_sweep_report": policy.check_all(
            plan, year=2021, baseline=base.schedule(start)
        ),
        "sweep": sweep(plan, [start, date(2021, 9, 28), date(2026, 12, 30)]),
    }


@pytest.mark.parametrize(
    "which", ["schedule", "live schedule", "comparison", "policy_report", "sweep"]
)
def test_results_round_trip_and_validate(which: str) -> None:
    result = _results()[which]
    form = result.to_dict()
    _valid(which.split()[-1], form)
    again = type(result).from_dict(form)
    assert type(again) is type(result)
    assert again.to_dict() == form


def test_a_recorded_result_that_no_longer_holds_is_refused() -> None:
    form = _results()["schedule"].to_dict()
    form["figures"]["finish"] = "2099-01-01"
    with pytest.raises(
        ApprovalClockError, match=r"figures: .*\(finish: .*recorded.*has a calendar changed"
    ):
        approval_clock.Schedule.from_dict(form)
    sweep_form = _results()["sweep"].to_dict()
    sweep_form["records"][0]["duration"] += 1
    with pytest.raises(ApprovalClockError, match=r"records: .*\(\[0\]\.duration: int \d+ recorded"):
        approval_clock.Sweep.from_dict(sweep_form)
