"""Comparing a baseline process with a reform: days saved, compression, what changed.

:func:`compare` takes two schedules (or two plans and a start date) and returns a
:class:`Comparison`: the figures evaluations quote (85 -> 45 working days, 40
saved, 47.1%), the part no reform can compress (statutory notice windows) and
the ratio on the rest (50 -> 10, 80%), and per stage what changed. Policies
(:mod:`approval_clock.checks.policy`) turn such figures into verdicts.

(The module is ``comparison`` so that it does not shadow the function
``approval_clock.compare``.)

Ratios are exact fractions (:class:`fractions.Fraction`), so a target of 45% is
met by 45 days saved out of 100, which floating point would get wrong.

Working days and calendar days are reported side by side: Chinese time limits
are working days (ALA art. 82), international comparisons (the World Bank's
construction-permit indicator) count calendar days. ``metric="calendar_days"``
measures the whole duration in calendar days.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import attrs

from approval_clock.calendars import _certainty
from approval_clock.calendars.workcalendar import Certainty
from approval_clock.durations import Duration
from approval_clock.errors import ArgumentTypeError, PolicyError
from approval_clock.plans.model import Plan
from approval_clock.plans.schedule import Schedule, ScheduledStage

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["METRICS", "Comparison", "StageChange", "compare", "metric_value", "parse_ratio", "unit"]

Metric = Literal["approval_days", "duration", "calendar_days"]
METRICS: tuple[Metric, ...] = ("approval_days", "duration", "calendar_days")
"""What a comparison measures: the approval clock (``approval_days``, working days
on which a ``work`` or ``notice`` stage is in progress), the ``duration`` (working
days from the first start to the last finish, whatever is in progress) or
``calendar_days`` (the same span in calendar days, as the World Bank counts)."""

METRIC_LABELS: dict[str, str] = {
    "approval_days": "approval days",
    "duration": "duration",
    "calendar_days": "duration in calendar days",
}
"""How each metric is named in text."""


def unit(metric: str) -> str:
    """The unit a metric is counted in: ``"working days"`` or ``"calendar days"``.

    >>> unit("approval_days"), unit("calendar_days")
    ('working days', 'calendar days')
    """
    return "calendar days" if metric == "calendar_days" else "working days"


def metric_value(sched: Schedule, metric: str) -> int:
    """The figure ``metric`` names, of one schedule."""
    if metric == "approval_days":
        return sched.approval_days
    if metric == "duration":
        return sched.duration
    return sched.calendar_days


# A percentage as text: digits, a decimal part, an exponent of a few digits at
# most (a huge exponent would make Fraction compute a huge power of ten).
_PERCENT = re.compile(r"[0-9]{1,30}(?:\.[0-9]{1,30})?(?:[eE][-+]?[0-9]{1,3})?")


def parse_ratio(value: object, what: str = "ratio") -> Fraction:
    """A fraction in [0, 1] from ``0.45``, ``"45%"``, ``Fraction(9, 20)`` (exactly).

    Floats are read through their shortest decimal form, so ``0.45`` is ``9/20``;
    ints exactly (``0`` or ``1``). A percentage is decimal text (``"47.1%"``).
    Anything else, however large, is a :class:`~approval_clock.errors.PolicyError`.

    >>> parse_ratio(0.45), parse_ratio("45%"), parse_ratio("47.1%")
    (Fraction(9, 20), Fraction(9, 20), Fraction(471, 1000))
    >>> parse_ratio(10**5000)
    Traceback (most recent call last):
    ...
    approval_clock.errors.PolicyError: ratio: expected a fraction between 0 and 1 such as 0.45 or '45%', got an int of about 5001 digits
    """
    r: Fraction | None
    try:
        if isinstance(value, Fraction):
            r = value
        elif isinstance(value, bool):
            r = None
        elif isinstance(value, int):
            r = Fraction(value)  # exact: no float to overflow
        elif isinstance(value, float):
            r = Fraction(repr(value))
        elif isinstance(value, str) and value.strip().endswith("%"):
            digits = value.strip()[:-1].strip()
            r = Fraction(digits) / 100 if _PERCENT.fullmatch(digits) else None
        else:
            r = None
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        r = None
    if r is None or not 0 <= r <= 1:
        raise PolicyError(
            f"{what}: expected a fraction between 0 and 1 such as 0.45 or '45%', "
            f"got {_shown_number(value)}"
        )
    return r


def _shown_number(value: object) -> str:
    """``type repr`` for a message, without writing out a huge number."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"an int of about {int(value.bit_length() * 0.30103) + 1} digits"
    if (
        isinstance(value, Fraction)
        and value.numerator.bit_length() + value.denominator.bit_length() > 400
    ):
        return "a Fraction of huge terms"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def percent(r: Fraction) -> str:
    """``Fraction(8, 17)`` -> ``'47.1%'`` (one decimal, rounded half up)."""
    tenths = (r * 1000 + Fraction(1, 2)).__floor__()
    return f"{tenths // 10}.{tenths % 10}%"


Change = Literal["added", "removed", "shorter", "longer", "unchanged"]


@attrs.frozen
class StageChange:
    """What happened to one stage between the baseline and the reform.

    ``change`` compares the stages' working days in their schedules (``added``,
    ``removed``, ``shorter``, ``longer``, ``unchanged``); ``critical`` says whether
    it moved onto or off the critical path.

    >>> StageChange("permit", "shorter", 15, 5, True, True).describe()
    'permit: shorter, 15 -> 5 working days'
    """

    id: str
    change: Change
    baseline_days: int | None
    reform_days: int | None
    was_critical: bool | None
    is_critical: bool | None
    baseline_duration: Duration | None = None
    reform_duration: Duration | None = None

    @property
    def critical(self) -> Literal["onto critical path", "off critical path"] | None:
        """``"onto critical path"``, ``"off critical path"`` or ``None`` (no move)."""
        if self.was_critical is None or self.is_critical is None:
            return None
        if self.is_critical and not self.was_critical:
            return "onto critical path"
        if self.was_critical and not self.is_critical:
            return "off critical path"
        return None

    def describe(self) -> str:
        """One line of text."""
        if self.change == "added":
            text = f"{self.id}: added, {self.reform_days} working days"
        elif self.change == "removed":
            text = f"{self.id}: removed (was {self.baseline_days} working days)"
        elif self.change == "unchanged":
            text = f"{self.id}: unchanged, {self.reform_days} working days"
        else:
            text = (
                f"{self.id}: {self.change}, {self.baseline_days} -> {self.reform_days} working days"
            )
        if self.critical:
            text += f"; moved {self.critical}"
        return text


@attrs.frozen
class Comparison:
    """A baseline schedule against a reform schedule. Made by :func:`compare`.

    Attributes:
        baseline, reform: the two :class:`~approval_clock.Schedule` objects.
        metric: ``"approval_days"`` (the approval clock), ``"duration"`` or
            ``"calendar_days"``.
        changes: a :class:`StageChange` per stage id in either plan.

    >>> from datetime import date
    >>> from approval_clock import Plan, Stage, Link, calendars, compare
    >>> cn = calendars.get("CN")
    >>> serial = Plan(stages=[Stage("notice", 35, kind="notice"), Stage("a", 30), Stage("b", 20)],
    ...               links=[Link("notice", "a"), Link("a", "b")], calendar=cn)
    >>> parallel = serial.replace_stage(Stage("a", 6)).without_link(Link("a", "b")).with_link(
    ...     Link("a", "b", "SS")).with_link(Link("a", "b", "FF")).replace_stage(Stage("b", 4))
    >>> c = compare(serial, parallel, start=date(2021, 6, 1))
    >>> c.baseline_days, c.reform_days, c.saved, c.percent
    (85, 41, 44, '51.8%')
    >>> c.compressible_baseline, c.compressible_reform, c.meets(min_ratio=0.45, limit=45)
    (50, 6, True)
    """

    baseline: Schedule
    reform: Schedule
    metric: Metric
    changes: tuple[StageChange, ...]

    def _value(self, sched: Schedule) -> int:
        return metric_value(sched, self.metric)

    @property
    def unit(self) -> str:
        """``"working days"``, or ``"calendar days"`` for ``metric="calendar_days"``."""
        return unit(self.metric)

    @property
    def baseline_days(self) -> int:
        """The baseline's metric, in :attr:`unit`."""
        return self._value(self.baseline)

    @property
    def reform_days(self) -> int:
        """The reform's metric, in :attr:`unit`."""
        return self._value(self.reform)

    @property
    def saved(self) -> int:
        """Days saved, in :attr:`unit` (negative when the reform takes longer)."""
        return self.baseline_days - self.reform_days

    @property
    def baseline_calendar_days(self) -> int:
        """The baseline's duration in calendar days (first start to last finish)."""
        return self.baseline.calendar_days

    @property
    def reform_calendar_days(self) -> int:
        """The reform's duration in calendar days."""
        return self.reform.calendar_days

    @property
    def saved_calendar_days(self) -> int:
        """Calendar days saved on the duration, next to the working days of :attr:`saved`.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars, compare
        >>> cn = calendars.get("CN")
        >>> c = compare(Plan(stages=[Stage("a", 85)], calendar=cn),
        ...             Plan(stages=[Stage("a", 45)], calendar=cn), start=date(2021, 6, 1))
        >>> c.saved, c.saved_calendar_days   # 120 -> 64 calendar days
        (40, 56)
        """
        return self.baseline_calendar_days - self.reform_calendar_days

    @property
    def ratio(self) -> Fraction:
        """The compression ratio ``saved / baseline``, exact."""
        return Fraction(self.saved, self.baseline_days)

    @property
    def percent(self) -> str:
        """The ratio as text with one decimal: ``'47.1%'``."""
        return percent(self.ratio) if self.ratio >= 0 else "-" + percent(-self.ratio)

    def _fixed(self, sched: Schedule) -> int:
        if self.metric == "calendar_days":
            return sched.calendar_days_in_progress(["notice"])
        return sched.days_in_progress(["notice"])

    @property
    def fixed_baseline(self) -> int:
        """Days of the baseline spent in notice windows, which cannot be compressed.

        In :attr:`unit`: working days, or for ``metric="calendar_days"`` the
        calendar days the notice windows span.
        """
        return self._fixed(self.baseline)

    @property
    def fixed_reform(self) -> int:
        """Days of the reform spent in notice windows, in :attr:`unit`."""
        return self._fixed(self.reform)

    @property
    def compressible_baseline(self) -> int:
        """The baseline's metric less its notice days."""
        return self.baseline_days - self.fixed_baseline

    @property
    def compressible_reform(self) -> int:
        """The reform's metric less its notice days."""
        return self.reform_days - self.fixed_reform

    @property
    def compressible_ratio(self) -> Fraction | None:
        """Compression of the compressible part (``None`` if the baseline has none)."""
        if self.compressible_baseline <= 0:
            return None
        return Fraction(
            self.compressible_baseline - self.compressible_reform, self.compressible_baseline
        )

    @property
    def provisional(self) -> bool:
        """True when either schedule rests on a projected calendar."""
        return self.baseline.provisional or self.reform.provisional

    @property
    def certainty(self) -> Certainty:
        """The less certain of the two schedules' :attr:`Schedule.certainty`.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars, compare
        >>> cn = calendars.get("CN")
        >>> c = compare(Plan(stages=[Stage("a", 7)], calendar=cn),
        ...             Plan(stages=[Stage("a", 5)], calendar=cn), start=date(2026, 12, 21))
        >>> c.baseline.finish, c.reform.finish, c.certainty   # 29 December is tentative
        (datetime.date(2026, 12, 29), datetime.date(2026, 12, 25), 'tentative')
        """
        return _certainty.least((self.baseline.certainty, self.reform.certainty))

    def meets(self, min_ratio: object = None, limit: int | None = None) -> bool:
        """Whether the reform compresses by at least ``min_ratio`` and takes at most ``limit``.

        ``min_ratio`` is a fraction (``0.45``, ``"45%"``); ``limit`` is days of the
        metric, in its :attr:`unit`. At least one must be given.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars, compare
        >>> cn = calendars.get("CN")
        >>> c = compare(Plan(stages=[Stage("a", 85)], calendar=cn),
        ...             Plan(stages=[Stage("a", 45)], calendar=cn), start=date(2021, 6, 1))
        >>> c.meets(min_ratio=0.45), c.meets(min_ratio="48%"), c.meets(limit=45), c.meets(limit=44)
        (True, False, True, False)
        """
        if min_ratio is None and limit is None:
            raise PolicyError("meets(): give min_ratio, limit or both")
        ok = True
        if min_ratio is not None:
            ok = ok and self.ratio >= parse_ratio(min_ratio, "min_ratio")
        if limit is not None:
            if type(limit) is not int or limit < 0:
                raise PolicyError(
                    f"limit: expected a whole number of {self.unit} >= 0, got "
                    f"{_shown_number(limit)}"
                )
            ok = ok and self.reform_days <= limit
        return ok

    def to_dict(self) -> dict[str, Any]:
        """The comparison in its JSON form: both schedules and the figures.

        Valid against ``approval_clock.schema("comparison")``; :meth:`from_dict`
        compares the two schedules again.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars, compare
        >>> cn = calendars.get("CN")
        >>> c = compare(Plan([Stage("a", 85)], calendar=cn), Plan([Stage("a", 45)], calendar=cn),
        ...             start=date(2021, 6, 1))
        >>> d = c.to_dict()
        >>> d["baseline_days"], d["reform_days"], d["saved"], d["ratio"]
        (85, 45, 40, 0.47058823529411764)
        >>> Comparison.from_dict(d).to_dict() == d
        True
        """
        return {
            "format": 1,
            "metric": self.metric,
            "baseline": self.baseline.to_dict(),
            "reform": self.reform.to_dict(),
            "baseline_days": self.baseline_days,
            "reform_days": self.reform_days,
            "saved": self.saved,
            "ratio": float(self.ratio),
            "changes": [
                {
                    "id": c.id,
                    "change": c.change,
                    "baseline_days": c.baseline_days,
                    "reform_days": c.reform_days,
                    "critical": c.critical,
                }
                for c in self.changes
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], **options: Any) -> Comparison:
        """The comparison in ``data`` (:meth:`to_dict`), made again from its schedules.

        Raises :class:`~approval_clock.errors.PolicyError` naming the first figure
        that differs from the recorded one. ``options`` go to
        :meth:`Schedule.from_dict <approval_clock.Schedule.from_dict>`.
        """
        from approval_clock._toml import check_same, read_form

        r, t = read_form(
            data, "comparison", PolicyError, _COMPARISON_KEYS, {"metric", "baseline", "reform"}
        )
        metric = r.choice(t["metric"], "metric", METRICS)
        made = compare(
            Schedule.from_dict(t["baseline"], **options),
            Schedule.from_dict(t["reform"], **options),
            metric=metric,  # type: ignore[arg-type]
        )
        check_same(r, t, made.to_dict(), _COMPARISON_KEYS[4:])
        return made

    def explain(self) -> str:
        """A short readable account: the figures, the fixed part, and what changed.

        A line ``certainty: ...`` says when a schedule rests on tentative or
        projected days (see :attr:`certainty`).

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars, compare
        >>> cn = calendars.get("CN")
        >>> print(compare(Plan(stages=[Stage("a", 85)], calendar=cn),
        ...               Plan(stages=[Stage("a", 45)], calendar=cn), start=date(2021, 6, 1)).explain())
        approval days: 85 -> 45 working days, 40 saved (47.1%)
        duration: 85 -> 45 working days (120 -> 64 calendar days)
        notice windows (cannot be compressed): 0 -> 0 working days; the rest 85 -> 45 (47.1%)
        changes:
          a: shorter, 85 -> 45 working days
        """
        label = METRIC_LABELS[self.metric]
        lines = [
            f"{label}: {self.baseline_days} -> {self.reform_days} {self.unit}, "
            f"{self.saved} saved ({self.percent})",
        ]
        if self.metric == "approval_days":
            lines.append(
                f"duration: {self.baseline.duration} -> {self.reform.duration} working days "
                f"({self.baseline.calendar_days} -> {self.reform.calendar_days} calendar days)"
            )
        elif self.metric == "calendar_days":
            lines.append(
                f"duration: {self.baseline.duration} -> {self.reform.duration} working days"
            )
        rest = self.compressible_ratio
        lines.append(
            f"notice windows (cannot be compressed): {self.fixed_baseline} -> {self.fixed_reform} "
            f"{self.unit}; the rest {self.compressible_baseline} -> {self.compressible_reform}"
            + (f" ({percent(rest)})" if rest is not None and rest >= 0 else "")
        )
        # The certainty line says it when a schedule rests on projected days.
        note = _certainty.line(self.certainty)
        if note is not None:
            lines.append(note)
        moved = [c for c in self.changes if c.change != "unchanged" or c.critical]
        if moved:
            lines.append("changes:")
            lines.extend(f"  {c.describe()}" for c in moved)
        return "\n".join(lines)

    def plot(self, **kwargs: Any) -> npt.NDArray[np.object_]:
        """Draw the baseline above the reform; see :func:`approval_clock.plot.plot_comparison`.

        Returns the two ``Axes`` (baseline, reform). Needs matplotlib.

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars, compare
        >>> cn = calendars.get("CN")
        >>> axes = compare(Plan(stages=[Stage("a", 20)], calendar=cn),
        ...                Plan(stages=[Stage("a", 15)], calendar=cn), start=date(2021, 9, 1)).plot()
        >>> len(axes)
        2
        >>> matplotlib.pyplot.close(axes[0].figure)
        """
        from approval_clock.plot import plot_comparison

        return plot_comparison(self, **kwargs)

    def _repr_html_(self) -> str:
        """The comparison as HTML, for notebooks (every value escaped).

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars, compare
        >>> cn = calendars.get("CN")
        >>> c = compare(Plan(stages=[Stage("a", 20)], calendar=cn),
        ...             Plan(stages=[Stage("a", 15)], calendar=cn), start=date(2021, 9, 1))
        >>> "<td>shorter</td>" in c._repr_html_()
        True
        """
        from approval_clock import _html

        return _html.comparison(self)

    def __str__(self) -> str:
        return self.explain()


_COMPARISON_KEYS = (
    "format",
    "metric",
    "baseline",
    "reform",
    "baseline_days",
    "reform_days",
    "saved",
    "ratio",
    "changes",
)


def as_schedule(value: Schedule | Plan, start: date | None, what: str) -> Schedule:
    """``value`` if it is a schedule, else the plan scheduled from ``start``."""
    if isinstance(value, Schedule):
        return value
    if isinstance(value, Plan):
        if start is None:
            raise PolicyError(f"{what} is a plan: give start=date to schedule it")
        return value.schedule(start=start)
    raise ArgumentTypeError(f"{what}: expected a Schedule or a Plan, got {type(value).__name__}")


def _stage_or_none(sched: Schedule, id: str) -> ScheduledStage | None:
    return sched[id] if id in sched.plan else None


def _changes(baseline: Schedule, reform: Schedule) -> tuple[StageChange, ...]:
    ids = [s.id for s in baseline.plan.stages]
    ids += [s.id for s in reform.plan.stages if s.id not in baseline]
    out = []
    for i in ids:
        b, r = _stage_or_none(baseline, i), _stage_or_none(reform, i)
        change: Change
        if b is None:
            change = "added"
        elif r is None:
            change = "removed"
        elif r.working_days < b.working_days:
            change = "shorter"
        elif r.working_days > b.working_days:
            change = "longer"
        else:
            change = "unchanged"
        out.append(
            StageChange(
                i,
                change,
                None if b is None else b.working_days,
                None if r is None else r.working_days,
                None if b is None else b.critical,
                None if r is None else r.critical,
                None if b is None else b.duration,
                None if r is None else r.duration,
            )
        )
    return tuple(out)


def compare(
    baseline: Schedule | Plan,
    reform: Schedule | Plan,
    *,
    start: date | None = None,
    metric: Metric = "approval_days",
) -> Comparison:
    """Compare a baseline with a reform.

    Args:
        baseline, reform: schedules, or plans to be scheduled from ``start``.
        start: the start date for any plan given.
        metric: ``"approval_days"`` (default: the approval clock), ``"duration"``
            or ``"calendar_days"`` (the duration in calendar days).

    Raises:
        PolicyError: a plan without ``start``; a baseline of 0 days (no ratio).

    >>> from datetime import date
    >>> from approval_clock import Plan, Stage, calendars
    >>> cn = calendars.get("CN")
    >>> c = compare(Plan(stages=[Stage("a", 20)], calendar=cn),
    ...             Plan(stages=[Stage("a", 15)], calendar=cn), start=date(2021, 9, 1))
    >>> c.saved, c.ratio, c.percent
    (5, Fraction(1, 4), '25.0%')
    """
    if metric not in METRICS:
        raise PolicyError(
            f"metric: expected one of {', '.join(map(repr, METRICS))}, got {metric!r}"
        )
    b = as_schedule(baseline, start, "baseline")
    r = as_schedule(reform, start, "reform")
    cmp = Comparison(b, r, metric, _changes(b, r))
    if cmp.baseline_days == 0:
        raise PolicyError(
            f"the baseline takes 0 {unit(metric)} ({metric}); a compression ratio is undefined"
        )
    return cmp
