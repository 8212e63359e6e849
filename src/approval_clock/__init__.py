"""approval_clock: government approval timelines on working-day calendars.

Working-day calendars that are right (mainland China's official arrangements,
makeup working days included; any other jurisdiction through workalendar), the
counting rules of Chinese law, and what is built on them.

>>> from datetime import date
>>> from approval_clock import calendars, WorkingDays
>>> cn = calendars.get("CN")
>>> cn.count(date(2021, 8, 18), date(2021, 9, 10))   # "18 working days", as the press counts
18
>>> cn.deadline(date(2021, 9, 28), WorkingDays(20))   # over National Day and a makeup Saturday
datetime.date(2021, 11, 1)
"""

from typing import TYPE_CHECKING, Any

from approval_clock import calendars
from approval_clock._schema import schema
from approval_clock.calendars.notice import HolidayPeriod, MakeupDay, Notice
from approval_clock.calendars.workcalendar import DayChange, DayStatus, WorkCalendar
from approval_clock.durations import (
    CalendarDays,
    CalendarMonths,
    Duration,
    WorkingDays,
    parse_duration,
)
from approval_clock.errors import (
    ApprovalClockError,
    ArgumentTypeError,
    ArgumentValueError,
    CalendarCoverageError,
    CalendarError,
    CalendarFileError,
    CycleError,
    DateOrderError,
    DateTypeError,
    DurationError,
    DurationTypeError,
    MissingDateError,
    MissingExtraError,
    PlanError,
    PlanFileError,
    PlanTypeError,
    PolicyError,
    PolicyFileError,
    UnknownCalendarError,
    UnknownStageError,
)
from approval_clock.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
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
    from approval_clock.plans.model import Link, Plan, PlanGraph, Stage
    from approval_clock.plans.schedule import Schedule, ScheduledStage

# Plans, schedules, comparisons, policies and sweeps are imported on first use
# (PEP 562), so that `import approval_clock` for calendar queries stays cheap.
_LAZY = {
    "Comparison": "checks.comparison",
    "StageChange": "checks.comparison",
    "compare": "checks.comparison",
    "Link": "plans.model",
    "Plan": "plans.model",
    "PlanGraph": "plans.model",
    "Stage": "plans.model",
    "Condition": "checks.policy",
    "ConditionResult": "checks.policy",
    "Eligibility": "checks.policy",
    "Policy": "checks.policy",
    "PolicyReport": "checks.policy",
    "PolicySweepReport": "checks.policy",
    "RuleResult": "checks.policy",
    "StartOutcome": "checks.policy",
    "Schedule": "plans.schedule",
    "ScheduledStage": "plans.schedule",
    "Sweep": "checks.sweeps",
    "sweep": "checks.sweeps",
}


def clear_caches() -> None:
    """Drop what the library keeps between calls, to give the memory back.

    Compiled calendars (``calendars.get`` compiles each code once) and the
    integer axes schedules use for each calendar. Nothing else is kept: the axes
    are held weakly and bounded in size anyway (256 MB), so a long-running service
    needs this only to release memory at once.

    >>> import approval_clock
    >>> approval_clock.clear_caches()
    """
    from approval_clock.plans import _cpm

    _cpm.AXES.clear()
    calendars.clear_cache()


# Public modules that live in a subpackage, reachable as `approval_clock.ala`.
_MODULES = {"ala": "plans.ala", "live": "checks.live"}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _MODULES:
        value = importlib.import_module(f"approval_clock.{_MODULES[name]}")
    else:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'approval_clock' has no attribute {name!r}")
        value = getattr(importlib.import_module(f"approval_clock.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_MODULES))


__version__ = "0.1.0.dev0"

__all__ = [
    "DEFAULT_LIMITS",
    "ApprovalClockError",
    "ArgumentTypeError",
    "ArgumentValueError",
    "CalendarCoverageError",
    "CalendarDays",
    "CalendarError",
    "CalendarFileError",
    "CalendarMonths",
    "Comparison",
    "Condition",
    "ConditionResult",
    "CycleError",
    "DateOrderError",
    "DateTypeError",
    "DayChange",
    "DayStatus",
    "Duration",
    "DurationError",
    "DurationTypeError",
    "Eligibility",
    "HolidayPeriod",
    "Limits",
    "Link",
    "MakeupDay",
    "MissingDateError",
    "MissingExtraError",
    "Notice",
    "Plan",
    "PlanError",
    "PlanFileError",
    "PlanGraph",
    "PlanTypeError",
    "Policy",
    "PolicyError",
    "PolicyFileError",
    "PolicyReport",
    "PolicySweepReport",
    "RuleResult",
    "Schedule",
    "ScheduledStage",
    "Stage",
    "StageChange",
    "StartOutcome",
    "Sweep",
    "UnknownCalendarError",
    "UnknownStageError",
    "WorkCalendar",
    "WorkingDays",
    "__version__",
    "calendars",
    "clear_caches",
    "compare",
    "parse_duration",
    "schema",
    "sweep",
]
