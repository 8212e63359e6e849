"""Results of the checks are frozen, pickle, and come back from worker processes."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from approval_clock import Plan, Policy, compare, sweep

HULUDAO = Path(__file__).resolve().parents[1] / "examples" / "huludao"
START = date(2021, 6, 1)


def _check(start: date) -> dict[str, Any]:
    """Every kind of check result for one start (run in the parent and in workers)."""
    reform = Plan.from_toml(HULUDAO / "reform.toml")
    base = Plan.from_toml(HULUDAO / "baseline.toml")
    policy = Policy.from_toml(HULUDAO / "policy.toml")
    return {
        "comparison": compare(base, reform, start=start),
        "report": policy.check(reform, baseline=base, start=start),
        "sweep report": policy.check_all(reform, [start, date(2021, 9, 28)], baseline=base),
        "sweep": sweep(reform, [start, date(2021, 9, 28)]),
    }


def _summary(results: dict[str, Any]) -> dict[str, Any]:
    return {k: v.to_dict() if hasattr(v, "to_dict") else v.explain() for k, v in results.items()}


@pytest.mark.parametrize(
    ("which", "attribute"),
    [
        ("comparison", "metric"),
        ("report", "actual_days"),
        ("sweep report", "failures"),
        ("sweep", "plan"),
    ],
)
def test_check_results_refuse_assignment(which: str, attribute: str) -> None:
    result = _check(START)[which]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(result, attribute, 999)


def test_check_results_pickle() -> None:
    results = _check(START)
    again = pickle.loads(pickle.dumps(results))
    assert _summary(again) == _summary(results)
    assert again["report"].passed is results["report"].passed
    assert again["sweep report"].counts() == results["sweep report"].counts()


def test_check_results_come_back_from_worker_processes() -> None:
    starts = [START, date(2021, 10, 8)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        remote = list(pool.map(_check, starts))
    for start, results in zip(starts, remote, strict=True):
        assert _summary(results) == _summary(_check(start))
