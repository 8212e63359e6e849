"""Advice in error messages, in the words of whoever called: Python code or the CLI.

An error about a date past a calendar's range ends by saying what to do; a
Python caller is told ``cal.with_notice(path)``, a user of the command line
``--notice FILE``. The library composes messages with :func:`say`, and the
command line runs inside :func:`spoken_by` ``("cli")``: nothing rewrites a
message after the fact. The choice is a :mod:`contextvars` variable, so threads
and tasks each keep their own.

>>> print(say("extend_mainland").split(" (")[0])
load the next year's notice with cal.with_notice(path)
>>> with spoken_by("cli"):
...     print(say("extend_mainland").split(" (")[0])
load the next year's notice with --notice FILE
>>> with spoken_by("cli"):
...     print(say("name_column", param="accepted"))
name the right one with --accepted COLUMN
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

__all__ = ["FrontEnd", "say", "spoken_by"]

FrontEnd = Literal["python", "cli"]

_FRONT: contextvars.ContextVar[FrontEnd] = contextvars.ContextVar(
    "approval_clock_front_end", default="python"
)

_WORDS: dict[str, dict[FrontEnd, str]] = {
    "extend_mainland": {
        "python": (
            "load the next year's notice with cal.with_notice(path) (a TOML notice or "
            "holiday-cn's JSON file; see docs/next-notice.md), or project explicitly "
            "with cal.extended(until=..., rule='statutory') or rule='forecast'"
        ),
        "cli": (
            "load the next year's notice with --notice FILE (a TOML notice or holiday-cn's "
            "JSON file), or project explicitly with --project statutory (or forecast)"
        ),
    },
    "records_as_of": {
        "python": "pass as_of=<the date the records were taken>",
        "cli": "pass --as-of DATE (the date the records were taken)",
    },
    "name_column": {
        "python": "name the right one with {param}=...",
        "cli": "name the right one with --{param} COLUMN",
    },
}


def say(key: str, **fields: str) -> str:
    """The advice ``key`` in the current front end's words, ``fields`` filled in."""
    return _WORDS[key][_FRONT.get()].format(**fields)


@contextmanager
def spoken_by(front: FrontEnd) -> Iterator[None]:
    """Compose advice for ``front`` inside the ``with`` block."""
    token = _FRONT.set(front)
    try:
        yield
    finally:
        _FRONT.reset(token)
