"""The scheduling passes: topological order, forward and backward pass on integers.

Private machinery for :mod:`approval_clock.plans.schedule`; users never import it.

The method is the precedence diagramming method (PDM) of activity-on-node
networks with finish-to-start, start-to-start and finish-to-finish links and
lags, as in MS Project and Primavera P6:

    J. W. Fondahl, *A non-computer approach to the critical path method for the
    construction industry* (Stanford, 1961); PDM as standardised in
    K. C. Crandall, "Project planning with precedence lead/lag factors",
    *Project Management Quarterly* 4(3), 1973; see also J. J. Moder, C. R.
    Phillips and E. W. Davis, *Project Management with CPM, PERT and Precedence
    Diagramming*, 3rd ed., 1983, ch. 4.

Time is a working-day number of a stage's own calendar (``WorkCalendar.
working_day_number``), and a stage of ``n`` working days starting on day ``s``
occupies the half-open range ``[s, s + n)``: its *start boundary* is ``s`` and
its *end boundary* ``e = s + n`` (a milestone has ``e == s``). With one calendar
the constraints are plain integer inequalities:

* FS: ``s_j >= e_i + lag``;  SS: ``s_j >= s_i + lag``;  FF: ``e_j >= e_i + lag``.

Across calendars (or with a lag in calendar days) a boundary is turned into an
*instant*, a day ordinal meaning "the start of that calendar day": the start
of working day ``s`` is ``ord(s)``, the end of a stage whose last day is
``e - 1`` is ``ord(e - 1) + 1``. The instant is then mapped onto the other
calendar with ``ceil`` (first working day on or after) and ``floor`` (last
working day on or before). Each mapping is monotone and has an exact inverse
(``ceil(t) <= K  <=>  t <= ord(K)``), which is what lets the backward pass
compute the latest dates exactly. With one calendar the two formulations agree.

Date constraints and live cases (:func:`forward_bounded`, :func:`backward_bounded`)
add per-stage bounds to the same passes: a lowest start (``not_before``, the
``as_of`` date of a case in progress), a highest end (``finish_by``: the late
dates may then come before the early ones, which is negative total float as
Primavera P6 reports it) and stages fixed at their actual dates. Those passes
run only when a plan has such bounds, so the plain passes keep their speed.

Complexity: every pass visits each stage and each link once, so time and memory
are O(stages + links) (a stage of calendar days or months adds O(log range)
calendar lookups when a finish-to-finish link drives it). Every pass is a loop
over a precomputed order: no recursion, so a chain of 100 000 stages is fine.
"""

from __future__ import annotations

import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from approval_clock.calendars.workcalendar import WorkCalendar

IntArray = npt.NDArray[np.int64]
Bounds = list[int] | IntArray
"""Boundaries per stage: lists from the stage-by-stage passes, arrays from the others."""

FS, SS, FF = 0, 1, 2
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# What fixes a stage's start when no link does (negative "driver" codes).
BY_START, BY_NOT_BEFORE, BY_ACTUAL, BY_AS_OF = -1, -2, -3, -4

# Stage states of a live schedule.
PLANNED, STARTED, DONE = 0, 1, 2


def topological_order(
    n: int, preds: Sequence[Sequence[int]], succs: Sequence[Sequence[int]]
) -> tuple[list[int], list[int]]:
    """Kahn's algorithm: ``(order, [])`` for a DAG, else ``([], one cycle in order)``.

    ``preds[i]`` and ``succs[i]`` list the neighbours of node ``i`` (repeats
    allowed). Ties are broken by node number, so the order is deterministic and
    follows the order stages were given in where the graph allows. O(n + m).

    Reference: A. B. Kahn, "Topological sorting of large networks",
    *Communications of the ACM* 5(11), 1962.

    >>> topological_order(3, [[], [0], [1]], [[1], [2], []])
    ([0, 1, 2], [])
    >>> topological_order(3, [[2], [0], [1]], [[1], [2], [0]])
    ([], [0, 1, 2])
    """
    indegree = [len(p) for p in preds]
    # A plain list used as a queue (with a moving head) keeps the order stable.
    order = [i for i in range(n) if indegree[i] == 0]
    head = 0
    while head < len(order):
        i = order[head]
        head += 1
        for j in succs[i]:
            indegree[j] -= 1
            if indegree[j] == 0:
                order.append(j)
    if len(order) == n:
        return order, []
    return [], _find_cycle(indegree, preds)


def _find_cycle(indegree: list[int], preds: Sequence[Sequence[int]]) -> list[int]:
    # Every node Kahn could not remove has a predecessor it could not remove either,
    # so walking predecessors from one of them must come back to a visited node.
    node = next(i for i, d in enumerate(indegree) if d > 0)
    seen: dict[int, int] = {}
    path: list[int] = []
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next(p for p in preds[node] if indegree[p] > 0)
    cycle = path[seen[node] :]
    cycle.reverse()  # walked backwards; report predecessor -> successor
    # Start the report at the smallest node so that it does not depend on the walk.
    k = cycle.index(min(cycle))
    return cycle[k:] + cycle[:k]


# A generation (all stages of one level) this wide or wider is processed with
# numpy operations; narrower ones one stage at a time. Either way the order is
# the same: that of Kahn's algorithm with a first-in first-out queue.
_WIDE = 48


def topological_levels(
    n: int, pred: IntArray, succ: IntArray
) -> tuple[IntArray, IntArray, list[int]]:
    """:func:`topological_order` on link arrays, with each stage's level.

    ``pred[k] -> succ[k]`` is link ``k``. Returns ``(order, level, [])`` for a
    DAG, where ``order`` is exactly what :func:`topological_order` gives for the
    same links (Kahn's algorithm, first-in first-out, ties by stage number, then
    link order) and ``level[i]`` is the number of links on the longest chain of
    links ending at stage ``i`` (so every link goes from a lower level to a
    higher one); else ``(empty, empty, one cycle in order)``. O(n + m log m).

    The queue of Kahn's algorithm holds the stages level by level: a stage enters
    it when its last predecessor leaves, so a whole level is processed as one
    step of array operations while levels are wide, and stage by stage once they
    get narrow (a chain of 100 000 stages has 100 000 levels of one).

    >>> import numpy as np
    >>> order, level, cycle = topological_levels(4, np.array([0, 0, 1]), np.array([1, 2, 3]))
    >>> order.tolist(), level.tolist(), cycle
    ([0, 1, 2, 3], [0, 1, 1, 2], [])
    >>> topological_levels(2, np.array([0, 1]), np.array([1, 0]))[2]
    [0, 1]
    """
    pred = np.asarray(pred, dtype=np.int64)
    succ = np.asarray(succ, dtype=np.int64)
    if n + len(pred) < 128:
        return _small_levels(n, pred.tolist(), succ.tolist())
    indeg = np.bincount(succ, minlength=n).astype(np.int64)
    by_pred = np.argsort(pred, kind="stable")
    out_succ = succ[by_pred]
    off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(pred, minlength=n), out=off[1:])
    level = np.zeros(n, dtype=np.int64)
    frontier = np.flatnonzero(indeg == 0)
    parts: list[IntArray] = []
    g = 0
    while len(frontier) >= _WIDE:
        parts.append(frontier)
        level[frontier] = g
        g += 1
        starts = off[frontier]
        lens = off[frontier + 1] - starts
        total = int(lens.sum())
        if not total:
            frontier = frontier[:0]
            break
        # The links out of this level, in the order the queue would visit them.
        first = np.cumsum(lens) - lens
        heads = out_succ[np.repeat(starts - first, lens) + np.arange(total)]
        np.subtract.at(indeg, heads, 1)
        ready = heads[indeg[heads] == 0]
        # A stage joins the queue at its last decrement: order by last occurrence.
        nodes, at_rev = np.unique(ready[::-1], return_index=True)
        frontier = nodes[np.argsort(-at_rev, kind="stable")]
    done = sum(len(p) for p in parts)
    order: list[int] = frontier.tolist()
    if done + len(order) < n or order:
        # The rest one stage at a time, on flat lists (no list per stage).
        deg = indeg.tolist()
        lv = level.tolist()
        for i in order:
            lv[i] = g
        off_l = off.tolist()
        heads_l = out_succ.tolist()
        head = 0
        while head < len(order):
            i = order[head]
            head += 1
            nxt = lv[i] + 1
            for p in range(off_l[i], off_l[i + 1]):
                j = heads_l[p]
                if lv[j] < nxt:
                    lv[j] = nxt
                deg[j] -= 1
                if deg[j] == 0:
                    order.append(j)
        if done + len(order) < n:
            return _EMPTY, _EMPTY, _find_cycle_arrays(n, deg, pred, succ)
        level = np.asarray(lv, dtype=np.int64)
    parts.append(np.asarray(order, dtype=np.int64))
    return np.concatenate(parts), level, []


_EMPTY: IntArray = np.zeros(0, dtype=np.int64)


def _small_levels(n: int, pred: list[int], succ: list[int]) -> tuple[IntArray, IntArray, list[int]]:
    # A few stages: lists cost less than setting up arrays (same order, same levels).
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for i, j in zip(pred, succ, strict=True):
        preds[j].append(i)
        succs[i].append(j)
    order, cycle = topological_order(n, preds, succs)
    if cycle:
        return _EMPTY, _EMPTY, cycle
    level = [0] * n
    for i in order:
        nxt = level[i] + 1
        for j in succs[i]:
            if level[j] < nxt:
                level[j] = nxt
    return np.asarray(order, dtype=np.int64), np.asarray(level, dtype=np.int64), []


def _find_cycle_arrays(n: int, indegree: list[int], pred: IntArray, succ: IntArray) -> list[int]:
    # The predecessors of each stage in link order, as _find_cycle walks them.
    by_succ = np.argsort(succ, kind="stable")
    off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(succ, minlength=n), out=off[1:])
    off_l = off.tolist()
    preds_l = pred[by_succ].tolist()
    preds = [preds_l[off_l[i] : off_l[i + 1]] for i in range(n)]
    return _find_cycle(indegree, preds)


class Axis:
    """One calendar as integers: working-day numbers <-> day ordinals, O(1) each.

    Built once per calendar from the calendar's public vectorised queries and
    cached. Outside the calendar's range every day is treated as a working day;
    that only ever serves as a loose bound, and :func:`forward` callers check
    that the dates they report lie inside the range. The scalar look-ups read
    lists (fastest one at a time), :meth:`floors` and :meth:`ordinals` arrays.

    An axis pickles as a reference to its calendar: unpickled, it is the axis of
    that calendar from :data:`AXES` (built again in a new process).
    """

    __slots__ = ("_calendar", "_floor", "_floor_a", "_ord", "_ord_a", "first", "last", "total")

    def __init__(self, calendar: WorkCalendar) -> None:
        first, last = calendar.coverage
        days = np.arange(
            np.datetime64(first, "D"), np.datetime64(last, "D") + 1, dtype="datetime64[D]"
        )
        self.first = first.toordinal()
        self.last = last.toordinal()
        self._floor: list[int] = np.asarray(calendar.working_day_number(days)).tolist()
        self.total: int = self._floor[-1]
        numbers = np.arange(1, self.total + 1, dtype=np.int64)
        at = np.asarray(calendar.date_of_working_day(numbers)).astype(np.int64)
        self._ord: list[int] = [0, *(at + _EPOCH_ORDINAL).tolist()]
        # The same as arrays, made when a vector look-up first needs them.
        self._floor_a: IntArray | None = None
        self._ord_a: IntArray | None = None
        # Weakly: the axis cache keeps axes while their calendars live, no longer.
        self._calendar = weakref.ref(calendar)

    def __reduce__(self) -> tuple[Any, ...]:
        calendar = self._calendar()
        if calendar is None:  # pragma: no cover - a schedule keeps its calendars alive
            raise pickle.PicklingError("the calendar of this scheduling axis is gone")
        return (axis, (calendar,))

    def floor(self, t: int) -> int:
        """Number of the last working day on or before ordinal ``t``."""
        i = t - self.first
        if i < 0:
            return i + 1
        if t > self.last:
            return self.total + (t - self.last)
        return self._floor[i]

    def ceil(self, t: int) -> int:
        """Number of the first working day on or after ordinal ``t``."""
        return self.floor(t - 1) + 1

    def ordinal(self, k: int) -> int:
        """Ordinal of working day ``k``."""
        if k < 1:
            return self.first - 1 + k
        if k > self.total:
            return self.last + (k - self.total)
        return self._ord[k]

    def floors(self, t: IntArray) -> IntArray:
        """:meth:`floor` of each ordinal in ``t``."""
        if self._floor_a is None:
            self._floor_a = np.asarray(self._floor, dtype=np.int64)
        i = t - self.first
        out = self._floor_a[np.clip(i, 0, len(self._floor) - 1)]
        out = np.where(i < 0, i + 1, out)
        return np.where(t > self.last, self.total + (t - self.last), out)

    def ordinals(self, k: IntArray) -> IntArray:
        """:meth:`ordinal` of each working-day number in ``k``."""
        if self._ord_a is None:
            self._ord_a = np.asarray(self._ord, dtype=np.int64)
        out = self._ord_a[np.clip(k, 0, self.total)]
        out = np.where(k < 1, self.first - 1 + k, out)
        return np.where(k > self.total, self.last + (k - self.total), out)


class _AxisCache:
    """Axes by calendar object: held weakly (a dropped calendar takes its axis with
    it) and bounded by an estimate of their size, the least recently used going
    first. Thread-safe; nothing here is global interpreter state.
    """

    # An Axis holds two lists of ints: about 40 bytes an element (the pointer
    # and, above 256, the int object). Schedules that read it as arrays (their
    # columns, stages on calendars of their own) add int64 copies: a fifth more.
    BYTES_PER_DAY = 40

    def __init__(self, limit: int) -> None:
        self.limit = limit
        # Re-entrant: a weak-reference callback may run while this thread holds it.
        self._lock = threading.RLock()
        # id(calendar) -> (weak reference, axis, estimated bytes), oldest first.
        self._entries: OrderedDict[int, tuple[weakref.ref[WorkCalendar], Axis, int]] = OrderedDict()
        self._bytes = 0

    def get(self, calendar: WorkCalendar) -> Axis:
        key = id(calendar)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0]() is calendar:
                self._entries.move_to_end(key)
                return entry[1]
        made = Axis(calendar)  # outside the lock: other threads need not wait
        size = (len(made._floor) + len(made._ord)) * self.BYTES_PER_DAY
        with self._lock:
            self._drop(key)
            self._entries[key] = (weakref.ref(calendar, self._forget(key)), made, size)
            self._bytes += size
            # The newest always stays, even when it alone is over the limit.
            while self._bytes > self.limit and len(self._entries) > 1:
                self._drop(next(iter(self._entries)))
        return made

    def _forget(self, key: int) -> Callable[[weakref.ref[WorkCalendar]], None]:
        def forget(ref: weakref.ref[WorkCalendar]) -> None:
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None and entry[0] is ref:
                    self._drop(key)

        return forget

    def _drop(self, key: int) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry[2]

    def clear(self) -> None:
        """Drop every axis."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def size(self) -> int:
        """The estimated bytes held now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)


AXES = _AxisCache(limit=256 * 2**20)
"""The axes of the calendars in use; :func:`approval_clock.clear_caches` empties it."""


def axis(calendar: WorkCalendar) -> Axis:
    """The :class:`Axis` of ``calendar``, from :data:`AXES` when it is there."""
    return AXES.get(calendar)


Span = Callable[[int, int], int]
"""``span(stage, s) -> e``: the end boundary of a stage in calendar units started on ``s``."""


class _Csr:
    """Links grouped by one end (compressed sparse rows), as flat lists of ints.

    The links at node ``i`` are entries ``off[i]:off[i + 1]`` of ``other``
    (the node at the far end), ``lag`` and ``link``. Flat lists of ints put no
    load on the garbage collector, unlike a list of tuples per node.
    """

    __slots__ = ("lag", "link", "off", "other")

    def __init__(
        self,
        n: int,
        at: npt.NDArray[np.int64],
        other: npt.NDArray[np.int64],
        lag: npt.NDArray[np.int64],
        link: npt.NDArray[np.int64],
    ) -> None:
        order = np.lexsort((link, at))  # by node, then in plan order
        self.off: list[int] = np.concatenate(
            ([0], np.cumsum(np.bincount(at, minlength=n)))
        ).tolist()
        self.other: list[int] = other[order].tolist()
        self.lag: list[int] = lag[order].tolist()
        self.link: list[int] = link[order].tolist()


def _segment_starts(keys: IntArray) -> IntArray:
    """Where each run of equal values of ``keys`` starts."""
    if not len(keys):
        return _EMPTY
    return np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))


class _Levels:
    """Links grouped by level, for the passes that run a level at a time in numpy.

    Forward (``f_``): links sorted by the level of their successor, then the
    successor, then kind (FS, SS, FF) and plan order, so that the first link of a
    successor's segment that reaches the maximum is the one the scalar pass would
    name as its driver. Backward (``b_``): by the level of the predecessor, then
    the predecessor. ``*_src`` index the interleaved boundaries ``[s0, e0, s1,
    e1, ...]``; a link's bound is ``bounds[src] + adj``. ``*_loff`` and ``*_soff``
    are the link and segment offsets of each level, ``*_rel`` each segment's
    start within its level.
    """

    __slots__ = (
        "b_adj",
        "b_dseg",
        "b_loff",
        "b_node2",
        "b_rel",
        "b_soff",
        "b_src",
        "count",
        "f_adj",
        "f_dseg",
        "f_len",
        "f_link",
        "f_loff",
        "f_node",
        "f_node2",
        "f_rel",
        "f_soff",
        "f_src",
        "f_starts",
    )

    def __init__(self, net: Network) -> None:
        level, pred, succ, kind, lag, dur = (
            net.level,
            net.pred_a,
            net.succ_a,
            net.kind_a,
            net.lag_a,
            net.dur_a,
        )
        count = int(level.max()) + 1 if net.n else 0
        self.count = count
        steps = np.arange(count + 1)
        # Forward: what each link puts on its successor's start.
        n = net.n
        at = level[succ]
        # One int64 key (level, successor, kind), sorted stably: plan order last.
        fo = np.argsort((at * n + succ) * 3 + kind, kind="stable")
        fk = kind[fo]
        self.f_link = fo
        self.f_src = 2 * pred[fo] + (fk != SS)
        self.f_adj = lag[fo] - np.where(fk == FF, dur[succ[fo]], 0)
        fsucc = succ[fo]
        starts = _segment_starts(fsucc)
        node = fsucc[starts]
        self.f_starts = starts
        self.f_len = np.diff(np.append(starts, len(fo)))
        self.f_node = node
        self.f_node2 = 2 * node
        self.f_dseg = dur[node]
        link_off = np.searchsorted(at[fo], steps)
        self.f_loff: list[int] = link_off.tolist()
        seg_level = level[node]
        self.f_soff: list[int] = np.searchsorted(seg_level, steps).tolist()
        self.f_rel = starts - link_off[seg_level]
        # Backward: what each link puts on its predecessor's start.
        at = level[pred]
        bo = np.argsort(at * n + pred, kind="stable")
        bk = kind[bo]
        bpred = pred[bo]
        self.b_src = 2 * succ[bo] + (bk == FF)
        self.b_adj = -lag[bo] - np.where(bk != SS, dur[bpred], 0)
        starts = _segment_starts(bpred)
        node = bpred[starts]
        self.b_node2 = 2 * node
        self.b_dseg = dur[node]
        link_off = np.searchsorted(at[bo], steps)
        self.b_loff: list[int] = link_off.tolist()
        seg_level = level[node]
        self.b_soff: list[int] = np.searchsorted(seg_level, steps).tolist()
        self.b_rel = starts - link_off[seg_level]


class Network:
    """A plan reduced to integers, ready for the passes (built once per plan).

    Stages are ``0..n-1`` in any order; ``order`` is a topological order and
    ``level`` each stage's level (see :func:`topological_levels`). Links are
    parallel arrays (``*_a``; the passes that go stage by stage read them as
    lists, made by :meth:`lists`). ``dur[i]`` is the length in working days, or
    ``-1`` for a stage measured in calendar days or months, whose end
    ``span(i, s)`` gives. ``cd[k]`` is a lag in calendar days (``-1`` when the
    lag is ``lag[k]`` working days of the successor's calendar).

    A network is *simple* when every stage is on one calendar, in working days,
    and every lag is in working days: then the passes are plain integer
    arithmetic, a level at a time in numpy when the levels are wide (``vector``),
    else stage by stage over links grouped by kind. Otherwise the general
    passes convert between calendars link by link.
    """

    __slots__ = (
        "_levels",
        "axes",
        "built",
        "cal",
        "cal_a",
        "cd",
        "cd_a",
        "csr_built",
        "dur",
        "dur_a",
        "fast",
        "general",
        "ins",
        "kind",
        "kind_a",
        "lag",
        "lag_a",
        "level",
        "m",
        "n",
        "order",
        "order_a",
        "outs",
        "pred",
        "pred_a",
        "simple",
        "simple_ins",
        "simple_outs",
        "span",
        "succ",
        "succ_a",
        "vector",
    )

    def __init__(
        self,
        *,
        order: IntArray,
        level: IntArray,
        dur: IntArray,
        cal: IntArray,
        axes: list[Axis],
        pred: IntArray,
        succ: IntArray,
        kind: IntArray,
        lag: IntArray,
        cd: IntArray,
        span: Span,
        general: bool = False,
    ) -> None:
        n = len(dur)
        self.n = n
        self.m = len(pred)
        self.order_a = order
        self.level = level
        self.dur_a = dur
        self.cal_a = cal
        self.axes = axes
        self.pred_a = pred
        self.succ_a = succ
        self.kind_a = kind
        self.lag_a = lag
        self.cd_a = cd
        self.span = span
        self.general = general
        self.simple = (
            not general
            and (not n or (int(cal.max()) == 0 and int(dur.min()) >= 0))
            and (not self.m or int(cd.max()) < 0)
        )
        # A level at a time costs some microseconds of numpy calls whatever its
        # width; stage by stage costs a fraction of one per stage and link.
        levels = int(level.max()) + 1 if n else 0
        self.vector = self.simple and levels * 200 <= n + self.m
        self._levels: _Levels | None = None
        self.built = False
        self.csr_built = False
        if not self.simple:
            self.lists()

    def levels(self) -> _Levels:
        """The links grouped by level (made once)."""
        if self._levels is None:
            self._levels = _Levels(self)
        return self._levels

    def csr(self) -> None:
        """Build the links grouped by kind and stage of the stage-by-stage simple passes."""
        if self.csr_built:
            return
        self.order: list[int] = self.order_a.tolist()
        self.dur: list[int] = self.dur_a.tolist()
        n = self.n
        p_arr, s_arr, k_arr, g_arr = self.pred_a, self.succ_a, self.kind_a, self.lag_a
        ins: list[_Csr] = []
        outs: list[_Csr] = []
        for t in (FS, SS, FF):
            sel = np.flatnonzero(k_arr == t)
            ins.append(_Csr(n, s_arr[sel], p_arr[sel], g_arr[sel], sel))
            outs.append(_Csr(n, p_arr[sel], s_arr[sel], g_arr[sel], sel))
        self.simple_ins = ins
        self.simple_outs = outs
        self.csr_built = True

    def lists(self) -> None:
        """Build the per-stage link lists of the general passes (once; a simple
        network builds them only when a bounded pass needs them)."""
        if self.built:
            return
        n = self.n
        self.order = self.order_a.tolist()
        self.dur = self.dur_a.tolist()
        self.cal: list[int] = self.cal_a.tolist()
        self.pred: list[int] = self.pred_a.tolist()
        self.succ: list[int] = self.succ_a.tolist()
        self.kind: list[int] = self.kind_a.tolist()
        self.lag: list[int] = self.lag_a.tolist()
        self.cd: list[int] = self.cd_a.tolist()
        pred, succ, cal, cd = self.pred, self.succ, self.cal, self.cd
        general = self.general
        ins: list[list[int]] = [[] for _ in range(n)]
        outs: list[list[int]] = [[] for _ in range(n)]
        # Links into a stage are visited FS, SS, then FF, each in plan order: the
        # same tie-breaking as the simple passes.
        for k in np.argsort(self.kind_a, kind="stable").tolist():
            outs[pred[k]].append(k)
            ins[succ[k]].append(k)
        self.ins = ins
        self.outs = outs
        # Same calendar and a working-day lag: plain integer arithmetic. (Forced
        # general, every link goes through the calendar conversions: the tests use
        # that to check the conversions against the integer arithmetic.)
        self.fast = [
            not general and cal[i] == cal[j] and c < 0
            for i, j, c in zip(pred, succ, cd, strict=True)
        ]
        self.built = True


def _earliest_for_end(net: Network, j: int, lo: int, end: int) -> int:
    """The first start ``>= lo`` of stage ``j`` (calendar units) that ends at ``end`` or later."""
    span = net.span
    if span(j, lo) >= end:
        return lo
    a, b = lo, max(lo + 1, end - 1)  # span(j, a) < end <= span(j, b), as span(s) > s
    while b - a > 1:
        mid = (a + b) // 2
        if span(j, mid) >= end:
            b = mid
        else:
            a = mid
    return b


def _latest_for_end(net: Network, i: int, lo: int, end: int) -> int:
    """The last start ``>= lo`` of stage ``i`` (calendar units) that ends by ``end``."""
    span = net.span
    a, b = lo, max(lo + 1, end)  # span(i, a) <= end < span(i, b), as span(s) > s
    while b - a > 1:
        mid = (a + b) // 2
        if span(i, mid) <= end:
            a = mid
        else:
            b = mid
    return a


def _forward_simple(net: Network, s0: int) -> tuple[list[int], list[int], list[int]]:
    net.csr()
    n = net.n
    es = [0] * n
    ee = [0] * n
    drv = [-1] * n
    dur = net.dur
    fs, ss, ff = net.simple_ins
    fs_off, fs_pred, fs_lag, fs_link = fs.off, fs.other, fs.lag, fs.link
    ss_off, ss_pred, ss_lag, ss_link = ss.off, ss.other, ss.lag, ss.link
    ff_off, ff_pred, ff_lag, ff_link = ff.off, ff.other, ff.lag, ff.link
    for j in net.order:
        b = s0
        d = -1
        for p in range(fs_off[j], fs_off[j + 1]):
            v = ee[fs_pred[p]] + fs_lag[p]
            if v > b or (v == b and d < 0):
                b, d = v, fs_link[p]
        for p in range(ss_off[j], ss_off[j + 1]):
            v = es[ss_pred[p]] + ss_lag[p]
            if v > b or (v == b and d < 0):
                b, d = v, ss_link[p]
        m = dur[j]
        for p in range(ff_off[j], ff_off[j + 1]):
            v = ee[ff_pred[p]] + ff_lag[p] - m
            if v > b or (v == b and d < 0):
                b, d = v, ff_link[p]
        es[j] = b
        ee[j] = b + m
        drv[j] = d
    return es, ee, drv


def _forward_vector(net: Network, s0: int) -> tuple[IntArray, IntArray, IntArray]:
    # Level by level: a stage's start is the latest of its links' bounds and s0.
    lv = net.levels()
    dur = net.dur_a
    bounds = np.empty(2 * net.n, dtype=np.int64)
    bounds[0::2] = s0
    bounds[1::2] = dur + s0
    f_src, f_adj, f_rel, f_node2, f_dseg = lv.f_src, lv.f_adj, lv.f_rel, lv.f_node2, lv.f_dseg
    loff, soff = lv.f_loff, lv.f_soff
    for g in range(1, lv.count):
        a, b, c, d = loff[g], loff[g + 1], soff[g], soff[g + 1]
        v = bounds[f_src[a:b]]
        v += f_adj[a:b]
        best = np.maximum.reduceat(v, f_rel[c:d])
        np.maximum(best, s0, out=best)
        at = f_node2[c:d]
        bounds[at] = best
        best += f_dseg[c:d]
        bounds[at + 1] = best
    # The driver: the first link (FS, SS, FF, each in plan order) that reaches the
    # start, if any reaches it (else the plan start holds the stage).
    drv = np.full(net.n, -1, dtype=np.int64)
    if net.m:
        v = bounds[f_src] + f_adj
        top = np.maximum.reduceat(v, lv.f_starts)
        pos = np.arange(net.m, dtype=np.int64)
        hit = np.where(v == np.repeat(top, lv.f_len), pos, net.m)
        first = np.minimum.reduceat(hit, lv.f_starts)
        held = top >= s0
        drv[lv.f_node[held]] = lv.f_link[first[held]]
    return bounds[0::2].copy(), bounds[1::2].copy(), drv


def _backward_simple(
    net: Network, cap: int, s_of: list[int] | None, e_of: list[int] | None
) -> tuple[list[int], list[int]]:
    net.csr()
    n = net.n
    ls = [0] * n
    le = [0] * n
    start = ls if s_of is None else s_of
    end = le if e_of is None else e_of
    dur = net.dur
    fs, ss, ff = net.simple_outs
    fs_off, fs_succ, fs_lag = fs.off, fs.other, fs.lag
    ss_off, ss_succ, ss_lag = ss.off, ss.other, ss.lag
    ff_off, ff_succ, ff_lag = ff.off, ff.other, ff.lag
    for i in reversed(net.order):
        m = dur[i]
        b = cap - m
        for p in range(fs_off[i], fs_off[i + 1]):
            v = start[fs_succ[p]] - fs_lag[p] - m
            if v < b:
                b = v
        for p in range(ss_off[i], ss_off[i + 1]):
            v = start[ss_succ[p]] - ss_lag[p]
            if v < b:
                b = v
        for p in range(ff_off[i], ff_off[i + 1]):
            v = end[ff_succ[p]] - ff_lag[p] - m
            if v < b:
                b = v
        ls[i] = b
        le[i] = b + m
    return ls, le


def _backward_vector(net: Network, cap: int) -> tuple[IntArray, IntArray]:
    # Level by level from the last: a stage's late start is the earliest bound its
    # links put on it, and no later than the plan's end allows.
    lv = net.levels()
    dur = net.dur_a
    bounds = np.empty(2 * net.n, dtype=np.int64)
    bounds[0::2] = cap - dur
    bounds[1::2] = cap
    b_src, b_adj, b_rel, b_node2, b_dseg = lv.b_src, lv.b_adj, lv.b_rel, lv.b_node2, lv.b_dseg
    loff, soff = lv.b_loff, lv.b_soff
    for g in range(lv.count - 1, -1, -1):
        a, b, c, d = loff[g], loff[g + 1], soff[g], soff[g + 1]
        if a == b:
            continue
        v = bounds[b_src[a:b]]
        v += b_adj[a:b]
        best = np.minimum.reduceat(v, b_rel[c:d])
        dseg = b_dseg[c:d]
        np.minimum(best, cap - dseg, out=best)
        at = b_node2[c:d]
        bounds[at] = best
        best += dseg
        bounds[at + 1] = best
    return bounds[0::2].copy(), bounds[1::2].copy()


def forward(
    net: Network, start: list[int]
) -> tuple[list[int] | IntArray, list[int] | IntArray, list[int] | IntArray]:
    """Early start and end boundaries, and the link driving each start (-1: the plan start).

    ``start[c]`` is the first allowed start on calendar ``c``. A stage starts as
    early as its FS and SS links allow; an FF link bounds its end, and the start
    moves later so that the stage ends no earlier (never earlier than the other
    bounds allow). Ties between links go to the first link; a link bounding the
    start exactly where the plan start does is named as the driver. (Lists, or
    arrays for a network run a level at a time: the same values.)
    """
    if net.vector:
        return _forward_vector(net, start[0])
    if net.simple:
        return _forward_simple(net, start[0])
    # The general pass is the bounded one with the plan start as every stage's
    # lowest start (and no driver code when it binds).
    return forward_bounded(net, [start[c] for c in net.cal], [-1] * net.n)


def _cross_forward(net: Network, k: int, i: int, j: int, es: list[int], ee: list[int]) -> int:
    ai, aj = net.axes[net.cal[i]], net.axes[net.cal[j]]
    t = net.kind[k]
    c = net.cd[k]
    shift, lag = (c, 0) if c >= 0 else (0, net.lag[k])
    if t == SS:
        return aj.ceil(ai.ordinal(es[i]) + shift) + lag
    end = ai.ordinal(ee[i] - 1) + 1 + shift
    if t == FS:
        return aj.ceil(end) + lag
    return aj.ceil(end - 1) + 1 + lag


def end_instant(net: Network, es: list[int] | IntArray, ee: list[int] | IntArray) -> int:
    """The instant (day ordinal) at which the last stage ends."""
    axes = net.axes
    if net.simple:
        return axes[0].ordinal(int(np.max(ee)) - 1) + 1
    cal = net.cal
    return max(
        (axes[cal[i]].ordinal(ee[i] - 1) + 1 for i in range(net.n)),
        default=0,
    )


def backward(
    net: Network,
    end: int,
    es: list[int] | IntArray,
    succ_start: list[int] | None,
    succ_end: list[int] | None,
) -> tuple[list[int] | IntArray, list[int] | IntArray]:
    """Latest start and end boundaries such that no successor moves past its given dates.

    With ``succ_start``/``succ_end`` ``None`` this is the backward pass proper: the
    successors' own late dates are used, filled in reverse topological order.
    Given the early dates instead, it yields the latest dates that leave every
    successor's early dates alone, from which free float follows (which
    :func:`free_float_starts` computes in one vectorized step). ``end`` is the
    instant no stage may end after. ``es`` (early starts) bounds the searches for
    stages in calendar units.
    """
    if net.simple:
        cap = net.axes[0].floor(end - 1) + 1
        if net.vector and succ_start is None:
            return _backward_vector(net, cap)
        return _backward_simple(net, cap, succ_start, succ_end)
    n = net.n
    ls = [0] * n
    le = [0] * n
    s_of = ls if succ_start is None else succ_start
    e_of = le if succ_end is None else succ_end
    dur, cal, axes = net.dur, net.cal, net.axes
    succ, kind, lag, fast = net.succ, net.kind, net.lag, net.fast
    outs = net.outs
    caps = [a.floor(end - 1) + 1 for a in axes]
    for i in reversed(net.order):
        ub_e = caps[cal[i]]
        ub_s = None
        for k in outs[i]:
            j = succ[k]
            t = kind[k]
            if fast[k]:
                if t == SS:
                    v = s_of[j] - lag[k]
                    if ub_s is None or v < ub_s:
                        ub_s = v
                    continue
                v = (s_of[j] if t == FS else e_of[j]) - lag[k]
            else:
                v = _cross_backward(net, k, i, j, s_of, e_of)
                if t == SS:
                    if ub_s is None or v < ub_s:
                        ub_s = v
                    continue
            if v < ub_e:
                ub_e = v
        d = dur[i]
        s = ub_e - d if d >= 0 else _latest_for_end(net, i, es[i], ub_e)
        if ub_s is not None and ub_s < s:
            s = ub_s
        ls[i] = s
        le[i] = s + d if d >= 0 else net.span(i, s)
    return ls, le


def _as_list(values: Bounds) -> list[int]:
    if isinstance(values, list):
        return values
    out: list[int] = values.tolist()
    return out


# Larger than any boundary: "no bound".
_NONE = np.int64(2**62)


def _free_float_simple(net: Network, end: int, es: IntArray, ee: IntArray) -> IntArray:
    # One calendar, working days: every link's bound in one expression, reduced
    # per predecessor; the same numbers as _backward_simple given the early dates.
    cap = net.axes[0].floor(end - 1) + 1
    early = np.empty(2 * net.n, dtype=np.int64)
    early[0::2] = es
    early[1::2] = ee
    pred, kind, dur = net.pred_a, net.kind_a, net.dur_a
    v = early[2 * net.succ_a + (kind == FF)] - net.lag_a - np.where(kind != SS, dur[pred], 0)
    out = cap - dur
    np.minimum.at(out, pred, v)
    return out


def free_float_starts(
    net: Network,
    end: int,
    es: list[int] | IntArray,
    ee: list[int] | IntArray,
    state: list[int] | None = None,
    *,
    bounded: bool = False,
) -> IntArray:
    """The latest start of each stage that moves no successor's early dates.

    The same numbers as the start boundaries of ``backward(net, end, es, es, ee)``
    (or of :func:`backward_bounded` with the early dates as the successors',
    ``bounded=True``, with the live ``state``), without a pass: every link's bound
    depends on early dates only, so all links are evaluated at once and the
    bounds of each stage reduced with ``np.minimum.at``. Links across calendars
    (and stages in calendar units) are converted one by one as in the passes.
    Free float is this minus the early start. O(stages + links).
    """
    n = net.n
    if net.simple and not bounded and n + net.m < 256:
        # Few stages, or a deep graph: the stage-by-stage pass costs less than the
        # array set-up (and gives the same numbers).
        cap = net.axes[0].floor(end - 1) + 1
        ls, _ = _backward_simple(net, cap, _as_list(es), _as_list(ee))
        return np.asarray(ls, dtype=np.int64)
    es_a = np.asarray(es, dtype=np.int64)
    ee_a = np.asarray(ee, dtype=np.int64)
    if net.simple and not bounded:
        return _free_float_simple(net, end, es_a, ee_a)
    net.lists()
    pred_a, succ_a, kind_a = net.pred_a, net.succ_a, net.kind_a
    # Each link's bound: on the predecessor's start (SS) or end (FS, FF).
    v = np.where(kind_a == FF, ee_a[succ_a], es_a[succ_a]) - net.lag_a
    cross = [k for k, f in enumerate(net.fast) if not f]
    if cross:
        es_l = es_a.tolist()
        ee_l = ee_a.tolist()
        p_l, s_l = net.pred, net.succ
        v[cross] = np.asarray(
            [_cross_backward(net, k, p_l[k], s_l[k], es_l, ee_l) for k in cross], dtype=np.int64
        )
    use = np.ones(net.m, dtype=bool)
    state_a = None
    if state is not None:
        state_a = np.asarray(state, dtype=np.int64)
        sj = state_a[succ_a]
        use = (sj != DONE) & ((sj != STARTED) | (kind_a == FF))
    on_start = use & (kind_a == SS)
    on_end = use & (kind_a != SS)
    caps = np.asarray([a.floor(end - 1) + 1 for a in net.axes], dtype=np.int64)
    ub_e = caps[net.cal_a]
    np.minimum.at(ub_e, pred_a[on_end], v[on_end])
    ub_s = np.full(n, _NONE, dtype=np.int64)
    np.minimum.at(ub_s, pred_a[on_start], v[on_start])
    dur = net.dur_a
    s = ub_e - dur
    units = np.flatnonzero(dur < 0)
    if len(units):
        latest = _latest_start_by if bounded else _latest_for_end
        if state_a is not None:
            units = units[state_a[units] == PLANNED]
        s[units] = np.asarray(
            [latest(net, i, int(es_a[i]), int(ub_e[i])) for i in units.tolist()], dtype=np.int64
        )
    np.minimum(s, ub_s, out=s)
    if state_a is not None:
        s = np.where(state_a == STARTED, es_a + (ub_e - ee_a), s)
        s = np.where(state_a == DONE, es_a, s)
    return s


def _cross_backward(net: Network, k: int, i: int, j: int, s_of: list[int], e_of: list[int]) -> int:
    # The inverse of _cross_forward: the latest boundary of i that keeps j's bound.
    ai, aj = net.axes[net.cal[i]], net.axes[net.cal[j]]
    t = net.kind[k]
    c = net.cd[k]
    shift, lag = (c, 0) if c >= 0 else (0, net.lag[k])
    if t == FF:  # the latest end instant of i
        latest = aj.ordinal(e_of[j] - 1 - lag) + 1 - shift
    else:  # the latest start (SS) or end (FS) instant of i
        latest = aj.ordinal(s_of[j] - lag) - shift
    if t == SS:
        return ai.floor(latest)  # bound on the start of i
    return ai.floor(latest - 1) + 1  # bound on the end of i


def _latest_start_by(net: Network, i: int, lo: int, end: int) -> int:
    """The last start of stage ``i`` (calendar units) that ends by ``end``, searched from ``lo``.

    Unlike :func:`_latest_for_end`, the answer may lie before ``lo``: a ``finish_by``
    date can require a start earlier than the early one (negative float). The
    search gallops down from ``lo`` until a start that ends in time is found.
    """
    span = net.span
    if span(i, lo) > end:
        step = 1
        while span(i, lo - step) > end:
            step *= 2
        lo -= step
    return _latest_for_end(net, i, lo, end)


def forward_bounded(
    net: Network,
    lo: list[int],
    why: list[int],
    state: list[int] | None = None,
    fixed_start: list[int] | None = None,
    fixed_end: list[int] | None = None,
) -> tuple[list[int], list[int], list[int]]:
    """:func:`forward` with a lowest start per stage, and stages fixed at actual dates.

    ``lo[j]`` is the lowest start boundary of stage ``j`` on its calendar (the plan
    start, a ``not_before`` date, the day after ``as_of``) and ``why[j]`` the
    driver code reported when it binds (``BY_START``, ``BY_NOT_BEFORE``,
    ``BY_AS_OF``). With ``state``: a ``DONE`` stage is fixed at
    ``fixed_start[j]``..``fixed_end[j]`` (driver ``BY_ACTUAL``) and its links in
    do not bind; a ``STARTED`` stage starts at ``fixed_start[j]`` and ends at
    ``fixed_end[j]`` or later if an FF link says so (its FS and SS links in no
    longer bind). Same tie-breaking as :func:`forward`. O(stages + links).
    """
    net.lists()
    n = net.n
    es = [0] * n
    ee = [0] * n
    drv = [-1] * n
    dur = net.dur
    pred, kind, lag, fast = net.pred, net.kind, net.lag, net.fast
    ins = net.ins
    for j in net.order:
        st = PLANNED if state is None else state[j]
        if st != PLANNED:
            assert fixed_start is not None
            assert fixed_end is not None
            end = fixed_end[j]
            driver = BY_ACTUAL
            if st == STARTED:
                for k in ins[j]:
                    if kind[k] != FF:
                        continue
                    i = pred[k]
                    v = ee[i] + lag[k] if fast[k] else _cross_forward(net, k, i, j, es, ee)
                    if v > end:
                        end, driver = v, k
            es[j] = fixed_start[j]
            ee[j] = end
            drv[j] = driver
            continue
        best = lo[j]
        driver = why[j]
        d = dur[j]
        end_best = None
        end_driver = -1
        for k in ins[j]:
            i = pred[k]
            t = kind[k]
            if fast[k]:
                if t == FF:
                    v = ee[i] + lag[k]
                    if end_best is None or v > end_best:
                        end_best, end_driver = v, k
                    continue
                v = (ee[i] if t == FS else es[i]) + lag[k]
            else:
                v = _cross_forward(net, k, i, j, es, ee)
                if t == FF:
                    if end_best is None or v > end_best:
                        end_best, end_driver = v, k
                    continue
            if v > best or (v == best and driver < 0):
                best, driver = v, k
        if end_best is not None:
            v = end_best - d if d >= 0 else _earliest_for_end(net, j, best, end_best)
            if v > best or (v == best and driver < 0):
                best, driver = v, end_driver
        es[j] = best
        ee[j] = best + d if d >= 0 else net.span(j, best)
        drv[j] = driver
    return es, ee, drv


def backward_bounded(
    net: Network,
    end: int,
    es: list[int],
    ee: list[int],
    succ_start: list[int] | None,
    succ_end: list[int] | None,
    latest_end: list[int | None] | None = None,
    state: list[int] | None = None,
) -> tuple[list[int], list[int]]:
    """:func:`backward` with a highest end per stage, and stages fixed at actual dates.

    ``latest_end[i]`` (``None``: no bound) is the highest end boundary of stage
    ``i`` (a ``finish_by`` date): its late dates, and those of the stages that
    lead to it, may then come before their early dates, which is negative float.
    With ``state``, a ``DONE`` stage keeps its dates as late dates and links into
    it do not bind; a ``STARTED`` stage has a late end only (its "late start" is
    its start moved by the same amount: its float is counted at its end), and
    only FF links into it bind. O(stages + links).
    """
    net.lists()
    n = net.n
    ls = [0] * n
    le = [0] * n
    s_of = ls if succ_start is None else succ_start
    e_of = le if succ_end is None else succ_end
    dur, cal, axes = net.dur, net.cal, net.axes
    succ, kind, lag, fast = net.succ, net.kind, net.lag, net.fast
    outs = net.outs
    caps = [a.floor(end - 1) + 1 for a in axes]
    for i in reversed(net.order):
        st = PLANNED if state is None else state[i]
        if st == DONE:
            ls[i] = es[i]
            le[i] = ee[i]
            continue
        ub_e = caps[cal[i]]
        if latest_end is not None:
            bound = latest_end[i]
            if bound is not None and bound < ub_e:
                ub_e = bound
        ub_s = None
        for k in outs[i]:
            j = succ[k]
            t = kind[k]
            if state is not None:
                sj = state[j]
                if sj == DONE or (sj == STARTED and t != FF):
                    continue
            if fast[k]:
                if t == SS:
                    v = s_of[j] - lag[k]
                    if ub_s is None or v < ub_s:
                        ub_s = v
                    continue
                v = (s_of[j] if t == FS else e_of[j]) - lag[k]
            else:
                v = _cross_backward(net, k, i, j, s_of, e_of)
                if t == SS:
                    if ub_s is None or v < ub_s:
                        ub_s = v
                    continue
            if v < ub_e:
                ub_e = v
        if st == STARTED:
            le[i] = ub_e
            ls[i] = es[i] + (ub_e - ee[i])
            continue
        d = dur[i]
        s = ub_e - d if d >= 0 else _latest_start_by(net, i, es[i], ub_e)
        if ub_s is not None and ub_s < s:
            s = ub_s
        ls[i] = s
        le[i] = s + d if d >= 0 else net.span(i, s)
    return ls, le


def binding_links(net: Network, j: int, es: list[int], ee: list[int]) -> list[int]:
    """The links into stage ``j`` whose bound its early dates meet exactly.

    An FS or SS link binds when it puts the start where it is, an FF link when it
    puts the end where it is. Used to date milestones (a tie between a start and
    a finish puts a milestone at the start of a day). O(links into ``j``).
    """
    net.lists()
    pred, kind, lag, fast = net.pred, net.kind, net.lag, net.fast
    out: list[int] = []
    for k in net.ins[j]:
        i = pred[k]
        t = kind[k]
        if fast[k]:
            v = (es[i] if t == SS else ee[i]) + lag[k]
        else:
            v = _cross_forward(net, k, i, j, es, ee)
        if v == (ee[j] if t == FF else es[j]):
            out.append(k)
    return out


def waits_for_its_calendar(net: Network, k: int, ee: list[int]) -> bool:
    """True when FS link ``k`` (without a lead) ends on a day its successor's calendar
    does not work, so that the successor waits for its next working day.

    Always false for a link within one calendar with a lag in working days.
    """
    if net.fast[k] or net.kind[k] != FS:
        return False
    c = net.cd[k]
    if c < 0 and net.lag[k] < 0:
        return False
    i, j = net.pred[k], net.succ[k]
    ai, aj = net.axes[net.cal[i]], net.axes[net.cal[j]]
    end = ai.ordinal(ee[i] - 1) + 1 + max(c, 0)  # the instant the predecessor ends (+ lag)
    # The successor calendar's last working day before that instant ends earlier.
    return aj.ordinal(aj.ceil(end) - 1) + 1 < end
