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

from approval_clock import calendars
from approval_clock.calendar import WorkCalendar
from approval_clock.comparison import Comparison, StageChange, compare
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
    CalendarCoverageError,
    CalendarError,
    CalendarFileError,
    CycleError,
    DateOrderError,
    DateTypeError,
    DurationError,
    MissingDateError,
    PlanError,
    PlanFileError,
    PolicyError,
    PolicyFileError,
    UnknownCalendarError,
    UnknownStageError,
)
from approval_clock.notice import HolidayPeriod, MakeupDay, Notice
from approval_clock.plan import Link, Plan, Stage
from approval_clock.policy import (
    Condition,
    ConditionResult,
    Eligibility,
    Policy,
    PolicyReport,
    PolicySweepReport,
    RuleResult,
)
from approval_clock.schedule import Schedule, ScheduledStage
from approval_clock.sweep import Sweep, sweep

__version__ = "0.1.0.dev0"

__all__ = [
    "ApprovalClockError",
    "ArgumentTypeError",
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
    "Duration",
    "DurationError",
    "Eligibility",
    "HolidayPeriod",
    "Link",
    "MakeupDay",
    "MissingDateError",
    "Notice",
    "Plan",
    "PlanError",
    "PlanFileError",
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
    "Sweep",
    "UnknownCalendarError",
    "UnknownStageError",
    "WorkCalendar",
    "WorkingDays",
    "__version__",
    "calendars",
    "compare",
    "parse_duration",
    "sweep",
]
