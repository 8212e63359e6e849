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

    [[links]]
    predecessor = "land_notice"              # required
    successor = "registration"               # required
    kind = "FS"                              # optional: FS (default), SS, FF
    lag = 0                                  # optional: working days (may be negative) or "3cd"

Calendars: a code that :func:`approval_clock.calendars.get` knows (``"CN"``,
``"HK"``), or a calendar file (a value ending in ``.toml``, read with
:func:`approval_clock.calendars.load`, relative to the plan file's directory),
or a list of those for a stage handled jointly (working days of all of them:
``["CN", "HK"]`` is ``cn & hk``).

Only TOML is read; nothing in a file is executed. Unknown keys are errors.
Every message reads ``<file>: <place>: <problem>``, for example
``plan.toml: stages[3].duration: expected a whole number of days >= 0, got -2``
(places count from 0). :func:`dumps_plan` writes the same format back, and
reading what it wrote gives an equal plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce
from pathlib import Path

from approval_clock._toml import Reader, read_text, shown, toml_string
from approval_clock.calendar import WorkCalendar
from approval_clock.durations import CalendarDays, Duration, WorkingDays, parse_duration
from approval_clock.errors import (
    ApprovalClockError,
    CycleError,
    DurationError,
    PlanError,
    PlanFileError,
)
from approval_clock.plan import LINK_KINDS, STAGE_KINDS, Link, Plan, Stage

__all__ = ["dumps_plan", "loads_plan", "read_plan"]

_TOP_KEYS = {"format", "name", "calendar", "stages", "links"}
_STAGE_KEYS = {"id", "name", "duration", "kind", "calendar"}
_LINK_KEYS = {"predecessor", "successor", "kind", "lag"}

CalendarRef = str | list[str]


class _Reader(Reader):
    """The shared TOML reader, plus plan vocabulary: durations, lags, calendars."""

    def __init__(self, source: str, base_dir: Path) -> None:
        super().__init__(source, PlanFileError)
        self.base_dir = base_dir
        self.calendars: dict[str, WorkCalendar] = {}
        self.refs: dict[WorkCalendar, CalendarRef] = {}

    def duration(self, value: object, place: str) -> Duration:
        if type(value) is int:
            if value < 0:
                raise self.fail(place, f"expected a whole number of days >= 0, got {value}")
            return WorkingDays(value)
        if isinstance(value, str):
            try:
                return parse_duration(value)
            except DurationError:
                raise self.fail(
                    place,
                    f"expected a duration such as 35, '35wd', '20cd' or '3mo', got {value!r}",
                ) from None
        raise self.fail(
            place,
            f"expected a whole number of working days or a short form such as '35wd', "
            f"got {shown(value)}",
        )

    def lag(self, value: object, place: str) -> int | CalendarDays:
        if type(value) is int:
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
            parts = [
                self._one_calendar(self.text(v, f"{place}[{k}]"), f"{place}[{k}]")
                for k, v in enumerate(value)
            ]
            try:
                cal = reduce(lambda a, b: a & b, parts)
            except (ApprovalClockError, ValueError) as e:
                raise self.fail(place, str(e)) from None
            ref = list(value)
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
        try:
            if ref.endswith(".toml"):
                cal = calendars.load(self.base_dir / ref)
            else:
                cal = calendars.get(ref)
        except (ApprovalClockError, ValueError, TypeError) as e:
            raise self.fail(place, str(e)) from None
        self.calendars[ref] = cal
        return cal


def read_plan(path: str | Path) -> Plan:
    """Read a plan file; calendar files it names are found next to it."""
    p = Path(path)
    text = read_text(p, PlanFileError)
    return loads_plan(text, source=str(path), base_dir=p.parent)


def loads_plan(text: str, *, source: str = "<string>", base_dir: str | Path | None = None) -> Plan:
    """Build a plan from plan-file text (see the module docstring for the format)."""
    r = _Reader(source, Path(base_dir) if base_dir is not None else Path())
    doc = r.parse(text)
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
    stages: list[Stage] = []
    where_id: dict[str, int] = {}
    for k, item in enumerate(raw_stages):
        at = f"stages[{k}]"
        s = r.table(item, at, _STAGE_KEYS, {"id", "duration"})
        sid = r.text(s["id"], f"{at}.id")
        if sid in where_id:
            raise r.fail(
                f"{at}.id", f"duplicate stage id {sid!r} (also stages[{where_id[sid]}].id)"
            )
        where_id[sid] = k
        stages.append(
            Stage(
                sid,
                r.duration(s["duration"], f"{at}.duration"),
                name=r.string(s["name"], f"{at}.name") if "name" in s else "",
                kind=r.choice(s["kind"], f"{at}.kind", STAGE_KINDS) if "kind" in s else "work",  # type: ignore[arg-type]
                calendar=r.calendar(s["calendar"], f"{at}.calendar") if "calendar" in s else None,
            )
        )
    raw_links = t.get("links", [])
    if not isinstance(raw_links, list):
        raise r.fail("links", f"expected an array of tables ([[links]]), got {shown(raw_links)}")
    links: list[Link] = []
    where_link: dict[tuple[str, str, str], int] = {}
    for k, item in enumerate(raw_links):
        at = f"links[{k}]"
        ln = r.table(item, at, _LINK_KEYS, {"predecessor", "successor"})
        ends = []
        for key in ("predecessor", "successor"):
            sid = r.text(ln[key], f"{at}.{key}")
            if sid not in where_id:
                listing = ", ".join(repr(s) for s in list(where_id)[:8])
                more = f" and {len(where_id) - 8} more" if len(where_id) > 8 else ""
                raise r.fail(
                    f"{at}.{key}", f"unknown stage {sid!r}; the stages are {listing}{more}"
                )
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
        links.append(Link(ends[0], ends[1], kind, lag))  # type: ignore[arg-type]
    try:
        plan = Plan(stages, links, calendar=calendar, name=name)
    except CycleError as e:
        raise r.fail("links", str(e)) from None
    except PlanError as e:  # checked above already; kept so no message lacks the file
        raise r.fail("", str(e)) from None
    object.__setattr__(plan, "_sources", dict(r.refs))
    return plan


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
    if cal in plan._sources:
        ref: CalendarRef = plan._sources[cal]
        return ref
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
