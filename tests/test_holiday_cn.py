"""holiday-cn's JSON files: read by content, their conventions handled, problems named.

The files here are written from the notices' facts in holiday-cn's layout
(``{"year", "papers", "days": [{"name", "date", "isOffDay"}]}``): every day of
a rest period, weekend days that merely adjoin a holiday left out, late-December
days in the next year's file, amendments merged into the year's file.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from approval_clock import CalendarFileError, WorkCalendar, calendars
from conftest import NOTICE_2027_JSON, NOTICE_2027_TOML

D = date


def holiday_cn(
    year: int,
    off: list[tuple[str, date, date]],
    on: list[tuple[str, date]],
    papers: tuple[str, ...] = ("https://www.gov.cn/example",),
) -> str:
    days = []
    for name, first, last in off:
        d = first
        while d <= last:
            days.append({"name": name, "date": d.isoformat(), "isOffDay": True})
            d += timedelta(days=1)
    days += [{"name": name, "date": d.isoformat(), "isOffDay": False} for name, d in on]
    days.sort(key=lambda x: str(x["date"]))
    return json.dumps({"year": year, "papers": list(papers), "days": days}, ensure_ascii=False)


# The 2020 notice and its Spring Festival extension, as holiday-cn merges them:
# the extension lists 31 January - 2 February off and Monday 3 February "at work".
Y2020 = holiday_cn(
    2020,
    off=[
        ("元旦", D(2020, 1, 1), D(2020, 1, 1)),
        ("春节", D(2020, 1, 24), D(2020, 2, 2)),
        ("清明节", D(2020, 4, 4), D(2020, 4, 6)),
        ("劳动节", D(2020, 5, 1), D(2020, 5, 5)),
        ("端午节", D(2020, 6, 25), D(2020, 6, 27)),
        ("国庆节、中秋节", D(2020, 10, 1), D(2020, 10, 8)),
    ],
    on=[
        ("春节", D(2020, 1, 19)),
        ("春节", D(2020, 2, 3)),
        ("劳动节", D(2020, 4, 26)),
        ("劳动节", D(2020, 5, 9)),
        ("端午节", D(2020, 6, 28)),
        ("国庆节、中秋节", D(2020, 9, 27)),
        ("国庆节、中秋节", D(2020, 10, 10)),
    ],
    papers=("https://www.gov.cn/2019-11", "https://www.gov.cn/2020-01"),
)

# The 2019 notice with its Labour Day amendment; its New Year starts in 2018,
# and Dragon Boat, Qingming, Mid-autumn are one day each "与周末连休" (the
# adjoining weekends are not listed).
Y2019 = holiday_cn(
    2019,
    off=[
        ("元旦", D(2018, 12, 30), D(2019, 1, 1)),
        ("春节", D(2019, 2, 4), D(2019, 2, 10)),
        ("清明节", D(2019, 4, 5), D(2019, 4, 5)),
        ("劳动节", D(2019, 5, 1), D(2019, 5, 4)),
        ("端午节", D(2019, 6, 7), D(2019, 6, 7)),
        ("中秋节", D(2019, 9, 13), D(2019, 9, 13)),
        ("国庆节", D(2019, 10, 1), D(2019, 10, 7)),
    ],
    on=[
        ("元旦", D(2018, 12, 29)),
        ("春节", D(2019, 2, 2)),
        ("春节", D(2019, 2, 3)),
        ("劳动节", D(2019, 4, 28)),
        ("劳动节", D(2019, 5, 5)),
        ("国庆节", D(2019, 9, 29)),
        ("国庆节", D(2019, 10, 12)),
    ],
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _same_days(a: WorkCalendar, b: WorkCalendar, first: date, last: date) -> list[date]:
    d, out = first, []
    while d <= last:
        if a.is_working_day(d) != b.is_working_day(d):
            out.append(d)
        d += timedelta(days=1)
    return out


def test_a_2027_notice_as_toml_or_json_gives_the_same_calendar(cn: WorkCalendar) -> None:
    from_toml = cn.with_notice(NOTICE_2027_TOML)
    from_json = cn.with_notice(NOTICE_2027_JSON)
    assert from_toml == from_json
    assert calendars.load(NOTICE_2027_JSON) == from_toml
    assert from_json.certainty(D(2027, 6, 1)) == "official"
    assert from_json.describe(D(2027, 2, 8)) == "Spring Festival"


@pytest.mark.parametrize(("year", "text"), [(2019, Y2019), (2020, Y2020)])
def test_a_year_file_on_the_notices_before_it_gives_the_official_year(
    year: int, text: str, tmp_path: Path, cn: WorkCalendar
) -> None:
    before = calendars.get("CN", notices_through=year - 1)
    cal = before.with_notice(_write(tmp_path, f"{year}.json", text))
    assert cal.coverage[1] == D(year, 12, 31)
    # Late December of the year before is this file's (2018-12-29 worked, 31 off).
    assert _same_days(cal, cn, D(year - 1, 12, 1), D(year, 12, 31)) == []


def test_a_working_weekday_is_an_ordinary_working_day_not_a_makeup_day(tmp_path: Path) -> None:
    notice = calendars.load_notice(_write(tmp_path, "2020.json", Y2020))
    assert D(2020, 2, 3) not in {m.date for m in notice.workdays}
    assert "2020-02-03 (Monday)" in notice.note
    cal = calendars.get("CN", notices_through=2019).with_notice(notice)
    assert cal.describe(D(2020, 2, 3)) == "working day"
    # The extension cancelled the makeup Saturday 1 February of the first notice.
    assert not cal.is_working_day(D(2020, 2, 1))


def test_names_are_mapped_and_adjoining_weekends_stay_weekends(tmp_path: Path) -> None:
    notice = calendars.load_notice(_write(tmp_path, "2019.json", Y2019))
    names = {p.name for p in notice.holidays}
    assert names == {
        "New Year's Day",
        "Spring Festival",
        "Tomb-sweeping Day",
        "Labour Day",
        "Dragon Boat Festival",
        "Mid-autumn Festival",
        "National Day",
    }
    cal = calendars.get("CN", notices_through=2018).with_notice(notice)
    assert cal.describe(D(2019, 6, 8)) == "weekend"  # 与周末连休: not listed
    assert cal.describe(D(2019, 6, 7)) == "Dragon Boat Festival"
    merged = calendars.load_notice(_write(tmp_path, "2020.json", Y2020))
    assert merged.holidays[-1].name == "National Day and Mid-autumn Festival"


def test_an_empty_year_file_is_refused(tmp_path: Path, cn: WorkCalendar) -> None:
    # holiday-cn's 2027.json before the notice appears.
    path = _write(tmp_path, "2027.json", '{"year": 2027, "papers": [], "days": []}')
    with pytest.raises(CalendarFileError, match=r"2027\.json: days: lists no days"):
        cn.with_notice(path)
    with pytest.raises(CalendarFileError, match="extended"):
        calendars.load(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ('{"year": 2027, "papers": []}', "days: missing key"),
        ('{"year": "2027", "papers": [], "days": [1]}', "year: expected a year"),
        ('{"year": 2027, "papers": [], "days": [1], "extra": 1}', "extra: unknown key"),
        (
            '{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027/01/01", "isOffDay": true}]}',
            r"days\[0\]\.date: expected a date",
        ),
        (
            '{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-02-30", "isOffDay": true}]}',
            "no such date",
        ),
        (
            '{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": "yes"}]}',
            r"days\[0\]\.isOffDay: expected true or false",
        ),
        (
            '{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true},'
            ' {"name": "元旦", "date": "2027-01-01", "isOffDay": false}]}',
            r"days\[1\]\.date: 2027-01-01 is listed twice \(also days\[0\]\)",
        ),
        (
            '{"year": 2027, "papers": [], "days": [{"name": "春节", "date": "2026-02-10", "isOffDay": true}]}',
            "outside the notice's range",
        ),
        (
            '{"year": 2027, "papers": [], "days": [{"name": "", "date": "2027-01-01", "isOffDay": true}]}',
            r"days\[0\]\.name: expected a non-empty string",
        ),
    ],
)
def test_bad_files_name_the_file_and_the_place(text: str, message: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "2027.json", text)
    with pytest.raises(CalendarFileError, match=message) as info:
        calendars.load_notice(path)
    assert str(info.value).startswith(str(path))


def test_schema_keys_and_float_years_are_accepted(tmp_path: Path) -> None:
    text = (
        '{"$schema": "https://example/schema.json", "$id": "x", "year": 2027.0, "papers": [],'
        ' "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}'
    )
    notice = calendars.load_notice(_write(tmp_path, "2027.json", text))
    assert notice.year == 2027
    assert notice.holidays[0].name == "New Year's Day"
    # A partial national notice is refused where it would make the year official.
    with pytest.raises(CalendarFileError, match="statutory holiday"):
        calendars.load(tmp_path / "2027.json")
