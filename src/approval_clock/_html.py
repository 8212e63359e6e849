"""Small HTML tables for the notebook display (``_repr_html_``) of results.

Private helper shared by :class:`~approval_clock.Schedule`,
:class:`~approval_clock.Comparison`, :class:`~approval_clock.PolicyReport`,
:class:`~approval_clock.records.Analysis` and :class:`~approval_clock.WorkCalendar`.
Every value is escaped with :func:`html.escape`: stage names and ids come from
files and must not inject markup into a notebook. No styling beyond the
notebook's own table style, but for the month grids of a calendar, whose cells
are coloured by kind of day (inline styles: notebooks drop ``<style>`` blocks of
untrusted output more readily than attributes).

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

import calendar as calendar_module
import html
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from approval_clock import _render
from approval_clock.calendars import _certainty

__all__ = [
    "DARK_DAY_KINDS",
    "DAY_COLORS",
    "DAY_KIND_LABELS",
    "analysis",
    "block",
    "calendar",
    "cell",
    "comparison",
    "lines",
    "policy_report",
    "schedule",
    "table",
]


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
    head = [f"{name}: {sched.start} .. {sched.finish} on {sched.plan.calendar.name}"]
    if sched.as_of is not None:
        head.append(f"as of {sched.as_of}: a forecast from the actual dates")
    head += _render.schedule_figures(sched)
    note = _certainty.line(sched.certainty)
    if note is not None:
        head.append(note)
    rows: list[tuple[Any, ...]] = [
        (
            s.id,
            s.stage.name,
            s.kind,
            s.start,
            s.finish,
            s.working_days,
            s.calendar_days,
            s.total_float,
            s.critical,
        )
        for s in sched
    ]
    headers = [
        "stage",
        "name",
        "kind",
        "start",
        "finish",
        "working days",
        "calendar days",
        "float",
        "critical",
    ]
    if sched.as_of is not None:
        headers.append("status")
        rows = [(*row, s.status) for row, s in zip(rows, sched, strict=True)]
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


KPI_HEADLINE = (
    "stages",
    "cases",
    "done",
    "on_time_rate",
    "same_day_rate",
    "mean_steps_per_case",
    "mean_elapsed",
    "p90_elapsed",
    "open",
    "open_warning",
    "overdue",
    "overdue_days",
    "paused_days",
    "rejected",
)
"""The KPIs of the notebook view's table, in this order (all of them are in the folded list)."""

_RATES = frozenset({"on_time_rate", "same_day_rate", "compression", "mean_item_compression"})
_COMPRESSION = (
    "compression",
    "mean_item_compression",
    "items",
    "statutory_days",
    "committed_days",
    "days_saved",
    "mean_days_saved",
)
_WORDS = {
    "en": {
        "overdue": "overdue stages: {n} (the first {k})",
        "all": "all KPIs (raw values)",
        "total": "total",
        "kpis": "KPIs",
        "compression": "compression of time limits",
    },
    "zh": {
        "overdue": "超期环节：{n}（前{k}条）",
        "all": "全部指标（原始值）",
        "total": "合计",
        "kpis": "指标",
        "compression": "时限压缩",
    },
}


def kpi_text(name: str, v: object) -> str:
    """A KPI for reading: rates as percentages, means with two decimals, missing empty.

    >>> kpi_text("on_time_rate", 0.8571), kpi_text("done", 7.0), kpi_text("mean_elapsed", 4.5)
    ('85.7%', '7', '4.50')
    >>> kpi_text("p90_elapsed", float("nan")), kpi_text("cases", None)
    ('', '')
    """
    if _missing(v):
        return ""
    x = float(v)  # type: ignore[arg-type]
    if name in _RATES:
        return f"{x:.1%}"
    if x.is_integer():
        return f"{int(x)}"
    return f"{x:.2f}"


def _missing(v: object) -> bool:
    if v is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(v))  # type: ignore[call-overload]
    except (ImportError, TypeError, ValueError):
        return False


def kpi_list(kpis: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """KPIs as a two-column table: the label of each, its value for reading."""
    rows = [(labels.get(k, k), kpi_text(k, v)) for k, v in kpis.items()]
    return table(["", ""], rows)


def analysis(
    result: Any,
    kpis: Any,
    labels: Mapping[str, str],
    *,
    top: int = 10,
    compression: Mapping[str, float] | None = None,
    lang: str = "en",
) -> str:
    """A records :class:`~approval_clock.records.Analysis` as HTML.

    ``kpis`` is the totals (a mapping) or a grouped KPI frame (one row per group):
    a real table either way, with the headline KPIs (:data:`KPI_HEADLINE`) as
    columns, labelled with ``labels``. Then the compression of time limits, if
    given, the most overdue stages and, folded, every KPI with its raw value.
    """
    words = _WORDS.get(lang, _WORDS["en"])
    head = [repr(result)]
    note = _certainty.line(result.certainty)
    if note is not None:
        head.append(note)
    parts = [lines(head)]
    headers = [labels.get(k, k) for k in KPI_HEADLINE]
    if isinstance(kpis, Mapping):
        rows: list[list[object]] = [[kpi_text(k, kpis[k]) for k in KPI_HEADLINE]]
        parts.append(table(headers, rows, caption=words["kpis"]))
    else:
        names = [str(n) for n in kpis.index.names]
        keys = kpis.index.to_frame(index=False)
        rows = []
        for i in range(len(kpis)):
            key = [_value(v) for v in keys.iloc[i].tolist()]
            row: list[object] = [("" if k is None else str(k)) for k in key]
            row += [kpi_text(k, kpis[k].iloc[i]) for k in KPI_HEADLINE]
            rows.append(row)
        parts.append(table(names + headers, rows, caption=words["kpis"]))
    if compression is not None:
        shown = {k: compression[k] for k in _COMPRESSION if k in compression}
        parts.append(
            table(
                [labels.get(k, k) for k in shown],
                [[kpi_text(k, v) for k, v in shown.items()]],
                caption=words["compression"],
            )
        )
    over = result.overdue()
    if len(over):
        cols = [c for c in over.columns if c not in ("reason", "column")]
        shown_rows = over.head(top)
        parts.append(
            table(
                [str(c) for c in cols],
                [[_value(v) for v in row] for row in shown_rows[cols].itertuples(index=False)],
                caption=words["overdue"].format(n=len(over), k=len(shown_rows)),
            )
        )
    totals = result.kpis()
    raw = table(["KPI", "value"], [(k, _number(v)) for k, v in totals.items()])
    parts.append(f"<details><summary>{cell(words['all'])}</summary>\n{raw}\n</details>")
    return block(*parts)


def _number(v: float) -> str:
    if _missing(v):
        return ""
    return f"{v:g}" if isinstance(v, float) and not v.is_integer() else f"{int(v)}"


def _value(v: object) -> object:
    # pandas shows NaT / <NA> / nan for missing values; an empty cell reads better.
    if _missing(v):
        return None
    if hasattr(v, "date") and hasattr(v, "hour") and callable(v.date):
        return v.date()
    return v


# -- calendars ------------------------------------------------------------------------

DAY_COLORS = {
    "statutory_holiday": "#c8102e",
    "rest_day": "#f7c5bd",
    "makeup_working_day": "#2f5fa7",
    "working_day": "#f4f4f2",
}
"""Colour of each kind of day (:meth:`~approval_clock.WorkCalendar.day_kind`), shared
with the year chart (:func:`approval_clock.plot.plot_calendar_year`): holidays red,
other rest days pale red, makeup working days (a weekend worked) blue, working days
off-white."""

DAY_KIND_LABELS = {
    "en": {
        "statutory_holiday": "statutory holiday",
        "rest_day": "other rest day",
        "makeup_working_day": "makeup working day",
        "working_day": "working day",
    },
    "zh": {
        "statutory_holiday": "法定节假日",
        "rest_day": "休息日",
        "makeup_working_day": "调休上班",
        "working_day": "工作日",
    },
}
"""What the legends call each kind of day, by language."""

DARK_DAY_KINDS = ("statutory_holiday", "makeup_working_day")
"""The kinds whose colour is dark: their day numbers are white."""
_STRIPES = "repeating-linear-gradient(135deg,rgba(0,0,0,.2) 0 1px,transparent 1px 4px)"
_NOTICES_SHOWN = 3


def _day_style(kind: str, certainty: str) -> str:
    style = f"background-color:{DAY_COLORS[kind]};"
    if kind in DARK_DAY_KINDS:
        style += "color:#fff;"
    if certainty == "projected":
        style += f"background-image:{_STRIPES};"
    elif certainty == "tentative":
        style += "outline:1px dashed #222;outline-offset:-2px;"
    return style


def _ranges(ranges: Iterable[tuple[date, date]]) -> str:
    return ", ".join(f"{a} .. {b}" for a, b in ranges) or "none"


def calendar(
    cal: Any, sources: Mapping[date, tuple[int, str]] | None = None, year: int | None = None
) -> str:
    """A :class:`~approval_clock.WorkCalendar` as HTML: its range and notices, and a year.

    ``sources`` maps each day a notice set to ``(notice year, notice title)``; the
    distinct notices are counted and the last few listed. The year shown is ``year``,
    by default the current year if the calendar covers it, else its last year: one
    table per month, Monday first, each cell classed ``ac-<kind>`` (and
    ``ac-tentative`` / ``ac-projected``) and coloured by :data:`DAY_COLORS`.

    >>> from approval_clock import calendars
    >>> html = calendar(calendars.get("CN"), year=2026)
    >>> 'class="ac-day ac-statutory_holiday" title="2026-10-01' in html
    True
    """
    first, last = cal.coverage
    if year is None:
        today = date.today().year
        year = today if first.year <= today <= last.year else last.year
    head = [
        f"{cal.name}" + (f" (code {cal.code})" if cal.code else ""),
        f"covers {first} .. {last}",
        f"tentative: {_ranges(cal.tentative)}",
        f"projected: {_ranges([cal.provisional] if cal.provisional else [])}",
    ]
    notices = sorted(set((sources or {}).values()))
    parts = []
    if notices:
        head.append(
            f"source notices: {len(notices)} notices, {notices[0][0]}..{notices[-1][0]}; "
            f"the last {min(len(notices), _NOTICES_SHOWN)}:"
        )
        items = "".join(f"<li>{cell(title)}</li>" for _, title in notices[-_NOTICES_SHOWN:])
        parts = [lines(head), f"<ul>{items}</ul>"]
    else:
        head.append("source notices: none recorded")
        parts = [lines(head)]
    parts.append(_year_grid(cal, year))
    return block(*parts)


def _year_grid(cal: Any, year: int) -> str:
    """Twelve month tables of ``year``, cells classed by kind; days outside the range blank."""
    first, last = cal.coverage
    lo, hi = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
    kinds: dict[date, tuple[str, str]] = {}
    if lo <= hi:
        days = np.arange(np.datetime64(lo, "D"), np.datetime64(hi, "D") + 1)
        marks = zip(cal.day_kind(days).tolist(), cal.certainty(days).tolist(), strict=True)
        kinds = dict(zip(days.tolist(), marks, strict=True))
    td = "padding:1px 3px;text-align:right;min-width:1.6em;"
    head = "".join(
        f'<th style="{td}font-weight:normal;color:#666">{d}</th>'
        for d in ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
    )
    months = []
    for month in range(1, 13):
        rows = []
        for week in calendar_module.monthcalendar(year, month):
            cells = []
            for n in week:
                day = date(year, month, n) if n else None
                if day is None or day not in kinds:
                    cells.append(f'<td style="{td}color:#bbb">{n or ""}</td>')
                    continue
                kind, certainty = kinds[day]
                classes = f"ac-day ac-{kind}" + (
                    f" ac-{certainty}" if certainty != "official" else ""
                )
                what = DAY_KIND_LABELS["en"][kind] + (
                    f", {certainty}" if certainty != "official" else ""
                )
                cells.append(
                    f'<td class="{classes}" title="{day}: {cell(what)}" '
                    f'style="{td}{_day_style(kind, certainty)}">{n}</td>'
                )
            rows.append("<tr>" + "".join(cells) + "</tr>")
        months.append(
            '<table style="border-collapse:separate;border-spacing:1px;font-size:11px;margin:0">'
            f'<caption style="font-weight:bold;text-align:left">'
            f"{calendar_module.month_name[month]} {year}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    legend = " ".join(
        f'<span class="ac-{k}" style="{td}{_day_style(k, "official")}">{cell(label)}</span>'
        for k, label in DAY_KIND_LABELS["en"].items()
    )
    legend += (
        f' <span class="ac-tentative" style="{td}{_day_style("working_day", "tentative")}">'
        f'tentative</span> <span class="ac-projected" '
        f'style="{td}{_day_style("working_day", "projected")}">projected</span>'
    )
    grid = (
        '<div class="ac-year" style="display:grid;grid-template-columns:repeat(4,max-content);gap:8px 14px;align-items:start">'
        + "".join(months)
        + "</div>"
    )
    return f'<p style="font-size:12px">{cell(year)}: {legend}</p>\n{grid}'
