"""Untrusted files: calendar files confined to their directories, only regular files read,
nothing echoed from a file a plan names, size and structure bounded before parsing, and a
UTF-8 byte order mark accepted by every reader (docs/security.md).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from approval_clock import (
    ApprovalClockError,
    CalendarFileError,
    Plan,
    PlanFileError,
    Policy,
    PolicyFileError,
    calendars,
)
from approval_clock._toml import _TOML_SKIP, check_text, toml_string
from approval_clock.calendars._files import notice_text
from approval_clock.limits import Limits
from conftest import NOTICE_2027_JSON

SECRET = 'db_password = "hunter2"\n'
REGION = """format = 1
base = "CN"
name = "Region"
[[notices]]
year = 2026
title = "Regional holiday (illustrative)"
scope = "regional"
holidays = [{ name = "Closure", first = 2026-04-20, last = 2026-04-20 }]
"""


def plan_naming(ref: str) -> str:
    return f'format = 1\ncalendar = {toml_string(ref)}\n[[stages]]\nid = "a"\nduration = 5\n'


@pytest.fixture
def service(tmp_path: Path) -> Path:
    """A service's directories: its users' plans, and a secret next to them."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "region.toml").write_text(REGION, encoding="utf-8")
    (plans / "notes.toml").write_text(SECRET, encoding="utf-8")
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "creds.toml").write_text(SECRET, encoding="utf-8")
    return plans


def refused(text: str, base_dir: Path, **kwargs: object) -> str:
    with pytest.raises(PlanFileError) as e:
        Plan.loads(text, source="plan.toml", base_dir=base_dir, **kwargs)  # type: ignore[arg-type]
    message = str(e.value)
    assert "hunter2" not in message
    assert "db_password" not in message
    return message


# -- confinement ------------------------------------------------------------------------


def test_a_calendar_file_inside_base_dir_is_read(service: Path) -> None:
    plan = Plan.loads(plan_naming("region.toml"), base_dir=service)
    assert plan.calendar.name == "Region"
    assert Plan.loads(plan_naming("./region.toml"), base_dir=service).calendar == plan.calendar


@pytest.mark.parametrize(
    ("ref", "why"),
    [
        ("../secret/creds.toml", "a path with '..'"),
        ("../secret/missing.toml", "a path with '..'"),  # the same words: nothing to learn
        ("sub/../../secret/creds.toml", "a path with '..'"),
        ("..\\secret\\creds.toml", "a path with '..'"),
        ("C:\\secret\\creds.toml", "an absolute path"),
        ("\\\\server\\share\\creds.toml", "an absolute path"),
    ],
)
def test_escapes_are_refused_by_their_words_alone(service: Path, ref: str, why: str) -> None:
    message = refused(plan_naming(ref), service)
    assert message.startswith(f"plan.toml: calendar: {ref}: {why}; a plan names a calendar file")


def test_absolute_paths_are_refused_whether_or_not_the_file_exists(service: Path) -> None:
    creds = service.parent / "secret" / "creds.toml"
    there = refused(plan_naming(str(creds)), service)
    missing = refused(plan_naming(str(creds.with_name("missing.toml"))), service)
    assert there.replace("creds", "X") == missing.replace("missing", "X")
    assert "an absolute path" in there


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges")
def test_a_link_out_of_base_dir_is_refused_whether_or_not_its_target_exists(
    service: Path,
) -> None:
    (service / "k1.toml").symlink_to(service.parent / "secret" / "creds.toml")
    (service / "k2.toml").symlink_to(service.parent / "secret" / "missing.toml")
    linked = refused(plan_naming("k1.toml"), service)
    dangling = refused(plan_naming("k2.toml"), service)
    assert linked.replace("k1", "X") == dangling.replace("k2", "X")
    assert "leads outside base_dir (a symbolic link?)" in linked


def test_a_file_that_is_not_a_calendar_is_not_quoted(service: Path) -> None:
    message = refused(plan_naming("notes.toml"), service)
    assert message == (
        "plan.toml: calendar: notes.toml: not a calendar or notice file this library reads "
        "(what is wrong is not shown here, since a plan may name any file; read it with "
        "calendars.load to see)"
    )
    # Read on its own, the file's own error is shown: it is the caller's file then.
    with pytest.raises(CalendarFileError, match="db_password"):
        calendars.load(service / "notes.toml")


def test_a_missing_file_is_named_only_inside(service: Path) -> None:
    assert refused(plan_naming("nowhere.toml"), service) == (
        "plan.toml: calendar: nowhere.toml: no such file in base_dir"
    )


def test_calendar_dirs_are_searched_after_base_dir(service: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "city.toml").write_text(REGION.replace('"Region"', '"City"'), encoding="utf-8")
    (shared / "region.toml").write_text(REGION.replace('"Region"', '"Shadow"'), encoding="utf-8")
    text = plan_naming("city.toml")
    assert "no such file in base_dir" in refused(text, service)
    plan = Plan.loads(text, base_dir=service, calendar_dirs=[shared])
    assert plan.calendar.name == "City"
    # base_dir first: the plan's own region.toml wins.
    again = Plan.loads(plan_naming("region.toml"), base_dir=service, calendar_dirs=[shared])
    assert again.calendar.name == "Region"
    assert "no such file in base_dir or calendar_dirs" in refused(
        plan_naming("nowhere.toml"), service, calendar_dirs=[shared]
    )


def test_a_plan_file_reads_calendars_from_its_own_directory(service: Path) -> None:
    (service / "plan.toml").write_text(plan_naming("region.toml"), encoding="utf-8")
    assert Plan.from_toml(service / "plan.toml").calendar.name == "Region"
    (service / "bad.toml").write_text(plan_naming("../secret/creds.toml"), encoding="utf-8")
    with pytest.raises(PlanFileError, match=r"a relative path inside the plan's directory"):
        Plan.from_toml(service / "bad.toml")


# -- only regular files -----------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_does_not_hang_any_reader(service: Path) -> None:
    fifo = service / "pipe.toml"
    os.mkfifo(fifo)
    # A hang guard, not a speed claim: nobody ever writes to the FIFO, so a reader
    # that opened it for reading would wait forever (the test would time out).
    done = threading.Event()
    watchdog = threading.Timer(60, lambda: None if done.is_set() else os.open(fifo, os.O_WRONLY))
    watchdog.daemon = True
    watchdog.start()
    message = refused(plan_naming("pipe.toml"), service)
    assert message == (
        "plan.toml: calendar: pipe.toml: cannot read: not a regular file (a FIFO); "
        "only regular files are read"
    )
    readers: list[Callable[[Path], object]] = [
        calendars.load,
        calendars.load_notice,
        Plan.from_toml,
        Policy.from_toml,
    ]
    for read in readers:
        with pytest.raises(ApprovalClockError, match=r"not a regular file \(a FIFO\)"):
            read(fifo)
    done.set()
    watchdog.cancel()


def test_a_directory_or_a_device_is_not_read(service: Path) -> None:
    with pytest.raises(CalendarFileError, match=r"not a regular file \(a directory\)"):
        calendars.load(service)
    if os.path.exists("/dev/zero"):  # endless: only the size check would stop a read
        with pytest.raises(PlanFileError, match=r"not a regular file \(a character device\)"):
            Plan.from_toml("/dev/zero")


# -- byte order marks -------------------------------------------------------------------

BOM = "\ufeff"
PLAN = plan_naming("CN")
POLICY = 'format = 1\nname = "p"\ntarget_limit = 45\n'
NOTICE = 'year = 2027\ntitle = "Example"\nholidays = [{ name = "New Year", first = 2027-01-01, last = 2027-01-01 }]\n'
HOLIDAY_CN = '{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}'


def test_every_reader_accepts_a_byte_order_mark(service: Path) -> None:
    assert Plan.loads(BOM + PLAN).stages[0].id == "a"
    assert Policy.loads(BOM + POLICY).target_limit == 45
    assert calendars.loads(BOM + REGION).name == "Region"
    assert notice_text(BOM + NOTICE, "n.toml").year == 2027
    assert notice_text(BOM + HOLIDAY_CN, "n.json").year == 2027
    assert calendars.loads(BOM + NOTICE_2027_JSON.read_text(encoding="utf-8")).law == "CN"
    files = {
        "plan.toml": PLAN,
        "policy.toml": POLICY,
        "cal.toml": REGION,
        "n.toml": NOTICE,
        "n.json": HOLIDAY_CN,
    }
    for name, text in files.items():
        (service / name).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert Plan.from_toml(service / "plan.toml").stages[0].id == "a"
    assert Policy.from_toml(service / "policy.toml").name == "p"
    assert calendars.load(service / "cal.toml").name == "Region"
    assert calendars.load_notice(service / "n.toml").year == 2027
    assert calendars.load_notice(service / "n.json").year == 2027
    # Only one, at the start: a second is still an error, and byte offsets count it.
    with pytest.raises(PlanFileError, match="not valid TOML"):
        Plan.loads(BOM + BOM + PLAN)
    (service / "bad.toml").write_bytes(b"\xef\xbb\xbfx = \xff\n")
    with pytest.raises(PlanFileError, match=r"not UTF-8 text \(invalid start byte at byte 7\)"):
        Plan.from_toml(service / "bad.toml")


# -- size and structure, before the parser ---------------------------------------------


READERS: dict[str, Callable[[str, Limits], object]] = {
    "plan": lambda text, limits: Plan.loads(text, source="x", limits=limits),
    "policy": lambda text, limits: Policy.loads(text, source="x", limits=limits),
    "calendar": lambda text, limits: calendars.loads(text, source="x", limits=limits),
    "holiday-cn": lambda text, limits: calendars.loads("{" + text, source="x", limits=limits),
}


@pytest.mark.parametrize("reader", list(READERS))
def test_a_file_over_the_size_limit_is_refused_unread(reader: str) -> None:
    text = "x = 1\n" + "# padding\n" * 200
    with pytest.raises(ApprovalClockError, match=r"^x: [0-9]+ bytes, more than the 1000 accepted"):
        READERS[reader](text, Limits(file_bytes=1000))


def test_file_size_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as f:
        f.truncate(1 << 30)  # 1 GiB, sparse: reading it would take seconds and the memory
    tracemalloc.start()
    for read, error in (
        (Plan.from_toml, PlanFileError),
        (Policy.from_toml, PolicyFileError),
        (calendars.load, CalendarFileError),
        (calendars.load_notice, CalendarFileError),
    ):
        with pytest.raises(error, match=r"1073741824 bytes or more, more than the 524288"):
            read(big)  # type: ignore[operator]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 1 << 20  # nothing of the file was read into memory


@contextlib.contextmanager
def _no_toml_parser() -> Iterator[None]:
    """Fail if the TOML parser is called: the checks must refuse the text first."""
    import tomllib

    from approval_clock import _toml

    def refuse(text: str) -> None:
        raise AssertionError("the TOML parser saw a file the checks should have refused")

    saved = _toml.tomllib.loads
    _toml.tomllib.loads = refuse  # type: ignore[assignment]
    try:
        yield
    finally:
        _toml.tomllib.loads = saved
        assert tomllib.loads is saved


def test_long_dotted_keys_are_refused_in_linear_time() -> None:
    # 100 KB of `a.a.a...a = 1` took tomllib over 30 s.
    for size in (8_000, 100_000, 1_000_000):
        text = ".".join(["a"] * (size // 2)) + " = 1\n"
        with _no_toml_parser(), pytest.raises(PlanFileError) as e:
            Plan.loads(text, source="p.toml", limits=Limits(file_bytes=2_000_000))
        assert str(e.value) == (
            "p.toml: line 1: a dotted key or table header of more than 32 parts; at most 32 "
            "(limits.depth) are accepted"
        )
    with pytest.raises(PolicyFileError, match=r"line 2: a dotted key or table header"):
        Policy.loads("format = 1\n[" + ".".join(["t"] * 40) + "]\n", source="p.toml")


@pytest.mark.parametrize("reader", list(READERS))
def test_nesting_is_bounded_before_parsing(reader: str) -> None:
    text = '"x": ' + "[" * 40 + "]" * 40 if reader == "holiday-cn" else "x = " + "[" * 40 + "]" * 40
    with pytest.raises(ApprovalClockError, match=r"nested more than 32 deep"):
        READERS[reader](text, Limits())
    # A caller may allow more; then it is the parser's to judge.
    with pytest.raises(ApprovalClockError) as e:
        READERS[reader](text, Limits(depth=100))
    assert "nested more than" not in str(e.value)


@pytest.mark.parametrize("reader", list(READERS))
def test_elements_are_counted_before_parsing(reader: str) -> None:
    text = '"x": [' + "1," * 2000 + "1]" if reader == "holiday-cn" else "x = [" + "1," * 2000 + "1]"
    with pytest.raises(ApprovalClockError, match=r"about 200[0-9] values .* more than the 1000"):
        READERS[reader](text, Limits(elements=1000))


def test_numbers_of_thousands_of_digits_are_refused_unread() -> None:
    for reader in READERS.values():
        with pytest.raises(ApprovalClockError, match="a number of more than 64 digits"):
            reader(
                '"x": ' + "9" * 4301 if reader is READERS["holiday-cn"] else "x = " + "9" * 4301,
                Limits(),
            )
    # Inside a string it is text, for the reader to judge.
    with pytest.raises(PlanFileError, match="expected a duration"):
        Plan.loads(plan_naming("CN").replace("duration = 5", f'duration = "{"9" * 5000}wd"'))


def test_the_defaults_read_the_shipped_files() -> None:
    root = Path(__file__).resolve().parents[1]
    for path in (root / "examples").rglob("*.toml"):
        text = path.read_text(encoding="utf-8")
        check_text(text, Limits(), AssertionError)
    data = root / "src" / "approval_clock" / "calendars" / "data" / "cn.toml"
    assert calendars.load(data).coverage == calendars.get("CN").coverage


# -- the lexer hides nothing inside strings ----------------------------------------------


def _literals(content: str) -> list[str]:
    """``content`` written as each kind of TOML string that can hold it."""
    basic = toml_string(content)
    out = [basic, '"""' + basic[1:-1] + '"""']
    if "'" not in content and "\n" not in content and "\r" not in content:
        out.append(f"'{content}'")
    # (TOML drops a newline right after the opening quotes: not what this test is about.)
    literal_ok = "'''" not in content and not content.endswith("'")
    if literal_ok and "\r" not in content and not content.startswith("\n"):
        out.append(f"'''{content}'''")
    return out


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_whatever_a_string_holds_the_structure_after_it_is_seen(content: str) -> None:
    import tomllib

    for literal in _literals(content):
        text = f"x = {literal}\n" + ".".join("abcdef") + " = 1\n"
        try:
            parsed = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue  # (a control character TOML refuses in a literal string)
        assert parsed["x"] == content
        assert len(_TOML_SKIP.sub("S", f"x = {literal}\n")) == len("x = S\n")
        line = 2 + literal.count("\n")
        with pytest.raises(PlanFileError, match=rf"^x: line {line}: a dotted key"):
            check_text(text, Limits(depth=5), lambda problem: PlanFileError(f"x: {problem}"))
        check_text(text, Limits(depth=6), lambda problem: PlanFileError(f"x: {problem}"))
