"""Compression checks: baseline against reform, policies as data, sweeps over start dates.

Built on :mod:`approval_clock.plans` (a check schedules plans and compares the
schedules); nothing here is imported by the calendars or the plans. The modules:

- ``comparison``: :func:`compare` and :class:`Comparison` (85 -> 45, saved days, ratio);
- ``policy``: :class:`Policy` (its file form too), rules, eligibility and reports;
- ``sweeps``: :func:`sweep` over every start date of a year;
- ``live``: cases in progress, scheduled from what really happened.

Everything public here is also importable from ``approval_clock``.

>>> from approval_clock.checks import compare
>>> from approval_clock import Plan, Stage, calendars
>>> from datetime import date
>>> cn = calendars.get("CN")
>>> old, new = Plan([Stage("a", 85)], calendar=cn), Plan([Stage("a", 45)], calendar=cn)
>>> compare(old.schedule(date(2021, 6, 1)), new.schedule(date(2021, 6, 1))).meets(0.45)
True
"""

from approval_clock.checks.comparison import Comparison, StageChange, compare
from approval_clock.checks.policy import (
    Condition,
    ConditionResult,
    Eligibility,
    Policy,
    PolicyReport,
    PolicySweepReport,
    RuleResult,
    StartOutcome,
)
from approval_clock.checks.sweeps import Sweep, sweep

__all__ = [
    "Comparison",
    "Condition",
    "ConditionResult",
    "Eligibility",
    "Policy",
    "PolicyReport",
    "PolicySweepReport",
    "RuleResult",
    "StageChange",
    "StartOutcome",
    "Sweep",
    "compare",
    "sweep",
]
