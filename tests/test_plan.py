"""Stages, links and plans: validation on construction, and rule changes as new plans."""

from __future__ import annotations

import pytest

from approval_clock import (
    ApprovalClockError,
    ArgumentTypeError,
    CalendarDays,
    CalendarMonths,
    CycleError,
    Link,
    Plan,
    PlanError,
    Stage,
    UnknownStageError,
    WorkCalendar,
    WorkingDays,
)

# -- Stage ----------------------------------------------------------------------------


def test_stage_durations_in_every_form() -> None:
    assert Stage("a", 5).duration == WorkingDays(5)
    assert Stage("a", "35wd").duration == WorkingDays(35)
    assert Stage("a", "20cd").duration == CalendarDays(20)
    assert Stage("a", CalendarMonths(3)).duration == CalendarMonths(3)
    assert Stage("a", 0).is_milestone
    assert not Stage("a", 1).is_milestone


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("a", -2), {}, "stage 'a': duration: expected a whole number of days >= 0, got -2"),
        (("a", True), {}, "stage 'a': duration: expected a whole number of working days"),
        (("a", 2.5), {}, "got float 2.5"),
        (("a", "3 weeks"), {}, "stage 'a': duration: expected a duration such as '20wd'"),
        (("", 1), {}, "stage id: expected a non-empty string"),
        ((3, 1), {}, "stage id: expected a non-empty string, got int 3"),
        (("a", 1), {"kind": "review"}, "stage 'a': kind: expected one of 'work', 'notice'"),
        (("a", 1), {"calendar": "CN"}, "stage 'a': calendar: expected a WorkCalendar or None"),
        (("a", 1), {"name": 5}, "stage 'a': name: expected a string"),
    ],
)
def test_bad_stages_are_refused_with_the_field_named(
    args: tuple[object, ...], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(PlanError) as e:
        Stage(*args, **kwargs)  # type: ignore[arg-type]
    assert message in str(e.value)
    assert isinstance(e.value, ApprovalClockError)
    assert isinstance(e.value, ValueError)


def test_stage_counts_on_the_clock_by_kind() -> None:
    assert [Stage("a", 1, kind=k).counts for k in ("work", "notice", "applicant", "special")] == [
        True,
        True,
        False,
        False,
    ]


# -- Link -----------------------------------------------------------------------------


def test_link_lags() -> None:
    assert Link("a", "b").lag == 0
    assert Link("a", "b").kind == "FS"
    assert Link("a", "b", lag=-2).lag == -2
    assert Link("a", "b", lag=WorkingDays(3)).lag == 3
    assert Link("a", "b", lag="3wd").lag == 3
    assert Link("a", "b", lag="3cd").lag == CalendarDays(3)
    assert str(Link("a", "b", "SS", CalendarDays(2))) == "'a' -> 'b' (SS, lag 2cd)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("a", "b", "SF"), "link 'a' -> 'b': kind: expected one of 'FS', 'SS', 'FF', got str 'SF'"),
        (("a", "a"), "link 'a' -> 'a': a stage cannot be linked to itself"),
        (("a", "b", "FS", 1.5), "link 'a' -> 'b' (FS): lag: expected an int of working days"),
        (("a", "b", "FS", True), "got bool True"),
        (("a", "b", "FS", CalendarMonths(1)), "got CalendarMonths"),
        (("a", ""), "link successor: expected a stage id"),
    ],
)
def test_bad_links_are_refused(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(PlanError) as e:
        Link(*args)  # type: ignore[arg-type]
    assert message in str(e.value)


# -- Plan -----------------------------------------------------------------------------


def test_plan_validation_errors(cn: WorkCalendar) -> None:
    a, b = Stage("a", 1), Stage("b", 1)
    with pytest.raises(PlanError, match=r"duplicate stage id 'a' \(stages\[0\] and stages\[2\]\)"):
        Plan(stages=[a, b, Stage("a", 3)], calendar=cn)
    with pytest.raises(PlanError, match=r"unknown successor 'zz'; the stages are 'a', 'b'"):
        Plan(stages=[a, b], links=[Link("a", "zz")], calendar=cn)
    with pytest.raises(PlanError, match=r"\(FS\) is given twice \(links\[0\] and links\[1\]\)"):
        Plan(stages=[a, b], links=[Link("a", "b"), Link("a", "b", lag=2)], calendar=cn)
    with pytest.raises(PlanError, match="a plan needs at least one stage"):
        Plan(stages=[], calendar=cn)
    with pytest.raises(ArgumentTypeError, match="calendar: expected a WorkCalendar"):
        Plan(stages=[a], calendar="CN")  # type: ignore[arg-type]
    with pytest.raises(PlanError, match=r"stages\[1\]: expected a Stage, got str"):
        Plan(stages=[a, "b"], calendar=cn)  # type: ignore[list-item]


def test_ss_and_ff_between_one_pair_is_accept_early_issue_after(cn: WorkCalendar) -> None:
    plan = Plan(
        stages=[Stage("a", 1), Stage("b", 1)],
        links=[Link("a", "b", "SS"), Link("a", "b", "FF")],
        calendar=cn,
    )
    assert len(plan.links) == 2


def test_a_cycle_is_reported_in_order(cn: WorkCalendar) -> None:
    stages = [Stage(i, 1) for i in ("x", "a", "b", "c")]
    links = [Link("x", "a"), Link("c", "a"), Link("a", "b"), Link("b", "c")]
    with pytest.raises(CycleError) as e:
        Plan(stages=stages, links=links, calendar=cn)
    assert e.value.cycle == ("a", "b", "c")
    assert str(e.value) == (
        "links form a cycle: 'a' -> 'b' -> 'c' -> 'a'; remove one of these links"
    )
    assert isinstance(e.value, PlanError)
    assert isinstance(e.value, ValueError)


def test_a_cycle_of_two_through_different_link_kinds(cn: WorkCalendar) -> None:
    with pytest.raises(CycleError, match="'a' -> 'b' -> 'a'"):
        Plan(
            stages=[Stage("a", 1), Stage("b", 1)],
            links=[Link("a", "b", "SS"), Link("b", "a", "FF")],
            calendar=cn,
        )


def test_a_long_cycle_does_not_recurse(cn: WorkCalendar) -> None:
    n = 50_000
    stages = [Stage(f"s{i}", 1) for i in range(n)]
    links = [Link(f"s{i}", f"s{(i + 1) % n}") for i in range(n)]
    with pytest.raises(CycleError) as e:
        Plan(stages=stages, links=links, calendar=cn)
    assert len(e.value.cycle) == n


def test_rule_changes_return_new_plans(cn: WorkCalendar) -> None:
    plan = Plan(stages=[Stage("a", 5), Stage("b", 2)], links=[Link("a", "b")], calendar=cn)
    shorter = plan.replace_stage(Stage("a", 3))
    assert plan.stage("a").duration == WorkingDays(5)  # unchanged
    assert shorter.stage("a").duration == WorkingDays(3)
    assert [s.id for s in shorter.stages] == ["a", "b"]  # same place
    parallel = plan.without_link(Link("a", "b")).with_link(Link("a", "b", "SS"))
    assert parallel.links == (Link("a", "b", "SS"),)
    assert plan.with_stage(Stage("c", 1), [Link("b", "c")]).stage("c").duration.n == 1
    assert plan.without_stage("b").links == ()
    assert plan == Plan(stages=[Stage("a", 5), Stage("b", 2)], links=[Link("a", "b")], calendar=cn)


def test_rule_change_errors(cn: WorkCalendar) -> None:
    plan = Plan(stages=[Stage("a", 5), Stage("b", 2)], links=[Link("a", "b")], calendar=cn)
    with pytest.raises(CycleError):
        plan.with_link(Link("b", "a"))
    with pytest.raises(PlanError, match="the plan has no link 'b' -> 'a' \\(SS\\)"):
        plan.without_link(Link("b", "a", "SS"))
    with pytest.raises(PlanError, match="replace_stage: no stage 'z'"):
        plan.replace_stage(Stage("z", 1))
    with pytest.raises(UnknownStageError, match="no stage 'z' in the plan"):
        plan.stage("z")
    with pytest.raises(KeyError):
        plan.calendar_of("z")


def test_plans_are_immutable(cn: WorkCalendar) -> None:
    plan = Plan(stages=[Stage("a", 5)], calendar=cn)
    with pytest.raises(AttributeError):
        plan.name = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        plan.stages[0].id = "x"  # type: ignore[misc]


# -- rule changes that keep what they do not change -------------------------------------


def test_with_stage_changes_keeps_kind_name_calendar_and_constraints(cn: WorkCalendar) -> None:
    from datetime import date

    hall = cn.with_weekmask("1111110")
    notice = Stage(
        "land_notice", 35, kind="notice", name="出让公示", calendar=hall, finish_by=date(2021, 9, 1)
    )
    plan = Plan(stages=[Stage("a", 1), notice], links=[Link("a", "land_notice")], calendar=cn)
    shorter = plan.with_stage_changes("land_notice", duration=30)
    assert shorter.stage("land_notice") == Stage(
        "land_notice", 30, kind="notice", name="出让公示", calendar=hall, finish_by=date(2021, 9, 1)
    )
    assert shorter.links == plan.links
    assert [s.id for s in shorter.stages] == ["a", "land_notice"]
    # None removes a field that may be None; the rest stays.
    assert plan.with_stage_changes("land_notice", calendar=None, finish_by=None).stage(
        "land_notice"
    ) == Stage("land_notice", 35, kind="notice", name="出让公示")
    # The pitfall it avoids: replace_stage replaces the whole stage.
    assert plan.replace_stage(Stage("land_notice", 30)).stage("land_notice").kind == "work"
    with pytest.raises(PlanError, match="with_stage_changes: no stage 'z'"):
        plan.with_stage_changes("z", duration=1)
    with pytest.raises(PlanError, match="stage 'a': duration: expected a whole number"):
        plan.with_stage_changes("a", duration=-1)


# -- ids: NFC, look-alike scripts ----------------------------------------------------------


def test_ids_are_nfc_so_both_spellings_are_one_stage(cn: WorkCalendar) -> None:
    nfd, nfc = "e\u0301tude", "\u00e9tude"
    assert Stage(nfd, 1).id == nfc
    assert Link(nfd, "b").predecessor == nfc
    plan = Plan(stages=[Stage(nfc, 1), Stage("b", 1)], links=[Link(nfd, "b")], calendar=cn)
    assert plan.stage(nfd).id == nfc
    assert nfd in plan
    assert plan.schedule(start=__import__("datetime").date(2021, 9, 1))[nfd].id == nfc
    with pytest.raises(PlanError, match="duplicate stage id 'étude'"):
        Plan(stages=[Stage(nfc, 1), Stage(nfd, 1)], calendar=cn)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # "rеview" with a Cyrillic е (U+0435) looks exactly like "review".
        (
            "r\u0435view",
            r"'r\\u0435view' mixes Latin and Cyrillic letters \(U\+0435 CYRILLIC SMALL LETTER IE at position 1\)",
        ),
        (
            "p\u03bfrmit",
            r"'p\\u03bfrmit' mixes Latin and Greek letters \(U\+03BF GREEK SMALL LETTER OMICRON",
        ),
        ("re\uff56iew", r"'re\\uff56iew' mixes Latin and fullwidth Latin letters"),
    ],
)
def test_ids_mixing_look_alike_scripts_are_refused_and_shown_escaped(
    text: str, message: str
) -> None:
    with pytest.raises(PlanError, match=message):
        Stage(text, 1)
    with pytest.raises(PlanError, match="link successor " + message):
        Link("a", text)


def test_ids_in_one_script_or_with_chinese_are_accepted() -> None:
    assert Stage("规划许可_permit", 1).id == "规划许可_permit"
    assert Stage("проверка", 1).id == "проверка"  # all Cyrillic: nothing to confuse in it
    assert Stage("审查2", 1).id == "审查2"


# -- reprs -------------------------------------------------------------------------------


def test_reprs_are_short_and_evaluate_back(cn: WorkCalendar) -> None:
    import datetime

    from approval_clock import calendars

    hall = cn.with_weekmask("1111110")
    stages = [
        Stage("notice", "20cd", kind="notice", name="公示", not_before=datetime.date(2021, 8, 2)),
        Stage("review", 10, finish_by=datetime.date(2021, 9, 30)),
        Stage("hall", "2mo", calendar=hall),
    ]
    links = [
        Link("notice", "review", "SS", 2),
        Link("notice", "review", "FF", "3cd"),
        Link("review", "hall"),
    ]
    plan = Plan(stages=stages[:2], links=links[:2], calendar=cn, name="demo")
    assert repr(stages[1]) == "Stage('review', 10, finish_by=datetime.date(2021, 9, 30))"
    assert repr(links[1]) == "Link('notice', 'review', 'FF', '3cd')"
    assert repr(Link("a", "b")) == "Link('a', 'b')"
    assert repr(Link("a", "b", lag=-1)) == "Link('a', 'b', 'FS', -1)"
    namespace = {
        "Stage": Stage,
        "Link": Link,
        "Plan": Plan,
        "calendars": calendars,
        "datetime": datetime,
    }
    for value in (*stages[:2], *links, plan):
        assert eval(repr(value), namespace) == value
    assert repr(plan).startswith(
        "Plan(stages=[Stage('notice', '20cd', name='公示', kind='notice', "
    )
    assert repr(plan).endswith("calendar=calendars.get('CN'), name='demo')")
    # A calendar calendars.get does not give back is shown as what it is.
    assert "calendar=<WorkCalendar" in repr(stages[2])
    assert "_index" not in repr(plan)


def test_hypothesis_prints_plans_as_their_repr(cn: WorkCalendar) -> None:
    from hypothesis.vendor.pretty import pretty

    plan = Plan(stages=[Stage("a", 1), Stage("b", 2)], links=[Link("a", "b", "SS")], calendar=cn)
    assert pretty(plan) == repr(plan)
    assert pretty(plan.stages[0]) == "Stage('a', 1)"
    assert pretty(plan.links[0]) == "Link('a', 'b', 'SS')"
