"""Malformed plan, calendar, notice and policy files: only library errors, naming the place.

Hypothesis writes broken files — random text, random TOML documents built from
random nested tables, arrays and scalars, and valid files with one thing wrong
(a key dropped, an unknown key, a value of the wrong type, a huge number, a date
where a string belongs, a deep nesting, a cycle) — and feeds them to
``Plan.loads``, ``calendars.loads``, the notice reader and ``Policy.loads``. Whatever the input,
each reader either returns a value or raises an ``ApprovalClockError`` whose
message starts with the file's name; never a ``KeyError``, ``TypeError``,
``IndexError``, ``AttributeError`` or ``RecursionError`` from inside.

``fuzz/fuzz_files.py`` runs :func:`check` under atheris (coverage-guided, by hand);
``docs/testing.md`` records what both found.
"""

from __future__ import annotations

import math
import tempfile
import tomllib
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from approval_clock import ApprovalClockError, Plan, calendars
from approval_clock.calendars._files import notice_text
from approval_clock.policy import Condition, Policy

# Calendar files named by a plan are looked up here: an empty directory, so a
# fuzzed plan cannot make the reader open the project's own files.
_EMPTY = Path(tempfile.mkdtemp(prefix="approval-clock-fuzz-"))

READERS: dict[str, Callable[[str], object]] = {
    "plan.toml": lambda text: Plan.loads(text, source="plan.toml", base_dir=_EMPTY),
    "calendar.toml": lambda text: calendars.loads(text, source="calendar.toml"),
    "notice.toml": lambda text: notice_text(text, "notice.toml"),
    "policy.toml": lambda text: Policy.loads(text, source="policy.toml"),
}


def check(source: str, text: str) -> None:
    """Read ``text`` with the reader for ``source``; fail on anything but a named library error."""
    try:
        READERS[source](text)
    except ApprovalClockError as e:
        message = str(e)
        assert message.startswith(f"{source}: "), message
        if source == "plan.toml":  # see test_an_odd_key_is_quoted_in_the_place
            assert "\n" not in message.split(": ", 2)[1], message  # the place is one line


# -- writing TOML -------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def toml_string(s: str) -> str:
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < " " or ch == "\x7f":
            out.append(f"\\u{ord(ch):04X}")
        elif "\ud800" <= ch <= "\udfff":
            out.append("?")  # TOML cannot hold a lone surrogate
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, (date, datetime, time)):
        return v.isoformat()
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_string(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"cannot write {v!r} as TOML")


def toml_document(doc: dict[str, Any]) -> str:
    return "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in doc.items())


# -- random values ------------------------------------------------------------------

KEYS = [
    "format",
    "name",
    "calendar",
    "stages",
    "links",
    "id",
    "duration",
    "kind",
    "predecessor",
    "successor",
    "lag",
    "year",
    "title",
    "holidays",
    "workdays",
    "document",
    "covers",
    "note",
    "first",
    "last",
    "date",
    "base",
    "code",
    "timezone",
    "weekmask",
    "source",
    "notices",
    "verdicts",
    "question",
    "packages",
    "verdict",
    "reason",
    "x",
]

scalars = st.one_of(
    st.integers(-3, 3),
    st.integers(),
    st.sampled_from([2**63 - 1, -(2**63), 10**30, 9998, 9999, 10000, 0]),
    st.floats(),
    st.booleans(),
    st.text(max_size=8),
    st.sampled_from(
        ["CN", "HK", "FS", "SS", "FF", "work", "notice", "35wd", "3cd", "2mo", "x.toml"]
    ),
    st.sampled_from(["2021-02-30", "1111100", "0000000", "-1wd", "99999999999999999999wd"]),
    st.dates(),
    st.datetimes(),
    st.times(),
)

values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    ),
    max_leaves=20,
)

documents = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), values, max_size=8)


# -- valid files to break -----------------------------------------------------------

PLAN: dict[str, Any] = {
    "format": 1,
    "name": "Reform",
    "calendar": "CN",
    "stages": [
        {"id": "registration", "duration": 5},
        {"id": "notice", "duration": "35wd", "kind": "notice"},
        {"id": "permit", "duration": "20cd", "kind": "special", "calendar": ["CN", "HK"]},
    ],
    "links": [
        {"predecessor": "registration", "successor": "permit", "kind": "SS"},
        {"predecessor": "registration", "successor": "permit", "kind": "FF", "lag": -2},
        {"predecessor": "notice", "successor": "permit", "lag": "3cd"},
    ],
}

NOTICE: dict[str, Any] = {
    "year": 2027,
    "title": "Example notice",
    "document": "国办发明电〔2026〕1号",
    "holidays": [
        {"name": "New Year's Day", "first": date(2027, 1, 1), "last": date(2027, 1, 3)},
        {"name": "Spring Festival", "first": date(2027, 2, 5), "last": date(2027, 2, 11)},
    ],
    "workdays": [{"name": "Spring Festival", "date": date(2027, 2, 14)}],
    "covers": [date(2027, 1, 1), date(2027, 12, 31)],
    "note": "",
}

CALENDAR: dict[str, Any] = {
    "format": 1,
    "name": "Example",
    "code": "EX",
    "timezone": "Asia/Shanghai",
    "weekmask": "1111100",
    "first": date(2027, 1, 1),
    "last": date(2027, 12, 31),
    "notices": [NOTICE],
    "verdicts": [
        {
            "date": date(2027, 1, 1),
            "question": "q",
            "packages": "p",
            "verdict": "v",
            "reason": "r",
        }
    ],
}

# A regional notice past the base's range: the year is projected, not made official
# (a national notice there would have to give every statutory holiday off).
BASED: dict[str, Any] = {
    "format": 1,
    "base": "CN",
    "name": "Region",
    "notices": [{**NOTICE, "scope": "regional"}],
}

POLICY: dict[str, Any] = tomllib.loads(
    Policy(
        "pilot",
        baseline_limit=85,
        target_limit=45,
        min_ratio="45%",
        notice_days=35,
        conditions=[
            Condition("industrial", "an industrial project"),
            Condition("district", "in the pilot districts", ("A", "B"), "scope"),
        ],
    ).to_toml()
)

VALID = {
    "plan.toml": [PLAN],
    "calendar.toml": [CALENDAR, BASED],
    "notice.toml": [NOTICE],
    "policy.toml": [POLICY],
}


def _paths(v: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a nested value, as a path of keys and indexes."""
    out = [at] if at else []
    if isinstance(v, dict):
        for k, x in v.items():
            out += _paths(x, (*at, k))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            out += _paths(x, (*at, i))
    return out


def _copy(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_copy(x) for x in v]
    return v


@st.composite
def broken(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with one to three things wrong."""
    out = _copy(doc)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(out)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = out
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        how = draw(st.sampled_from(["drop", "replace", "unknown", "nest", "wrap"]))
        if how == "drop":
            del parent[last]
        elif how == "replace":
            parent[last] = draw(values)
        elif how == "unknown" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS) | st.text(max_size=5))] = draw(values)
        elif how == "nest":
            depth = draw(st.integers(1, 40))
            value = parent[last]
            for _ in range(depth):
                value = [value] if draw(st.booleans()) else {"x": value}
            parent[last] = value
        else:
            parent[last] = [parent[last], parent[last]]
    return out


def _cyclic_plan(n: int, extra: list[tuple[int, int, str]]) -> dict[str, Any]:
    plan = _copy(PLAN)
    plan["stages"] = [{"id": f"s{i}", "duration": i} for i in range(n)]
    plan["links"] = [{"predecessor": f"s{i}", "successor": f"s{i + 1}"} for i in range(n - 1)]
    plan["links"] += [
        {"predecessor": f"s{i % n}", "successor": f"s{j % n}", "kind": kind} for i, j, kind in extra
    ]
    return plan


# -- the tests ----------------------------------------------------------------------

SOURCES = list(READERS)


@pytest.mark.parametrize("source", SOURCES)
def test_the_valid_files_are_valid(source: str) -> None:
    for doc in VALID[source]:
        assert READERS[source](toml_document(doc)) is not None


@pytest.mark.parametrize("source", SOURCES)
@given(text=st.text())
def test_random_text(source: str, text: str) -> None:
    check(source, text)


@pytest.mark.parametrize("source", SOURCES)
@given(doc=documents)
def test_random_documents(source: str, doc: dict[str, Any]) -> None:
    check(source, toml_document(doc))


@pytest.mark.parametrize("source", SOURCES)
@given(data=st.data())
def test_valid_files_with_something_wrong(source: str, data: st.DataObject) -> None:
    doc = data.draw(st.sampled_from(VALID[source]))
    check(source, toml_document(data.draw(broken(doc))))


@given(
    st.integers(2, 12),
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 30), st.sampled_from(["FS", "SS", "FF"]))
    ),
)
def test_cycles_are_named_at_links(n: int, extra: list[tuple[int, int, str]]) -> None:
    check("plan.toml", toml_document(_cyclic_plan(n, extra)))


@pytest.mark.parametrize("source", SOURCES)
@given(text=st.text(alphabet="[]{}=,x \n\"'#.-0123456789aefilnrstu", max_size=200))
def test_toml_punctuation_soup(source: str, text: str) -> None:
    check(source, "x = " + text)


# Deep nesting: tomllib parses arrays and inline tables recursively, so a file of a
# few thousand brackets raises RecursionError inside tomllib. Every reader turns
# that into its own file error.
DEEP = ["x = " + "[" * 5000 + "]" * 5000, "x = " + "{a = " * 3000 + "1" + "}" * 3000]


@pytest.mark.parametrize("text", DEEP, ids=["arrays", "tables"])
def test_deep_nesting_in_a_plan_file_is_a_plan_file_error(text: str) -> None:
    check("plan.toml", text)


@pytest.mark.parametrize("source", ["calendar.toml", "notice.toml"])
@pytest.mark.parametrize("text", DEEP, ids=["arrays", "tables"])
def test_deep_nesting_in_calendar_and_notice_files(source: str, text: str) -> None:
    check(source, text)


def test_a_bad_base_is_named_once() -> None:
    with pytest.raises(ApprovalClockError) as e:
        calendars.loads("format = 1\nbase = 5\n", source="calendar.toml")
    assert str(e.value) == "calendar.toml: base: expected a string, got int 5"


def test_an_odd_key_is_quoted_in_the_place() -> None:
    # Found by test_random_documents: a quoted key holding a newline was shown raw.
    with pytest.raises(ApprovalClockError) as e:
        Plan.loads('"bad\\nkey" = 1', source="plan.toml")
    assert str(e.value).startswith('plan.toml: "bad\\nkey": unknown key')


@pytest.mark.parametrize("source", ["calendar.toml", "notice.toml"])
def test_an_odd_key_is_quoted_in_the_place_of_calendar_files(source: str) -> None:
    with pytest.raises(ApprovalClockError) as e:
        READERS[source]('"bad\\nkey" = 1')
    assert "\n" not in str(e.value)
