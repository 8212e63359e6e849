"""Notebook display: ``_repr_html_`` of schedules, comparisons, policy reports and records.

Names come from files written by others: a stage called ``<script>`` must show
as text, never run as markup.
"""

from __future__ import annotations

from datetime import date

import pytest

from approval_clock import Link, Plan, Policy, Stage, calendars, compare

EVIL = "<script>alert('x')</script>"
START = date(2021, 6, 1)


@pytest.fixture
def plans() -> tuple[Plan, Plan]:
    cn = calendars.get("CN")
    before = Plan(
        stages=[Stage("notice", 35, kind="notice"), Stage("<b>permit</b>", 50, name=EVIL)],
        links=[Link("notice", "<b>permit</b>")],
        calendar=cn,
        name=f"before {EVIL}",
    )
    after = Plan(
        stages=[Stage("notice", 35, kind="notice"), Stage("<b>permit</b>", 10, name=EVIL)],
        links=[Link("notice", "<b>permit</b>")],
        calendar=cn,
        name="after & <i>",
    )
    return before, after


def assert_escaped(html: str) -> None:
    assert "<script>" not in html
    assert "<b>" not in html
    assert "<i>" not in html
    assert "&lt;script&gt;" in html


def test_schedule_html_is_a_table_of_stages_with_escaped_names(plans: tuple[Plan, Plan]) -> None:
    html = plans[0].schedule(start=START)._repr_html_()
    assert_escaped(html)
    assert "&lt;b&gt;permit&lt;/b&gt;" in html
    assert "<th>stage</th>" in html
    assert html.count("<tr>") == 3
    assert "<td>2021-06-01</td>" in html
    assert "approval clock: 85 working days" in html


def test_comparison_html_shows_the_figures_and_the_changes(plans: tuple[Plan, Plan]) -> None:
    html = compare(*plans, start=START)._repr_html_()
    assert_escaped(html)
    assert "approval days: 85 -&gt; 45 working days, 40 saved (47.1%)" in html
    assert "<td>&lt;b&gt;permit&lt;/b&gt;</td><td>shorter</td><td>50</td><td>10</td>" in html


def test_policy_report_html_shows_the_verdict_of_each_rule(plans: tuple[Plan, Plan]) -> None:
    policy = Policy(EVIL, target_limit=44, min_ratio="45%")
    report = policy.check(plans[1], baseline=plans[0], start=START)
    html = report._repr_html_()
    assert_escaped(html)
    assert "<td>FAIL</td><td>target_limit</td>" in html
    assert "<td>pass</td><td>min_ratio</td>" in html
    assert "FAILED: target_limit" in html


def test_records_html_shows_kpis_and_escaped_overdue_rows() -> None:
    pd = pytest.importorskip("pandas")
    from approval_clock.records import analyze

    frame = pd.DataFrame(
        {
            "case": [EVIL, "ok"],
            "stage": ["<b>permit</b>", "permit"],
            "accepted": pd.to_datetime(["2021-09-01", "2021-09-01"]),
            "completed": pd.to_datetime(["2021-09-30", "2021-09-02"]),
            "limit": [5, 5],
        }
    )
    html = analyze(frame, calendar=calendars.get("CN"))._repr_html_()
    assert_escaped(html)
    assert "<td>on_time_rate</td><td>0.5</td>" in html
    assert "overdue stages: 1 (the first 1)" in html
    # The overdue row: accepted and deadline as dates, not timestamps.
    assert "<td>2021-09-01</td>" in html
    assert "00:00:00" not in html
