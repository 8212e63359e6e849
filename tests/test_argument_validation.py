"""Wrong arguments to every public callable raise our errors, never a bare builtin.

One table, ``CALLS``, holds a valid call of every public function, method and
constructor. For each, the test first makes the valid call (so the table is
right), then replaces each argument in turn (positional ones, the keywords given,
and every optional keyword of the signature) by each of ``BAD``, and requires
that the call either succeeds or raises an :class:`ApprovalClockError` (whose
wrong-type errors are :class:`ArgumentTypeError`). ``test_the_table_covers_the_public_api``
fails when a public callable is missing from the table, so a new function cannot
forget its checks.
"""

from __future__ import annotations

import inspect
import math
import pickle
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import approval_clock as ac
from approval_clock import (
    ApprovalClockError,
    ArgumentTypeError,
    CalendarDays,
    Link,
    Plan,
    Policy,
    Stage,
    WorkingDays,
    calendars,
    compare,
    records,
    strategies,
    sweep,
)
from approval_clock.checks import live
from approval_clock.plans import ala

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


class _Odd:
    """An object of no type the library knows."""

    def __repr__(self) -> str:
        return "<odd>"


BAD: tuple[object, ...] = (
    None,
    _Odd(),
    1.5,
    math.nan,
    "nonsense",
    -1,
    10**30,
    (),
    [_Odd()],
    {"x": _Odd()},
    b"bytes",
    True,
    datetime(2021, 6, 1, 12, tzinfo=UTC),
)
"""Values of the wrong type or out of range for almost every parameter."""


@cache
def cn() -> ac.WorkCalendar:
    return calendars.get("CN")


@cache
def plan() -> Plan:
    return Plan(
        [Stage("a", 5), Stage("n", 10, kind="notice"), Stage("b", 3)],
        [Link("a", "n"), Link("n", "b", "SS", 2)],
        calendar=cn(),
        name="small",
    )


@cache
def baseline_plan() -> Plan:
    return Plan([Stage("a", 10), Stage("n", 10, kind="notice")], [Link("a", "n")], calendar=cn())


@cache
def schedule() -> ac.Schedule:
    return plan().schedule(date(2021, 6, 1))


@cache
def comparison() -> ac.Comparison:
    return compare(baseline_plan(), plan(), start=date(2021, 6, 1))


@cache
def policy() -> Policy:
    return Policy.from_toml(EXAMPLES / "huludao" / "policy.toml")


@cache
def reform() -> Plan:
    return Plan.from_toml(EXAMPLES / "huludao" / "reform.toml")


@cache
def base() -> Plan:
    return Plan.from_toml(EXAMPLES / "huludao" / "baseline.toml")


@cache
def report() -> ac.PolicyReport:
    return policy().check(reform(), baseline=base(), start=date(2021, 6, 1))


@cache
def sweep_report() -> ac.PolicySweepReport:
    starts = [date(2021, 6, 1), date(2021, 6, 2)]
    return policy().check_all(reform(), starts, baseline=base())


@cache
def a_sweep() -> ac.Sweep:
    return sweep(plan(), [date(2021, 6, 1), date(2021, 9, 28)])


@cache
def stage_frame() -> Any:
    pd = pytest.importorskip("pandas")
    return pd.read_csv(EXAMPLES / "records.csv")


@cache
def analysis() -> records.Analysis:
    return records.analyze(stage_frame(), calendar=cn(), as_of=date(2021, 12, 31))


@cache
def notice() -> ac.Notice:
    return calendars.load_notice(EXAMPLES / "notices" / "2027-illustrative.toml")


@dataclass
class Call:
    """A valid call: ``target()`` gives the callable, then ``(*args, **kwargs)``."""

    name: str
    target: Callable[[], Callable[..., Any]]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    bad: tuple[object, ...] = BAD
    then: Callable[[Any], Any] | None = None
    """What to do with the result (a strategy is validated: that is where its
    arguments are checked)."""


def _strategy(s: Any) -> Any:
    s.validate()
    return s


D = date(2021, 6, 1)
D2 = date(2021, 9, 30)
FEW = (None, _Odd(), 1.5, "nonsense", -1, True)
"""A shorter list for slow calls (plots, reports, sweeps)."""

CALLS: list[Call] = [
    # -- top level ---------------------------------------------------------------
    Call("approval_clock.clear_caches", lambda: ac.clear_caches),
    Call("approval_clock.compare", lambda: compare, (baseline_plan(), plan()), {"start": D}),
    Call("approval_clock.parse_duration", lambda: ac.parse_duration, ("20wd",)),
    Call("approval_clock.sweep", lambda: sweep, (plan(), [D, D2]), bad=FEW),
    Call("approval_clock.sweep", lambda: sweep, (plan(),), {"year": 2021}, bad=FEW),
    Call("approval_clock.WorkingDays", lambda: WorkingDays, (20,)),
    Call("approval_clock.CalendarDays", lambda: CalendarDays, (20,)),
    Call("approval_clock.CalendarMonths", lambda: ac.CalendarMonths, (2,)),
    Call("approval_clock.Limits", lambda: ac.Limits, (), {"stages": 10}),
    Call("approval_clock.Stage", lambda: Stage, ("a", 5), {"name": "A", "kind": "work"}),
    Call("approval_clock.Link", lambda: Link, ("a", "b", "SS", 2)),
    Call("approval_clock.Plan", lambda: Plan, ([Stage("a", 5)],), {"calendar": cn(), "name": "p"}),
    Call(
        "approval_clock.HolidayPeriod",
        lambda: ac.HolidayPeriod,
        ("New Year", date(2027, 1, 1), date(2027, 1, 3)),
    ),
    Call("approval_clock.MakeupDay", lambda: ac.MakeupDay, ("Spring Festival", date(2027, 2, 20))),
    Call(
        "approval_clock.Notice",
        lambda: ac.Notice,
        (2027, "t"),
        {"holidays": [("New Year", date(2027, 1, 1), date(2027, 1, 3))]},
    ),
    Call(
        "approval_clock.WorkCalendar",
        lambda: ac.WorkCalendar,
        ("X",),
        {"first": date(2021, 1, 1), "last": date(2021, 12, 31), "holidays": [date(2021, 5, 3)]},
    ),
    Call("approval_clock.Policy", lambda: Policy, ("p",), {"target_limit": 45, "min_ratio": 0.45}),
    Call("approval_clock.Condition", lambda: ac.Condition, ("pilot", "a pilot project")),
    # -- WorkCalendar -------------------------------------------------------------
    Call("WorkCalendar.is_provisional", lambda: cn().is_provisional, (D,)),
    Call("WorkCalendar.certainty", lambda: cn().certainty, (D,)),
    Call("WorkCalendar.certainty", lambda: cn().certainty, (D, D2)),
    Call("WorkCalendar.day_kind", lambda: cn().day_kind, (D,)),
    Call("WorkCalendar.status", lambda: cn().status, (D,)),
    Call("WorkCalendar.is_working_day", lambda: cn().is_working_day, (D,)),
    Call("WorkCalendar.count", lambda: cn().count, (D, D2)),
    Call("WorkCalendar.elapsed", lambda: cn().elapsed, (D, D2)),
    Call("WorkCalendar.deadline", lambda: cn().deadline, (D, WorkingDays(20))),
    Call("WorkCalendar.next_working_day", lambda: cn().next_working_day, (D,)),
    Call("WorkCalendar.previous_working_day", lambda: cn().previous_working_day, (D,)),
    Call("WorkCalendar.roll_forward", lambda: cn().roll_forward, (D,)),
    Call("WorkCalendar.working_day_number", lambda: cn().working_day_number, (D,)),
    Call("WorkCalendar.date_of_working_day", lambda: cn().date_of_working_day, (100,)),
    Call("WorkCalendar.describe", lambda: cn().describe, (D,), {"lang": "zh"}),
    Call("WorkCalendar.working_days", lambda: cn().working_days, (D, D2)),
    Call("WorkCalendar.rest_days", lambda: cn().rest_days, (D, D2)),
    Call("WorkCalendar.with_holidays", lambda: cn().with_holidays, ([D],), {"name": "x"}),
    Call("WorkCalendar.with_workdays", lambda: cn().with_workdays, ([date(2021, 6, 5)],)),
    Call("WorkCalendar.with_weekmask", lambda: cn().with_weekmask, ("1111110",)),
    Call("WorkCalendar.renamed", lambda: cn().renamed, ("CN2",), {"code": "CN2"}),
    Call(
        "WorkCalendar.extended",
        lambda: cn().extended,
        (),
        {"until": date(2027, 12, 31), "rule": "forecast"},
        bad=FEW,
    ),
    Call("WorkCalendar.diff", lambda: cn().diff, (cn(),)),
    Call("WorkCalendar.to_holiday_cn", lambda: cn().to_holiday_cn, (2021,)),
    Call("WorkCalendar.to_ical", lambda: cn().to_ical, (D, D2), bad=FEW),
    Call("WorkCalendar.with_notice", lambda: cn().with_notice, (notice(),), bad=FEW),
    Call("WorkCalendar.with_notices", lambda: cn().with_notices, ([notice()],), bad=FEW),
    Call("WorkCalendar.plot", lambda: cn().plot, (2021,), bad=FEW),
    # -- notices ------------------------------------------------------------------
    Call("Notice.covered", lambda: notice().covered),
    Call("Notice.named_days", lambda: notice().named_days),
    Call("Notice.check_workdays", lambda: notice().check_workdays, ("1111100",)),
    Call("Notice.apply", lambda: notice().apply, (cn(),), bad=FEW),
    Call(
        "HolidayPeriod.days",
        lambda: ac.HolidayPeriod("New Year", date(2027, 1, 1), date(2027, 1, 3)).days,
    ),
    # -- calendars ----------------------------------------------------------------
    Call("calendars.available", lambda: calendars.available),
    Call("calendars.clear_cache", lambda: calendars.clear_cache),
    Call("approval_clock.schema", lambda: ac.schema, ("plan",)),
    Call("Notice.to_dict", lambda: notice().to_dict),
    Call("Notice.from_dict", lambda: ac.Notice.from_dict, (notice().to_dict(),)),
    Call("Policy.to_dict", lambda: policy().to_dict),
    Call("Plan.to_dict", lambda: plan().to_dict),
    Call("Plan.with_calendar_refs", lambda: plan().with_calendar_refs, ({cn(): "CN"},)),
    Call("Plan.from_dict", lambda: Plan.from_dict, (plan().to_dict(),)),
    Call("Schedule.to_dict", lambda: schedule().to_dict),
    Call("Schedule.from_dict", lambda: ac.Schedule.from_dict, (schedule().to_dict(),), bad=FEW),
    Call("Comparison.to_dict", lambda: comparison().to_dict),
    Call(
        "Comparison.from_dict", lambda: ac.Comparison.from_dict, (comparison().to_dict(),), bad=FEW
    ),
    Call("PolicyReport.to_dict", lambda: report().to_dict),
    Call(
        "PolicyReport.from_dict", lambda: ac.PolicyReport.from_dict, (report().to_dict(),), bad=FEW
    ),
    Call("Sweep.to_dict", lambda: a_sweep().to_dict),
    Call("PolicySweepReport.to_dict", lambda: sweep_report().to_dict),
    Call(
        "PolicySweepReport.from_dict",
        lambda: ac.PolicySweepReport.from_dict,
        (sweep_report().to_dict(),),
        bad=FEW,
    ),
    Call("Sweep.from_dict", lambda: ac.Sweep.from_dict, (a_sweep().to_dict(),), bad=FEW),
    Call("Policy.from_dict", lambda: Policy.from_dict, (policy().to_dict(),)),
    Call("calendars.festivals", lambda: calendars.festivals, (2027,)),
    Call("calendars.get", lambda: calendars.get, ("CN",), {"notices_through": 2024}),
    Call("calendars.get", lambda: calendars.get, ("FR",), {"years": (2021, 2022)}, bad=FEW),
    Call(
        "calendars.load", lambda: calendars.load, (EXAMPLES / "notices" / "2027-illustrative.toml",)
    ),
    Call(
        "calendars.load_notice",
        lambda: calendars.load_notice,
        (EXAMPLES / "notices" / "2027-illustrative.json",),
    ),
    Call(
        "calendars.loads",
        lambda: calendars.loads,
        ('format = 1\nname = "X"\nfirst = 2021-01-01\nlast = 2021-12-31\n',),
        {"source": "x.toml"},
    ),
    Call("calendars.measures_in_force", lambda: calendars.measures_in_force, (2027,)),
    Call("calendars.statutory_holidays", lambda: calendars.statutory_holidays, (2027,)),
    # -- plans --------------------------------------------------------------------
    Call("Plan.stage", lambda: plan().stage, ("a",)),
    Call("PlanGraph.link", lambda: plan().graph.link, (0,)),
    Call("PlanGraph.position", lambda: plan().graph.position, ("a",)),
    Call("PlanGraph.stage", lambda: plan().graph.stage, (0,)),
    Call("Plan.index", lambda: plan().index, ("a",)),
    Call("Plan.calendar_of", lambda: plan().calendar_of, ("a",)),
    Call("Plan.with_calendar", lambda: plan().with_calendar, (cn(),)),
    Call("Plan.replace_stage", lambda: plan().replace_stage, (Stage("a", 6),)),
    Call("Plan.with_stage_changes", lambda: plan().with_stage_changes, ("a",), {"duration": 7}),
    Call("Plan.with_stage", lambda: plan().with_stage, (Stage("c", 2), [Link("b", "c")])),
    Call("Plan.without_stage", lambda: plan().without_stage, ("b",)),
    Call("Plan.with_link", lambda: plan().with_link, (Link("a", "b"),)),
    Call("Plan.without_link", lambda: plan().without_link, (Link("a", "n"),)),
    Call(
        "Plan.schedule",
        lambda: plan().schedule,
        (D,),
        {"actuals": {"a": (D, date(2021, 6, 4))}, "as_of": date(2021, 6, 7)},
    ),
    Call("Plan.from_toml", lambda: Plan.from_toml, (EXAMPLES / "huludao" / "reform.toml",)),
    Call(
        "Plan.loads",
        lambda: Plan.loads,
        ('format = 1\ncalendar = "CN"\n[[stages]]\nid = "a"\nduration = 5\n',),
        {"source": "p.toml"},
    ),
    Call("Plan.to_toml", lambda: plan().to_toml),
    Call(
        "Plan.from_frame",
        lambda: Plan.from_frame,
        ({"id": ["a", "b"], "duration": [5, 3]}, {"predecessor": ["a"], "successor": ["b"]}),
        {"calendar": cn(), "name": "x"},
    ),
    # -- schedules ----------------------------------------------------------------
    Call("Schedule.days_in_progress", lambda: schedule().days_in_progress, (["work"],)),
    Call(
        "Schedule.calendar_days_in_progress",
        lambda: schedule().calendar_days_in_progress,
        (["work"],),
    ),
    Call("Schedule.longest_stage", lambda: schedule().longest_stage, (["notice"],)),
    Call("Schedule.to_records", lambda: schedule().to_records),
    Call("Schedule.to_arrays", lambda: schedule().to_arrays),
    Call("Schedule.explain", lambda: schedule().explain, ("a",)),
    Call("Schedule.plot", lambda: schedule().plot, bad=FEW),
    Call("ScheduledStage.to_record", lambda: schedule()["a"].to_record),
    # -- checks -------------------------------------------------------------------
    Call("Comparison.meets", lambda: comparison().meets, (0.45,)),
    Call("Comparison.meets", lambda: comparison().meets, (), {"limit": 45}),
    Call("Comparison.explain", lambda: comparison().explain),
    Call("Comparison.plot", lambda: comparison().plot, bad=FEW),
    Call("StageChange.describe", lambda: comparison().changes[0].describe),
    Call("Condition.accepts", lambda: ac.Condition("pilot", "a pilot").accepts, (True,)),
    Call(
        "Condition.evaluate", lambda: ac.Condition("pilot", "a pilot").evaluate, ({"pilot": True},)
    ),
    Call("Eligibility.explain", lambda: policy().eligibility({}).explain),
    Call(
        "Policy.check",
        lambda: policy().check,
        (reform(),),
        {"baseline": base(), "start": D},
        bad=FEW,
    ),
    Call(
        "Policy.check_all",
        lambda: policy().check_all,
        (reform(), [D]),
        {"baseline": base()},
        bad=FEW,
    ),
    Call("Policy.eligibility", lambda: policy().eligibility, ({"pilot": True},)),
    Call("Policy.from_toml", lambda: Policy.from_toml, (EXAMPLES / "huludao" / "policy.toml",)),
    Call(
        "Policy.loads",
        lambda: Policy.loads,
        ('format = 1\nname = "p"\ntarget_limit = 45\n',),
        {"source": "x"},
    ),
    Call("Policy.to_toml", lambda: policy().to_toml),
    Call("PolicyReport.explain", lambda: report().explain),
    Call("PolicySweepReport.counts", lambda: sweep_report().counts),
    Call("PolicySweepReport.summary_line", lambda: sweep_report().summary_line),
    Call("PolicySweepReport.explain", lambda: sweep_report().explain),
    Call("StartOutcome.to_record", lambda: sweep_report().outcomes[0].to_record),
    Call("Sweep.summary", lambda: a_sweep().summary, ("duration",)),
    Call("Sweep.column", lambda: a_sweep().column, ("duration",)),
    Call("Sweep.worst", lambda: a_sweep().worst, (2,), {"column": "duration"}),
    Call("Sweep.crossing", lambda: a_sweep().crossing, ("National Day",)),
    Call("Sweep.to_records", lambda: a_sweep().to_records),
    Call("Sweep.plot", lambda: a_sweep().plot, bad=FEW),
    # -- ALA periods and live cases -----------------------------------------------
    Call("ala.special_procedure", lambda: ala.special_procedure, ("hearing", 10), {"name": "h"}),
    Call(
        "StatutoryPeriod.stage", lambda: ala.ART_42_DECISION.stage, ("review",), {"extended": True}
    ),
    Call("StatutoryPeriod.check", lambda: ala.ART_42_DECISION.check, (WorkingDays(20),)),
    Call("live.actuals", lambda: live.actuals, (analysis(), "press"), bad=FEW),
    Call(
        "live.forecast",
        lambda: live.forecast,
        (Plan([Stage("planning permit", 7)], calendar=cn()), analysis()),
        {"cases": ["press"], "as_of": date(2021, 8, 20)},
        bad=FEW,
    ),
    # -- records ------------------------------------------------------------------
    Call(
        "records.analyze",
        lambda: records.analyze,
        (stage_frame(),),
        {"calendar": cn(), "as_of": date(2021, 12, 31)},
        bad=FEW,
    ),
    Call(
        "records.limit_compression",
        lambda: records.limit_compression,
        ({"statutory": 20, "committed": 10},),
        bad=FEW,
    ),
    Call("records.combine_kpi_parts", lambda: records.combine_kpi_parts, (analysis().kpi_parts(),)),
    Call("records.kpis_from_parts", lambda: records.kpis_from_parts, (analysis().kpi_parts(),)),
    Call("Analysis.overdue", lambda: analysis().overdue),
    Call("Analysis.kpi_parts", lambda: analysis().kpi_parts, ("stage",), bad=FEW),
    Call("Analysis.kpis", lambda: analysis().kpis, ("stage",), {"month": "accepted"}, bad=FEW),
    Call("Analysis.view", lambda: analysis().view, (), {"lang": "zh", "top": 3}, bad=FEW),
    Call("Analysis.plot", lambda: analysis().plot, ("overdue",), bad=FEW),
    Call("KPIs.view", lambda: analysis().kpis().view, ("zh",)),
    # -- strategies (checked when the strategy is validated) ------------------------
    Call(
        "strategies.calendars", lambda: strategies.calendars, (), {"min_days": 400}, then=_strategy
    ),
    Call("strategies.dates", lambda: strategies.dates, (cn(),), then=_strategy),
    Call("strategies.durations", lambda: strategies.durations, (), {"min_days": 1}, then=_strategy),
    Call("strategies.links", lambda: strategies.links, (["a", "b"],), then=_strategy),
    Call("strategies.plans", lambda: strategies.plans, (), {"max_stages": 4}, then=_strategy),
    Call("strategies.policies", lambda: strategies.policies, (), {"max_days": 60}, then=_strategy),
    Call("strategies.stages", lambda: strategies.stages, (), then=_strategy),
    Call("strategies.variations", lambda: strategies.variations, (plan(),), then=_strategy),
    Call("strategies.working_dates", lambda: strategies.working_dates, (cn(),), then=_strategy),
]

EXEMPT: dict[str, str] = {
    # Results are made by the library; users read them (and rebuild them with from_dict).
    **{
        f"approval_clock.{name}": "a result, made by the library"
        for name in (
            "Comparison",
            "ConditionResult",
            "DayChange",
            "DayStatus",
            "Eligibility",
            "PolicyReport",
            "PolicySweepReport",
            "RuleResult",
            "Schedule",
            "ScheduledStage",
            "StageChange",
            "StartOutcome",
            "Sweep",
        )
    },
    "approval_clock.PlanGraph": "a view made by Plan (plan.graph)",
    "calendars.Festival": "a result of calendars.festivals",
    "calendars.Measures": "a result of calendars.measures_in_force",
    "records.Analysis": "a result of records.analyze",
    "records.KPIs": "a result of Analysis.kpis",
    "records.HTMLView": "a result of the view methods (holds HTML text)",
    "ala.StatutoryPeriod": "the periods are constants of the law (ala.ART_42_DECISION ...)",
    "Analysis.to_excel": "writes a file; its path argument is tested in test_records_out",
    "records.analyze_partitions": "needs dask; its arguments are tested in test_records_dask",
}


def _public() -> Iterator[str]:
    """Every public callable, named as in the table."""
    modules = {
        "approval_clock": ac,
        "calendars": calendars,
        "records": records,
        "ala": ala,
        "live": live,
        "strategies": strategies,
    }
    seen: set[int] = set()
    for prefix, module in modules.items():
        names = getattr(module, "__all__", None) or [n for n in vars(module) if n[0] != "_"]
        for name in names:
            obj = getattr(module, name)
            if inspect.ismodule(obj) or id(obj) in seen:
                continue
            if inspect.isclass(obj) and issubclass(obj, BaseException):
                continue
            if not callable(obj) or (
                prefix in ("ala", "live") and obj.__module__ != module.__name__
            ):
                continue
            seen.add(id(obj))
            yield f"{prefix}.{name}"
            if inspect.isclass(obj):
                for attr, value in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if inspect.isfunction(value) or isinstance(value, classmethod | staticmethod):
                        yield f"{name}.{attr}"


def test_the_table_covers_the_public_api() -> None:
    tabled = {c.name for c in CALLS} | set(EXEMPT)
    missing = sorted(set(_public()) - tabled)
    assert not missing, f"public callables with no row in CALLS (or EXEMPT): {missing}"
    stale = sorted(tabled - set(_public()))
    assert not stale, f"rows naming no public callable: {stale}"


def _variants(call: Call) -> Iterator[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    """Every call with one argument replaced by a bad value."""
    fn = call.target()
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        params = {}  # type: ignore[assignment]
    for i in range(len(call.args)):
        for bad in call.bad:
            args = (*call.args[:i], bad, *call.args[i + 1 :])
            yield f"args[{i}]={bad!r}", args, call.kwargs
    keywords = dict.fromkeys(call.kwargs)
    for name, p in params.items():
        optional = p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is not p.empty
        if optional and name not in call.kwargs and not name.startswith("_"):
            keywords[name] = None
    positional = {n for n, p in params.items() if p.kind is not p.KEYWORD_ONLY}
    taken = list(params)[: len(call.args)]
    for name in keywords:
        if name in taken and name in positional:
            continue
        for bad in call.bad:
            yield f"{name}={bad!r}", call.args, {**call.kwargs, name: bad}


def _run(call: Call, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    result = call.target()(*args, **kwargs)
    return call.then(result) if call.then else result


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
def test_wrong_arguments_raise_our_errors(call: Call) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _run(call, call.args, call.kwargs)  # the table's call is valid
        leaks = []
        for what, args, kwargs in _variants(call):
            try:
                _run(call, args, kwargs)
            except ApprovalClockError:
                pass
            except Exception as e:
                leaks.append(f"{what}: {type(e).__name__}: {str(e)[:120]}")
    try:
        import matplotlib.pyplot as plt

        plt.close("all")
    except ImportError:
        pass
    assert not leaks, f"{call.name} leaked builtin errors:\n" + "\n".join(leaks)


def test_a_wrong_type_is_one_class_wherever_it_happens() -> None:
    """The same mistake (a string where a date or a plan goes) gives ArgumentTypeError."""
    for thunk in (
        lambda: cn().count("2021-06-01", D2),
        lambda: plan().schedule("2021-06-01"),
        lambda: sweep("plan", year=2021),
        lambda: compare("a", "b"),
        lambda: Plan([Stage("a", 5)], calendar="CN"),
        lambda: calendars.load(None),
        lambda: policy().check("plan"),
        lambda: records.analyze("frame", calendar=cn()),
    ):
        with pytest.raises(ArgumentTypeError):
            thunk()


def test_messages_never_echo_a_huge_argument() -> None:
    huge = "x" * 100_000
    for thunk in (
        lambda: cn().count(huge, D2),
        lambda: calendars.get(huge),
        lambda: Stage(huge, 5, kind=huge),  # type: ignore[arg-type]
        lambda: ac.parse_duration(huge),
    ):
        with pytest.raises(ApprovalClockError) as info:
            thunk()
        assert len(str(info.value)) < 500


def test_errors_pickle() -> None:
    """Errors cross process boundaries (a worker's exception reaches its parent)."""
    with pytest.raises(ApprovalClockError) as info:
        cn().count("2021-06-01", D2)
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is type(info.value)
    assert str(again) == str(info.value)


def test_numpy_scalars_are_accepted_where_ints_are() -> None:
    assert calendars.statutory_holidays(np.int64(2027)) == calendars.statutory_holidays(2027)
    assert WorkingDays(np.int32(20)) == WorkingDays(20)
    assert cn().date_of_working_day(np.int64(100)) == cn().date_of_working_day(100)
    assert Stage("a", np.int64(5)) == Stage("a", 5) == Stage("a", "5wd")
    assert Link("a", "b", lag=np.int32(-2)) == Link("a", "b", lag=-2)
    assert cn().deadline(D, np.int64(20)) == cn().deadline(D, "20wd") == cn().deadline(D, 20)


def test_wrong_types_of_durations_are_both_type_errors_and_the_domain_error() -> None:
    from approval_clock import DurationError, DurationTypeError, PlanError, PlanTypeError

    with pytest.raises(DurationTypeError) as d:
        cn().deadline(D, 1.5)
    assert isinstance(d.value, DurationError)
    assert isinstance(d.value, ArgumentTypeError)
    with pytest.raises(PlanTypeError) as p:
        Stage("a", 1.5)
    assert isinstance(p.value, PlanError)
    assert isinstance(p.value, TypeError)
    with pytest.raises(PlanError) as v:  # a value, not a type: not a TypeError
        Stage("a", -1)
    assert not isinstance(v.value, TypeError)
