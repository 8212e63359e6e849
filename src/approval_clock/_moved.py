"""Deprecation aliases for modules that moved when the package was given its layout.

Until 0.1 the package was flat (``approval_clock.plan``, ``approval_clock.calendar``
...). Each old module is now a stub made by :func:`alias`: reading a name from it
warns once with :class:`DeprecationWarning` and gives the object from its new home,
so ``from approval_clock.plan import Plan`` keeps working. The public names have
always been importable from ``approval_clock`` itself, which is the recommended
spelling.

>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     from approval_clock.plan import Plan
>>> import approval_clock
>>> Plan is approval_clock.Plan, caught[0].category.__name__
(True, 'DeprecationWarning')
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from typing import Any

#: old module -> new module, for the docs and the tests.
MOVED: dict[str, str] = {
    "approval_clock.calendar": "approval_clock.calendars.workcalendar",
    "approval_clock.notice": "approval_clock.calendars.notice",
    "approval_clock.plan": "approval_clock.plans.model",
    "approval_clock.planfile": "approval_clock.plans._file",
    "approval_clock.schedule": "approval_clock.plans.schedule",
    "approval_clock.comparison": "approval_clock.checks.comparison",
    "approval_clock.policy": "approval_clock.checks.policy",
    "approval_clock.sweeps": "approval_clock.checks.sweeps",
}


def alias(old: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of the stub module ``old``.

    >>> getattr_, dir_ = alias("approval_clock.plan")
    >>> "Plan" in dir_()
    True
    """
    new = MOVED[old]

    def getattr_(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        target = importlib.import_module(new)
        try:
            value = getattr(target, name)
        except AttributeError:
            raise AttributeError(f"module {old!r} has no attribute {name!r}") from None
        warnings.warn(
            f"{old} is deprecated: it moved to {new}; import {name} from there, or"
            " from approval_clock if it is public",
            DeprecationWarning,
            stacklevel=2,
        )
        return value

    def dir_() -> list[str]:
        return sorted(n for n in dir(importlib.import_module(new)) if not n.startswith("__"))

    return getattr_, dir_
