"""Exporting a calendar: holiday-cn's JSON layout and iCalendar, in Python and on the command line.

The holiday-cn export is checked by reading it back: for every year 2005-2026,
the calendar of the notices before that year plus the exported file says the
same of every day that year's notice governs as the shipped calendar. The
iCalendar export is read back by two parsers, icalendar (which wrote it) and
vobject (an independent one), and its events are checked against the calendar.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from approval_clock import (
    ApprovalClockError,
    ArgumentTypeError,
    CalendarCoverageError,
    CalendarError,
    DateOrderError,
    WorkCalendar,
    calendars,
)
from approval_clock.cli import EXIT_BAD_INPUT, EXIT_OK, main
from conftest import NOTICE_2027_JSON

ROOT = Path(__file__).resolve().parents[1]
STAMP = datetime(2026, 1, 1, tzinfo=UTC)
CN = calendars.get("CN")
ONE_DAY = timedelta(days=1)


def days(first: date, last: date) -> list[date]:
    return [first + ONE_DAY * k for k in range((last - first).days + 1)]


# -- holiday-cn ------------------------------------------------------------------------


def test_late_december_days_go_to_the_next_years_file() -> None:
    # The 2019 notice made Saturday 2018-12-29 a working day and 30-31 December
    # rest days: holiday-cn lists them in 2019.json, and 2018.json ends before them.
    y2019 = CN.to_holiday_cn(2019)["days"]
    assert y2019[:4] == [
        {"name": "元旦", "date": "2018-12-29", "isOffDay": False},
        {"name": "元旦", "date": "2018-12-30", "isOffDay": True},
        {"name": "元旦", "date": "2018-12-31", "isOffDay": True},
        {"name": "元旦", "date": "2019-01-01", "isOffDay": True},
    ]
    y2018 = CN.to_holiday_cn(2018)["days"]
    assert max(d["date"] for d in y2018) < "2018-12-29"
    assert y2018[-1]["name"] == "国庆节"


def test_a_year_holds_every_day_its_notices_set_sorted_in_chinese() -> None:
    data = CN.to_holiday_cn(2026)
    assert list(data) == ["year", "papers", "days"]
    assert (data["year"], data["papers"]) == (2026, [])
    listed = [date.fromisoformat(d["date"]) for d in data["days"]]
    assert listed == sorted(listed)
    expected = sorted(d for d in (*CN.holidays, *CN.workdays) if date(2026, 1, 1) <= d)
    assert listed == expected
    off = {d["date"]: d["isOffDay"] for d in data["days"]}
    assert off["2026-10-01"] is True
    assert off["2026-10-10"] is False
    assert {d["name"] for d in data["days"]} == {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    }
    # Plain JSON values: json.dumps takes it as is, and gives back the same.
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_the_amendments_of_a_year_are_merged_into_its_file() -> None:
    # 2019: Labour Day amended to 1-4 May with 28 April and 5 May worked.
    days_2019 = {d["date"]: d["isOffDay"] for d in CN.to_holiday_cn(2019)["days"]}
    assert [days_2019[f"2019-05-0{n}"] for n in range(1, 6)] == [True] * 4 + [False]
    assert days_2019["2019-04-28"] is False
    # 2020: the extension made the 1 February makeup day a rest day.
    days_2020 = {d["date"]: d["isOffDay"] for d in CN.to_holiday_cn(2020)["days"]}
    assert days_2020["2020-02-01"] is True
    assert days_2020["2020-02-02"] is True


def _export(tmp_path: Path, cal: WorkCalendar, year: int) -> Path:
    path = tmp_path / f"{year}.json"
    path.write_text(json.dumps(cal.to_holiday_cn(year), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("year", range(2005, 2027))
def test_the_export_read_back_gives_the_years_days(tmp_path: Path, year: int) -> None:
    before = calendars.get("CN", notices_through=year - 1)
    back = before.with_notice(_export(tmp_path, CN, year))
    # The days the year's notice governs: late-December days are the next file's.
    governed = days(date(year - 1, 12, 29), date(year, 12, 28))
    for d in governed:
        assert back.is_working_day(d) == CN.is_working_day(d), d
        assert back.certainty(d) == CN.certainty(d) == "official", d
        assert back.day_kind(d) == CN.day_kind(d), d
        assert back.describe(d, lang="zh") == CN.describe(d, lang="zh"), d
    # And written out again, the same file.
    assert back.to_holiday_cn(year) == CN.to_holiday_cn(year)
    if year == 2026:  # the last notice: the whole calendar comes back, equal
        assert back == CN
    # The English names come back through the reader's table of Chinese names.
    assert [d for d in governed if back.describe(d) != CN.describe(d)] == []


def test_the_illustrative_holiday_cn_file_comes_back_as_it_was() -> None:
    original = json.loads(NOTICE_2027_JSON.read_text(encoding="utf-8"))
    assert CN.with_notice(NOTICE_2027_JSON).to_holiday_cn(2027) == original


def test_days_without_a_notice_go_to_their_own_year() -> None:
    cal = CN.with_holidays({date(2026, 12, 30): "Office closure"}, name_zh="停业")
    assert {"name": "停业", "date": "2026-12-30", "isOffDay": True} in cal.to_holiday_cn(2026)[
        "days"
    ]
    # A user's day replaces the notice's there: 2018-12-31 leaves 2019's file for 2018's.
    cal = CN.with_holidays([date(2018, 12, 31)], name="Office closure")
    assert cal.to_holiday_cn(2018)["days"][-1] == {
        "name": "Office closure",  # no Chinese name given: the English one
        "date": "2018-12-31",
        "isOffDay": True,
    }
    assert "2018-12-31" not in {d["date"] for d in cal.to_holiday_cn(2019)["days"]}


def test_a_workalendar_calendar_exports_its_english_names() -> None:
    fr = calendars.get("FR", years=(2025, 2026))
    data = fr.to_holiday_cn(2025)
    assert {"name": "Bastille Day", "date": "2025-07-14", "isOffDay": True} in data["days"]
    assert all(d["isOffDay"] for d in data["days"])


def test_a_projected_year_is_refused() -> None:
    ext = CN.extended(until=date(2027, 12, 31), rule="forecast")
    with pytest.raises(
        CalendarError, match=r"to_holiday_cn\(2027\): 365 days of 2027 are projected"
    ) as e:
        ext.to_holiday_cn(2027)
    assert "would look like a notice" in str(e.value)
    assert "load the 2027 notice first with cal.with_notice(path)" in str(e.value)
    # The years the notices fix are exported as before.
    assert ext.to_holiday_cn(2026) == CN.to_holiday_cn(2026)
    # A projection by the week mask names no day at all: refused all the same.
    weekends = CN.extended(until=date(2027, 12, 31), rule="weekends")
    with pytest.raises(CalendarError, match="365 days of 2027 are projected"):
        weekends.to_holiday_cn(2027)


def test_late_december_days_projected_for_the_next_year_do_not_block_the_year() -> None:
    # With the notices through 2018, the forecast of 2019 sets 29-31 December
    # 2018 (as the real 2019 notice did): they are the 2019 file's, projected.
    ext = calendars.get("CN", notices_through=2018).extended(
        until=date(2019, 12, 31), rule="forecast"
    )
    assert ext.provisional is not None
    assert ext.provisional[0] == date(2018, 12, 29)
    assert ext.to_holiday_cn(2018) == CN.to_holiday_cn(2018)
    with pytest.raises(
        CalendarError, match="of 2019 are projected, not fixed by a notice, from 2018-12-29"
    ):
        ext.to_holiday_cn(2019)


@pytest.mark.parametrize("year", [2003, 2027, 1, 9999])
def test_a_year_outside_the_range_is_refused(year: int) -> None:
    with pytest.raises(CalendarCoverageError, match=f"not the whole of {year}") as e:
        CN.to_holiday_cn(year)
    assert "the years it covers whole, 2004..2026" in str(e.value)


def test_a_partly_covered_year_is_refused() -> None:
    cal = WorkCalendar(
        "Half", first=date(2026, 7, 1), last=date(2027, 6, 30), holidays=[date(2026, 10, 1)]
    )
    with pytest.raises(
        CalendarCoverageError,
        match="whole year: export one of the years of a calendar that covers 2026",
    ):
        cal.to_holiday_cn(2026)


def test_a_year_with_no_named_day_is_refused() -> None:
    cal = WorkCalendar("Plain", first=date(2026, 1, 1), last=date(2026, 12, 31))
    with pytest.raises(CalendarError, match="empty list of days only for a year whose notice"):
        cal.to_holiday_cn(2026)


@pytest.mark.parametrize("year", ["2026", 2026.0, True, None])
def test_a_year_that_is_not_an_int_is_refused(year: Any) -> None:
    with pytest.raises(ArgumentTypeError, match="year: expected a year such as 2026"):
        CN.to_holiday_cn(year)


# -- iCalendar -------------------------------------------------------------------------


def events(text: str) -> list[Any]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def by_start(text: str) -> dict[date, Any]:
    return {e["DTSTART"].dt: e for e in events(text)}


def test_national_day_2026_and_its_makeup_day() -> None:
    text = CN.to_ical(date(2026, 1, 1), date(2026, 12, 31), stamp=STAMP)
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["PRODID"]).startswith("-//approval_clock//")
    assert str(cal["PRODID"]).endswith("//EN")
    assert (str(cal["VERSION"]), str(cal["CALSCALE"])) == ("2.0", "GREGORIAN")
    assert str(cal["X-WR-CALNAME"]) == "Mainland China"
    ev = by_start(text)
    nd = ev[date(2026, 10, 1)]
    assert nd["DTEND"].dt == date(2026, 10, 8)  # exclusive: the period is 1-7 October
    assert type(nd["DTSTART"].dt) is date
    assert "VALUE=DATE" in text
    assert str(nd["SUMMARY"]) == "国庆节 National Day"
    assert str(nd["UID"]) == "20261001-holiday-cn@approval-clock"
    assert [str(c) for c in nd["CATEGORIES"].cats] == ["statutory_holiday", "rest_day"]
    assert str(nd["STATUS"]) == "CONFIRMED"
    assert nd["DTSTAMP"].dt == STAMP
    assert str(nd["DESCRIPTION"]).splitlines() == [
        "国庆节 National Day: 2026-10-01..2026-10-07, 7 days off",
        "statutory_holiday: 2026-10-01..2026-10-03",
        "rest_day: 2026-10-04..2026-10-07",
        "notice: 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号)",
        "certainty: official",
    ]
    makeup = ev[date(2026, 10, 10)]
    assert makeup["DTEND"].dt == date(2026, 10, 11)
    assert str(makeup["SUMMARY"]) == "国庆节调休上班 makeup working day for National Day"
    assert str(makeup["UID"]) == "20261010-makeup-cn@approval-clock"
    assert [str(c) for c in makeup["CATEGORIES"].cats] == ["makeup_working_day"]
    # Spring Festival 2026: 15-23 February, Saturday 14 and 28 February worked.
    sf = ev[date(2026, 2, 15)]
    assert (sf["DTEND"].dt, str(sf["SUMMARY"])) == (date(2026, 2, 24), "春节 Spring Festival")
    assert {date(2026, 2, 14), date(2026, 2, 28)} <= set(ev)
    assert len(ev) == 7 + len([d for d in CN.workdays if d.year == 2026])


def _check_events_against(cal: WorkCalendar, first: date, last: date, text: str) -> None:
    """Every named day in range is in exactly one event of its kind; events say only true things."""
    holiday_days: dict[date, int] = {}
    makeup_days: dict[date, int] = {}
    for e in events(text):
        a, end = e["DTSTART"].dt, e["DTEND"].dt
        inside = days(a, end - ONE_DAY)
        assert inside, e
        kinds = [cal.day_kind(d) for d in inside]
        assert [str(c) for c in e["CATEGORIES"].cats] == [
            k
            for k in ("statutory_holiday", "rest_day", "makeup_working_day", "working_day")
            if k in kinds
        ]
        level = cal.certainty(a, end - ONE_DAY)
        assert str(e["STATUS"]) == ("CONFIRMED" if level == "official" else "TENTATIVE")
        assert str(e["DESCRIPTION"]).splitlines()[-1] == f"certainty: {level}"
        if "-makeup-" in str(e["UID"]):
            assert inside == [a]
            assert a in cal.workdays
            makeup_days[a] = makeup_days.get(a, 0) + 1
        else:
            assert a in cal.holidays
            assert end - ONE_DAY in cal.holidays
            assert not any(cal.is_working_day(d) for d in inside)
            names = {cal.holidays[d] for d in inside if d in cal.holidays}
            assert len(names) == 1, names
            for d in inside:
                holiday_days[d] = holiday_days.get(d, 0) + 1
    named_rest = [d for d in cal.holidays if first <= d <= last]
    assert all(holiday_days.get(d) == 1 for d in named_rest)
    assert max(holiday_days.values()) == 1
    assert sorted(makeup_days) == [d for d in cal.workdays if first <= d <= last]
    assert set(makeup_days.values()) <= {1}
    uids = [str(e["UID"]) for e in events(text)]
    assert len(uids) == len(set(uids))


def test_every_named_day_of_the_mainland_calendar_is_in_exactly_one_event() -> None:
    first, last = CN.coverage
    _check_events_against(CN, first, last, CN.to_ical(first, last, stamp=STAMP))


def test_projected_events_are_tentative_and_say_why() -> None:
    ext = CN.extended(until=date(2027, 12, 31))
    first, last = date(2027, 1, 1), date(2027, 12, 31)
    text = ext.to_ical(first, last, stamp=STAMP)
    _check_events_against(ext, first, last, text)
    nd = by_start(text)[date(2027, 10, 1)]
    assert str(nd["STATUS"]) == "TENTATIVE"
    description = str(nd["DESCRIPTION"])
    assert "projected (statutory), 2027-10-01..2027-10-03" in description
    assert description.endswith("certainty: projected")


def test_an_event_with_days_from_two_notices_names_both() -> None:
    # 2020: the Spring Festival extension added 31 January - 2 February.
    sf = by_start(CN.to_ical(date(2020, 1, 24), date(2020, 2, 2), stamp=STAMP))[date(2020, 1, 24)]
    assert sf["DTEND"].dt == date(2020, 2, 3)
    lines = str(sf["DESCRIPTION"]).splitlines()
    assert lines[3].startswith("notice, 2020-01-24..2020-01-30: 国务院办公厅关于2020年")
    assert lines[4] == (
        "notice, 2020-01-31..2020-02-02: 国务院办公厅关于延长2020年春节假期的通知 (国办发明电〔2020〕1号)"
    )


def test_a_period_is_one_event_across_a_weekend_but_not_past_its_ends() -> None:
    cal = WorkCalendar(
        "Office",
        first=date(2026, 1, 1),
        last=date(2026, 12, 31),
        holidays={
            date(2026, 4, 3): "Bridge",  # Friday
            date(2026, 4, 6): "Bridge",  # Monday: the weekend between is in the period
            date(2026, 5, 1): "Solo",  # Friday next to a weekend, which stays a weekend
            date(2026, 6, 1): "A",
            date(2026, 6, 2): "B",  # another name, another event
            date(2026, 7, 1): "Closure",  # Wednesday
            date(2026, 7, 3): "Closure",  # Friday: a working day between, two events
            date(2026, 12, 31): "Year end",  # tentative below
        },
        tentative=[(date(2026, 12, 29), date(2026, 12, 31))],
    )
    text = cal.to_ical(date(2026, 1, 1), date(2026, 12, 31), stamp=STAMP)
    _check_events_against(cal, date(2026, 1, 1), date(2026, 12, 31), text)
    ev = by_start(text)
    spans = {a: e["DTEND"].dt for a, e in ev.items()}
    assert spans == {
        date(2026, 4, 3): date(2026, 4, 7),
        date(2026, 5, 1): date(2026, 5, 2),
        date(2026, 6, 1): date(2026, 6, 2),
        date(2026, 6, 2): date(2026, 6, 3),
        date(2026, 7, 1): date(2026, 7, 2),
        date(2026, 7, 3): date(2026, 7, 4),
        date(2026, 12, 31): date(2027, 1, 1),
    }
    assert str(ev[date(2026, 4, 3)]["UID"]) == "20260403-holiday-office@approval-clock"
    assert str(ev[date(2026, 4, 3)]["SUMMARY"]) == "Bridge"  # no Chinese name: one name
    assert "source: the calendar's data (no notice)" in str(ev[date(2026, 4, 3)]["DESCRIPTION"])
    assert str(ev[date(2026, 12, 31)]["STATUS"]) == "TENTATIVE"


def test_a_period_crossing_the_range_is_given_whole_with_the_same_uid() -> None:
    # New Year 2019: 30 December 2018 - 1 January 2019; Saturday 29 December worked.
    y2018 = by_start(CN.to_ical(date(2018, 1, 1), date(2018, 12, 31), stamp=STAMP))
    y2019 = by_start(CN.to_ical(date(2019, 1, 1), date(2019, 12, 31), stamp=STAMP))
    assert y2018[date(2018, 12, 30)]["DTEND"].dt == date(2019, 1, 2)
    assert y2018[date(2018, 12, 30)].to_ical() == y2019[date(2018, 12, 30)].to_ical()
    assert date(2018, 12, 29) in y2018
    assert date(2018, 12, 29) not in y2019


def test_the_file_opens_in_an_independent_parser() -> None:
    text = CN.to_ical(date(2026, 1, 1), date(2026, 12, 31), stamp=STAMP)
    parsed = vobject.readOne(text)
    assert parsed.prodid.value.startswith("-//approval_clock//")
    assert parsed.version.value == "2.0"
    assert parsed.contents["x-wr-calname"][0].value == "Mainland China"
    got = [
        (
            e.uid.value,
            e.dtstart.value,
            e.dtend.value,
            e.summary.value,
            e.categories.value,
            e.status.value,
            e.description.value,
            e.dtstamp.value,
        )
        for e in parsed.vevent_list
    ]
    expected = [
        (
            str(e["UID"]),
            e["DTSTART"].dt,
            e["DTEND"].dt,
            str(e["SUMMARY"]),
            [str(c) for c in e["CATEGORIES"].cats],
            str(e["STATUS"]),
            str(e["DESCRIPTION"]),
            STAMP,
        )
        for e in events(text)
    ]
    assert got == expected
    nd = next(e for e in parsed.vevent_list if e.dtstart.value == date(2026, 10, 1))
    assert (nd.dtend.value, nd.summary.value) == (date(2026, 10, 8), "国庆节 National Day")
    # RFC 5545 3.1: lines end with CRLF and are folded at 75 octets.
    assert text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))


def test_the_stamp_is_utc_and_the_output_reproducible() -> None:
    shanghai = datetime(2026, 1, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    a = CN.to_ical(date(2026, 10, 1), date(2026, 10, 31), stamp=shanghai)
    b = CN.to_ical(date(2026, 10, 1), date(2026, 10, 31), stamp=STAMP)
    assert a == b
    assert "DTSTAMP:20260101T000000Z" in a
    before = datetime.now(UTC).replace(microsecond=0)
    now = events(CN.to_ical(date(2026, 10, 1), date(2026, 10, 1)))[0]["DTSTAMP"].dt
    assert before <= now <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("first", "last", "stamp", "error", "match"),
    [
        (
            date(2003, 12, 31),
            date(2004, 1, 31),
            None,
            CalendarCoverageError,
            "2003-12-31 is before",
        ),
        (date(2026, 12, 1), date(2027, 1, 31), None, CalendarCoverageError, "2027-01-31 is after"),
        (date(2026, 10, 31), date(2026, 10, 1), None, DateOrderError, "first is after last"),
        ("2026-10-01", date(2026, 10, 31), None, ArgumentTypeError, "first: expected a datetime"),
        (date(2026, 10, 1), datetime(2026, 10, 31), None, ArgumentTypeError, "last: expected"),
        (
            date(2026, 10, 1),
            date(2026, 10, 31),
            datetime(2026, 1, 1),
            ArgumentTypeError,
            "without a time zone",
        ),
        (
            date(2026, 10, 1),
            date(2026, 10, 31),
            date(2026, 1, 1),
            ArgumentTypeError,
            "stamp: expected",
        ),
    ],
)
def test_bad_arguments_of_to_ical(
    first: Any, last: Any, stamp: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        CN.to_ical(first, last, stamp=stamp)


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )


def test_without_icalendar_to_ical_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['icalendar'] = None\n"
        "from datetime import date\n"
        "from approval_clock import calendars, ApprovalClockError\n"
        "cn = calendars.get('CN')\n"
        "print(len(cn.to_holiday_cn(2026)['days']))\n"
        "try:\n"
        "    cn.to_ical(date(2026, 1, 1), date(2026, 12, 31))\n"
        "except ApprovalClockError as e:\n"
        "    print(isinstance(e, ImportError), e)\n"
    )
    out = _python(code).stdout.splitlines()
    assert out[0] == str(len(CN.to_holiday_cn(2026)["days"]))
    assert out[1] == (
        "True to_ical needs the icalendar package; install it with "
        "pip install icalendar (the 'ical' extra; see docs/install.md)"
    )


def test_importing_the_library_does_not_import_icalendar() -> None:
    code = (
        "import sys, approval_clock\n"
        "approval_clock.calendars.get('CN').to_holiday_cn(2026)\n"
        "print('icalendar' in sys.modules, 'vobject' in sys.modules)"
    )
    assert _python(code).stdout.split() == ["False", "False"]


# -- the command line ------------------------------------------------------------------


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(capsys: pytest.CaptureFixture[str], command: str) -> tuple[int, str, str]:
    code = main(shlex.split(command))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("at_root")
def test_cli_holiday_cn_prints_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "calendar CN 2019 --format holiday-cn")
    assert (code, err) == (EXIT_OK, "")
    assert json.loads(out) == CN.to_holiday_cn(2019)
    assert out.startswith('{\n  "year": 2019,\n  "papers": [],\n  "days": [\n    {\n')
    assert '"name": "元旦"' in out  # not \u5143\u65e6
    path = tmp_path / "2019.json"
    path.write_text(out, encoding="utf-8")
    back = calendars.get("CN", notices_through=2018).with_notice(path)
    assert back.diff(CN.with_notice(path)) == []
    assert back.is_working_day(date(2018, 12, 29))


@pytest.mark.usefixtures("at_root")
def test_cli_ics_prints_the_years_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "calendar CN 2026 --format ics")
    assert (code, err) == (EXIT_OK, "")
    ev = by_start(out)
    assert ev[date(2026, 10, 1)]["DTEND"].dt == date(2026, 10, 8)
    assert date(2026, 10, 10) in ev
    assert vobject.readOne(out).contents["x-wr-calname"][0].value == "Mainland China"
    # With a projection, the projected year is written, its events tentative.
    code, out, _ = run(capsys, "calendar CN 2027 --format ics --project statutory")
    assert code == EXIT_OK
    assert {str(e["STATUS"]) for e in events(out)} == {"TENTATIVE"}


@pytest.mark.usefixtures("at_root")
def test_cli_ics_of_a_partly_covered_year(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "office.toml"
    path.write_text(
        """
format = 1
name = "Office"
first = 2026-03-01
last = 2026-12-31
[[notices]]
year = 2026
title = "closures"
holidays = [{ name = "Closure", first = 2026-03-02, last = 2026-03-02 }]
""",
        encoding="utf-8",
    )
    code, out, err = run(capsys, f"calendar {path} 2026 --format ics")
    assert (code, err) == (EXIT_OK, "")
    (closure,) = events(out)
    assert (closure["DTSTART"].dt, str(closure["SUMMARY"])) == (date(2026, 3, 2), "Closure")
    assert "notice: closures" in str(closure["DESCRIPTION"])


@pytest.mark.usefixtures("at_root")
def test_cli_format_json_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    outs = [
        run(capsys, command)[1]
        for command in (
            "calendar CN 2021 --json",
            "calendar CN 2021 --format json",
            "--json calendar CN 2021 --format json",
        )
    ]
    assert outs[0] == outs[1] == outs[2]
    assert json.loads(outs[0])["working_days"] == 250
    text = run(capsys, "calendar CN 2021 --format text")[1]
    assert text == run(capsys, "calendar CN 2021")[1]
    assert text.startswith("Mainland China 2021: 250 working days")


@pytest.mark.usefixtures("at_root")
def test_cli_lang_zh_names_the_days_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar CN 2021 --lang zh")
    lines = out.splitlines()
    assert code == EXIT_OK
    assert "  2021-10-01 .. 2021-10-07  7 days  国庆节" in lines
    assert "  2021-10-09  Saturday  国庆节调休上班" in lines
    assert run(capsys, "calendar CN 2021 --lang en")[1] == run(capsys, "calendar CN 2021")[1]
    data = json.loads(run(capsys, "calendar CN 2021 --json --lang zh")[1])
    assert data["holidays"][-1] == {
        "name": "国庆节",
        "first": "2021-10-01",
        "last": "2021-10-07",
        "days": 7,
    }
    assert data["makeup_working_days"][-1]["for"] == "国庆节"
    out = run(capsys, "calendar CN 2021 --check 2021-10-09 --lang zh")[1]
    assert out == "2021-10-09 Saturday: working day (国庆节调休上班), Mainland China\n"
    out = run(capsys, "calendar CN 2021 --check 2021-10-08 --lang zh")[1]
    assert out == "2021-10-08 Friday: working day, Mainland China\n"
    data = json.loads(run(capsys, "calendar CN 2021 --check 2021-10-10 --lang zh --json")[1])
    assert data["description"] == "周末"


@pytest.mark.usefixtures("at_root")
@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("calendar CN 2021 --json --format ics", "--json and --format ics: give one of them"),
        ("--json calendar CN 2021 --format holiday-cn", "--json and --format holiday-cn"),
        ("calendar CN 2021 --json --format text", "--json and --format text"),
        (
            "calendar CN 2021 --format holiday-cn --check 2021-10-01",
            "--check 2021-10-01 and --format holiday-cn",
        ),
        ("calendar CN 2021 --format ics --lang zh", "--lang zh and --format ics"),
        ("calendar CN 2021 --format xml", "argument --format: invalid choice: 'xml'"),
        ("calendar CN 2021 --lang fr", "argument --lang: invalid choice: 'fr'"),
        (
            "calendar CN 2027 --format holiday-cn",
            "year 2027: calendar 'Mainland China' covers 2004-01-01..2026-12-31, not the whole of 2027",
        ),
        (
            "calendar CN 2027 --format holiday-cn --project forecast",
            "year 2027: 365 days of 2027 are projected",
        ),
        ("calendar CN 2027 --format ics", "year 2027: 2027-01-01 is after the range of calendar"),
    ],
)
def test_cli_bad_combinations_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], command: str, message: str
) -> None:
    code, out, err = run(capsys, command)
    assert code == EXIT_BAD_INPUT
    if "--json" in command:  # then the error is on stdout too, as JSON (approval_clock.cli)
        assert json.loads(out) == {
            "error": err.removeprefix("approval-clock: error: ").rstrip("\n"),
            "exit_code": EXIT_BAD_INPUT,
        }
    else:
        assert out == ""
    assert err.startswith("approval-clock")
    assert err.endswith("\n")
    assert err.count("\n") == 1
    assert message in err
    # The advice is in the command line's words.
    assert "cal.with_notice" not in err


def test_errors_raised_are_the_librarys() -> None:
    for call in (
        lambda: CN.to_holiday_cn(2027),
        lambda: CN.extended(until=date(2027, 12, 31)).to_holiday_cn(2027),
        lambda: CN.to_ical(date(2027, 1, 1), date(2027, 1, 2)),
    ):
        with pytest.raises(ApprovalClockError):
            call()
