"""Calendar and notice files: the documented format, and errors that name the place."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from approval_clock import CalendarFileError, calendars
from approval_clock.calendars import load_notice

# A complete national arrangement for 2027 (illustrative: the statutory check
# refuses a national notice that leaves a statutory holiday a working day).
NOTICE_2027 = """
year = 2027
title = "国务院办公厅关于2027年部分节假日安排的通知 (example)"
document = "example only"
holidays = [
  { name = "New Year's Day", first = 2027-01-01, last = 2027-01-03 },
  { name = "Spring Festival", first = 2027-02-05, last = 2027-02-12 },
  { name = "Tomb-sweeping Day", first = 2027-04-03, last = 2027-04-05 },
  { name = "Labour Day", first = 2027-05-01, last = 2027-05-05 },
  { name = "Dragon Boat Festival", first = 2027-06-09, last = 2027-06-09 },
  { name = "Mid-autumn Festival", first = 2027-09-15, last = 2027-09-15 },
  { name = "National Day", first = 2027-10-01, last = 2027-10-07 },
]
workdays = [
  { name = "Spring Festival", date = 2027-02-14 },
]
"""


def test_a_notice_file_extends_cn_by_a_year(tmp_path: Path) -> None:
    path = tmp_path / "2027.toml"
    path.write_text(NOTICE_2027, encoding="utf-8")
    cal = calendars.get("CN").with_notice(path)
    assert cal.coverage[1] == date(2027, 12, 31)
    assert cal.describe(date(2027, 2, 8)) == "Spring Festival"
    assert cal.is_working_day(date(2027, 2, 14))
    notice = load_notice(path)
    assert notice.document == "example only"
    assert notice.covered() == (date(2027, 1, 1), date(2027, 12, 31))


def test_a_regional_calendar_file_on_top_of_cn(tmp_path: Path) -> None:
    path = tmp_path / "guangxi.toml"
    path.write_text(
        """
format = 1
base = "CN"
name = "Guangxi"
code = "CN-GX"
[[notices]]
year = 2026
title = "Regional holiday (illustrative dates)"
holidays = [{ name = "Zhuang March 3rd", first = 2026-04-20, last = 2026-04-21 }]
""",
        encoding="utf-8",
    )
    gx = calendars.load(path)
    assert gx.name == "Guangxi"
    assert gx.code == "CN-GX"
    assert not gx.is_working_day(date(2026, 4, 20))
    assert gx.is_working_day(date(2026, 4, 22))
    assert gx.coverage == calendars.get("CN").coverage
    # National arrangements are still there.
    assert not gx.is_working_day(date(2026, 10, 1))


def test_a_standalone_calendar_file() -> None:
    cal = calendars.loads(
        """
format = 1
name = "Office"
timezone = "Asia/Shanghai"
weekmask = "1111110"
first = 2026-01-01
last = 2026-12-31
[[notices]]
year = 2026
title = "closures"
holidays = [{ name = "Closure", first = 2026-03-02, last = 2026-03-02 }]
"""
    )
    assert cal.is_working_day(date(2026, 3, 7))  # Saturday: weekmask opens it
    assert not cal.is_working_day(date(2026, 3, 2))


def test_a_later_notice_in_a_file_overrides_an_earlier_one() -> None:
    cal = calendars.loads(
        """
format = 1
name = "X"
first = 2026-01-01
last = 2026-12-31
[[notices]]
year = 2026
title = "first"
workdays = [{ name = "F", date = 2026-02-07 }]
[[notices]]
year = 2026
title = "amendment"
holidays = [{ name = "Extended", first = 2026-02-07, last = 2026-02-08 }]
"""
    )
    assert not cal.is_working_day(date(2026, 2, 7))
    assert cal.describe(date(2026, 2, 7)) == "Extended"


HEADER = 'format = 1\nname = "X"\nfirst = 2026-01-01\nlast = 2026-12-31\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("format = 1\nname = [", "f.toml: not valid TOML"),
        ("name = 'x'", "f.toml: format: missing required key"),
        ("format = 2", "f.toml: format: expected 1"),
        ("format = true", "f.toml: format: expected 1"),
        (HEADER + "colour = 'red'", "f.toml: colour: unknown key"),
        ("format = 1\nname = 'X'", "f.toml: first: missing required key"),
        (HEADER.replace('"X"', "3"), "f.toml: name: expected a string, got int 3"),
        (HEADER.replace("2026-01-01", '"2026-01-01"'), "f.toml: first: expected a date"),
        (HEADER + "notices = 3", "f.toml: notices: expected an array"),
        (HEADER + "[[notices]]\ntitle = 't'", "f.toml: notices[0].year: missing required key"),
        (HEADER + "[[notices]]\nyear = '2026'\ntitle = 't'", "notices[0].year: expected a year"),
        (
            HEADER
            + "[[notices]]\nyear = 2026\ntitle = 't'\nholidays = [{name = 'a', first = 2026-05-02}]",
            "f.toml: notices[0].holidays[0].last: missing required key",
        ),
        (
            HEADER
            + "[[notices]]\nyear = 2026\ntitle = 't'\nholidays = [{name = 'a', first = 2026-05-02, last = 2026-05-01}]",
            "f.toml: notices[0].holidays[0]: first (2026-05-02) is after last (2026-05-01)",
        ),
        (
            HEADER
            + "[[notices]]\nyear = 2026\ntitle = 't'\nworkdays = [{name = '', date = 2026-05-09}]",
            "f.toml: notices[0].workdays[0].name: expected a non-empty string",
        ),
        (
            HEADER
            + "[[notices]]\nyear = 2026\ntitle = 't'\nworkdays = [{name = 'a', date = 2026-05-09, x = 1}]",
            "f.toml: notices[0].workdays[0].x: unknown key",
        ),
        (
            HEADER
            + "[[notices]]\nyear = 2026\ntitle = 't'\nholidays = [{name = 'a', first = 2026-05-01, last = 2026-05-01}]\n"
            + "workdays = [{name = 'b', date = 2026-05-01}]",
            "f.toml: notices[0]: notice 2026: 2026-05-01 is both a holiday",
        ),
        (
            HEADER
            + "[[notices]]\nyear = 2027\ntitle = 't'\nholidays = [{name = 'a', first = 2027-05-01, last = 2027-05-01}]",
            "f.toml: notices[0].holidays[0]: 2027-05-01..2027-05-01 is outside first..last",
        ),
        (
            'format = 1\nbase = "CN"\nweekmask = "1111110"',
            "f.toml: weekmask: not allowed together with 'base'",
        ),
        ('format = 1\nbase = "ZZ"', "f.toml: base: unknown calendar code 'ZZ'"),
        (
            HEADER + "[[verdicts]]\ndate = 2026-01-01",
            "f.toml: verdicts[0].packages: missing required key",
        ),
        (
            HEADER.replace("2026-12-31", "2026-12-31\nweekmask = '11'"),
            "f.toml: weekmask: expected 7 characters",
        ),
    ],
)
def test_errors_name_the_file_and_the_place(text: str, message: str) -> None:
    with pytest.raises(CalendarFileError) as info:
        calendars.loads(text, source="f.toml")
    assert message in str(info.value)


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(CalendarFileError, match="no such file"):
        calendars.load(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe format = 1")
    with pytest.raises(CalendarFileError, match="not UTF-8"):
        calendars.load(bad)
    with pytest.raises(CalendarFileError, match="no such file"):
        load_notice(tmp_path / "nope.toml")


def test_notice_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "n.toml"
    path.write_text("year = 2027\ntitle = 't'\ncovers = [2027-01-01]", encoding="utf-8")
    with pytest.raises(CalendarFileError, match=r"n.toml: covers: expected \[first, last\]"):
        load_notice(path)


def test_a_holiday_period_longer_than_a_year_is_refused() -> None:
    # Found by fuzzing: 0001-01-01..9999-12-31 was expanded into 3.6 million days.
    with pytest.raises(CalendarFileError, match="longer than 366 days"):
        calendars.loads(
            HEADER + "[[notices]]\nyear = 2026\ntitle = 't'\n"
            "holidays = [{name = 'a', first = 0001-01-01, last = 9999-12-31}]",
            source="f.toml",
        )


def test_load_takes_a_bare_notice_file_onto_the_mainland_calendar(tmp_path: Path) -> None:
    path = tmp_path / "2027.toml"
    path.write_text(NOTICE_2027, encoding="utf-8")
    cal = calendars.load(path)
    assert cal == calendars.get("CN").with_notice(path)
    assert cal.coverage[1] == date(2027, 12, 31)
    assert cal.certainty(date(2027, 6, 1)) == "official"
    assert calendars.loads(NOTICE_2027, source="2027.toml") == cal
