"""Small HTML tables for the notebook display (``_repr_html_``) of results.

Private helper shared by :class:`~approval_clock.Schedule`,
:class:`~approval_clock.Comparison`, :class:`~approval_clock.PolicyReport` and
:class:`~approval_clock.records.Analysis`. Every value is escaped with
:func:`html.escape`: stage names and ids come from files and must not inject
markup into a notebook. No styling beyond the notebook's own table style.

>>> print(table(["stage", "days"], [["<b>", 3]], caption="a & b"))
<table>
<caption>a &amp; b</caption>
<thead><tr><th>stage</th><th>days</th></tr></thead>
<tbody>
<tr><td>&lt;b&gt;</td><td>3</td></tr>
</tbody>
</table>
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from approval_clock import _certainty

__all__ = ["analysis", "block", "cell", "comparison", "lines", "policy_report", "schedule", "table"]


def cell(value: object) -> str:
    """A value as escaped text: ``None`` as an empty cell, booleans as yes / no.

    >>> cell("<script>"), cell(None), cell(True)
    ('&lt;script&gt;', '', 'yes')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return html.escape(str(value))


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    caption: str | None = None,
) -> str:
    """An HTML table with a header row; every value escaped."""
    out = ["<table>"]
    if caption is not None:
        out.append(f"<caption>{cell(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{cell(h)}</th>" for h in headers) + "</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>")
    out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def lines(texts: Iterable[str]) -> str:
    """Lines of text as escaped paragraphs.

    >>> lines(["a < b", "c"])
    '<p>a &lt; b<br>\\nc</p>'
    """
    return "<p>" + "<br>\n".join(cell(t) for t in texts) + "</p>"


def block(*parts: str) -> str:
    """Parts (already HTML) in one ``<div>``, as a notebook shows one output."""
    return "<div>\n" + "\n".join(parts) + "\n</div>"


# -- the results ---------------------------------------------------------------------
# Imports are local: this module is imported lazily, by the _repr_html_ methods.


def schedule(sched: Any) -> str:
    """A :class:`~approval_clock.Schedule` as HTML: its figures and one row per stage."""
    name = sched.plan.name or "plan"
    head = [
        f"{name}: {sched.start} .. {sched.finish} on {sched.plan.calendar.name}",
        f"duration {sched.duration} working days ({sched.calendar_days} calendar days), "
        f"approval clock {sched.approval_days} working days",
        "critical path: " + ", ".join(sched.critical_path),
    ]
    note = _certainty.line(sched.certainty)
    if note is not None:
        head.append(note)
    rows = [
        (
            s.id,
            s.stage.name,
            s.kind,
            s.start,
            s.finish,
            s.working_days,
            s.total_float,
            s.critical,
        )
        for s in sched
    ]
    headers = ["stage", "name", "kind", "start", "finish", "working days", "float", "critical"]
    return block(lines(head), table(headers, rows))


def comparison(cmp: Any) -> str:
    """A :class:`~approval_clock.Comparison` as HTML: its account and the per-stage changes."""
    rows = [(c.id, c.change, c.baseline_days, c.reform_days, c.critical or "") for c in cmp.changes]
    headers = ["stage", "change", "baseline days", "reform days", "critical path"]
    names = [
        f"baseline: {cmp.baseline.plan.name or 'plan'}, from {cmp.baseline.start}",
        f"reform: {cmp.reform.plan.name or 'plan'}, from {cmp.reform.start}",
    ]
    text = names + cmp.explain().split("\nchanges:")[0].splitlines()
    return block(lines(text), table(headers, rows))


def policy_report(report: Any) -> str:
    """A :class:`~approval_clock.PolicyReport` as HTML: the verdict and every rule."""
    text = report.explain().splitlines()
    head = [t for t in text if not t.startswith("  ")]
    rows = [
        ("pass" if r.passed else "FAIL", r.rule, r.description, r.expected, r.actual)
        for r in report.rules
    ]
    headers = ["verdict", "rule", "description", "expected", "actual"]
    return block(lines(head), table(headers, rows))


def analysis(result: Any, top: int = 10) -> str:
    """A records :class:`~approval_clock.records.Analysis` as HTML: KPIs and the most overdue."""
    kpis = result.kpis()
    rows = [(k, _number(v)) for k, v in kpis.items()]
    head = [repr(result)]
    note = _certainty.line(result.certainty)
    if note is not None:
        head.append(note)
    parts = [lines(head), table(["KPI", "value"], rows)]
    over = result.overdue()
    if len(over):
        cols = [c for c in over.columns if c not in ("reason", "column")]
        shown = over.head(top)
        parts.append(
            table(
                [str(c) for c in cols],
                [[_value(v) for v in row] for row in shown[cols].itertuples(index=False)],
                caption=f"overdue stages: {len(over)} (the first {len(shown)})",
            )
        )
    return block(*parts)


def _number(v: float) -> str:
    if v != v:  # NaN: an empty denominator
        return "-"
    return f"{v:g}" if isinstance(v, float) and not v.is_integer() else f"{int(v)}"


def _value(v: object) -> object:
    # pandas shows NaT / <NA> for missing values; an empty cell reads better.
    try:
        if v is None or v != v:
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "date") and hasattr(v, "hour") and callable(v.date):
        return v.date()
    return v
