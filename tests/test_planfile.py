"""Plan files: the TOML format, exact round trips and error messages that name the place."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approval_clock import (
    CalendarDays,
    Link,
    Plan,
    PlanFileError,
    Stage,
    WorkingDays,
    calendars,
)
from approval_clock.strategies import durations as all_durations

PLAN = """\
format = 1
name = "Reform"
calendar = "CN"

[[stages]]
id = "registration"
name = "国有建设用地使用权首次登记"
duration = 5

[[stages]]
id = "notice"
duration = 35
kind = "notice"

[[stages]]
id = "permit"
duration = "20cd"
kind = "special"

[[links]]
predecessor = "registration"
successor = "permit"
kind = "SS"

[[links]]
predecessor = "registration"
successor = "permit"
kind = "FF"
lag = -2

[[links]]
predecessor = "notice"
successor = "permit"
lag = "3cd"
"""

REGION = """\
format = 1
base = "CN"
name = "Region"

[[notices]]
year = 2021
title = "Regional closure (illustrative)"
holidays = [{ name = "Closure", first = 2021-08-23, last = 2021-08-24 }]
"""


def test_reads_every_field() -> None:
    plan = Plan.loads(PLAN, source="plan.toml")
    assert plan.name == "Reform"
    assert plan.calendar is calendars.get("CN")
    assert plan.stages == (
        Stage("registration", WorkingDays(5), name="国有建设用地使用权首次登记"),
        Stage("notice", WorkingDays(35), kind="notice"),
        Stage("permit", CalendarDays(20), kind="special"),
    )
    assert plan.links == (
        Link("registration", "permit", "SS"),
        Link("registration", "permit", "FF", -2),
        Link("notice", "permit", "FS", CalendarDays(3)),
    )


def test_short_forms_of_working_days_read_as_ints_do() -> None:
    # "35wd" and 35 are the same duration; the canonical text writes the int.
    short = Plan.loads(PLAN.replace("duration = 35", 'duration = "35wd"'))
    assert short == Plan.loads(PLAN)
    assert short.to_toml() == PLAN


def test_round_trip_is_exact() -> None:
    plan = Plan.loads(PLAN)
    assert plan.to_toml() == PLAN  # the canonical form is what this file already is
    assert Plan.loads(plan.to_toml()) == plan


def test_date_constraints_are_read_and_written() -> None:
    text = PLAN.replace(
        'kind = "notice"\n', 'kind = "notice"\nnot_before = 2021-08-18\nfinish_by = 2021-10-29\n'
    )
    plan = Plan.loads(text, source="plan.toml")
    assert plan.stage("notice") == Stage(
        "notice", 35, kind="notice", not_before=date(2021, 8, 18), finish_by=date(2021, 10, 29)
    )
    assert plan.to_toml() == text
    assert Plan.loads(plan.to_toml()) == plan


def test_calendar_files_are_found_next_to_the_plan(tmp_path: Path) -> None:
    (tmp_path / "region.toml").write_text(REGION, encoding="utf-8")
    text = PLAN.replace('kind = "notice"\n', 'kind = "notice"\ncalendar = "region.toml"\n')
    text = text.replace(
        'kind = "special"\n', 'kind = "special"\ncalendar = ["CN", "region.toml"]\n'
    )
    (tmp_path / "plan.toml").write_text(text, encoding="utf-8")
    plan = Plan.from_toml(tmp_path / "plan.toml")
    region = calendars.load(tmp_path / "region.toml")
    assert plan.stage("notice").calendar == region
    assert plan.stage("permit").calendar == calendars.get("CN") & region
    assert not plan.stage("notice").calendar.is_working_day(date(2021, 8, 23))  # type: ignore[union-attr]
    # Written back with the references it was read with: the same text.
    assert plan.to_toml() == text
    assert Plan.loads(plan.to_toml(), base_dir=tmp_path) == plan


def test_a_calendar_without_a_reference_cannot_be_written() -> None:
    hall = calendars.get("CN").with_weekmask("1111110")
    plan = Plan(stages=[Stage("a", 1, calendar=hall)], calendar=calendars.get("CN"))
    with pytest.raises(PlanFileError, match="to_toml: calendar 'Mainland China' cannot be named"):
        plan.to_toml()
    text = plan.to_toml(calendar_refs={hall: "hall.toml"})
    assert 'calendar = "hall.toml"' in text


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ('duration = "20cd"', "duration = -2"),
            "plan.toml: stages[2].duration: expected a whole number of days >= 0, got -2",
        ),
        (
            ('duration = "20cd"', 'duration = "3 weeks"'),
            "plan.toml: stages[2].duration: expected a duration such as 35, '35wd', '20cd' or "
            "'3mo', got '3 weeks'",
        ),
        (
            ('duration = "20cd"', "duration = true"),
            "plan.toml: stages[2].duration: expected a whole number of working days or a short "
            "form such as '35wd', got bool True",
        ),
        (
            ('kind = "special"', 'kind = "hearing"'),
            "plan.toml: stages[2].kind: expected one of 'work', 'notice', 'applicant', "
            "'special', got str 'hearing'",
        ),
        (
            ('kind = "special"', 'knd = "special"'),
            "plan.toml: stages[2].knd: unknown key; expected one of calendar, duration, "
            "finish_by, id, kind, name, not_before",
        ),
        (
            ('id = "notice"', 'id = "registration"'),
            "plan.toml: stages[1].id: duplicate stage id 'registration' (also stages[0].id)",
        ),
        (
            ('successor = "permit"\nlag = "3cd"', 'successor = "permt"\nlag = "3cd"'),
            "plan.toml: links[2].successor: unknown stage 'permt'; the stages are "
            "'registration', 'notice', 'permit'",
        ),
        (
            ('lag = "3cd"', "lag = 1.5"),
            "plan.toml: links[2].lag: expected whole working days (an int, negative for a "
            "lead) or calendar days such as '3cd', got float 1.5",
        ),
        (
            ('kind = "FF"', 'kind = "SS"'),
            "plan.toml: links[1]: the link 'registration' -> 'permit' (SS) is given twice "
            "(also links[0]); a pair may have one link of each kind",
        ),
        (
            ('predecessor = "notice"', 'predecessor = "permit"'),
            "plan.toml: links[2]: a stage cannot be linked to itself ('permit')",
        ),
        (
            ('kind = "FF"', 'kind = "SF"'),
            "plan.toml: links[1].kind: expected one of 'FS', 'SS', 'FF', got str 'SF'",
        ),
        (
            ('calendar = "CN"', 'calendar = "XX"'),
            "plan.toml: calendar: unknown calendar code 'XX'",
        ),
        (
            ('calendar = "CN"', 'calendar = "nowhere.toml"'),
            "plan.toml: calendar: nowhere.toml: no such file",
        ),
        (
            ('kind = "special"', 'kind = "special"\nnot_before = "2021-08-18"'),
            "plan.toml: stages[2].not_before: expected a date such as 2027-01-01, got str "
            "'2021-08-18'",
        ),
        (
            (
                'kind = "special"',
                'kind = "special"\nnot_before = 2021-08-18\nfinish_by = 2021-08-01',
            ),
            "plan.toml: stages[2]: stage 'permit': finish_by 2021-08-01 is before not_before "
            "2021-08-18",
        ),
        (
            ('id = "notice"', 'id = "n\u043etice"'),
            "plan.toml: stages[1].id: stage id 'n\\u043etice' mixes Latin and Cyrillic letters",
        ),
        (("format = 1", "format = 2"), "plan.toml: format: expected 1 (the only format so far)"),
        (("format = 1", ""), "plan.toml: format: missing required key"),
        (('name = "Reform"', "name = [1]"), "plan.toml: name: expected a string, got list [1]"),
        (('name = "Reform"', "nme = 1"), "plan.toml: nme: unknown key"),
        (('name = "Reform"', "name = "), "plan.toml: not valid TOML"),
    ],
)
def test_errors_name_the_file_the_place_and_the_problem(
    edit: tuple[str, str], message: str
) -> None:
    old, new = edit
    assert old in PLAN
    with pytest.raises(PlanFileError) as e:
        Plan.loads(PLAN.replace(old, new, 1), source="plan.toml")
    assert str(e.value).startswith(message), str(e.value)


def test_a_cycle_in_a_file_is_reported_at_links() -> None:
    text = PLAN + '\n[[links]]\npredecessor = "permit"\nsuccessor = "notice"\n'
    with pytest.raises(
        PlanFileError,
        match=r"plan.toml: links: links form a cycle: 'notice' -> 'permit' -> 'notice'",
    ):
        Plan.loads(text, source="plan.toml")


def test_missing_plan_file() -> None:
    with pytest.raises(PlanFileError, match=r"nowhere/plan\.toml: no such file"):
        Plan.from_toml("nowhere/plan.toml")


def test_no_stages() -> None:
    with pytest.raises(PlanFileError, match=r"x\.toml: stages: a plan needs at least one stage"):
        Plan.loads('format = 1\ncalendar = "CN"\nstages = []\n', source="x.toml")


durations = all_durations(max_days=400, max_months=24)
lags = st.one_of(st.integers(-30, 30), st.integers(0, 30).map(CalendarDays))
texts = st.text(max_size=12)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            durations,
            texts,
            st.sampled_from(["work", "notice", "applicant", "special"]),
            st.none() | st.dates(date(2004, 1, 1), date(2026, 12, 31)),
            st.none() | st.integers(0, 400),
        ),
        min_size=1,
        max_size=6,
    ),
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.sampled_from(["FS", "SS", "FF"]), lags)
    ),
    texts,
)
def test_any_plan_survives_the_round_trip(
    stages: list[tuple[CalendarDays, str, str, date | None, int | None]],
    links: list[tuple[int, int, str, int | CalendarDays]],
    name: str,
) -> None:
    n = len(stages)
    built = [
        Stage(
            f'id {i} "q" 段',
            d,
            name=nm,
            kind=k,  # type: ignore[arg-type]
            not_before=nb,
            finish_by=None if after is None or nb is None else nb + timedelta(days=after),
        )
        for i, (d, nm, k, nb, after) in enumerate(stages)
    ]
    chosen: dict[tuple[int, int, str], Link] = {}
    for i, j, kind, lag in links:
        a, b = sorted((i % n, j % n))
        if a != b:
            chosen[(a, b, kind)] = Link(built[a].id, built[b].id, kind, lag)  # type: ignore[arg-type]
    plan = Plan(stages=built, links=list(chosen.values()), calendar=calendars.get("CN"), name=name)
    text = plan.to_toml()
    again = Plan.loads(text)
    assert again == plan
    assert again.to_toml() == text


def test_link_ends_match_stage_ids_in_either_unicode_form() -> None:
    import unicodedata

    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    assert nfc != nfd
    text = (
        f'format = 1\ncalendar = "CN"\n[[stages]]\nid = "{nfc}"\nduration = 2\n'
        f'[[stages]]\nid = "b"\nduration = 2\n[[links]]\npredecessor = "{nfd}"\nsuccessor = "b"\n'
    )
    plan = Plan.loads(text, source="p.toml")
    assert plan.links[0].predecessor == nfc
