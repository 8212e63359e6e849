"""Live cases: forecast a case in progress from its approval records.

A project office has records of what really happened — per (case, stage) the
date the office accepted it and the date it was done, missing while open — and
a plan of what should happen. :meth:`Plan.schedule(start, actuals=...,
as_of=...) <approval_clock.Plan.schedule>` schedules the rest of a case from its
actual dates; this module builds those ``actuals`` from records analysed by
:func:`approval_clock.records.analyze`, and forecasts every case of a portfolio
at once, with a policy's verdict when one is given.

It reads only the public ``stages`` frame of an
:class:`~approval_clock.records.Analysis` (the columns as given, plus ``open``
and ``measured_to``) and its ``as_of``; it needs pandas, like the records module.
``docs/plans.md`` ("Live cases") works an example.

>>> import pandas as pd
>>> from datetime import date
>>> from approval_clock import Plan, Stage, Link, calendars
>>> from approval_clock.records import analyze
>>> cn = calendars.get("CN")
>>> plan = Plan(stages=[Stage("review", 5), Stage("permit", 3)], links=[Link("review", "permit")],
...             calendar=cn)
>>> records = pd.DataFrame({"case": ["C1", "C1"], "stage": ["review", "permit"],
...     "accepted": ["2021-09-01", "2021-09-09"], "completed": ["2021-09-08", None],
...     "limit": [5, 3]})
>>> analysis = analyze(records, calendar=cn, as_of=date(2021, 9, 10))
>>> actuals(analysis, "C1")
{'review': (datetime.date(2021, 9, 1), datetime.date(2021, 9, 8)), 'permit': (datetime.date(2021, 9, 9), None)}
>>> forecast(plan, analysis)[["start", "as_of", "finish", "approval_days", "open_stages"]]
           start       as_of      finish  approval_days  open_stages
case
C1    2021-09-01  2021-09-10  2021-09-13              9            1
"""

from __future__ import annotations

try:
    import pandas as pd
except ImportError as e:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "approval_clock.checks.live needs pandas (for records); install it with "
        "pip install pandas (the 'pandas' extra; see docs/install.md)"
    ) from e

import numbers
from collections.abc import Hashable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from approval_clock._check import check_instance, check_mapping, check_sequence, fail_type
from approval_clock.errors import ApprovalClockError, ArgumentTypeError, RecordsError
from approval_clock.plans.model import Plan
from approval_clock.plans.schedule import Schedule

if TYPE_CHECKING:
    from approval_clock.checks.policy import Policy
    from approval_clock.records import Analysis

__all__ = ["actuals", "forecast"]

Actuals = dict[str, tuple[date, date | None]]

FORECAST_COLUMNS = (
    "start",
    "as_of",
    "finish",
    "duration",
    "approval_days",
    "calendar_days",
    "done_stages",
    "open_stages",
    "missed_deadlines",
    "certainty",
    "passed",
    "failed_rules",
    "problem",
)
"""The columns of :func:`forecast`, in order (indexed by case)."""


def _day(value: object, timezone: str | None, where: str) -> date | None:
    """One date of a records frame as a ``datetime.date`` (missing: ``None``)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    except (ValueError, TypeError, OverflowError):
        raise RecordsError(
            f"{where}: expected a date, got {type(value).__name__} {value!r}"
        ) from None
    if pd.isna(stamp):
        return None
    if stamp.tzinfo is not None:
        if timezone is None:
            raise RecordsError(f"{where}: an aware timestamp needs a calendar time zone")
        stamp = stamp.tz_convert(timezone)
    day: date = stamp.date()
    return day


def _case_rows(analysis: Analysis, case_column: Hashable) -> pd.DataFrame:
    from approval_clock.records import Analysis

    frame = check_instance(
        analysis, Analysis, "analysis", "an Analysis (from records.analyze)"
    ).stages
    if case_column in frame.columns:
        return frame
    if case_column in (frame.index.names or ()):
        return frame.reset_index(level=case_column)
    raise RecordsError(
        f"case_column: no column {case_column!r} in analysis.stages (columns: "
        f"{', '.join(map(repr, list(frame.columns)[:8]))}); name it with case_column="
    )


def _stage_ids(value: object) -> None:
    if value is not None:
        check_mapping(value, "stage_ids", what="a mapping of record stage name -> plan stage id")


def _column(frame: pd.DataFrame, name: Hashable, param: str) -> pd.Series[Any]:
    if name not in frame.columns:
        raise RecordsError(f"{param}: no column {name!r} in analysis.stages; name it with {param}=")
    return frame[name]


def actuals(
    analysis: Analysis,
    case: Hashable,
    *,
    stage_ids: Mapping[Hashable, str] | None = None,
    case_column: Hashable = "case",
    stage_column: Hashable = "stage",
    accepted_column: Hashable = "accepted",
) -> Actuals:
    """The ``actuals`` of one case for :meth:`Plan.schedule <approval_clock.Plan.schedule>`.

    Each accepted stage row of ``case`` gives ``stage id -> (accepted,
    completed)``, the completion ``None`` while the stage is open (the
    completion date is the row's ``measured_to``, the day it was done).
    Rejected rows (``analysis.rejected``) are not used.

    Args:
        analysis: what :func:`approval_clock.records.analyze` returned.
        case: the case id.
        stage_ids: record stage names -> plan stage ids, where they differ
            (``{"规划许可": "planning_permit"}``); other names are used as ids.
        case_column, stage_column, accepted_column: the column names, as given to
            ``analyze`` (the case id may be the frame's index).

    Raises:
        RecordsError: no such case, a column missing, a date that cannot be read.
    """
    frame = _case_rows(analysis, case_column)
    _stage_ids(stage_ids)
    cases = _column(frame, case_column, "case_column")
    if isinstance(case, bool) or not isinstance(case, str | numbers.Integral):
        raise fail_type("case", "a case id (a string or a whole number)", case)
    rows = frame[(cases == case).to_numpy(dtype=bool)]
    if not len(rows):
        raise RecordsError(f"case {case!r}: no accepted stage rows in analysis.stages")
    return _actuals_of(rows, analysis, case, stage_ids, stage_column, accepted_column)


def _actuals_of(
    rows: pd.DataFrame,
    analysis: Analysis,
    case: Hashable,
    stage_ids: Mapping[Hashable, str] | None,
    stage_column: Hashable,
    accepted_column: Hashable,
) -> Actuals:
    zone = analysis.calendar.timezone
    names = _column(rows, stage_column, "stage_column").tolist()
    accepted = _column(rows, accepted_column, "accepted_column").tolist()
    is_open = rows["open"].to_numpy(dtype=bool)
    done = rows["measured_to"].tolist()
    out: Actuals = {}
    for name, acc, opened, finished in zip(names, accepted, is_open, done, strict=True):
        sid = stage_ids.get(name, name) if stage_ids is not None else name
        if not isinstance(sid, str):
            raise RecordsError(
                f"case {case!r}, stage {name!r}: a stage id must be text; map it to a plan "
                f"stage id with stage_ids="
            )
        where = f"case {case!r}, stage {name!r}"
        start = _day(acc, zone, f"{where}: {accepted_column}")
        if start is None:  # pragma: no cover - analyze rejects rows without acceptance
            raise RecordsError(f"{where}: no acceptance date")
        out[sid] = (start, None if opened else _day(finished, zone, f"{where}: completion"))
    return out


def forecast(
    plan: Plan,
    analysis: Analysis,
    *,
    cases: Iterable[Hashable] | None = None,
    as_of: date | None = None,
    policy: Policy | None = None,
    baseline: Plan | None = None,
    stage_ids: Mapping[Hashable, str] | None = None,
    case_column: Hashable = "case",
    stage_column: Hashable = "stage",
    accepted_column: Hashable = "accepted",
) -> pd.DataFrame:
    """Forecast every case of a portfolio: its plan scheduled from its actual dates.

    Each case starts on its first acceptance and is scheduled with
    :func:`actuals` as of ``as_of`` (by default the analysis's ``as_of``, or the
    case's last completion when every stage is done). With a ``policy``, each
    forecast is checked (against ``baseline`` scheduled from the same start,
    or the policy's ``baseline_limit``).

    A case that cannot be forecast (a record stage the plan does not have, a
    date past the calendar) is not dropped: its ``problem`` says why and its
    figures are missing. Nothing is lost: one row per case.

    Returns:
        A frame indexed by case, with :data:`FORECAST_COLUMNS`: ``start``,
        ``as_of``, ``finish`` (the forecast last day), ``duration``,
        ``approval_days`` and ``calendar_days`` (working and calendar days side
        by side), ``done_stages``, ``open_stages`` (started, not done),
        ``missed_deadlines`` (stage ids past their ``finish_by``), ``certainty``,
        ``passed`` and ``failed_rules`` (with a policy; else missing), ``problem``.

    Raises:
        RecordsError: a column missing; ``ArgumentTypeError``: a plan that is not a Plan.
    """
    if not isinstance(plan, Plan):
        raise ArgumentTypeError(f"plan: expected a Plan, got {type(plan).__name__}")
    frame = _case_rows(analysis, case_column)
    _stage_ids(stage_ids)
    ids = _column(frame, case_column, "case_column")
    wanted = (
        list(dict.fromkeys(ids.tolist()))
        if cases is None
        else check_sequence(cases, "cases", what="a list of case ids")
    )
    groups: dict[Any, pd.DataFrame] = (
        dict(iter(frame.groupby(ids.to_numpy(), sort=False))) if len(frame) else {}
    )
    rows: list[dict[str, Any]] = []
    for case in wanted:
        row: dict[str, Any] = dict.fromkeys(FORECAST_COLUMNS)
        rows.append(row)
        part = groups.get(case)
        if part is None:
            row["problem"] = "no accepted stage rows in analysis.stages"
            continue
        try:
            got = _actuals_of(part, analysis, case, stage_ids, stage_column, accepted_column)
            start = min(s for s, _ in got.values())
            when = as_of if as_of is not None else analysis.as_of
            if when is None:
                when = max(f for _, f in got.values() if f is not None)
            sched = plan.schedule(start, actuals=got, as_of=when)
        except (ApprovalClockError, ValueError, KeyError) as e:
            row["problem"] = str(e)
            continue
        _fill(row, sched, start, when)
        if policy is not None:
            try:
                report = policy.check(sched, baseline=baseline, start=start)
            except (ApprovalClockError, ValueError) as e:
                row["problem"] = f"policy: {e}"
                continue
            row["passed"] = report.passed
            row["failed_rules"] = [r.rule for r in report.failed]
    # Column by column, so that a missing text stays None (not NaN).
    out = pd.DataFrame(
        {c: pd.Series([r[c] for r in rows], dtype=object) for c in FORECAST_COLUMNS},
    )
    out.index = pd.Index(wanted, name=case_column)
    for col in ("start", "as_of", "finish"):
        out[col] = pd.to_datetime(out[col])
    for col in ("duration", "approval_days", "calendar_days", "done_stages", "open_stages"):
        out[col] = out[col].astype("Int64")
    out["passed"] = out["passed"].astype("boolean")
    return out


def _fill(row: dict[str, Any], sched: Schedule, start: date, as_of: date) -> None:
    status = [s.status for s in sched]
    row.update(
        start=start,
        as_of=as_of,
        finish=sched.finish,
        duration=sched.duration,
        approval_days=sched.approval_days,
        calendar_days=sched.calendar_days,
        done_stages=status.count("done"),
        open_stages=status.count("in progress"),
        missed_deadlines=list(sched.missed_deadlines),
        certainty=sched.certainty,
    )
