"""Notice files that cannot quietly corrupt a calendar: each refusal names the file and
the place, and says what would be accepted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from approval_clock import (
    CalendarCoverageError,
    CalendarError,
    CalendarFileError,
    Notice,
    WorkCalendar,
    calendars,
)

D = date

# The statutory days of 2027, one period each: the least a national 2027 notice has.
FIXED_2027 = "\n".join(
    f'  {{ name = "{name}", first = {d}, last = {d} }},'
    for d, name in calendars.statutory_holidays(2027).items()
)


def notice(holidays: str = FIXED_2027, workdays: str = "", extra: str = "") -> str:
    return (
        f'year = 2027\ntitle = "t"\n{extra}\nholidays = [\n{holidays}\n]\n'
        f"workdays = [\n{workdays}\n]\n"
    )


def based(body: str) -> str:
    return f'format = 1\nbase = "CN"\nname = "Region"\n[[notices]]\n{body}'


def _load(tmp_path: Path, text: str) -> WorkCalendar:
    path = tmp_path / "2027.toml"
    path.write_text(text, encoding="utf-8")
    return calendars.get("CN").with_notice(path)


def test_a_complete_notice_is_accepted(tmp_path: Path) -> None:
    cal = _load(tmp_path, notice(workdays='  { name = "Spring Festival", date = 2027-02-14 },'))
    assert cal.coverage[1] == D(2027, 12, 31)


def test_a_makeup_day_on_a_weekday_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        CalendarError,
        match=r"2027\.toml: .*workdays\[0\] \(National Day, 2027-10-13\) is a Wednesday",
    ):
        _load(tmp_path, notice(workdays='  { name = "National Day", date = 2027-10-13 },'))
    # In a calendar file the place is the notice's.
    with pytest.raises(CalendarFileError, match=r"region\.toml: notices\[0\]: .*Wednesday"):
        calendars.loads(
            based(notice(workdays='  { name = "National Day", date = 2027-10-13 },')),
            source="region.toml",
        )
    # A calendar of its own is checked against its own week mask (Saturday works).
    text = (
        'format = 1\nname = "Hall"\nfirst = 2027-01-01\nlast = 2027-12-31\nweekmask = "1111110"\n'
        '[[notices]]\nyear = 2027\ntitle = "t"\nworkdays = [{ name = "x", date = 2027-10-09 }]\n'
    )
    with pytest.raises(CalendarFileError, match=r"hall\.toml: notices\[0\]: .*Saturday, already"):
        calendars.loads(text, source="hall.toml")


def test_a_day_far_outside_the_notice_year_is_refused(tmp_path: Path) -> None:
    # A 2027 notice that rewrites February 2026.
    bad = FIXED_2027 + '\n  { name = "Spring Festival", first = 2026-02-16, last = 2026-02-18 },'
    with pytest.raises(
        CalendarFileError, match=r"2027\.toml: .*holidays\[13\].*outside the notice's range"
    ):
        _load(tmp_path, notice(bad))
    with pytest.raises(CalendarFileError, match=r"workdays\[0\].*outside the notice's range"):
        _load(tmp_path, notice(workdays='  { name = "x", date = 2026-02-14 },'))
    # Late December of the year before is the notice's own neighbourhood.
    near = FIXED_2027 + '\n  { name = "New Year", first = 2026-12-31, last = 2026-12-31 },'
    assert not _load(tmp_path, notice(near)).is_working_day(D(2026, 12, 31))


def test_overlapping_periods_duplicate_makeups_and_both_are_refused(tmp_path: Path) -> None:
    overlap = (
        FIXED_2027 + '\n  { name = "Spring Festival", first = 2027-02-05, last = 2027-02-12 },'
    )
    with pytest.raises(CalendarFileError, match=r"holidays\[13\].*overlaps holidays\[1\]"):
        _load(tmp_path, notice(overlap))
    twice = '  { name = "a", date = 2027-02-14 },\n  { name = "b", date = 2027-02-14 },'
    with pytest.raises(CalendarFileError, match=r"workdays\[1\] \(2027-02-14\) is listed twice"):
        _load(tmp_path, notice(workdays=twice))
    both = '  { name = "a", date = 2027-02-06 },'
    with pytest.raises(CalendarFileError, match="both a holiday"):
        _load(tmp_path, notice(workdays=both))
    with pytest.raises(CalendarError, match="overlaps"):
        Notice(
            year=2027,
            title="t",
            holidays=[("a", D(2027, 1, 1), D(2027, 1, 3)), ("b", D(2027, 1, 3), D(2027, 1, 4))],
        )


def test_a_national_notice_must_give_the_statutory_days_off(tmp_path: Path) -> None:
    partial = '  { name = "Spring Festival", first = 2027-02-05, last = 2027-02-12 },'
    with pytest.raises(
        CalendarError, match=r"2027\.toml: .*2027-01-01 \(New Year's Day\) a working day"
    ):
        _load(tmp_path, notice(partial))


def test_a_regional_notice_past_the_range_keeps_the_year_projected() -> None:
    text = based(
        'year = 2027\ntitle = "Regional"\nscope = "regional"\n'
        'holidays = [{ name = "Zhuang March 3rd", first = 2027-04-09, last = 2027-04-09 }]\n'
    )
    region = calendars.loads(text, source="region.toml")
    assert not region.is_working_day(D(2027, 4, 9))
    assert not region.is_working_day(D(2027, 1, 1))  # the national days, projected by law
    assert region.certainty(D(2027, 4, 9)) == "projected"
    assert region.provisional == (D(2027, 1, 1), D(2027, 12, 31))
    # Without the scope it would be a national notice, and is refused.
    with pytest.raises(CalendarFileError, match='scope = "regional"'):
        calendars.loads(text.replace('scope = "regional"\n', ""), source="region.toml")
    # Then the national notice arrives; the regional holiday stays.
    n2027 = calendars.load_notice(
        Path(__file__).parent.parent / "examples/notices/2027-illustrative.toml"
    )
    settled = region.with_notice(n2027)
    assert settled.certainty(D(2027, 4, 9)) == "official"
    assert not settled.is_working_day(D(2027, 4, 9))


def test_a_regional_notice_cannot_extend_a_calendar_without_a_law() -> None:
    fr = calendars.get("FR", years=(2025, 2026))
    n = Notice(
        year=2027, title="t", holidays=[("x", D(2027, 3, 1), D(2027, 3, 1))], scope="regional"
    )
    with pytest.raises(CalendarCoverageError, match="regional notice cannot make a year official"):
        fr.with_notice(n)
    with pytest.raises(CalendarError, match="scope"):
        Notice(year=2027, title="t", scope="local")


def test_bad_scope_in_a_file_names_the_place() -> None:
    from approval_clock.calendars._files import notice_text

    with pytest.raises(CalendarFileError, match=r"notice\.toml: scope: expected one of"):
        notice_text('year = 2027\ntitle = "t"\nscope = "city"\n', "notice.toml")
