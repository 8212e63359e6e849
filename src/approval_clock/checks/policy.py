"""Policies as data: compression targets and eligibility conditions, checked with reasons.

A :class:`Policy` states what a reform promises — "a pilot class of projects, 85
working days before, 45 after, the 45 including a 35-working-day statutory
notice, compressed by at least 45%" — and who qualifies. ``policy.check(plan,
baseline=..., start=...)`` gives a :class:`PolicyReport`: each rule with the
expected value, the actual value and a verdict. ``policy.check_all(plan,
year=2026)`` does so for every start date of a year (through
:func:`approval_clock.sweep`) and names the first start that fails.
Every start of the year appears in the result exactly once: passed, failed
(with the rules it breaks), or not checked with the reason (the reform's or
the baseline's schedule runs past the calendar, or rests on projected days).
``policy.eligibility(facts)`` says which conditions a project meets; a fact not
given is *unknown*, never false.

Policies load from and save to TOML (``Policy.from_toml``, ``Policy.loads``,
``policy.to_toml``) with the same error discipline as plan files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import attrs

from approval_clock._check import check_instance, check_mapping, check_path, check_sequence
from approval_clock._toml import (
    Reader,
    check_same,
    from_toml_text,
    join,
    read_form,
    read_text,
    shown,
    toml_string,
)
from approval_clock.calendars import _certainty
from approval_clock.calendars.workcalendar import Certainty
from approval_clock.checks.comparison import (
    METRIC_LABELS,
    METRICS,
    Metric,
    as_schedule,
    metric_value,
    parse_ratio,
    percent,
    unit,
)
from approval_clock.checks.sweeps import Sweep, sweep
from approval_clock.errors import (
    ApprovalClockError,
    PolicyError,
    PolicyFileError,
)
from approval_clock.limits import Limits
from approval_clock.plans.model import Plan
from approval_clock.plans.schedule import Schedule

__all__ = [
    "MAX_DAYS",
    "NOT_CHECKED_REASONS",
    "Condition",
    "ConditionResult",
    "Eligibility",
    "Policy",
    "PolicyReport",
    "PolicySweepReport",
    "RuleResult",
    "StartOutcome",
]

Fact = bool | int | float | str

MAX_DAYS = 1_000_000
"""The largest limit a policy takes (working or calendar days, about 4 000 years):
anything larger is an input error, refused rather than carried into arithmetic."""

NotCheckedReason = Literal["reform not covered", "baseline not covered", "projected"]
NOT_CHECKED_REASONS: tuple[NotCheckedReason, ...] = (
    "reform not covered",
    "baseline not covered",
    "projected",
)
"""Why :meth:`Policy.check_all` did not check a start: the reform's schedule from
it runs past its calendar's range; the baseline's does; or the result rests on
projected days (``cal.extended(...)``), which is a forecast, not a verdict."""


def _fact(value: object, where: str) -> Fact:
    if isinstance(value, bool | int | float | str):
        return value
    raise PolicyError(f"{where}: expected true/false, a number or a text, got {shown(value)}")


def _conditions(value: Iterable[Condition]) -> tuple[Condition, ...]:
    return tuple(
        check_sequence(
            value,
            "conditions",
            what="a list of Condition",
            item=lambda c, where: check_instance(c, Condition, where),
        )
    )


def _ratio(value: object) -> Fraction | None:
    return None if value is None else parse_ratio(value, "min_ratio")


def _expected(value: object) -> Fact | tuple[Fact, ...]:
    if isinstance(value, list | tuple):
        return tuple(value)
    return value  # type: ignore[return-value]  # checked in __attrs_post_init__


@attrs.frozen
class Condition:
    """An eligibility condition: the fact ``key`` must equal ``expected`` (or be one of them).

    ``group`` is ``"condition"`` (what a project must satisfy) or ``"scope"`` (which
    projects the policy is for).

    >>> c = Condition("state_owned_land", "the land is state-owned construction land")
    >>> c.evaluate({"state_owned_land": True}).verdict, c.evaluate({}).verdict
    ('met', 'unknown')
    """

    key: str
    description: str
    expected: Fact | tuple[Fact, ...] = attrs.field(default=True, converter=_expected)
    group: Literal["condition", "scope"] = "condition"

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key.strip():
            raise PolicyError(f"condition key: expected a non-empty string, got {self.key!r}")
        if not isinstance(self.description, str):
            raise PolicyError(f"condition {self.key!r}: description: expected a string")
        values = self.expected if isinstance(self.expected, tuple) else (self.expected,)
        if not values:
            raise PolicyError(f"condition {self.key!r}: expected: give at least one value")
        for v in values:
            _fact(v, f"condition {self.key!r}: expected")
        if self.group not in ("condition", "scope"):
            raise PolicyError(
                f"condition {self.key!r}: group: expected 'condition' or 'scope', got {self.group!r}"
            )

    def accepts(self, value: Fact) -> bool:
        """Whether ``value`` satisfies the condition (``True`` is not ``1`` here)."""
        values = self.expected if isinstance(self.expected, tuple) else (self.expected,)
        return any(type(value) is type(v) and value == v for v in values)

    def evaluate(self, facts: Mapping[str, object]) -> ConditionResult:
        """Met, unmet, or unknown (the fact is missing), with the reason.

        >>> Condition("pilot", "a pilot project").evaluate({"pilot": True}).verdict
        'met'
        """
        check_mapping(facts, "facts", what="a mapping of fact name -> value")
        wanted = (
            " or ".join(repr(v) for v in self.expected)
            if isinstance(self.expected, tuple)
            else repr(self.expected)
        )
        if self.key not in facts or facts[self.key] is None:
            return ConditionResult(
                self, "unknown", None, f"{self.description}: fact {self.key!r} not given"
            )
        value = _fact(facts[self.key], f"facts[{self.key!r}]")
        if self.accepts(value):
            return ConditionResult(
                self, "met", value, f"{self.description}: {self.key} = {value!r}"
            )
        return ConditionResult(
            self,
            "unmet",
            value,
            f"{self.description}: {self.key} = {value!r}, expected {wanted}",
        )


@attrs.frozen
class ConditionResult:
    """One condition evaluated against a project's facts."""

    condition: Condition
    verdict: Literal["met", "unmet", "unknown"]
    value: Fact | None
    reason: str


@attrs.frozen
class Eligibility:
    """Every condition of a policy evaluated against a project's facts.

    ``eligible`` is ``True`` when all are met, ``False`` when any is unmet, and
    ``None`` (undecided) when none is unmet but some are unknown.
    """

    results: tuple[ConditionResult, ...]

    @property
    def eligible(self) -> bool | None:
        verdicts = {r.verdict for r in self.results}
        if "unmet" in verdicts:
            return False
        return None if "unknown" in verdicts else True

    def __iter__(self) -> Any:
        return iter(self.results)

    def explain(self) -> str:
        """One line per condition, then the overall verdict."""
        lines = [f"[{r.verdict}] {r.reason}" for r in self.results]
        overall = {True: "eligible", False: "not eligible", None: "undecided (facts missing)"}
        lines.append(overall[self.eligible])
        return "\n".join(lines)


@attrs.frozen
class RuleResult:
    """One rule of a policy checked: what it expects, what was found, the verdict."""

    rule: str
    description: str
    expected: str
    actual: str
    passed: bool

    def __str__(self) -> str:
        mark = "pass" if self.passed else "FAIL"
        return f"[{mark}] {self.description}: expected {self.expected}, actual {self.actual}"


_REPORT_KEYS = (
    "format",
    "policy",
    "schedule",
    "baseline",
    "passed",
    "baseline_days",
    "actual_days",
    "notice_days",
    "longest_notice",
    "saved",
    "ratio",
    "rules",
)


@attrs.frozen
class PolicyReport:
    """A policy checked against one schedule (and its baseline). Made by :meth:`Policy.check`."""

    policy: Policy
    schedule: Schedule
    baseline: Schedule | None
    baseline_days: int
    actual_days: int
    notice_days: int
    rules: tuple[RuleResult, ...]
    longest_notice: int | None = None
    """Working days of the longest single notice stage (what the notice rule asks for)."""

    @property
    def passed(self) -> bool:
        """True when every rule passed."""
        return all(r.passed for r in self.rules)

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        """The rules that failed."""
        return tuple(r for r in self.rules if not r.passed)

    @property
    def saved(self) -> int:
        """Days saved against the baseline, in the metric's unit (negative when longer)."""
        return self.baseline_days - self.actual_days

    @property
    def ratio(self) -> Fraction:
        """The compression ratio ``saved / baseline_days``, exact."""
        return Fraction(self.saved, self.baseline_days)

    @property
    def certainty(self) -> Certainty:
        """The less certain of the schedule's and the baseline schedule's certainty.

        See :attr:`Schedule.certainty <approval_clock.Schedule.certainty>`; without
        a baseline schedule, the schedule's own.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars
        >>> plan = Plan(stages=[Stage("a", 7)], calendar=calendars.get("CN"))
        >>> report = Policy("p", baseline_limit=85, target_limit=45).check(
        ...     plan, start=date(2026, 12, 21))
        >>> report.certainty   # the stage finishes on 29 December
        'tentative'
        """
        base = None if self.baseline is None else self.baseline.certainty
        return _certainty.least((self.schedule.certainty, base))

    def to_dict(self) -> dict[str, Any]:
        """The report in its JSON form: the policy, the schedules, the figures and rules.

        Valid against ``approval_clock.schema("policy_report")``; :meth:`from_dict`
        checks the policy again.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars
        >>> plan = Plan([Stage("a", 45)], calendar=calendars.get("CN"))
        >>> report = Policy("p", baseline_limit=85, target_limit=45).check(plan, start=date(2021, 6, 1))
        >>> d = report.to_dict()
        >>> d["passed"], d["baseline_days"], d["actual_days"], [r["rule"] for r in d["rules"]]
        (True, 85, 45, ['target_limit'])
        >>> PolicyReport.from_dict(d).to_dict() == d
        True
        """
        return {
            "format": 1,
            "policy": self.policy.to_dict(),
            "schedule": self.schedule.to_dict(),
            **({} if self.baseline is None else {"baseline": self.baseline.to_dict()}),
            "passed": self.passed,
            "baseline_days": self.baseline_days,
            "actual_days": self.actual_days,
            "notice_days": self.notice_days,
            "longest_notice": self.longest_notice,
            "saved": self.saved,
            "ratio": float(self.ratio),
            "rules": [
                {
                    "rule": r.rule,
                    "description": r.description,
                    "expected": r.expected,
                    "actual": r.actual,
                    "passed": r.passed,
                }
                for r in self.rules
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], **options: Any) -> PolicyReport:
        """The report in ``data`` (:meth:`to_dict`): the policy checked again.

        Raises :class:`~approval_clock.errors.PolicyError` naming the first figure
        that differs from the recorded one. ``options`` go to
        :meth:`Schedule.from_dict <approval_clock.Schedule.from_dict>`.
        """
        r, t = read_form(data, "policy report", PolicyError, _REPORT_KEYS, {"policy", "schedule"})
        policy = Policy.from_dict(t["policy"])
        base = Schedule.from_dict(t["baseline"], **options) if "baseline" in t else None
        made = policy.check(Schedule.from_dict(t["schedule"], **options), baseline=base)
        check_same(r, t, made.to_dict(), _REPORT_KEYS[4:])
        return made

    def explain(self) -> str:
        """The headline, the compressible part, then every rule with its verdict.

        A line ``certainty: ...`` says when the result rests on tentative or
        projected days (see :attr:`certainty`).
        """
        p = self.policy
        verdict = "passed" if self.passed else "FAILED: " + "; ".join(r.rule for r in self.failed)
        target = f" >= {_short_percent(p.min_ratio)}" if p.min_ratio is not None else ""
        lines = [
            f"{p.name}: {self.baseline_days} -> {self.actual_days} {unit(p.metric)} "
            f"({METRIC_LABELS[p.metric]}), {self.saved} days saved, "
            f"{_signed_percent(self.ratio)}{target}: {verdict}",
        ]
        rest_b = self.baseline_days - (p.notice_days if p.notice_days is not None else 0)
        rest_a = self.actual_days - self.notice_days
        # The compressible part is in working days: a notice's length in calendar
        # days depends on the holidays it crosses.
        if p.notice_days is not None and p.metric != "calendar_days":
            lines.append(
                f"compressible part (without the {p.notice_days}-working-day notice): "
                f"{rest_b} -> {rest_a}"
            )
        # The certainty line says it when a schedule rests on projected days.
        note = _certainty.line(self.certainty)
        if note is not None:
            lines.append(note)
        lines.extend(f"  {r}" for r in self.rules)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The report as HTML, for notebooks: the verdict and a table of the rules.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars
        >>> plan = Plan(stages=[Stage("a", 45)], calendar=calendars.get("CN"))
        >>> report = Policy("p", baseline_limit=85, target_limit=45).check(
        ...     plan, start=date(2021, 6, 1))
        >>> "<td>pass</td>" in report._repr_html_()
        True
        """
        from approval_clock import _html

        return _html.policy_report(self)

    def __str__(self) -> str:
        return self.explain()


def _short_percent(r: Fraction) -> str:
    text = percent(r)
    return text.removesuffix(".0%") + "%" if text.endswith(".0%") else text


def _signed_percent(r: Fraction) -> str:
    return percent(r) if r >= 0 else "-" + percent(-r)


@attrs.frozen
class StartOutcome:
    """What :meth:`Policy.check_all` found for one start date.

    Attributes:
        start: the start date.
        verdict: ``"passed"``, ``"failed"`` or ``"not checked"``.
        rules: the rules that failed; for a start not checked because it rests on
            projected days, the rules the projection says would fail.
        reason: for a start not checked, one of :data:`NOT_CHECKED_REASONS`.
        detail: for a start not checked, the message that says why.
        certainty: the least certain day its result rests on (``None`` when there
            is no result: the reform or the baseline could not be scheduled).

    >>> StartOutcome(date(2026, 11, 2), "not checked", reason="reform not covered")
    StartOutcome(start=datetime.date(2026, 11, 2), verdict='not checked', rules=(), reason='reform not covered', detail='', certainty=None)
    """

    start: date
    verdict: Literal["passed", "failed", "not checked"]
    rules: tuple[str, ...] = ()
    reason: NotCheckedReason | None = None
    detail: str = ""
    certainty: Certainty | None = None

    def to_record(self) -> dict[str, Any]:
        """The outcome as a plain dict (dates as dates)."""
        return {
            "start": self.start,
            "verdict": self.verdict,
            "rules": list(self.rules),
            "reason": self.reason,
            "detail": self.detail or None,
            "certainty": self.certainty,
        }


_OUTCOME_KEYS = ("start", "verdict", "rules", "reason", "detail", "certainty")


@attrs.frozen
class PolicySweepReport:
    """A policy checked for every start of a sweep. Made by :meth:`Policy.check_all`.

    Every start asked for is in :attr:`outcomes` exactly once, in date order:
    passed, failed (with the rules), or not checked with the reason — the
    reform's schedule runs past its calendar (``"reform not covered"``: these
    starts are in ``sweep.uncovered``), the baseline's does (``"baseline not
    covered"``), or the result rests on projected days (``"projected"``: a
    forecast, not a verdict). ``passed`` is true only when every start passed:
    an unchecked start is not a pass. :meth:`counts` and :meth:`explain` add up
    to the number of starts.

    ``failures`` lists ``(start, rule names)`` for every failing start, in order;
    ``first_failure`` is the full :class:`PolicyReport` for the first of them.
    ``certainty`` is the least certain of the results (the projected ones
    included: they have a result, though no verdict).
    """

    policy: Policy
    sweep: Sweep
    failures: tuple[tuple[date, tuple[str, ...]], ...]
    first_failure: PolicyReport | None
    unchecked: tuple[tuple[date, str], ...] = ()
    """Starts the reform's sweep covers that were not checked, with the reason:
    the baseline does not cover them, or they rest on projected days."""
    certainties: tuple[Certainty, ...] | None = None
    """The certainty of each start's result, in the sweep's order, for the starts
    the baseline covers too: the less certain of the reform's and the baseline's
    schedule from that start. ``None`` (a report made by hand): the reform's
    alone, from ``sweep.certainty``."""
    outcomes: tuple[StartOutcome, ...] = ()
    """Every start asked for, once, in date order (see the class docstring)."""
    year: int | None = None
    """The year swept, when ``check_all`` was given ``year=``."""
    baseline: Plan | Schedule | None = None
    """The baseline ``check_all`` was given (for :meth:`to_dict`)."""

    @property
    def checked(self) -> int:
        """How many starts were checked against every rule (passed or failed)."""
        return len(self.sweep) - len(self.unchecked)

    @property
    def passed(self) -> bool:
        """True when every start was checked and passed."""
        return not self.failures and not self.sweep.uncovered and not self.unchecked

    @property
    def verdict(self) -> Literal["passed", "failed", "not checked"]:
        """``"passed"`` (every start passed), ``"failed"`` (some start failed) or
        ``"not checked"`` (none failed, but some start could not be checked)."""
        if self.failures:
            return "failed"
        return "passed" if self.passed else "not checked"

    def counts(self) -> dict[str, int]:
        """Starts by verdict, then the starts not checked by reason; they add up.

        ``passed + failed + not checked`` is the number of starts asked for, and
        the reasons add up to ``not checked``.

        >>> from approval_clock import Plan, Stage, calendars
        >>> plan = Plan(stages=[Stage("a", 45)], calendar=calendars.get("CN"))
        >>> Policy("p", baseline_limit=85, target_limit=45).check_all(plan, year=2026).counts()
        {'passed': 204, 'failed': 0, 'not checked': 44, 'reform not covered': 44, 'baseline not covered': 0, 'projected': 0}
        """
        out = {"passed": 0, "failed": 0, "not checked": 0}
        out.update(dict.fromkeys(NOT_CHECKED_REASONS, 0))
        for o in self.outcomes:
            out[o.verdict] += 1
            if o.reason is not None:
                out[o.reason] += 1
        return out

    @property
    def not_checked(self) -> tuple[StartOutcome, ...]:
        """The starts not checked, in date order, each with its reason."""
        return tuple(o for o in self.outcomes if o.verdict == "not checked")

    def _certainties(self) -> list[Certainty]:
        if self.certainties is not None:
            return list(self.certainties)
        skip = {d for d, why in self.unchecked if why.startswith("baseline")}
        return [
            c
            for d, c in zip(self.sweep.starts.tolist(), self.sweep.certainty.tolist(), strict=True)
            if d not in skip
        ]

    @property
    def certainty(self) -> Certainty:
        """The least certain of the starts' results (``"official"`` when there are none).

        >>> from approval_clock import Plan, Stage, calendars
        >>> plan = Plan(stages=[Stage("a", 45)], calendar=calendars.get("CN"))
        >>> report = Policy("p", baseline_limit=85, target_limit=45).check_all(plan, year=2026)
        >>> report.certainty   # 45 working days from 28 October 2026 end on 29 December
        'tentative'
        """
        return _certainty.least(self._certainties())

    def summary_line(self) -> str:
        """The first line of :meth:`explain`: every start counted once.

        >>> from approval_clock import Plan, Stage, calendars
        >>> plan = Plan(stages=[Stage("a", 45)], calendar=calendars.get("CN"))
        >>> print(Policy("p", target_limit=45, baseline_limit=85).check_all(plan, year=2026).summary_line())
        p: 248 start dates in 2026: 204 passed, 0 failed, 44 not checked (44 reform not covered)
        """
        c = self.counts()
        total = c["passed"] + c["failed"] + c["not checked"]
        when = f" in {self.year}" if self.year is not None else ""
        reasons = ", ".join(f"{c[r]} {r}" for r in NOT_CHECKED_REASONS if c[r])
        return (
            f"{self.policy.name}: {total} start date{'s' if total != 1 else ''}{when}: "
            f"{c['passed']} passed, {c['failed']} failed, {c['not checked']} not checked"
            + (f" ({reasons})" if reasons else "")
        )

    def to_dict(self) -> dict[str, Any]:
        """The report in its JSON form: the policy, the plans, and every start's outcome.

        Valid against ``approval_clock.schema("policy_sweep_report")``;
        :meth:`from_dict` checks the policy again over the same starts.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars
        >>> plan = Plan([Stage("a", 45)], calendar=calendars.get("CN"))
        >>> report = Policy("p", baseline_limit=85, target_limit=45).check_all(plan, year=2021)
        >>> d = report.to_dict()
        >>> d["verdict"], d["counts"]["passed"], d["outcomes"][0]["start"]
        ('passed', 250, '2021-01-04')
        >>> PolicySweepReport.from_dict(d).to_dict() == d
        True
        """
        from approval_clock._toml import json_types

        out: dict[str, Any] = {
            "format": 1,
            "policy": self.policy.to_dict(),
            "plan": self.sweep.plan.to_dict(),
        }
        if isinstance(self.baseline, Plan):
            out["baseline_plan"] = self.baseline.to_dict()
        elif isinstance(self.baseline, Schedule):
            out["baseline_schedule"] = self.baseline.to_dict()
        if self.year is not None:
            out["year"] = self.year
        out["verdict"] = self.verdict
        out["counts"] = self.counts()
        out["outcomes"] = json_types([o.to_record() for o in self.outcomes])
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], **options: Any) -> PolicySweepReport:
        """The report in ``data`` (:meth:`to_dict`): the policy checked again.

        The starts are the recorded outcomes' (or the recorded ``year``'s); a
        verdict, count or outcome that differs is refused with
        :class:`~approval_clock.errors.PolicyError` naming it (an outcome's
        ``detail`` text is not compared: it is advice, worded for its reader).
        """
        keys = {"format", "policy", "plan", "baseline_plan", "baseline_schedule", "year"}
        r, t = read_form(
            data,
            "policy sweep report",
            PolicyError,
            keys | {"verdict", "counts", "outcomes"},
            {"policy", "plan"},
        )
        baseline: Plan | Schedule | None = None
        if "baseline_plan" in t:
            baseline = Plan.from_dict(t["baseline_plan"], **options)
        elif "baseline_schedule" in t:
            baseline = Schedule.from_dict(t["baseline_schedule"], **options)
        plan = Plan.from_dict(t["plan"], **options)
        policy = Policy.from_dict(t["policy"])
        if "year" in t:
            made = policy.check_all(plan, year=r.whole(t["year"], "year"), baseline=baseline)
        else:
            outcomes = r.array(t.get("outcomes", []), "outcomes")
            starts = [
                r.date(
                    r.table(o, f"outcomes[{k}]", set(_OUTCOME_KEYS), {"start"})["start"],
                    f"outcomes[{k}].start",
                )
                for k, o in enumerate(outcomes)
            ]
            made = policy.check_all(plan, starts, baseline=baseline)

        def compared(form: dict[str, Any]) -> dict[str, Any]:
            outcomes = [
                {k: v for k, v in o.items() if k != "detail"} for o in form.get("outcomes", [])
            ]
            return {**form, "outcomes": outcomes}

        check_same(
            r, compared(dict(t)), compared(made.to_dict()), ("verdict", "counts", "outcomes")
        )
        return made

    def explain(self) -> str:
        """Every start counted once, the spread of calendar days, the first failure and
        the first start not checked.

        When some start's result is not official, a line counts them by certainty
        (``certainty: 3 starts rest on tentative days, 41 on projected days``).
        """
        s = self.sweep
        lines = [self.summary_line()]
        if len(s):
            c = s.summary("calendar_days")
            lines.append(
                f"calendar days: min {c['min']}, median {c['median']:g}, max {c['max']} "
                f"(worst starts: {', '.join(str(d) for d in s.worst(3))})"
            )
        note = _certainty.counts_line(self._certainties())
        if note is not None:
            lines.append(note)
        if self.first_failure is not None:
            lines.append(f"first failing start: {self.failures[0][0]}")
            lines.append(self.first_failure.explain())
        projected = [o for o in self.not_checked if o.reason == "projected"]
        if projected:
            would_fail = sum(1 for o in projected if o.rules)
            lines.append(
                f"on the projection, {len(projected) - would_fail} of the {len(projected)} "
                f"projected starts would pass and {would_fail} would fail"
            )
        todo = self.not_checked
        if todo:
            lines.append(
                f"first start not checked: {todo[0].start}: {todo[0].reason}: {todo[0].detail}"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()


def _opt_days(value: object, what: str) -> int | None:
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= MAX_DAYS:
        got = (
            f"an int of about {int(value.bit_length() * 0.30103) + 1} digits"
            if type(value) is int and value.bit_length() > 64
            else shown(value)
        )
        raise PolicyError(
            f"{what}: expected a whole number of days from 0 to {MAX_DAYS}, got {got}"
        )
    return value


@attrs.frozen
class Policy:
    """A reform's promise as data: limits, compression target, notice, eligibility.

    Args:
        name: what to call it in reports.
        metric: ``"approval_days"`` (default: the approval clock, working days),
            ``"duration"`` (first start to last finish, working days) or
            ``"calendar_days"`` (the same span in calendar days, as international
            comparisons such as the World Bank's count). The limits are in its unit.
        baseline_limit: days before the reform (85); the baseline for the ratio
            when no baseline plan is given, and checked against one when it is.
        target_limit: the most days allowed after the reform (45).
        min_ratio: the least compression, a fraction (``0.45`` or ``"45%"``).
        notice_days: working days of statutory notice included in the limit (35):
            the reform must keep one uninterrupted notice stage at least this long
            (notice windows that only add up to it, two overlapping 20-day notices
            for a 35-day one, do not keep the statutory notice).

    Limits are whole numbers up to :data:`MAX_DAYS`.
        conditions: :class:`Condition` values for :meth:`eligibility`.
        description: free text.

    >>> p = Policy("pilot", baseline_limit=85, target_limit=45, min_ratio="45%", notice_days=35)
    >>> p.min_ratio
    Fraction(9, 20)
    """

    name: str
    metric: Metric = "approval_days"
    baseline_limit: int | None = None
    target_limit: int | None = None
    min_ratio: Fraction | None = attrs.field(default=None, converter=_ratio)
    notice_days: int | None = None
    conditions: tuple[Condition, ...] = attrs.field(default=(), converter=_conditions)
    description: str = ""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise PolicyError(f"name: expected a non-empty string, got {self.name!r}")
        where = f"policy {self.name!r}"
        if self.metric not in METRICS:
            raise PolicyError(
                f"{where}: metric: expected one of {', '.join(map(repr, METRICS))}, got {self.metric!r}"
            )
        for attr in ("baseline_limit", "target_limit", "notice_days"):
            _opt_days(getattr(self, attr), f"{where}: {attr}")
        keys = [c.key for c in self.conditions if isinstance(c, Condition)]
        if len(keys) != len(self.conditions):
            raise PolicyError(f"{where}: conditions: expected Condition values")
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise PolicyError(f"{where}: condition {dup[0]!r} is given twice")
        if (
            self.notice_days is not None
            and self.target_limit is not None
            and self.notice_days > self.target_limit
        ):
            raise PolicyError(
                f"{where}: notice_days ({self.notice_days}) cannot exceed target_limit "
                f"({self.target_limit}), which includes it"
            )

    # -- checking ---------------------------------------------------------------------

    def _value(self, sched: Schedule) -> int:
        return metric_value(sched, self.metric)

    def _rules(
        self, actual: int, baseline: int | None, notice: int, notice_stage: str | None = None
    ) -> tuple[int, tuple[RuleResult, ...]]:
        """The rules checked; ``notice`` is the longest single notice stage's working days."""
        rules: list[RuleResult] = []
        days = unit(self.metric)
        base = baseline if baseline is not None else self.baseline_limit
        if base is None:
            raise PolicyError(
                f"policy {self.name!r}: no baseline: give baseline= (a plan or schedule) "
                f"or set baseline_limit"
            )
        if base == 0:
            raise PolicyError(f"policy {self.name!r}: the baseline takes 0 {days}")
        if baseline is not None and self.baseline_limit is not None:
            rules.append(
                RuleResult(
                    "baseline",
                    f"baseline process takes the stated {days}",
                    f"{self.baseline_limit}",
                    f"{baseline}",
                    baseline == self.baseline_limit,
                )
            )
        if self.target_limit is not None:
            rules.append(
                RuleResult(
                    "target_limit",
                    f"reform takes at most the target {days}",
                    f"<= {self.target_limit}",
                    f"{actual}",
                    actual <= self.target_limit,
                )
            )
        if self.min_ratio is not None:
            ratio = Fraction(base - actual, base)
            rules.append(
                RuleResult(
                    "min_ratio",
                    f"compression against {base} {days}",
                    f">= {_short_percent(self.min_ratio)}",
                    f"{_signed_percent(ratio)} ({base - actual} of {base} saved)",
                    ratio >= self.min_ratio,
                )
            )
        if self.notice_days is not None:
            where = f" ({notice_stage})" if notice_stage else ""
            rules.append(
                RuleResult(
                    "notice_days",
                    "statutory notice kept whole (one uninterrupted notice stage, "
                    "included in the limit)",
                    f">= {self.notice_days}",
                    f"{notice}{where}",
                    notice >= self.notice_days,
                )
            )
        if not rules:
            raise PolicyError(f"policy {self.name!r} has no rule to check")
        return base, tuple(rules)

    def check(
        self,
        plan: Plan | Schedule,
        *,
        baseline: Plan | Schedule | None = None,
        start: date | None = None,
    ) -> PolicyReport:
        """Check the policy's rules against a reform plan (or schedule).

        Args:
            plan: the reform, as a plan (scheduled from ``start``) or a schedule.
            baseline: the process before the reform, as a plan or schedule; without
                it the ratio is taken against ``baseline_limit``.
            start: start date for any plan given.

        Raises:
            PolicyError: nothing to compare against, or a plan without ``start``.
        """
        if (isinstance(plan, Plan) or isinstance(baseline, Plan)) and start is None:
            raise PolicyError("check(): a plan is given: give start=date to schedule it")
        sched = as_schedule(plan, start, "plan")
        base_sched = None if baseline is None else as_schedule(baseline, start, "baseline")
        actual = self._value(sched)
        notice = sched.days_in_progress(["notice"])
        longest = sched.longest_stage(["notice"])
        longest_days = 0 if longest is None else longest.working_days
        base_value = None if base_sched is None else self._value(base_sched)
        base, rules = self._rules(
            actual, base_value, longest_days, None if longest is None else longest.id
        )
        return PolicyReport(self, sched, base_sched, base, actual, notice, rules, longest_days)

    def check_all(
        self,
        plan: Plan,
        starts: Iterable[date] | None = None,
        *,
        year: int | None = None,
        baseline: Plan | Schedule | None = None,
    ) -> PolicySweepReport:
        """Check the policy for every start date (``starts``, or every working day of ``year``).

        A baseline plan is swept over the same starts; a baseline schedule is one
        fixed figure. Every start appears once in the result's ``outcomes``:
        passed, failed with the rules it breaks, or not checked with the reason
        (:data:`NOT_CHECKED_REASONS`); the failing starts have the full report for
        the first, and every start with a result the certainty it rests on (the
        less certain of the reform's and the baseline's schedule).

        >>> from approval_clock import Plan, Stage, calendars
        >>> cn = calendars.get("CN")
        >>> policy = Policy("p", baseline_limit=85, target_limit=45)
        >>> result = policy.check_all(Plan(stages=[Stage("a", 45)], calendar=cn), year=2026,
        ...                           baseline=Plan(stages=[Stage("a", 85)], calendar=cn))
        >>> result.verdict, result.counts()["not checked"], len(result.outcomes)
        ('not checked', 84, 248)
        >>> result.not_checked[0].start, result.not_checked[0].reason
        (datetime.date(2026, 9, 1), 'baseline not covered')
        """
        check_instance(plan, Plan, "plan")
        if baseline is not None:
            check_instance(baseline, (Plan, Schedule), "baseline", "a Plan, a Schedule or None")
        reform = sweep(plan, starts, year=year)
        if isinstance(baseline, Plan):
            base_sweep = sweep(baseline, [d.astype(date) for d in reform.starts])
            base_by_start = {
                d.astype(date): int(v)
                for d, v in zip(base_sweep.starts, getattr(base_sweep, self.metric), strict=True)
            }
            base_certainty = dict(
                zip(base_sweep.starts.tolist(), base_sweep.certainty.tolist(), strict=True)
            )
            base_uncovered = dict(base_sweep.uncovered)
        fixed_base = self._value(baseline) if isinstance(baseline, Schedule) else None
        fixed_certainty = baseline.certainty if isinstance(baseline, Schedule) else "official"
        values = getattr(reform, self.metric)
        longest = reform.longest_notice if reform.longest_notice is not None else reform.notice_days
        outcomes: list[StartOutcome] = [
            StartOutcome(d, "not checked", reason="reform not covered", detail=why)
            for d, why in reform.uncovered
        ]
        failures: list[tuple[date, tuple[str, ...]]] = []
        unchecked: list[tuple[date, str]] = []
        certainties: list[Certainty] = []
        verdicts: dict[tuple[int, int | None, int], tuple[str, ...]] = {}
        for k in range(len(reform)):
            d = reform.starts[k].astype(date)
            if isinstance(baseline, Plan):
                if d not in base_by_start:
                    why = base_uncovered.get(d, "the baseline could not be scheduled")
                    unchecked.append((d, f"baseline: {why}"))
                    outcomes.append(
                        StartOutcome(d, "not checked", reason="baseline not covered", detail=why)
                    )
                    continue
                base_value: int | None = base_by_start[d]
                base_cert = base_certainty[d]
            else:
                base_value = fixed_base
                base_cert = fixed_certainty
            cert = _certainty.least((reform.certainty[k], base_cert))
            certainties.append(cert)
            # Most starts give the same figures: the rules are checked once per figures.
            key = (int(values[k]), base_value, int(longest[k]))
            bad = verdicts.get(key)
            if bad is None:
                _, rules = self._rules(*key)
                bad = verdicts[key] = tuple(r.rule for r in rules if not r.passed)
            if cert == "projected":
                why = (
                    "the result rests on projected days (past the last loaded notice): "
                    "a forecast, not a verdict"
                )
                unchecked.append((d, f"projected: {why}"))
                outcomes.append(
                    StartOutcome(
                        d, "not checked", bad, reason="projected", detail=why, certainty=cert
                    )
                )
                continue
            if bad:
                failures.append((d, bad))
            outcomes.append(StartOutcome(d, "failed" if bad else "passed", bad, certainty=cert))
        outcomes.sort(key=lambda o: o.start)
        first = None
        if failures:
            d0 = failures[0][0]
            first = self.check(plan, baseline=baseline, start=d0)
        return PolicySweepReport(
            self,
            reform,
            tuple(failures),
            first,
            tuple(unchecked),
            tuple(certainties),
            tuple(outcomes),
            year,
            baseline,
        )

    def eligibility(self, facts: Mapping[str, object]) -> Eligibility:
        """Evaluate every condition against ``facts`` (a mapping of named facts).

        A fact that is missing (or ``None``) makes its condition *unknown*, never unmet.
        Facts the policy does not mention are ignored.
        """
        if not isinstance(facts, Mapping):
            raise PolicyError(f"facts: expected a mapping of named facts, got {shown(facts)}")
        return Eligibility(tuple(c.evaluate(facts) for c in self.conditions))

    # -- files ------------------------------------------------------------------------

    @classmethod
    def from_toml(cls, path: str | Path, *, limits: Limits | None = None) -> Policy:
        """Read a policy file (format in ``docs/policies.md``).

        Only a regular file is read; its size and structure are checked against
        ``limits`` (:class:`~approval_clock.limits.Limits`) before it is parsed.
        """
        p = check_path(path, "path")
        return cls.loads(read_text(p, PolicyFileError, limits), source=str(p), limits=limits)

    @classmethod
    def loads(cls, text: str, *, source: str = "<string>", limits: Limits | None = None) -> Policy:
        """Read a policy from TOML text; ``source`` names it in error messages."""
        return _read_policy(text, source, limits)

    def to_toml(self) -> str:
        """The policy as TOML text; ``Policy.loads(p.to_toml()) == p``."""
        return _dump_policy(self)

    def to_dict(self) -> dict[str, Any]:
        """The policy in its JSON form: the policy file's keys, JSON types only.

        Valid against ``approval_clock.schema("policy")``; :meth:`from_dict` reads it
        back to an equal policy.

        >>> p = Policy("pilot", target_limit=45, min_ratio=0.45)
        >>> d = p.to_dict()
        >>> d["format"], d["target_limit"], Policy.from_dict(d) == p
        (1, 45, True)
        """
        return from_toml_text(self.to_toml())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, limits: Limits | None = None) -> Policy:
        """The policy in ``data``, the JSON form (or a parsed policy file).

        The same reader as :meth:`loads`, so the errors name the place:

        >>> Policy.from_dict({"format": 1, "name": "p", "target_limit": -1})
        Traceback (most recent call last):
        ...
        approval_clock.errors.PolicyError: policy (dict): target_limit: expected a whole number of working days >= 0, got int -1
        """
        return _policy_from_data(Reader("policy (dict)", PolicyError, limits, iso_dates=True), data)


# -- TOML -------------------------------------------------------------------------------

_TOP = {
    "format",
    "name",
    "description",
    "metric",
    "baseline_limit",
    "target_limit",
    "min_ratio",
    "notice_days",
    "conditions",
}
_COND = {"key", "description", "expected", "group"}


def _read_policy(text: str, source: str, limits: Limits | None = None) -> Policy:
    r = Reader(source, PolicyFileError, limits)
    return _policy_from_data(r, r.parse(text))


def _policy_from_data(r: Reader, data: object) -> Policy:
    """The policy in a parsed file or its JSON form (one reader for both)."""
    t = r.table(data, "", _TOP, {"format", "name"})
    if type(t["format"]) is not int or t["format"] != 1:
        raise r.fail("format", f"expected 1 (the only format so far), got {shown(t['format'])}")
    name = r.get(t, "name", "", r.text)
    kwargs: dict[str, Any] = {}
    if "description" in t:
        kwargs["description"] = r.get(t, "description", "", r.string)
    if "metric" in t:
        kwargs["metric"] = r.get(t, "metric", "", lambda v, p: r.choice(v, p, METRICS))
    for key in ("baseline_limit", "target_limit", "notice_days"):
        if key in t:
            kwargs[key] = r.get(t, key, "", lambda v, p: r.whole(v, p, what="working days"))
    if "min_ratio" in t:
        try:
            kwargs["min_ratio"] = parse_ratio(t["min_ratio"], "min_ratio")
        except PolicyError as e:
            raise r.fail("min_ratio", str(e).removeprefix("min_ratio: ")) from None
    conditions = []
    for k, item in enumerate(r.array(t.get("conditions", []), "conditions")):
        at = join("conditions", k)
        c = r.table(item, at, _COND, {"key", "description"})
        expected: Any = True
        if "expected" in c:
            raw = c["expected"]
            values = raw if isinstance(raw, list) else [raw]
            if not values:
                raise r.fail(join(at, "expected"), "expected at least one value")
            for v in values:
                if not isinstance(v, bool | int | float | str):
                    raise r.fail(
                        join(at, "expected"),
                        f"expected true/false, a number or a text (or a list of them), got {shown(v)}",
                    )
            expected = tuple(values) if isinstance(raw, list) else raw
        group = (
            r.get(c, "group", at, lambda v, p: r.choice(v, p, ("condition", "scope")))
            if "group" in c
            else "condition"
        )
        conditions.append(
            Condition(
                r.get(c, "key", at, r.text),
                r.get(c, "description", at, r.string),
                expected,
                group,  # type: ignore[arg-type]
            )
        )
    try:
        return Policy(name, conditions=conditions, **kwargs)
    except ApprovalClockError as e:
        raise r.fail("", str(e)) from None


def _toml_value(v: Fact | tuple[Fact, ...]) -> str:
    if isinstance(v, tuple):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return toml_string(v)
    return repr(v)


def _dump_policy(p: Policy) -> str:
    lines = ["format = 1", f"name = {toml_string(p.name)}"]
    if p.description:
        lines.append(f"description = {toml_string(p.description)}")
    lines.append(f"metric = {toml_string(p.metric)}")
    for key in ("baseline_limit", "target_limit", "notice_days"):
        value = getattr(p, key)
        if value is not None:
            lines.append(f"{key} = {value}")
    if p.min_ratio is not None:
        pct = p.min_ratio * 100
        text = f"{pct.numerator}%" if pct.denominator == 1 else f"{float(pct)!r}%"
        if parse_ratio(text) != p.min_ratio:
            raise PolicyError(f"min_ratio {p.min_ratio} cannot be written exactly as a percentage")
        lines.append(f"min_ratio = {toml_string(text)}")
    for c in p.conditions:
        lines += [
            "",
            "[[conditions]]",
            f"key = {toml_string(c.key)}",
            f"description = {toml_string(c.description)}",
            f"expected = {_toml_value(c.expected)}",
            f"group = {toml_string(c.group)}",
        ]
    return "\n".join(lines) + "\n"
