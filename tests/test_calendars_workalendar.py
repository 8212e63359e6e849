"""Calendars from workalendar's registry are the same day by day as workalendar says.

Also: the years workalendar cannot compute for a code are our CalendarCoverageError
(naming the years it can), its warnings come through as workalendar issues them
(the library never touches the process-wide warning filters, so it neither
rewrites nor de-duplicates them), and a date outside a calendar's years says
which years= to ask for.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, timedelta

import pytest

from approval_clock import UnknownCalendarError, WorkCalendar, calendars
from approval_clock.errors import ApprovalClockError, CalendarCoverageError


@pytest.mark.parametrize("code", ["FR", "HK", "JP", "US-CA"])
def test_same_working_days_as_workalendar(code: str) -> None:
    from workalendar.registry import registry

    ours = calendars.get(code, years=(2020, 2027))
    theirs = registry.get(code)()
    first = date(2020, 1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for k in range((date(2027, 12, 31) - first).days + 1):
            d = first + timedelta(days=k)
            assert ours.is_working_day(d) == theirs.is_working_day(d), (code, d)


def test_holiday_names_come_through() -> None:
    fr = calendars.get("FR", years=(2024, 2026))
    assert fr.describe(date(2025, 7, 14)) == "Bastille Day"
    assert fr.describe(date(2025, 7, 13)) == "weekend"


def test_years_can_be_widened_and_are_validated() -> None:
    assert calendars.get("FR", years=(1990, 2050)).coverage == (
        date(1990, 1, 1),
        date(2050, 12, 31),
    )
    with pytest.raises(ValueError, match="years"):
        calendars.get("FR", years=(2030, 2020))
    with pytest.raises(ValueError, match="official notices"):
        calendars.get("CN", years=(2000, 2030))


def test_time_zone_is_explicit() -> None:
    from datetime import datetime

    fr = calendars.get("FR", years=(2025, 2025))
    assert fr.timezone is None
    with pytest.raises(ValueError, match="time zone"):
        fr.is_working_day(datetime(2025, 7, 13, 23, tzinfo=UTC))
    paris = calendars.get("FR", years=(2025, 2025), timezone="Europe/Paris")
    # 23:00 UTC on Sun 13 July is 01:00 on Mon 14 July (Bastille Day) in Paris.
    assert paris.describe(datetime(2025, 7, 13, 23, tzinfo=UTC)) == "Bastille Day"


def test_unknown_code() -> None:
    with pytest.raises(UnknownCalendarError, match="'XX'") as info:
        calendars.get("XX")
    assert isinstance(info.value, LookupError)


def test_available_lists_cn_and_the_registry() -> None:
    codes = calendars.available()
    assert "CN" in codes
    assert "HK" in codes
    assert len(codes) > 100


def test_joint_stage_calendar_cn_and_hk() -> None:
    cn = calendars.get("CN")
    hk = calendars.get("HK", years=(2021, 2021))
    both = cn & hk
    # 1 July is a Hong Kong holiday, a mainland working day.
    assert cn.is_working_day(date(2021, 7, 1))
    assert not both.is_working_day(date(2021, 7, 1))
    # Sat 9 Oct 2021 is a mainland makeup day; Hong Kong works Saturdays in workalendar.
    assert both.is_working_day(date(2021, 10, 9))


# -- years workalendar supports, its warnings, and the advice on coverage errors -----------


def _theirs_agree(code: str, ours: WorkCalendar) -> None:
    """workalendar's own is_working_day, day by day over the whole calendar, against ours."""
    from workalendar.registry import registry

    with warnings.catch_warnings():
        # workalendar's own warnings, from its own calendar object: not ours to pass on.
        warnings.simplefilter("ignore")
        theirs = registry.get(code)()
        first, last = ours.coverage
        for k in range((last - first).days + 1):
            d = first + timedelta(days=k)
            assert ours.is_working_day(d) == theirs.is_working_day(d), (code, d)


ISLAMIC = r"^Please take note that, due to arbitrary decisions, this Islamic calendar computation may be wrong\.$"


def _workalendar_file() -> str:
    import workalendar

    return os.path.dirname(workalendar.__file__) + os.sep


@contextmanager
def recorded() -> Iterator[list[warnings.WarningMessage]]:
    """Every warning issued inside, recorded (a test may set filters; the library never does)."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        yield record


def _user_messages(record: list[warnings.WarningMessage], filename: str | None = None) -> set[str]:
    """The texts of the UserWarnings recorded, each checked to come as it was issued from
    workalendar's code (or from ``filename``); deprecations of its lunar libraries pass."""
    texts = set()
    for w in record:
        if w.category is DeprecationWarning:
            continue
        assert w.category is UserWarning, w
        if filename is None:
            assert w.filename.startswith(_workalendar_file()), w
        else:
            assert w.filename == filename, w
        texts.add(str(w.message))
    return texts


@pytest.mark.parametrize(
    ("code", "first_year", "last_year", "warns"),
    [
        ("FR", 2000, 2040, False),
        ("HK", 2000, 2040, False),
        ("US-CA", 2000, 2040, False),
        # workalendar's table of Singapore's Deepavali is 2000-2030.
        ("SG", 2000, 2030, True),
        # Malaysia's Deepavali and Thaipusam tables are 2010-2024.
        ("MY", 2010, 2024, True),
    ],
)
def test_default_years_are_those_workalendar_supports_and_agree_day_by_day(
    code: str, first_year: int, last_year: int, warns: bool
) -> None:
    if warns:
        with recorded() as record:
            ours = calendars.get(code)
        assert any(re.match(ISLAMIC, m) for m in _user_messages(record))
    else:
        ours = calendars.get(code)  # any warning would fail the test (filterwarnings = error)
    assert ours.coverage == (date(first_year, 1, 1), date(last_year, 12, 31))
    _theirs_agree(code, ours)


def test_singapore_up_to_the_end_of_workalendar_table() -> None:
    with recorded() as record:
        sg = calendars.get("SG", years=(2029, 2030))
    assert any(re.match(ISLAMIC, m) for m in _user_messages(record))
    # Deepavali 2030 is in workalendar's table: Friday 25 October 2030.
    assert sg.describe(date(2030, 10, 25)) == "Deepavali"
    assert not sg.is_working_day(date(2030, 10, 25))
    # Nothing to widen to: the advice says so instead of suggesting years that fail.
    with pytest.raises(CalendarCoverageError, match=r"2031-01-02 is after") as info:
        sg.is_working_day(date(2031, 1, 2))
    assert "workalendar supports SG for 2000..2030" in str(info.value)
    assert "years=(2000, 2030)" in str(info.value)


@pytest.mark.parametrize(
    ("code", "years", "year", "supported", "suggested"),
    [
        ("SG", (2025, 2035), 2031, "2000..2030", "years=(2025, 2030)"),
        ("SG", (2050, 2060), 2050, "2000..2030", None),
        ("MY", (2000, 2010), 2000, "2010..2024", "years=(2010, 2010)"),
        ("MY", (2024, 2026), 2025, "2010..2024", "years=(2024, 2024)"),
        # Precomputed astronomy (the equinoxes) ends in 2051.
        ("JP", (2040, 2060), 2052, "1991..2051", "years=(2040, 2051)"),
        # South Africa's holidays start in 1910; nothing after 2100 was probed.
        ("ZA", (1900, 1920), 1900, "1910..2100 (or later)", "years=(1910, 1920)"),
    ],
)
def test_years_workalendar_cannot_compute_are_a_coverage_error(
    code: str, years: tuple[int, int], year: int, supported: str, suggested: str | None
) -> None:
    with pytest.raises(CalendarCoverageError) as info:
        calendars.get(code, years=years)
    message = str(info.value)
    assert isinstance(info.value, ApprovalClockError)
    assert not isinstance(info.value, KeyError)
    assert f"calendars.get({code!r}, years={years})" in message
    assert f"cannot compute {code}'s holidays for {year} (" in message
    assert f"it supports {code} for {supported}" in message
    if suggested is None:
        assert "e.g." not in message
    else:
        assert message.endswith(f"e.g. {suggested}")


def test_every_available_code_builds_or_raises_our_error() -> None:
    built, refused = [], []
    for code in calendars.available():
        if code == "CN":
            continue
        # Which codes warn depends on what this process compiled before (one warning
        # per compiled calendar), so they are recorded and checked, not counted.
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            error: ApprovalClockError | None = None
            try:
                cal = calendars.get(code, years=(2024, 2026))
            except ApprovalClockError as e:
                error = e
        if error is None:
            assert cal.code == code
            assert cal.coverage == (date(2024, 1, 1), date(2026, 12, 31))
            built.append(code)
        else:
            assert isinstance(error, CalendarCoverageError), (code, error)
            assert f"cannot compute {code}'s holidays for 202" in str(error), error
            refused.append(code)
        _user_messages(record)
    # workalendar 17 has no Malaysian Deepavali after 2024; every other code builds.
    assert refused == ["MY"]
    assert len(built) == len(calendars.available()) - 2


def test_advice_for_a_workalendar_calendar_is_to_widen_years() -> None:
    fr = calendars.get("FR", years=(2024, 2025))
    with pytest.raises(CalendarCoverageError) as info:
        fr.is_working_day(date(2027, 1, 4))
    message = str(info.value)
    assert "years=" in message
    assert "with_notice" not in message
    assert message.endswith(
        "widen years= in calendars.get('FR', years=(2000, 2060)); "
        "workalendar supports FR for 1900 (or earlier)..2100 (or later)"
    )
    # The same advice before the range, and it is one line.
    with pytest.raises(CalendarCoverageError, match=r"years=\(2000, 2060\)") as before:
        fr.is_working_day(date(2023, 12, 29))
    assert "\n" not in str(before.value)
    # The suggestion stays within the years workalendar supports: Hong Kong's
    # precomputed solar terms are 1991-2051.
    hk = calendars.get("HK", years=(2024, 2025))
    with pytest.raises(CalendarCoverageError) as info:
        hk.is_working_day(date(2026, 1, 2))
    assert str(info.value).endswith(
        "widen years= in calendars.get('HK', years=(2000, 2051)); "
        "workalendar supports HK for 1991..2051"
    )


# -- the same logic on calendars made up for the test: holes, two warnings, no default year --


def _register(monkeypatch: pytest.MonkeyPatch, code: str, years: set[int]) -> None:
    """A workalendar calendar that computes only ``years``, and warns as workalendar does."""
    from workalendar.core import SAT, SUN, Calendar
    from workalendar.registry import registry

    class Tabled(Calendar):  # type: ignore[misc]
        "Tabled"

        WEEKEND_DAYS = (SAT, SUN)

        def get_variable_days(self, year: int) -> list[tuple[date, str]]:
            if year not in years:
                raise KeyError(f"Missing date for Table Day for year: {year}")
            warnings.warn("the table may be wrong", stacklevel=1)
            if year % 2:
                warnings.warn("odd years are\n   guessed", stacklevel=1)
            return [(date(year, 6, 1), "Table Day")]

    monkeypatch.setitem(registry.region_registry, code, Tabled)


def test_default_years_take_the_longest_supported_run_and_its_warnings_come_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _register(monkeypatch, "ZZ-HOLES", set(range(1990, 2031)) | set(range(2035, 2061)))
    with recorded() as record:
        cal = calendars.get("ZZ-HOLES")
    # 1990..2030 overlaps DEFAULT_YEARS by 31 years, 2035..2060 by 6.
    assert cal.coverage == (date(2000, 1, 1), date(2030, 12, 31))
    assert cal.describe(date(2015, 6, 1)) == "Table Day"
    # As the calendar issued them, from where it issued them (this file).
    assert _user_messages(record, __file__) == {
        "the table may be wrong",
        "odd years are\n   guessed",
    }
    # The advice suggests only years that work: back to 1990, not past 2030.
    with pytest.raises(CalendarCoverageError) as info:
        cal.is_working_day(date(2031, 1, 2))
    assert str(info.value).endswith(
        "widen years= in calendars.get('ZZ-HOLES', years=(1990, 2030)); "
        "workalendar supports ZZ-HOLES for 1990..2030"
    )
    with recorded(), pytest.raises(CalendarCoverageError) as refused:
        calendars.get("ZZ-HOLES", years=(2025, 2045))
    assert str(refused.value) == (
        "calendars.get('ZZ-HOLES', years=(2025, 2045)): workalendar cannot compute "
        "ZZ-HOLES's holidays for 2031 (KeyError: Missing date for Table Day for year: 2031); "
        "it supports ZZ-HOLES for 1990..2030, 2035..2060; "
        "ask for years within them, e.g. years=(2035, 2045)"
    )


def test_no_default_year_supported_is_a_coverage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _register(monkeypatch, "ZZ-OLD", set(range(1950, 1961)))
    with recorded(), pytest.raises(CalendarCoverageError) as info:
        calendars.get("ZZ-OLD")  # the years probed warn, as the calendar does
    assert str(info.value) == (
        "calendars.get('ZZ-OLD'): workalendar supports ZZ-OLD for 1950..1960, none of the "
        "default years 2000..2040; pass years=(first, last) within what it supports"
    )
    with recorded() as record:
        old = calendars.get("ZZ-OLD", years=(1950, 1960))
    assert _user_messages(record, __file__) == {
        "the table may be wrong",
        "odd years are\n   guessed",
    }
    assert old.coverage == (date(1950, 1, 1), date(1960, 12, 31))
    with pytest.raises(CalendarCoverageError, match=r"for 1950\.\.1960 only"):
        old.is_working_day(date(1949, 12, 31))
