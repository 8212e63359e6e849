"""Durations: whole days >= 0 in one unit, compared and added within it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from approval_clock import (
    CalendarDays,
    CalendarMonths,
    DurationError,
    WorkingDays,
    parse_duration,
)
from approval_clock.durations import MAX_DURATION, as_duration


@pytest.mark.parametrize("bad", [-1, 1.0, 1.5, "3", True, None])
@pytest.mark.parametrize("unit", [WorkingDays, CalendarDays, CalendarMonths])
def test_only_whole_days_ge_0(unit: type, bad: object) -> None:
    with pytest.raises(
        DurationError, match=f"{unit.__name__}: expected a whole number of days >= 0"
    ):
        unit(bad)


def test_values_compare_and_add_within_one_unit() -> None:
    assert WorkingDays(5) + WorkingDays(10) == WorkingDays(15)
    assert WorkingDays(5) < WorkingDays(6)
    assert sorted([CalendarDays(3), CalendarDays(1)]) == [CalendarDays(1), CalendarDays(3)]
    assert WorkingDays(5) != CalendarDays(5)
    with pytest.raises(TypeError):
        _ = WorkingDays(5) + CalendarDays(5)  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = WorkingDays(5) < CalendarDays(6)  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = WorkingDays(5) + 1  # type: ignore[operator]


def test_repr_and_short_form() -> None:
    assert repr(WorkingDays(20)) == "WorkingDays(20)"
    assert str(WorkingDays(20)) == "20wd"
    assert str(CalendarDays(10)) == "10cd"
    assert str(CalendarMonths(3)) == "3mo"


def test_frozen_and_hashable() -> None:
    d = WorkingDays(3)
    with pytest.raises(AttributeError):
        d.n = 4  # type: ignore[misc]
    assert {WorkingDays(3): 1}[WorkingDays(3)] == 1


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20wd", WorkingDays(20)),
        ("0wd", WorkingDays(0)),
        (" 35 wd ", WorkingDays(35)),
        ("10cd", CalendarDays(10)),
        ("3mo", CalendarMonths(3)),
    ],
)
def test_parse_short_forms(text: str, value: object) -> None:
    assert parse_duration(text) == value


@pytest.mark.parametrize("bad", ["", "wd", "-3wd", "3.5wd", "3 weeks", "3WD", "3d"])
def test_parse_rejects_anything_else(bad: str) -> None:
    with pytest.raises(DurationError, match="expected a duration such as"):
        parse_duration(bad)


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(DurationError, match="got int 3"):
        parse_duration(3)  # type: ignore[arg-type]


@given(st.integers(0, 10**6), st.sampled_from([WorkingDays, CalendarDays, CalendarMonths]))
def test_short_form_round_trips(n: int, unit: type) -> None:
    value = unit(n)
    assert parse_duration(str(value)) == value


@pytest.mark.parametrize("bad", ["١٢wd", "１２wd", "12ｗd"])
def test_parse_reads_ascii_digits_only(bad: str) -> None:
    # Found by fuzzing: \d matched Arabic-Indic digits, reading "١٢wd" as 12 days.
    with pytest.raises(DurationError):
        parse_duration(bad)


# -- one vocabulary (issue 12) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (20, WorkingDays(20)),
        (0, WorkingDays(0)),
        (np.int64(20), WorkingDays(20)),
        (np.uint8(3), WorkingDays(3)),
        (np.int32(45), WorkingDays(45)),
        ("20wd", WorkingDays(20)),
        (" 30 cd ", CalendarDays(30)),
        ("2mo", CalendarMonths(2)),
        (WorkingDays(5), WorkingDays(5)),
        (CalendarDays(5), CalendarDays(5)),
        (CalendarMonths(5), CalendarMonths(5)),
    ],
)
def test_as_duration_reads_every_form_of_the_vocabulary(value: object, expected: object) -> None:
    got = as_duration(value)
    assert got == expected
    assert type(got.n) is int


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (True, "got bool True"),
        (np.bool_(True), "got bool np.True_"),
        (2.0, "got float 2.0"),
        (None, "got NoneType None"),
        ([20], r"got list \[20\]"),
        (object(), "got object"),
        (-1, ">= 0, got -1"),
        (np.int64(-1), ">= 0, got -1"),
        (MAX_DURATION + 1, "at most 3652058 working days"),
        pytest.param(10**5000, "at most 3652058 working days", id="10**5000"),
        ("20", "expected a duration such as '20wd'"),
        ("3WD", "expected a duration such as '20wd'"),
    ],
)
def test_as_duration_refuses_anything_else_naming_the_argument(bad: object, message: str) -> None:
    with pytest.raises(DurationError, match=rf"^stages\[3\]\.duration: .*{message}") as e:
        as_duration(bad, "stages[3].duration")
    assert len(str(e.value)) < 300  # a huge value is not printed whole


def test_numpy_integers_make_the_same_duration_as_ints() -> None:
    for unit in (WorkingDays, CalendarDays, CalendarMonths):
        value = unit(np.int64(7))
        assert value == unit(7)
        assert hash(value) == hash(unit(7))
        assert type(value.n) is int
        assert repr(value) == f"{unit.__name__}(7)"
        with pytest.raises(DurationError):
            unit(np.bool_(True))
        with pytest.raises(DurationError):
            unit(np.float64(7.0))
