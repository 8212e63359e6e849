"""Data derived from frozen objects, kept beside them: never inside, never pickled.

Plans, plan graphs and schedules are frozen: nothing is ever written into them.
What scheduling derives from them once (a plan's integer network, the Stage
objects of a plan built from frames, the ScheduledStage objects a schedule has
handed out) is kept here instead, per object, for as long as the object lives:
an entry is dropped by a weak-reference callback when its object is collected,
so an ``id`` reused by a later object never finds a stale entry. Copying or
pickling an object copies none of it; the copy derives its own when asked.

>>> class Thing:
...     pass
>>> cache = PerObject()
>>> t = Thing()
>>> cache.get(t)["answer"] = 42
>>> cache.get(t)["answer"], len(cache)
(42, 1)
>>> del t
>>> len(cache)
0
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["PerObject"]


class PerObject:
    """A dict of derived data per live object, keyed by identity. Thread-safe.

    The object must support weak references (slotted attrs classes do). Two
    threads asking at once for an object's entry get the same dict; what they
    put in it is theirs to keep consistent (derived data is the same whoever
    computes it, so the last write winning is harmless).
    """

    def __init__(self) -> None:
        # Re-entrant: a weak-reference callback may run while this thread holds it.
        self._lock = threading.RLock()
        self._entries: dict[int, tuple[weakref.ref[Any], dict[str, Any]]] = {}

    def get(self, obj: object) -> dict[str, Any]:
        """The entry of ``obj`` (made empty the first time)."""
        key = id(obj)
        entry = self._entries.get(key)
        if entry is not None and entry[0]() is obj:
            return entry[1]
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0]() is obj:
                return entry[1]
            data: dict[str, Any] = {}
            self._entries[key] = (weakref.ref(obj, self._forget(key)), data)
            return data

    def peek(self, obj: object) -> dict[str, Any] | None:
        """The entry of ``obj`` if it has one, else ``None`` (none is made)."""
        entry = self._entries.get(id(obj))
        if entry is not None and entry[0]() is obj:
            return entry[1]
        return None

    def _forget(self, key: int) -> Callable[[weakref.ref[Any]], None]:
        def forget(ref: weakref.ref[Any]) -> None:
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None and entry[0] is ref:
                    del self._entries[key]

        return forget

    def clear(self) -> None:
        """Drop every entry (they are made again when asked for)."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
