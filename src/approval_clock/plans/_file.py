"""Plan files: TOML text <-> :class:`~approval_clock.Plan`, with precise error places.

The format (``format = 1``)::

    format = 1
    name = "Industrial project, reform"      # optional
    calendar = "CN"                          # required: see "Calendars" below

    [[stages]]
    id = "land_notice"                       # required, unique
    name = "出让公示"                          # optional
    duration = "35wd"                        # required: 35, "35wd", "20cd" or "3mo"
    kind = "notice"                          # optional: work (default), notice, applicant, special
    calendar = "guangxi.toml"                # optional: this stage's own calendar
    not_before = 2021-08-18                  # optional: start no earlier than (a TOML date)
    finish_by = 2021-10-29                   # optional: finish no later than (a TOML date)

    [[links]]
    predecessor = "land_notice"              # required
    successor = "registration"               # required
    kind = "FS"                              # optional: FS (default), SS, FF
    lag = 0                                  # optional: working days (may be negative) or "3cd"

Calendars: a code that :func:`approval_clock.calendars.get` knows (``"CN"``,
``"HK"``), or a calendar file (a value ending in ``.toml``, read with
:func:`approval_clock.calendars.loads`), or a list of those for a stage handled
jointly (working days of all of them: ``["CN", "HK"]`` is ``cn & hk``; a
calendar named twice counts once, and a list holds at most ``limits.calendars``).

Calendar files are confined: a plan names one by a relative path without
``..``, found in the plan file's directory (``base_dir`` for text), then in the
``calendar_dirs`` the caller allows, and it must resolve (symbolic links
followed) to a regular file inside the directory it was found in. Anything else
is refused before the file system is asked, so a message never tells whether a
file exists outside; and a message about a referenced file never shows what the
file holds (it may be any file of the service: ``creds.toml``).

Only TOML is read; nothing in a file is executed. Unknown keys are errors. The
size and structure of the text, and the number of stages and links, are bounded
by :class:`~approval_clock.limits.Limits` before anything is built.
Every message reads ``<file>: <place>: <problem>``, for example
``plan.toml: stages[3].duration: expected a whole number of days >= 0, got -2``
(places count from 0). :func:`dumps_plan` writes the same format back, and
reading what it wrote gives an equal plan.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import reduce
from pathlib import Path, PurePosixPath, PureWindowsPath

from approval_clock._toml import Reader, read_text, shown, toml_string
from approval_clock.calendars.workcalendar import WorkCalendar
from approval_clock.durations import (
    MAX_DURATION,
    CalendarDays,
    Duration,
    WorkingDays,
    parse_duration,
)
from approval_clock.errors import (
    ApprovalClockError,
    ArgumentTypeError,
    CycleError,
    DurationError,
    PlanError,
    PlanFileError,
)
from approval_clock.limits import Limits
from approval_clock.plans.model import LINK_KINDS, STAGE_KINDS, Link, Plan, Stage

__all__ = ["dumps_plan", "loads_plan", "read_plan"]

_TOP_KEYS = {"format", "name", "calendar", "stages", "links"}
_STAGE_KEYS = {"id", "name", "duration", "kind", "calendar", "not_before", "finish_by"}
_LINK_KEYS = {"predecessor", "successor", "kind", "lag"}

CalendarRef = str | list[str]


def _cut(shown: str, limit: int = 60) -> str:
    return shown if len(shown) <= limit else f"{shown[: limit - 4]}...{shown[-1]}"


def _int_text(value: int) -> str:
    return str(value) if value.bit_length() <= 128 else f"an int of {value.bit_length()} bits"


def _name(ref: str) -> str:
    """A calendar reference as messages show it: as written, or quoted if it is odd."""
    if ref.isprintable() and len(ref) <= 60 and ref.strip() == ref:
        return ref
    return _cut(repr(ref))


class _Reader(Reader):
    """The shared TOML reader, plus plan vocabulary: durations, lags, calendars."""

    def __init__(
        self,
        source: str,
        base_dir: Path,
        *,
        where: str,
        limits: Limits | None = None,
        calendar_dirs: tuple[Path, ...] = (),
        iso_dates: bool = False,
    ) -> None:
        super().__init__(source, PlanFileError, limits, iso_dates=iso_dates)
        self.base_dir = base_dir
        self.where = where  # what messages call base_dir
        self.calendar_dirs = calendar_dirs
        self.calendars: dict[str, WorkCalendar] = {}
        self.refs: dict[WorkCalendar, CalendarRef] = {}

    def duration(self, value: object, place: str) -> Duration:
        if type(value) is int:
            if value < 0:
                raise self.fail(place, f"expected a whole number of days >= 0, got {value}")
            if value > MAX_DURATION:
                raise self.fail(
                    place,
                    f"expected at most {MAX_DURATION} working days (the days from "
                    f"0001-01-01 to 9999-12-31), got {_int_text(value)}",
                )
            return WorkingDays(value)
        if isinstance(value, str):
            try:
                return parse_duration(value)
            except DurationError as e:
                problem = str(e) if "at most" in str(e) else None
                raise self.fail(
                    place,
                    problem
                    or f"expected a duration such as 35, '35wd', '20cd' or '3mo', got "
                    f"{_cut(repr(value))}",
                ) from None
        raise self.fail(
            place,
            f"expected a whole number of working days or a short form such as '35wd', "
            f"got {shown(value)}",
        )

    def lag(self, value: object, place: str) -> int | CalendarDays:
        if type(value) is int:
            if not -MAX_DURATION <= value <= MAX_DURATION:
                raise self.fail(
                    place,
                    f"expected whole working days from -{MAX_DURATION} to {MAX_DURATION} "
                    f"(the days from 0001-01-01 to 9999-12-31), got {_int_text(value)}",
                )
            return value
        if isinstance(value, str):
            try:
                parsed = parse_duration(value)
            except DurationError:
                parsed = None
            if isinstance(parsed, WorkingDays):
                return parsed.n
            if isinstance(parsed, CalendarDays):
                return parsed
        raise self.fail(
            place,
            f"expected whole working days (an int, negative for a lead) or calendar days "
            f"such as '3cd', got {shown(value)}",
        )

    def calendar(self, value: object, place: str) -> WorkCalendar:
        if isinstance(value, str):
            cal = self._one_calendar(value, place)
            ref: CalendarRef = value
        elif isinstance(value, list) and value:
            if len(value) > self.limits.calendars:
                raise self.fail(
                    place,
                    f"a joint calendar of {len(value)} calendars, more than the "
                    f"{self.limits.calendars} accepted (limits.calendars)",
                )
            parts: list[WorkCalendar] = []
            refs: list[str] = []
            for k, v in enumerate(value):
                at = f"{place}[{k}]"
                one = self._one_calendar(self.text(v, at), at)
                # A calendar named twice is one jurisdiction: cal & cal is cal.
                if not any(one is p or one == p for p in parts):
                    parts.append(one)
                    refs.append(v)
            try:
                cal = reduce(lambda a, b: a & b, parts)
            except (ApprovalClockError, ValueError) as e:
                raise self.fail(place, str(e)) from None
            ref = refs
        else:
            raise self.fail(
                place,
                f"expected a calendar code such as 'CN', a calendar file such as "
                f"'city.toml', or a list of them, got {shown(value)}",
            )
        self.refs.setdefault(cal, ref)
        return cal

    def _one_calendar(self, ref: str, place: str) -> WorkCalendar:
        from approval_clock import calendars

        if ref in self.calendars:
            return self.calendars[ref]
        if ref.endswith(".toml"):
            cal = self._calendar_file(ref, place)
        else:
            try:
                cal = calendars.get(ref)
            except (ApprovalClockError, ValueError, TypeError) as e:
                raise self.fail(place, str(e)) from None
        self.calendars[ref] = cal
        return cal

    def _searched(self) -> str:
        dirs = " or calendar_dirs" if self.calendar_dirs else ""
        return f"{self.where}{dirs}"

    def _calendar_file(self, ref: str, place: str) -> WorkCalendar:
        """The calendar in file ``ref``, confined to base_dir and calendar_dirs.

        Every refusal before the file is found depends on ``ref`` alone, never on
        what exists; and no message repeats what the file holds.
        """
        from approval_clock import calendars

        shown_ref = _name(ref)
        rule = (
            f"a plan names a calendar file by a relative path inside {self._searched()}, "
            f"without '..'"
        )
        posix, windows = PurePosixPath(ref), PureWindowsPath(ref)
        if "\x00" in ref or not posix.parts:
            raise self.fail(place, f"{shown_ref}: not a file name; {rule}")
        if posix.is_absolute() or windows.anchor:
            raise self.fail(place, f"{shown_ref}: an absolute path; {rule}")
        if ".." in posix.parts or ".." in windows.parts:
            raise self.fail(place, f"{shown_ref}: a path with '..'; {rule}")
        path = None
        for folder in (self.base_dir, *self.calendar_dirs):
            try:
                root = folder.resolve()
                target = (folder / ref).resolve()
            except (OSError, RuntimeError):  # a loop of links, a name too long
                raise self.fail(place, f"{shown_ref}: cannot be resolved; {rule}") from None
            if not target.is_relative_to(root):
                # A link from inside to elsewhere: refused whether or not its target exists.
                raise self.fail(
                    place,
                    f"{shown_ref}: leads outside {self._searched()} (a symbolic link?); {rule}",
                )
            try:
                found = target.exists()
            except OSError as e:  # a directory on the way that may not be searched
                raise self.fail(place, f"{shown_ref}: cannot read ({e.strerror})") from None
            if found:
                path = target
                break
        if path is None:
            raise self.fail(place, f"{shown_ref}: no such file in {self._searched()}")
        try:
            text = read_text(path, PlanFileError, self.limits, name=shown_ref)
        except PlanFileError as e:  # what the file is (its size, its kind), not what it holds
            raise self.fail(place, str(e)) from None
        try:
            return calendars.loads(text, source=shown_ref, limits=self.limits)
        except (ApprovalClockError, ValueError, TypeError):
            raise self.fail(
                place,
                f"{shown_ref}: not a calendar or notice file this library reads (what is "
                f"wrong is not shown here, since a plan may name any file; read it with "
                f"calendars.load to see)",
            ) from None


def _directories(value: object) -> tuple[Path, ...]:
    if isinstance(value, (str, Path)) or not isinstance(value, Iterable):
        raise ArgumentTypeError(
            f"calendar_dirs: expected a list of directories, got {shown(value)}"
        )
    out = []
    for d in value:
        if not isinstance(d, (str, Path)):
            raise ArgumentTypeError(
                f"calendar_dirs: expected directories (str or Path), got {shown(d)}"
            )
        out.append(Path(d))
    return tuple(out)


def read_plan(
    path: str | Path,
    *,
    limits: Limits | None = None,
    calendar_dirs: Iterable[str | Path] = (),
) -> Plan:
    """Read a plan file; calendar files it names are found next to it (or in ``calendar_dirs``)."""
    p = Path(path)
    text = read_text(p, PlanFileError, limits)
    return _loads(text, str(path), p.parent, "the plan's directory", limits, calendar_dirs)


def loads_plan(
    text: str,
    *,
    source: str = "<string>",
    base_dir: str | Path | None = None,
    limits: Limits | None = None,
    calendar_dirs: Iterable[str | Path] = (),
) -> Plan:
    """Build a plan from plan-file text (see the module docstring for the format)."""
    if base_dir is not None and not isinstance(base_dir, (str, Path)):
        raise ArgumentTypeError(f"base_dir: expected a directory or None, got {shown(base_dir)}")
    where = "the current directory" if base_dir is None else "base_dir"
    folder = Path(base_dir) if base_dir is not None else Path()
    return _loads(text, source, folder, where, limits, calendar_dirs)


def plan_from_dict(
    data: object,
    *,
    base_dir: str | Path | None = None,
    limits: Limits | None = None,
    calendar_dirs: Iterable[str | Path] = (),
) -> Plan:
    """Build a plan from its JSON form (``Plan.to_dict()``) or a parsed plan file.

    The plan files' reader, with dates also as ISO strings (JSON has no dates).
    """
    if base_dir is not None and not isinstance(base_dir, (str, Path)):
        raise ArgumentTypeError(f"base_dir: expected a directory or None, got {shown(base_dir)}")
    r = _Reader(
        "plan (dict)",
        Path(base_dir) if base_dir is not None else Path(),
        where="the current directory" if base_dir is None else "base_dir",
        limits=limits,
        calendar_dirs=_directories(calendar_dirs),
        iso_dates=True,
    )
    return _build(r, data)


def _loads(
    text: str,
    source: str,
    base_dir: Path,
    where: str,
    limits: Limits | None,
    calendar_dirs: Iterable[str | Path],
) -> Plan:
    r = _Reader(
        source,
        base_dir,
        where=where,
        limits=limits,
        calendar_dirs=_directories(calendar_dirs),
    )
    return _build(r, r.parse(text))


def _build(r: _Reader, doc: object) -> Plan:
    """The plan in a parsed plan file or its JSON form: one reader for both.

    In steps: the top-level keys, the stages, the links, then the plan.
    """
    t = r.table(doc, "", _TOP_KEYS, {"format", "calendar", "stages"})
    if type(t["format"]) is not int or t["format"] != 1:
        raise r.fail("format", f"expected 1 (the only format so far), got {shown(t['format'])}")
    name = r.string(t["name"], "name") if "name" in t else ""
    calendar = r.calendar(t["calendar"], "calendar")
    raw_stages = t["stages"]
    if not isinstance(raw_stages, list):
        raise r.fail("stages", f"expected an array of tables ([[stages]]), got {shown(raw_stages)}")
    if not raw_stages:
        raise r.fail("stages", "a plan needs at least one stage")
    _count(r, "stages", raw_stages, r.limits.stages)
    if isinstance(t.get("links"), list):
        _count(r, "links", t["links"], r.limits.links)
    where_id: dict[str, int] = {}
    stages = [
        _read_stage(r, item, f"stages[{k}]", k, where_id) for k, item in enumerate(raw_stages)
    ]
    raw_links = t.get("links", [])
    if not isinstance(raw_links, list):
        raise r.fail("links", f"expected an array of tables ([[links]]), got {shown(raw_links)}")
    where_link: dict[tuple[str, str, str], int] = {}
    links = [_read_link(r, item, k, where_id, where_link) for k, item in enumerate(raw_links)]
    try:
        plan = Plan(stages, links, calendar=calendar, name=name)
    except CycleError as e:
        raise r.fail("links", str(e)) from None
    except PlanError as e:  # checked above already; kept so no message lacks the file
        raise r.fail("", str(e)) from None
    # The same plan, remembering how the file named its calendars (for to_toml).
    return plan.with_calendar_refs(r.refs)


def _read_stage(r: _Reader, item: object, at: str, k: int, where_id: dict[str, int]) -> Stage:
    """One ``[[stages]]`` table; ``where_id`` records each id's position (no duplicates)."""
    s = r.table(item, at, _STAGE_KEYS, {"id", "duration"})
    sid = r.text(s["id"], f"{at}.id")
    if sid in where_id:
        raise r.fail(f"{at}.id", f"duplicate stage id {sid!r} (also stages[{where_id[sid]}].id)")
    where_id[sid] = k
    # TOML dates (not_before = 2021-08-18) are read as dates; a stage's own checks
    # (an id mixing look-alike scripts, finish_by before not_before) name the file.
    try:
        return Stage(
            sid,
            r.duration(s["duration"], f"{at}.duration"),
            name=r.string(s["name"], f"{at}.name") if "name" in s else "",
            kind=r.choice(s["kind"], f"{at}.kind", STAGE_KINDS) if "kind" in s else "work",  # type: ignore[arg-type]
            calendar=r.calendar(s["calendar"], f"{at}.calendar") if "calendar" in s else None,
            not_before=r.date(s["not_before"], f"{at}.not_before") if "not_before" in s else None,
            finish_by=r.date(s["finish_by"], f"{at}.finish_by") if "finish_by" in s else None,
        )
    except PlanError as e:
        place = f"{at}.id" if "stage id" in str(e) else at
        raise r.fail(place, str(e)) from None


def _read_link(
    r: _Reader,
    item: object,
    k: int,
    where_id: dict[str, int],
    where_link: dict[tuple[str, str, str], int],
) -> Link:
    """One ``[[links]]`` table: known ends, no self-link, one link of each kind per pair."""
    at = f"links[{k}]"
    ln = r.table(item, at, _LINK_KEYS, {"predecessor", "successor"})
    ends = []
    for key in ("predecessor", "successor"):
        sid = r.text(ln[key], f"{at}.{key}")
        if not sid.isascii():  # ids are kept in NFC ("é" typed either way is one id)
            sid = unicodedata.normalize("NFC", sid)
        if sid not in where_id:
            listing = ", ".join(repr(s) for s in list(where_id)[:8])
            more = f" and {len(where_id) - 8} more" if len(where_id) > 8 else ""
            raise r.fail(f"{at}.{key}", f"unknown stage {sid!r}; the stages are {listing}{more}")
        ends.append(sid)
    kind = r.choice(ln["kind"], f"{at}.kind", LINK_KINDS) if "kind" in ln else "FS"
    if ends[0] == ends[1]:
        raise r.fail(at, f"a stage cannot be linked to itself ({ends[0]!r})")
    key3 = (ends[0], ends[1], kind)
    if key3 in where_link:
        raise r.fail(
            at,
            f"the link {ends[0]!r} -> {ends[1]!r} ({kind}) is given twice (also "
            f"links[{where_link[key3]}]); a pair may have one link of each kind",
        )
    where_link[key3] = k
    lag = r.lag(ln["lag"], f"{at}.lag") if "lag" in ln else 0
    return Link(ends[0], ends[1], kind, lag)  # type: ignore[arg-type]


def _count(r: _Reader, key: str, items: list[object], limit: int) -> None:
    if len(items) > limit:
        raise r.fail(
            key,
            f"{len(items)} {key}, more than the {limit} a plan file may have (limits.{key}; "
            f"pass limits=Limits({key}=...) to accept more)",
        )


def _ref_text(ref: CalendarRef) -> str:
    if isinstance(ref, str):
        return toml_string(ref)
    return "[" + ", ".join(toml_string(r) for r in ref) + "]"


def _calendar_ref(
    plan: Plan, cal: WorkCalendar, given: Mapping[WorkCalendar, CalendarRef] | None
) -> CalendarRef:
    from approval_clock import calendars

    if given is not None and cal in given:
        return given[cal]
    refs = plan.calendar_refs
    if cal in refs:
        return refs[cal]
    if cal.code is not None:
        try:
            if calendars.get(cal.code) == cal:
                return cal.code
        except (ApprovalClockError, ValueError, TypeError):
            pass
    raise PlanFileError(
        f"to_toml: calendar {cal.name!r} cannot be named in a plan file: calendars.get() "
        f"does not give it back by a code and the plan was not read from a file naming it; "
        f"pass calendar_refs={{calendar: 'its-file.toml'}} (or a code, or a list for a joint "
        f"calendar)"
    )


def dumps_plan(
    plan: Plan, *, calendar_refs: Mapping[WorkCalendar, CalendarRef] | None = None
) -> str:
    """The plan-file text of ``plan``; :func:`loads_plan` reads it back to an equal plan."""
    lines = ["format = 1"]
    if plan.name:
        lines.append(f"name = {toml_string(plan.name)}")
    lines.append(f"calendar = {_ref_text(_calendar_ref(plan, plan.calendar, calendar_refs))}")
    for stage in plan.stages:
        lines += ["", "[[stages]]", f"id = {toml_string(stage.id)}"]
        if stage.name:
            lines.append(f"name = {toml_string(stage.name)}")
        d = stage.duration
        lines.append(f"duration = {d.n if type(d) is WorkingDays else toml_string(str(d))}")
        if stage.kind != "work":
            lines.append(f"kind = {toml_string(stage.kind)}")
        if stage.calendar is not None:
            ref = _calendar_ref(plan, stage.calendar, calendar_refs)
            lines.append(f"calendar = {_ref_text(ref)}")
        for key in ("not_before", "finish_by"):
            value = getattr(stage, key)
            if value is not None:
                lines.append(f"{key} = {value.isoformat()}")
    for link in plan.links:
        lines += [
            "",
            "[[links]]",
            f"predecessor = {toml_string(link.predecessor)}",
            f"successor = {toml_string(link.successor)}",
        ]
        if link.kind != "FS":
            lines.append(f"kind = {toml_string(link.kind)}")
        if link.lag != 0:
            lag = link.lag
            lines.append(f"lag = {lag if isinstance(lag, int) else toml_string(str(lag))}")
    return "\n".join(lines) + "\n"
