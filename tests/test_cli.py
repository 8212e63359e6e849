"""The ``approval-clock`` command: every subcommand on the shipped examples, exit codes, bad input.

Most tests run the command in-process (``main([...])`` with capsys); a few run it
as a user would, through ``python -m approval_clock`` and the console script.
The console examples in ``docs/cli.md`` are run here too.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from approval_clock import WorkCalendar
from approval_clock.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, main

ROOT = Path(__file__).resolve().parents[1]
HULUDAO = "examples/huludao"
README_COMMAND = (
    f"check {HULUDAO}/policy.toml {HULUDAO}/reform.toml "
    f"--baseline {HULUDAO}/baseline.toml --start 2021-06-01"
)


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths in the output are the paths as given, relative to the repository root.
    monkeypatch.chdir(ROOT)


def run(capsys: pytest.CaptureFixture[str], command: str) -> tuple[int, list[str], str]:
    code = main(shlex.split(command))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


REFORM_TABLE = [
    "Industrial project, after the reform: start 2021-06-01, calendar Mainland China",
    "  stage                kind    start       finish      days  float  critical  name",
    "  generation           work    2021-06-01  2021-06-03     3      0  yes       项目生成 project generation",
    "  land_notice          notice  2021-06-04  2021-07-23    35      0  yes       出让公示 land transfer notice",
    "  design               work    2021-06-04  2021-06-10     5     34            设计方案审查 design scheme review",
    "  land_contract        work    2021-07-26  2021-07-27     2      0  yes       挂牌成交、签订出让合同 land transfer",
    "  registration         work    2021-07-28  2021-08-03     5      0  yes       国有建设用地使用权首次登记 land-use-right registration",
    "  planning_permit      work    2021-07-30  2021-08-03     3      0  yes       建设工程规划许可证 planning permit",
    "  construction_permit  work    2021-07-28  2021-08-03     5      0  yes       建筑工程施工许可证 construction permit",
    "duration: 45 working days, 2021-06-01 .. 2021-08-03 (64 calendar days)",
    "approval clock: 45 working days (35 in notice windows)",
    "critical path: generation, land_notice, land_contract, registration, construction_permit, planning_permit",
]


# -- every subcommand, exact output --------------------------------------------------------


def test_calendar_lists_the_holidays_and_makeup_days_of_2021(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "calendar CN 2021")
    assert (code, err) == (EXIT_OK, "")
    # 2021 had 250 working days: 365 - 115 rest days, seven makeup working days.
    assert out == [
        "Mainland China 2021: 250 working days, 115 rest days",
        "holidays:",
        "  2021-01-01 .. 2021-01-03  3 days  New Year's Day",
        "  2021-02-11 .. 2021-02-17  7 days  Spring Festival",
        "  2021-04-03 .. 2021-04-05  3 days  Tomb-sweeping Day",
        "  2021-05-01 .. 2021-05-05  5 days  Labour Day",
        "  2021-06-12 .. 2021-06-14  3 days  Dragon Boat Festival",
        "  2021-09-19 .. 2021-09-21  3 days  Mid-autumn Festival",
        "  2021-10-01 .. 2021-10-07  7 days  National Day",
        "makeup working days:",
        "  2021-02-07  Sunday    for Spring Festival",
        "  2021-02-20  Saturday  for Spring Festival",
        "  2021-04-25  Sunday    for Labour Day",
        "  2021-05-08  Saturday  for Labour Day",
        "  2021-09-18  Saturday  for Mid-autumn Festival",
        "  2021-09-26  Sunday    for National Day",
        "  2021-10-09  Saturday  for National Day",
    ]


@pytest.mark.parametrize(
    ("day", "line"),
    [
        ("2021-10-09", "2021-10-09 Saturday: working day (makeup working day for National Day)"),
        ("2021-10-01", "2021-10-01 Friday: rest day (National Day)"),
        ("2021-10-08", "2021-10-08 Friday: working day"),
        ("2021-10-10", "2021-10-10 Sunday: rest day (weekend)"),
    ],
)
def test_calendar_check_says_why_a_day_is_or_is_not_worked(
    capsys: pytest.CaptureFixture[str], day: str, line: str
) -> None:
    code, out, _ = run(capsys, f"calendar CN 2021 --check {day}")
    assert (code, out) == (EXIT_OK, [f"{line}, Mainland China"])


def test_count_gives_the_press_figure_and_the_elapsed_days(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Land delisted 2021-08-18, construction permit 2021-09-10: "18 working days".
    code, out, _ = run(capsys, "count 2021-08-18 2021-09-10 --calendar CN")
    assert code == EXIT_OK
    assert out == [
        "18 working days from 2021-08-18 to 2021-09-10, both days counted (Mainland China)",
        "17 working days elapsed after 2021-08-18, the first day not counted (Civil Code art. 201)",
    ]


@pytest.mark.parametrize(
    ("duration", "first"),
    [
        # Over National Day (1-7 Oct off) and the makeup Saturday 9 Oct.
        ("20wd", "2021-11-01 Monday: 20 working days after 2021-09-28 (Mainland China)"),
        # 28 Sep + 20 days is Mon 18 Oct, a working day: no roll.
        ("20cd", "2021-10-18 Monday: 20 calendar days after 2021-09-28 (Mainland China)"),
        # 28 Sep + 12 days is Sunday 10 Oct, a rest day: rolled to Monday 11 Oct.
        ("12cd", "2021-10-11 Monday: 12 calendar days after 2021-09-28 (Mainland China)"),
        # 28 Dec 2021 is a Tuesday, a working day.
        ("3mo", "2021-12-28 Tuesday: 3 months after 2021-09-28 (Mainland China)"),
    ],
)
def test_deadline_in_each_unit(
    capsys: pytest.CaptureFixture[str], duration: str, first: str
) -> None:
    code, out, _ = run(capsys, f"deadline 2021-09-28 {duration}")
    assert code == EXIT_OK
    assert out[0] == first
    assert len(out) == 2
    assert "Civil Code art" in out[1]


def test_schedule_prints_the_stage_table_and_the_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, f"schedule {HULUDAO}/reform.toml --start 2021-06-01")
    assert (code, err) == (EXIT_OK, "")
    assert out == REFORM_TABLE


def test_compare_prints_85_to_45(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, f"compare {HULUDAO}/baseline.toml {HULUDAO}/reform.toml --start 2021-06-01"
    )
    assert code == EXIT_OK
    assert out == [
        "baseline: Industrial project, before the reform (examples/huludao/baseline.toml)",
        "reform:   Industrial project, after the reform (examples/huludao/reform.toml)",
        "start:    2021-06-01",
        "approval days: 85 -> 45 working days, 40 saved (47.1%)",
        "duration: 85 -> 45 working days (120 -> 64 calendar days)",
        "notice windows (cannot be compressed): 35 -> 35 working days; the rest 50 -> 10 (80.0%)",
        "changes:",
        "  design: shorter, 10 -> 5 working days",
        "  registration: shorter, 10 -> 5 working days",
        "  planning_permit: shorter, 20 -> 3 working days",
        "  construction_permit: shorter, 15 -> 5 working days",
    ]


def test_compare_by_duration(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        f"compare {HULUDAO}/baseline.toml {HULUDAO}/reform.toml --start 2021-06-01 "
        f"--metric duration",
    )
    assert code == EXIT_OK
    assert out[3] == "duration: 85 -> 45 working days, 40 saved (47.1%)"


def test_the_readme_command_prints_the_schedule_and_the_verdict(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, README_COMMAND)
    assert (code, err) == (EXIT_OK, "")
    assert out == [
        *REFORM_TABLE,
        "",
        "拿地即开工 pilot: industrial projects: 85 -> 45 working days (approval days), 40 days saved, 47.1% >= 45%: passed",
        "compressible part (without the 35-working-day notice): 50 -> 10",
        "  [pass] baseline process takes the stated working days: expected 85, actual 85",
        "  [pass] reform takes at most the target working days: expected <= 45, actual 45",
        "  [pass] compression against 85 working days: expected >= 45%, actual 47.1% (40 of 85 saved)",
        "  [pass] statutory notice kept whole (one uninterrupted notice stage, included in the limit): expected >= 35, actual 35 (land_notice)",
        "verdict: passed",
    ]


@pytest.fixture
def slower_reform(tmp_path: Path) -> Path:
    """The reform with a registration one day longer: 46 working days, one over the target."""
    text = (ROOT / HULUDAO / "reform.toml").read_text(encoding="utf-8")
    old = 'land-use-right registration"\nduration = 5'
    assert text.count(old) == 1
    path = tmp_path / "slower.toml"
    path.write_text(text.replace(old, 'land-use-right registration"\nduration = 6'), "utf-8")
    return path


def test_a_failing_policy_check_exits_1_and_names_the_rule(
    capsys: pytest.CaptureFixture[str], slower_reform: Path
) -> None:
    code, out, err = run(
        capsys,
        f"check {HULUDAO}/policy.toml {slower_reform} --baseline {HULUDAO}/baseline.toml "
        f"--start 2021-06-01",
    )
    assert (code, err) == (EXIT_FAILED, "")
    assert "  [FAIL] reform takes at most the target working days: expected <= 45, actual 46" in out
    assert out[-1] == "verdict: FAILED (target_limit)"


def test_check_without_a_baseline_uses_the_policy_baseline_limit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys, f"check {HULUDAO}/policy.toml {HULUDAO}/reform.toml --start 2021-06-01"
    )
    assert code == EXIT_OK
    assert (
        "  [pass] compression against 85 working days: expected >= 45%, actual 47.1% (40 of 85 saved)"
        in out
    )
    assert not any(line.startswith("  [pass] baseline process") for line in out)


def test_check_every_start_of_2021(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        f"check {HULUDAO}/policy.toml {HULUDAO}/reform.toml --baseline {HULUDAO}/baseline.toml "
        f"--year 2021",
    )
    assert code == EXIT_OK
    assert out == [
        "拿地即开工 pilot: industrial projects: 250 start dates in 2021: 250 passed, 0 failed, 0 not checked",
        "calendar days: min 61, median 65, max 70 (worst starts: 2021-02-09, 2021-02-10, 2021-01-28)",
        "verdict: passed",
    ]


def test_check_every_start_of_2026_fails_for_the_starts_past_the_calendar(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Starts from November 2026 would finish in 2027, past the official notices:
    # an unchecked start is not a pass.
    code, out, _ = run(capsys, f"check {HULUDAO}/policy.toml {HULUDAO}/reform.toml --year 2026")
    assert code == EXIT_FAILED
    assert out[0].endswith("204 passed, 0 failed, 44 not checked (44 reform not covered)")
    assert out[-1] == "verdict: NOT PASSED (44 of 248 starts not checked: 44 reform not covered)"


YEAR_LINE = re.compile(
    r": (\d+) start dates in (\d+): (\d+) passed, (\d+) failed, (\d+) not checked"
    r"(?: \((.*)\))?$"
)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # 2021: every one of the 250 working days is checked and passes.
        (2021, {"passed": 250, "failed": 0, "not checked": 0}),
        # 2026 (248 working days): the reform (45 days) cannot be scheduled from the
        # last 44 working days (from 2 November its schedule ends in 2027), the
        # baseline (85 days) from 40 more (from 1 September): 164 are checked.
        (2026, {"passed": 164, "failed": 0, "not checked": 84}),
    ],
)
def test_the_year_verdict_adds_up_in_text_and_json(
    capsys: pytest.CaptureFixture[str], cn: WorkCalendar, year: int, expected: dict[str, int]
) -> None:
    command = (
        f"check {HULUDAO}/policy.toml {HULUDAO}/reform.toml --baseline {HULUDAO}/baseline.toml "
        f"--year {year}"
    )
    code, text, _ = run(capsys, command)
    code_json, out, _ = run(capsys, command + " --json")
    assert code == code_json == (EXIT_OK if year == 2021 else EXIT_FAILED)
    data = json.loads("\n".join(out))
    working_days = len(cn.working_days(date(year, 1, 1), date(year, 12, 31)))
    assert working_days == {2021: 250, 2026: 248}[year]
    # JSON: every start once, and the counts add up to the working days of the year.
    assert data["counts"] == expected
    assert data["starts"] == sum(data["counts"].values()) == working_days
    assert sum(data["not_checked_by_reason"].values()) == data["counts"]["not checked"]
    starts = [r["start"] for r in data["results"]]
    assert starts == sorted(set(starts))
    assert len(starts) == working_days
    assert starts == [d.isoformat() for d in cn.working_days(date(year, 1, 1), date(year, 12, 31))]
    by_verdict = Counter(r["verdict"] for r in data["results"])
    assert dict(by_verdict) == {k: v for k, v in expected.items() if v}
    assert len(data["not_checked"]) == expected["not checked"]
    assert {r["start"] for r in data["results"] if r["verdict"] == "not checked"} == {
        r["start"] for r in data["not_checked"]
    }
    # Text: the first line says the same numbers.
    m = YEAR_LINE.search(text[0])
    assert m is not None, text[0]
    total, y, passed, failed, unchecked = map(int, m.groups()[:5])
    assert (total, y) == (working_days, year)
    assert {"passed": passed, "failed": failed, "not checked": unchecked} == expected
    reasons = dict(
        (why, int(n))
        for n, why in (part.split(" ", 1) for part in (m.group(6) or "").split(", ") if part)
    )
    assert reasons == {k: v for k, v in data["not_checked_by_reason"].items() if v}
    if year == 2026:
        assert reasons == {"reform not covered": 44, "baseline not covered": 40}
        assert data["not_checked"][0] == {
            "start": "2026-09-01",
            "reason": "baseline not covered",
            "detail": data["not_checked"][0]["detail"],
        }
        assert "2026-09-01" in data["not_checked"][0]["detail"]
        assert text[-1] == (
            "verdict: NOT PASSED (84 of 248 starts not checked: 44 reform not covered, "
            "40 baseline not covered)"
        )


def test_schedule_reports_a_missed_finish_by_with_negative_float(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The planning permit is promised by Mon 2 Aug 2021; from 1 June it finishes Tue
    # 3 Aug (as in the reform), one working day late, and the registration that
    # holds it back (FF) carries the -1 too.
    text = (ROOT / HULUDAO / "reform.toml").read_text(encoding="utf-8")
    old = 'planning permit"\nduration = 3'
    assert text.count(old) == 1
    path = tmp_path / "promised.toml"
    path.write_text(text.replace(old, old + "\nfinish_by = 2021-08-02"), "utf-8")
    code, out, _ = run(capsys, f"schedule {path} --start 2021-06-01")
    assert code == EXIT_OK
    assert (
        "finish by 2021-08-02 MISSED: planning_permit finishes 2021-08-03 (total float -1)" in out
    )
    assert any(line.split()[:1] == ["registration"] and " -1 " in line for line in out)
    code, out, _ = run(capsys, f"schedule {path} --start 2021-06-01 --json")
    data = json.loads("\n".join(out))
    assert data["missed_deadlines"] == ["planning_permit"]
    permit = next(r for r in data["stages"] if r["id"] == "planning_permit")
    assert (permit["finish_by"], permit["total_float"], permit["calendar_days"]) == (
        "2021-08-02",
        -1,
        5,  # Fri 30 Jul .. Tue 3 Aug
    )


def test_compare_json_has_calendar_days_next_to_working_days(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys,
        f"compare {HULUDAO}/baseline.toml {HULUDAO}/reform.toml --start 2021-06-01 --json",
    )
    assert code == EXIT_OK
    data = json.loads("\n".join(out))
    assert (data["saved"], data["unit"]) == (40, "working days")
    assert (data["baseline_calendar_days"], data["reform_calendar_days"]) == (120, 64)
    assert data["saved_calendar_days"] == 56
    code, out, _ = run(
        capsys,
        f"compare {HULUDAO}/baseline.toml {HULUDAO}/reform.toml --start 2021-06-01 "
        "--metric calendar_days",
    )
    assert code == EXIT_OK
    assert "duration in calendar days: 120 -> 64 calendar days, 56 saved (46.7%)" in out


def test_sweep_2021(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, f"sweep {HULUDAO}/reform.toml --year 2021")
    assert code == EXIT_OK
    assert out == [
        "Industrial project, after the reform: 250 start dates in 2021 (the working days of Mainland China), 0 not covered",
        "                 min  median  max",
        "  duration        45      45   45",
        "  approval days   45      45   45",
        "  notice days     35      35   35",
        "  calendar days   61      65   70",
        "longest (calendar days) from: 2021-02-09, 2021-02-10, 2021-01-28, 2021-01-29, 2021-02-03",
    ]


RECORDS = (
    "records examples/records.csv --calendar CN --as-of 2021-12-31 --pauses examples/pauses.csv"
)


def test_records_kpis_overdue_and_rejected_rows(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas")
    code, out, err = run(capsys, RECORDS)
    assert (code, err) == (EXIT_OK, "")
    assert (
        out[0]
        == "examples/records.csv: 10 stage rows, 1 rejected, as of 2021-12-31 (Mainland China)"
    )
    kpis = dict(
        line.split()
        for line in out[2 : out.index("overdue stages: 2 (most working days overdue first)")]
    )
    # 7 stages done, 6 on time: P0001's construction permit took 13 working days for 7.
    assert kpis["done"] == "7"
    assert kpis["done_on_time"] == "6"
    assert kpis["on_time_rate"] == "85.7%"
    assert kpis["same_day"] == "1"
    assert kpis["paused_days"] == "3"
    tail = out[out.index("overdue stages: 2 (most working days overdue first)") :]
    assert tail == [
        "overdue stages: 2 (most working days overdue first)",
        "  case   stage                accepted    completed   deadline    elapsed  limit  overdue  status",
        "  P0002  planning permit      2021-12-01              2021-12-10       22      7       15  open overdue",
        "  P0001  construction permit  2021-03-02  2021-03-19  2021-03-11       13      7        6  done late",
        "rejected rows: 1",
        "  row  case   stage          reason                        column",
        "    9  P0005  design review  completion before acceptance  completed",
    ]


def test_records_pause_across_national_day_keeps_the_stage_on_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Without the pause file, P0004's review (5 days, paused 28 Sep - 8 Oct) is late.
    pytest.importorskip("pandas")
    code, out, _ = run(capsys, "records examples/records.csv --as-of 2021-12-31 --top 0")
    assert code == EXIT_OK
    assert any(line.startswith("  P0004  review") and "done late" in line for line in out)


# -- JSON ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "keys"),
    [
        ("calendar CN 2021", {"year": 2021, "working_days": 250, "rest_days": 115}),
        ("calendar CN 2021 --check 2021-10-09", {"date": "2021-10-09", "working_day": True}),
        ("count 2021-08-18 2021-09-10", {"count": 18, "elapsed": 17, "from": "2021-08-18"}),
        ("deadline 2021-09-28 20wd", {"deadline": "2021-11-01", "duration": "20wd"}),
        (
            f"schedule {HULUDAO}/reform.toml --start 2021-06-01",
            {"approval_days": 45, "finish": "2021-08-03", "notice_days": 35},
        ),
        (
            f"compare {HULUDAO}/baseline.toml {HULUDAO}/reform.toml --start 2021-06-01",
            {"baseline_days": 85, "reform_days": 45, "ratio_exact": "8/17", "percent": "47.1%"},
        ),
        (README_COMMAND, {"passed": True, "actual_days": 45, "baseline_days": 85}),
        (
            f"check {HULUDAO}/policy.toml {HULUDAO}/reform.toml --year 2021",
            {"passed": True, "checked": 250, "failures": [], "not_checked": [], "starts": 250},
        ),
        (f"sweep {HULUDAO}/reform.toml --year 2021", {"starts": 250, "year": 2021}),
    ],
)
def test_json_has_stable_keys_and_iso_dates(
    capsys: pytest.CaptureFixture[str], command: str, keys: dict[str, object]
) -> None:
    for argv in (f"{command} --json", f"--json {command}"):
        code, out, _ = run(capsys, argv)
        assert code == EXIT_OK
        data = json.loads("\n".join(out))
        assert {k: data[k] for k in keys} == keys


def test_json_schedule_stages_are_plain_records(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, f"schedule {HULUDAO}/reform.toml --start 2021-06-01 --json")
    data = json.loads("\n".join(out))
    first = data["stages"][0]
    assert first["id"] == "generation"
    assert first["start"] == "2021-06-01"
    assert first["critical"] is True
    assert first["duration"] == "3wd"
    assert data["critical_path"][:2] == ["generation", "land_notice"]


def test_json_records_uses_null_for_missing_values(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas")
    _, out, _ = run(capsys, RECORDS + " --json")
    data = json.loads("\n".join(out))
    assert data["kpis"]["stages"] == 9
    assert data["rejected_rows"] == 1
    assert data["overdue"][0]["completed"] is None
    assert data["overdue"][0]["deadline"] == "2021-12-10"
    assert data["rejected"][0] == {
        "index": 9,
        "case": "P0005",
        "stage": "design review",
        "reason": "completion before acceptance",
        "column": "completed",
    }


def test_json_of_a_failed_check_says_which_rules(
    capsys: pytest.CaptureFixture[str], slower_reform: Path
) -> None:
    code, out, _ = run(
        capsys, f"check {HULUDAO}/policy.toml {slower_reform} --start 2021-06-01 --json"
    )
    data = json.loads("\n".join(out))
    assert code == EXIT_FAILED
    assert data["passed"] is False
    assert [r["rule"] for r in data["rules"] if not r["passed"]] == ["target_limit"]


# -- bad input -----------------------------------------------------------------------------


@pytest.fixture
def bad_files(tmp_path: Path) -> Path:
    (tmp_path / "malformed.toml").write_text('format = 1\ncalendar = "CN"\n[[stages]\n', "utf-8")
    (tmp_path / "duration.toml").write_text(
        'format = 1\ncalendar = "CN"\n[[stages]]\nid = "a"\nduration = "3 weeks"\n', "utf-8"
    )
    (tmp_path / "calendar.toml").write_text(
        'format = 1\ncalendar = "XX"\n[[stages]]\nid = "a"\nduration = 3\n', "utf-8"
    )
    (tmp_path / "empty.csv").write_text("", "utf-8")
    return tmp_path


BAD = [
    # (command, what the one line on stderr must contain)
    ("schedule {tmp}/missing.toml --start 2021-06-01", "{tmp}/missing.toml: no such file"),
    ("schedule {tmp}/malformed.toml --start 2021-06-01", "{tmp}/malformed.toml: not valid TOML"),
    ("schedule {tmp}/malformed.toml --start 2021-06-01", "(at line 3, column 9)"),
    (
        "schedule {tmp}/duration.toml --start 2021-06-01",
        "{tmp}/duration.toml: stages[0].duration: expected a duration",
    ),
    (
        "schedule {tmp}/calendar.toml --start 2021-06-01",
        "{tmp}/calendar.toml: calendar: unknown calendar code 'XX'",
    ),
    ("schedule {tmp} --start 2021-06-01", "{tmp}: cannot read"),
    (
        "schedule examples/huludao/reform.toml --start 2021-13-01",
        "argument --start: expected a date such as 2021-06-01, got '2021-13-01'",
    ),
    (
        "schedule examples/huludao/reform.toml --start 2026-12-01",
        "examples/huludao/reform.toml: stage 'land_notice' would finish after the range",
    ),
    ("schedule examples/huludao/reform.toml", "the following arguments are required: --start"),
    ("count 2021-01-01 2021-02-01 --calendar XX", "--calendar XX: unknown calendar code 'XX'"),
    ("count 2021-09-10 2021-08-18", "the first date 2021-09-10 is after the second 2021-08-18"),
    ("deadline 2021-09-28 20weeks", "argument DURATION: expected a duration such as '20wd'"),
    # argparse reads -3wd as an option: the duration is then missing.
    ("deadline 2021-09-28 -3wd", "the following arguments are required: DURATION"),
    ("deadline 2026-12-28 20wd", "ends after the range of calendar 'Mainland China'"),
    ("calendar CN 2031", "year 2031: 2031-01-01 is after the range of calendar 'Mainland China'"),
    ("calendar CN 20x1", "argument YEAR: expected a year such as 2021, got '20x1'"),
    ("calendar CN 2021 --check 2021-02-30", "argument --check: expected a date"),
    (
        "check examples/huludao/policy.toml examples/huludao/reform.toml",
        "one of the arguments --start --year is required",
    ),
    (
        "check {tmp}/malformed.toml examples/huludao/reform.toml --start 2021-06-01",
        "{tmp}/malformed.toml: not valid TOML",
    ),
    (
        "check examples/huludao/policy.toml examples/huludao/reform.toml --baseline {tmp}/missing.toml --start 2021-06-01",
        "{tmp}/missing.toml: no such file",
    ),
    (
        "sweep examples/huludao/reform.toml --year 2040",
        "year 2040 is outside calendar 'Mainland China'",
    ),
    ("records {tmp}/missing.csv --as-of 2021-12-31", "{tmp}/missing.csv: no such file"),
    ("records {tmp}/empty.csv --as-of 2021-12-31", "{tmp}/empty.csv: empty file"),
    ("records examples/records.csv", "pass --as-of DATE"),
    ("records examples/records.csv --as-of 2021-12-31 --accepted acc", "no column 'acc'"),
    (
        "schedule examples/huludao/reform.toml --start 2021-06-01 --chart {tmp}/x.gif",
        "--chart {tmp}/x.gif: expected a file name ending in .png, .svg or .pdf",
    ),
    (
        "schedule examples/huludao/reform.toml --start 2021-06-01 --chart {tmp}/no/x.png",
        "--chart {tmp}/no/x.png: no such directory",
    ),
    ("frobnicate", "argument COMMAND: invalid choice: 'frobnicate'"),
    ("", "the following arguments are required: COMMAND"),
]


@pytest.mark.parametrize(("command", "expected"), BAD)
def test_bad_input_exits_2_with_one_line_naming_the_place(
    capsys: pytest.CaptureFixture[str], bad_files: Path, command: str, expected: str
) -> None:
    if command.startswith("records"):
        pytest.importorskip("pandas")
    tmp = str(bad_files)
    code, out, err = run(capsys, command.format(tmp=tmp))
    assert code == EXIT_BAD_INPUT
    assert out == []
    assert err.count("\n") == 1
    assert err.endswith("\n")
    assert err.startswith("approval-clock")
    assert expected.format(tmp=tmp) in err
    assert "Traceback" not in err


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == EXIT_OK
    assert "schedule" in capsys.readouterr().out
    assert main(["check", "--help"]) == EXIT_OK
    assert "--baseline" in capsys.readouterr().out
    assert main(["--version"]) == EXIT_OK
    assert capsys.readouterr().out.startswith("approval-clock ")


# -- charts from the command line ---------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        f"schedule {HULUDAO}/reform.toml --start 2021-06-01",
        f"compare {HULUDAO}/baseline.toml {HULUDAO}/reform.toml --start 2021-06-01",
        f"sweep {HULUDAO}/reform.toml --year 2021",
        README_COMMAND,
        f"check {HULUDAO}/policy.toml {HULUDAO}/reform.toml --year 2021",
    ],
)
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_chart_option_writes_the_chart(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, suffix: str
) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / f"chart{suffix}"
    code, out, _ = run(capsys, f"{command} --chart {target}")
    assert code == EXIT_OK
    assert out[-1] == f"chart written to {target}"
    assert target.stat().st_size > 10_000
    head = target.read_bytes()[:64]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<?xml" in head


def test_chart_with_json_keeps_stdout_pure_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "chart.png"
    _, out, _ = run(capsys, f"sweep {HULUDAO}/reform.toml --year 2021 --json --chart {target}")
    assert json.loads("\n".join(out))["starts"] == 250
    assert target.exists()


# -- as a user runs it ---------------------------------------------------------------------


def _subprocess(*argv: str, extra_code: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    if extra_code is None:
        cmd = [sys.executable, "-m", "approval_clock", *argv]
    else:
        cmd = [sys.executable, "-c", extra_code, *argv]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def test_python_m_approval_clock_runs_the_readme_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    done = _subprocess(*shlex.split(README_COMMAND))
    assert done.returncode == EXIT_OK, done.stderr
    _, out, _ = run(capsys, README_COMMAND)
    assert done.stdout.splitlines() == out


def test_python_m_approval_clock_bad_input_has_no_traceback() -> None:
    done = _subprocess("schedule", "examples/huludao/missing.toml", "--start", "2021-06-01")
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stderr == "approval-clock: error: examples/huludao/missing.toml: no such file\n"


def test_python_m_approval_clock_failed_check_exits_1(slower_reform: Path) -> None:
    done = _subprocess(
        "check", f"{HULUDAO}/policy.toml", str(slower_reform), "--start", "2021-06-01"
    )
    assert done.returncode == EXIT_FAILED
    assert done.stdout.splitlines()[-1] == "verdict: FAILED (target_limit)"


def test_console_script_runs() -> None:
    script = Path(sys.executable).with_name("approval-clock")
    if not script.exists():
        pytest.skip("the approval-clock console script is not installed next to this Python")
    done = subprocess.run(
        [str(script), "count", "2021-08-18", "2021-09-10"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == EXIT_OK
    assert done.stdout.startswith("18 working days from 2021-08-18 to 2021-09-10")


def test_records_without_pandas_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "from approval_clock.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))"
    )
    done = _subprocess("records", "examples/records.csv", "--as-of", "2021-12-31", extra_code=code)
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stderr == (
        "approval-clock: error: records needs pandas; install it with "
        "pip install pandas (the 'pandas' extra; see docs/install.md)\n"
    )


def test_chart_without_matplotlib_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from approval_clock.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))"
    )
    done = _subprocess(
        "sweep", f"{HULUDAO}/reform.toml", "--year", "2021", "--chart", "x.png", extra_code=code
    )
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stdout == ""
    assert "pip install matplotlib (the 'plot' extra; see docs/install.md)" in done.stderr
    assert not (ROOT / "x.png").exists()


def test_the_command_does_not_import_pandas_or_matplotlib_unless_asked() -> None:
    code = (
        "import sys\n"
        "from approval_clock.cli import main\n"
        "main(['count', '2021-08-18', '2021-09-10'])\n"
        "print([m for m in ('pandas', 'matplotlib') if m in sys.modules])"
    )
    done = _subprocess(extra_code=code)
    assert done.stdout.splitlines()[-1] == "[]"


# -- the examples in docs/cli.md ----------------------------------------------------------


def _console_examples(
    pages: tuple[str, ...] = ("cli.md", "next-notice.md"),
) -> list[tuple[str, list[str]]]:
    """The ``console`` blocks of the pages: each ``$ command`` and the lines it prints
    (blocks indented inside a list item are dedented)."""
    examples: list[tuple[str, list[str]]] = []
    for page in pages:
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        pattern = r"^( *)```console\n(.*?)^\1```"
        for indent, block in re.findall(pattern, text, flags=re.DOTALL | re.MULTILINE):
            for line in block.splitlines():
                line = line.removeprefix(indent)
                if line.startswith("$ "):
                    examples.append((line[2:], []))
                else:
                    examples[-1][1].append(line)
    return examples


def test_docs_cli_has_an_example_of_every_subcommand() -> None:
    used = {shlex.split(cmd)[1] for cmd, _ in _console_examples(("cli.md",))}
    assert used >= {
        "calendar",
        "count",
        "deadline",
        "schedule",
        "compare",
        "check",
        "sweep",
        "records",
    }


@pytest.mark.parametrize(
    ("command", "expected"), _console_examples(), ids=[c for c, _ in _console_examples()]
)
def test_docs_cli_examples_print_what_the_page_shows(
    capsys: pytest.CaptureFixture[str], command: str, expected: list[str]
) -> None:
    argv = shlex.split(command)
    assert argv[0] == "approval-clock"
    if argv[1] == "records":
        pytest.importorskip("pandas")
    code = main(argv[1:])
    out, err = capsys.readouterr()
    assert code in (EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT)
    assert (out + err).splitlines() == expected


# -- past the last notice: --notice, --project, --calendar FILE, certainty ---------------

NOTICE_JSON = "examples/notices/2027-illustrative.json"


def test_a_deadline_past_the_notices_says_how_to_go_on(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "deadline 2026-12-15 20wd")
    assert (code, out) == (EXIT_BAD_INPUT, [])
    assert "ends after the range of calendar 'Mainland China'" in err
    assert "--notice FILE" in err
    assert "--project statutory" in err
    assert "cal.with_notice" not in err


def test_project_statutory_keeps_new_year_and_says_projected(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "deadline 2026-12-15 20wd --project statutory --json")
    assert (code, err) == (EXIT_OK, "")
    data = json.loads("\n".join(out))
    # 12 working days to the end of December, 1 January off: the 20th is 13 January.
    assert (data["deadline"], data["certainty"]) == ("2027-01-13", "projected")
    code, out, _ = run(capsys, "deadline 2026-12-15 20wd --project weekends --json")
    assert json.loads("\n".join(out))["deadline"] == "2027-01-12"


def test_a_notice_file_makes_the_deadline_official(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, f"deadline 2026-12-15 20wd --notice {NOTICE_JSON} --json")
    assert (code, err) == (EXIT_OK, "")
    data = json.loads("\n".join(out))
    assert (data["deadline"], data["certainty"]) == ("2027-01-13", "official")
    # The same notice as a calendar file: --calendar takes files. February 2027
    # in the illustrative notice: 1-4, makeup Sunday 14, 15-19, 22-26.
    code, out, _ = run(capsys, f"count 2027-02-01 2027-02-28 --calendar {NOTICE_JSON}")
    assert code == EXIT_OK
    assert out[0].startswith("15 working days from 2027-02-01 to 2027-02-28")


def test_tentative_days_are_said(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "count 2026-12-21 2026-12-30")
    assert code == EXIT_OK
    assert out[-1] == (
        "certainty: tentative (rests on late-December days that the next notice may still "
        "change; 2026-12-29..2026-12-31)"
    )
    code, out, _ = run(capsys, "count 2026-12-21 2026-12-28 --json")
    assert json.loads("\n".join(out))["certainty"] == "official"


def test_calendar_of_a_projected_year(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar CN 2027 --project forecast")
    assert code == EXIT_OK
    assert out[0] == "Mainland China 2027: 248 working days, 117 rest days"
    assert "certainty: 365 projected days" in out
    code, out, _ = run(capsys, "calendar CN 2027 --check 2027-10-01 --project statutory")
    assert out == [
        "2027-10-01 Friday: rest day (National Day (statutory, projected: no 2027 notice "
        "loaded)), Mainland China"
    ]
    code, out, _ = run(capsys, f"calendar {NOTICE_JSON} 2027 --json")
    assert json.loads("\n".join(out))["certainty"] == {"official": 362, "tentative": 3}


def test_plans_take_notices_and_projections(capsys: pytest.CaptureFixture[str]) -> None:
    check = (
        f"check {HULUDAO}/policy.toml {HULUDAO}/reform.toml --baseline {HULUDAO}/baseline.toml "
        "--year 2026"
    )
    code, out, _ = run(capsys, check + " --project statutory")
    # Results on projected days are a forecast, not a verdict: not checked, and
    # the year does not pass (it used to).
    assert code == EXIT_FAILED
    assert out[0] == (
        "拿地即开工 pilot: industrial projects: 248 start dates in 2026: 164 passed, 0 failed, "
        "84 not checked (84 projected)"
    )
    assert "certainty: 3 starts rest on tentative days, 84 on projected days" in out
    assert "on the projection, 84 of the 84 projected starts would pass and 0 would fail" in out
    assert out[-1] == "verdict: NOT PASSED (84 of 248 starts not checked: 84 projected)"
    code, out, _ = run(capsys, f"sweep {HULUDAO}/reform.toml --year 2026 --project forecast --json")
    data = json.loads("\n".join(out))
    assert data["certainty"] == {"official": 201, "tentative": 3, "projected": 44}
    assert {r["certainty"] for r in data["results"]} == {"official", "tentative", "projected"}
    code, out, _ = run(
        capsys, f"schedule {HULUDAO}/reform.toml --start 2026-11-20 --notice {NOTICE_JSON}"
    )
    assert code == EXIT_OK
    assert not any(line.startswith("certainty:") for line in out)


def test_records_say_when_they_rest_on_tentative_days(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("pandas")
    path = tmp_path / "late.csv"
    path.write_text(
        "case,stage,accepted,completed,limit\nA,review,2026-12-21,2026-12-30,5\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, f"records {path}")
    assert code == EXIT_OK
    assert out[1].startswith("certainty: tentative")
    code, out, _ = run(capsys, f"records {path} --json")
    data = json.loads("\n".join(out))
    assert data["certainty"] == "tentative"
    assert data["overdue"][0]["certainty"] == "tentative"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("deadline 2026-12-15 20wd --until 2027-06-30", "--until 2027-06-30: needs --project"),
        ("deadline 2026-12-15 20wd --notice missing.json", "missing.json: no such file"),
        ("deadline 2026-12-15 20wd --project lunar", "invalid choice: 'lunar'"),
        ("count 2026-12-01 2026-12-02 --calendar nowhere.toml", "nowhere.toml: no such file"),
        ("deadline 2026-12-15 20wd --calendar FR --project statutory", "rule='statutory' needs"),
    ],
)
def test_bad_notice_and_projection_options(
    capsys: pytest.CaptureFixture[str], command: str, expected: str
) -> None:
    code, out, err = run(capsys, command)
    assert (code, out) == (EXIT_BAD_INPUT, [])
    assert expected in err
    assert err.count("\n") == 1


def test_an_empty_holiday_cn_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "2027.json"
    path.write_text('{"year": 2027, "papers": [], "days": []}', encoding="utf-8")
    code, out, err = run(capsys, f"deadline 2026-12-15 20wd --notice {path}")
    assert (code, out) == (EXIT_BAD_INPUT, [])
    assert f"{path}: days: lists no days" in err


# -- records: exports as they come (issue 14) ------------------------------------------------

GBK_RECORDS = (
    "case,stage,accepted,completed,limit\n"
    "甲001,规划许可,2021年8月18日,2021年8月26日,7\n"
    "甲001,施工许可,2021年8月18日,未办结,20\n"
    "乙002,规划许可,2021年8月,2021年9月1日,7\n"
)


def test_records_gbk_csv_with_chinese_dates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("pandas")
    path = tmp_path / "gbk.csv"
    path.write_bytes(GBK_RECORDS.encode("gbk"))
    code, out, err = run(capsys, f"records {path} --as-of 2021-09-30")
    assert code == EXIT_BAD_INPUT
    assert "not valid utf-8 text" in err
    assert "--encoding gbk" in err
    code, out, err = run(
        capsys,
        f"records {path} --as-of 2021-09-30 --encoding gbk --date-format %Y年%m月%d日 "
        f"--open-value 未办结",
    )
    assert (code, err) == (EXIT_OK, "")
    assert out[0] == f"{path}: 3 stage rows, 1 rejected, as of 2021-09-30 (Mainland China)"
    assert "    2  乙002  规划许可  partial date  accepted" in out
    kpis = dict(
        line.split()
        for line in out[2 : out.index(next(x for x in out if x.startswith("overdue stages")))]
    )
    assert (kpis["done"], kpis["open"]) == ("1", "1")


def test_records_xlsx_in_and_report_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    book = tmp_path / "records.xlsx"
    frame = pd.read_csv(ROOT / "examples" / "records.csv", dtype=str)
    frame["accepted"] = pd.to_datetime(frame["accepted"])  # real Excel date cells
    frame.to_excel(book, index=False, sheet_name="办件")
    report = tmp_path / "report.xlsx"
    code, out, err = run(
        capsys,
        f"records {book} --as-of 2021-12-31 --pauses examples/pauses.csv --xlsx {report} --by stage",
    )
    assert (code, err) == (EXIT_OK, "")
    assert out[0] == f"{book}: 10 stage rows, 1 rejected, as of 2021-12-31 (Mainland China)"
    _csv_code, csv_out, _ = run(capsys, RECORDS)
    assert out[1:] == csv_out[1:]  # the same analysis as from the CSV
    sheets = pd.read_excel(report, sheet_name=None)
    assert list(sheets) == [
        "KPIs", "KPIs by stage", "stages", "rejected", "cases", "pauses", "rejected pauses",
    ]  # fmt: skip
    assert sheets["rejected"]["reason"].tolist() == ["completion before acceptance"]
    code, _, err = run(capsys, f"records {book} --as-of 2021-12-31 --sheet nope")
    assert code == EXIT_BAD_INPUT
    assert "cannot read the workbook" in err
    code, _, err = run(capsys, f"records {book} --as-of 2021-12-31 --xlsx {tmp_path}/r.csv")
    assert (code, err.strip()) == (
        EXIT_BAD_INPUT,
        f"approval-clock: error: --xlsx {tmp_path}/r.csv: expected a file name ending in .xlsx",
    )


def test_records_warns_about_ids_typed_differently(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    # Excel keeps the case ids as numbers; read as text they still match the CSV's.
    book = tmp_path / "s.xlsx"
    pd.DataFrame(
        {
            "case": [17],
            "stage": ["s"],
            "accepted": ["2021-09-06"],
            "completed": ["2021-09-10"],
            "limit": [5],
        }
    ).to_excel(book, index=False)
    pauses = tmp_path / "p.csv"
    pauses.write_text("case,stage,paused,resumed\n17,s,2021-09-07,2021-09-08\n", encoding="utf-8")
    code, out, err = run(capsys, f"records {book} --pauses {pauses} --json")
    assert (code, err) == (EXIT_OK, "")
    assert json.loads("\n".join(out))["kpis"]["paused_days"] == 1
