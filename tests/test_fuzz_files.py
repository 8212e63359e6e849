"""Malformed plan, calendar, notice and policy files: only library errors, naming the place.

Hypothesis writes broken files — random text, random TOML documents built from
random nested tables, arrays and scalars, and valid files with one thing wrong
(a key dropped, an unknown key, a value of the wrong type, a huge number, a date
where a string belongs, a deep nesting, a cycle) — and feeds them to
``Plan.loads``, ``calendars.loads``, the notice reader and ``Policy.loads``. Whatever the input,
each reader either returns a value or raises an ``ApprovalClockError`` whose
message starts with the file's name; never a ``KeyError``, ``TypeError``,
``IndexError``, ``AttributeError`` or ``RecursionError`` from inside.

What a reader returns is then used (:func:`check_use`): a plan scheduled, swept
and checked against a policy, a calendar queried, composed, extended and given a
notice, a notice applied to the mainland calendar, a policy checked against a
plan; each step returns or raises an ``ApprovalClockError``. And the same text,
written to a file, goes through the command line (:func:`check_cli`): exit 0, 1
(a failed check) or 2, at most one line on stderr and never a traceback, and with
``--json`` always JSON on stdout.

:data:`KNOWN` lists the crashes found and reported but not yet fixed (in code
this harness does not own), so that a run can go on to find new ones.

``fuzz/fuzz_files.py`` runs the same checks under atheris (coverage-guided, by
hand); ``docs/testing.md`` records what both found.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import tempfile
import tomllib
import traceback
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approval_clock import (
    ApprovalClockError,
    CalendarDays,
    CalendarMonths,
    Plan,
    Stage,
    WorkCalendar,
    WorkingDays,
    calendars,
    sweep,
)
from approval_clock.calendars._files import notice_text
from approval_clock.calendars.notice import Notice
from approval_clock.checks.policy import Condition, Policy
from approval_clock.cli import main

# Calendar files named by a plan are looked up here: an empty directory, so a
# fuzzed plan cannot make the reader open the project's own files.
_EMPTY = Path(tempfile.mkdtemp(prefix="approval-clock-fuzz-"))

READERS: dict[str, Callable[[str], object]] = {
    "plan.toml": lambda text: Plan.loads(text, source="plan.toml", base_dir=_EMPTY),
    "calendar.toml": lambda text: calendars.loads(text, source="calendar.toml"),
    "notice.toml": lambda text: notice_text(text, "notice.toml"),
    "policy.toml": lambda text: Policy.loads(text, source="policy.toml"),
}


def check(source: str, text: str) -> object:
    """Read ``text`` with the reader for ``source``; fail on anything but a named library error.

    Returns what the reader returned, or ``None`` when it refused the text.
    """
    try:
        return READERS[source](text)
    except ApprovalClockError as e:
        message = str(e)
        assert message.startswith(f"{source}: "), message
        if source == "plan.toml":  # see test_an_odd_key_is_quoted_in_the_place
            assert "\n" not in message.split(": ", 2)[1], message  # the place is one line
        return None


# Crashes found and reported, not yet fixed, each as (exception, file, function) of
# the innermost frame of the library. Keep it current: a fixed entry is removed
# (tests/test_safety_numbers.py pins each one with a strict xfail).
KNOWN: list[tuple[type[BaseException], str, str]] = [
    # Nothing known and unfixed. (The last entry, a calendar-day stage pushed past
    # 9999-12-31 by a lag of 3 000 000 working days, is a coverage error now.)
]


def is_known(e: BaseException) -> bool:
    """Whether ``e`` is one of :data:`KNOWN` (judged by where in the library it was raised)."""
    frames = [f for f in traceback.extract_tb(e.__traceback__) if "approval_clock" in f.filename]
    if not frames:
        return False
    last = frames[-1]
    return any(
        isinstance(e, kind) and last.filename.endswith(name) and last.name == function
        for kind, name, function in KNOWN
    )


@contextlib.contextmanager
def library_errors_only() -> Any:
    """Let an ``ApprovalClockError`` (a refusal) or a :data:`KNOWN` crash pass; fail on the rest."""
    try:
        yield
    except ApprovalClockError:
        pass
    except Exception as e:
        if not is_known(e):
            raise


# What a reader's value is used with: a plan, a policy and a few dates.
_CN = calendars.get("CN")
_PLAN = Plan([Stage("review", 20), Stage("notice", "10cd", kind="notice")], calendar=_CN)
_POLICY = Policy("p", baseline_limit=85, target_limit=45, min_ratio="45%")
_STARTS = [date(2021, 6, 1), date(2026, 12, 20)]


def _use_calendar(cal: WorkCalendar) -> None:
    first, last = cal.coverage
    for step in (
        lambda: cal.deadline(first, WorkingDays(5)),
        lambda: cal.deadline(last, CalendarDays(3)),
        lambda: cal.deadline(first, CalendarMonths(1)),
        lambda: cal.count(first, last),
        lambda: cal.describe(first, lang="zh"),
        lambda: cal & _CN,
        lambda: cal | cal,
        lambda: cal.extended(until=last + timedelta(days=400), rule="weekends"),
        lambda: cal.with_notice(Notice(year=last.year, title="t", scope="regional")),
        lambda: Plan([Stage("a", "3cd"), Stage("b", 2)], calendar=cal).schedule(start=first),
    ):
        with library_errors_only():
            step()


def _use_plan(plan: Plan) -> None:
    for start in _STARTS:
        with library_errors_only():
            plan.schedule(start=start)
        with library_errors_only():
            _POLICY.check(plan, start=start)
    with library_errors_only():
        sweep(plan, _STARTS)
    with library_errors_only():
        plan.to_toml()


def check_use(source: str, text: str) -> None:
    """Read ``text`` as :func:`check` does, then use what was read (see the module docstring)."""
    value = check(source, text)
    if value is None:
        return
    if isinstance(value, Plan):
        _use_plan(value)
    elif isinstance(value, WorkCalendar):
        _use_calendar(value)
    elif isinstance(value, Notice):
        with library_errors_only():
            _CN.with_notice(value)
    elif isinstance(value, Policy):
        for start in _STARTS:
            with library_errors_only():
                value.check(_PLAN, start=start)
        with library_errors_only():
            value.check_all(_PLAN, _STARTS)


# The command lines each kind of file is given to ({} is the file, {plan} a valid plan).
COMMANDS: dict[str, list[str]] = {
    "plan.toml": ["schedule {} --start 2021-06-01", "--json sweep {} --year 2026"],
    "calendar.toml": ["calendar {} 2026", "--json deadline 2026-03-02 20wd --calendar {}"],
    "notice.toml": [
        "count 2026-01-01 2026-12-31 --notice {}",
        "--json calendar CN 2027 --notice {}",
    ],
    "policy.toml": ["check {} {plan} --start 2021-06-01", "--json check {} {plan} --year 2026"],
}


def check_cli(source: str, text: str) -> None:
    """Run the command line on ``text`` as a file: a documented exit code, one line at most
    on stderr and never a traceback; with ``--json``, JSON on stdout."""
    with tempfile.TemporaryDirectory(prefix="approval-clock-fuzz-cli-") as tmp:
        path = Path(tmp, source)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        plan = Path(tmp, "valid-plan.toml")
        plan.write_text(_PLAN.to_toml(), encoding="utf-8")
        for command in COMMANDS[source]:
            argv = command.format(path, plan=plan).split()
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
            allowed = {0, 1, 2} if argv[0] == "check" or argv[1:2] == ["check"] else {0, 2}
            assert code in allowed, (argv, code, err.getvalue())
            assert "Traceback" not in err.getvalue(), err.getvalue()
            assert err.getvalue().count("\n") <= 1, err.getvalue()
            if code == 2:
                assert err.getvalue().startswith("approval-clock"), err.getvalue()
            if "--json" in argv:
                data = json.loads(out.getvalue())
                if code == 2:
                    assert data["exit_code"] == 2, data
                    assert isinstance(data["error"], str), data


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
        check_use(source, toml_document(doc))
        check_cli(source, toml_document(doc))


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


@pytest.mark.parametrize("source", SOURCES)
@given(data=st.data())
def test_what_is_read_from_a_broken_file_can_be_used(source: str, data: st.DataObject) -> None:
    doc = data.draw(st.sampled_from(VALID[source]))
    check_use(source, toml_document(data.draw(broken(doc))))


# A command line run costs milliseconds: a quarter of the profile's examples.
_CLI_EXAMPLES = settings(max_examples=max(5, settings.default.max_examples // 4))


@pytest.mark.parametrize("source", SOURCES)
@_CLI_EXAMPLES
@given(data=st.data())
def test_the_command_line_on_broken_files(source: str, data: st.DataObject) -> None:
    doc = data.draw(st.sampled_from(VALID[source]))
    check_cli(source, toml_document(data.draw(broken(doc))))


@pytest.mark.parametrize("source", SOURCES)
@_CLI_EXAMPLES
@given(text=st.text(max_size=60))
def test_the_command_line_on_random_text(source: str, text: str) -> None:
    check_cli(source, text)


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
