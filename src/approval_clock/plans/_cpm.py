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

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np
import numpy.typing as npt

from approval_clock.calendars.workcalendar import WorkCalendar

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


class Axis:
    """One calendar as integers: working-day numbers <-> day ordinals, O(1) each.

    Built once per calendar from the calendar's public vectorised queries and
    cached. Outside the calendar's range every day is treated as a working day;
    that only ever serves as a loose bound, and :func:`forward` callers check
    that the dates they report lie inside the range.
    """

    __slots__ = ("_floor", "_ord", "first", "last", "total")

    def __init__(self, calendar: WorkCalendar) -> None:
        first, last = calendar.coverage
        days = np.arange(
            np.datetime64(first, "D"), np.datetime64(last, "D") + 1, dtype="datetime64[D]"
        )
        floor: list[int] = np.asarray(calendar.working_day_number(days)).tolist()
        self.first = first.toordinal()
        self.last = last.toordinal()
        self.total = floor[-1]
        self._floor = floor
        numbers = np.arange(1, self.total + 1, dtype=np.int64)
        at = np.asarray(calendar.date_of_working_day(numbers)).astype(np.int64)
        self._ord: list[int] = [0, *(at + _EPOCH_ORDINAL).tolist()]

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


class _AxisCache:
    """Axes by calendar object: held weakly (a dropped calendar takes its axis with
    it) and bounded by an estimate of their size, the least recently used going
    first. Thread-safe; nothing here is global interpreter state.
    """

    # An Axis holds two lists of ints: about 40 bytes an element (the pointer
    # and, above 256, the int object).
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


class Network:
    """A plan reduced to integers, ready for the passes (built once per plan).

    Stages are ``0..n-1`` in any order; ``order`` is a topological order. Links
    are parallel lists. ``dur[i]`` is the length in working days, or ``-1`` for a
    stage measured in calendar days or months, whose end ``span(i, s)`` gives.
    ``cd[k]`` is a lag in calendar days (``-1`` when the lag is ``lag[k]``
    working days of the successor's calendar).

    A network is *simple* when every stage is on one calendar, in working days,
    and every lag is in working days: then the passes are plain integer
    arithmetic over links grouped by kind, which is what makes 100 000 stages
    take about a second. Otherwise the general passes convert between calendars
    link by link.
    """

    __slots__ = (
        "axes",
        "built",
        "cal",
        "cd",
        "dur",
        "fast",
        "general",
        "ins",
        "kind",
        "lag",
        "n",
        "order",
        "outs",
        "pred",
        "simple",
        "simple_ins",
        "simple_outs",
        "span",
        "succ",
    )

    def __init__(
        self,
        *,
        order: list[int],
        dur: list[int],
        cal: list[int],
        axes: list[Axis],
        pred: list[int],
        succ: list[int],
        kind: list[int],
        lag: list[int],
        cd: list[int],
        span: Span,
        general: bool = False,
    ) -> None:
        n = len(dur)
        self.n = n
        self.order = order
        self.dur = dur
        self.cal = cal
        self.axes = axes
        self.pred = pred
        self.succ = succ
        self.kind = kind
        self.lag = lag
        self.cd = cd
        self.span = span
        self.simple = not general and max(cal) == 0 and min(dur) >= 0 and (not cd or max(cd) < 0)
        self.general = general
        self.built = False
        self.ins: list[list[int]] = []
        self.outs: list[list[int]] = []
        self.fast: list[bool] = []
        self.simple_ins: list[_Csr] = []
        self.simple_outs: list[_Csr] = []
        if self.simple:
            p_arr = np.asarray(pred, dtype=np.int64)
            s_arr = np.asarray(succ, dtype=np.int64)
            k_arr = np.asarray(kind, dtype=np.int64)
            g_arr = np.asarray(lag, dtype=np.int64)
            for t in (FS, SS, FF):
                sel = np.flatnonzero(k_arr == t)
                self.simple_ins.append(_Csr(n, s_arr[sel], p_arr[sel], g_arr[sel], sel))
                self.simple_outs.append(_Csr(n, p_arr[sel], s_arr[sel], g_arr[sel], sel))
            return
        self.lists()

    def lists(self) -> None:
        """Build the per-stage link lists of the general passes (once; a simple
        network builds them only when a bounded pass needs them)."""
        if self.built:
            return
        n = self.n
        pred, succ, kind, cal, cd = self.pred, self.succ, self.kind, self.cal, self.cd
        general = self.general
        ins: list[list[int]] = [[] for _ in range(n)]
        outs: list[list[int]] = [[] for _ in range(n)]
        # Links into a stage are visited FS, SS, then FF, each in plan order: the
        # same tie-breaking as the simple passes.
        for k in sorted(range(len(pred)), key=kind.__getitem__):
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


def _backward_simple(
    net: Network, cap: int, s_of: list[int] | None, e_of: list[int] | None
) -> tuple[list[int], list[int]]:
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


def forward(net: Network, start: list[int]) -> tuple[list[int], list[int], list[int]]:
    """Early start and end boundaries, and the link driving each start (-1: the plan start).

    ``start[c]`` is the first allowed start on calendar ``c``. A stage starts as
    early as its FS and SS links allow; an FF link bounds its end, and the start
    moves later so that the stage ends no earlier (never earlier than the other
    bounds allow). Ties between links go to the first link; a link bounding the
    start exactly where the plan start does is named as the driver.
    """
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


def end_instant(net: Network, es: list[int], ee: list[int]) -> int:
    """The instant (day ordinal) at which the last stage ends."""
    axes, cal = net.axes, net.cal
    if net.simple:
        return axes[0].ordinal(max(ee) - 1) + 1
    return max(
        (axes[cal[i]].ordinal(ee[i] - 1) + 1 for i in range(net.n)),
        default=0,
    )


def backward(
    net: Network,
    end: int,
    es: list[int],
    succ_start: list[int] | None,
    succ_end: list[int] | None,
) -> tuple[list[int], list[int]]:
    """Latest start and end boundaries such that no successor moves past its given dates.

    With ``succ_start``/``succ_end`` ``None`` this is the backward pass proper: the
    successors' own late dates are used, filled in reverse topological order.
    Given the early dates instead, it yields the latest dates that leave every
    successor's early dates alone, from which free float follows. ``end`` is the
    instant no stage may end after. ``es`` (early starts) bounds the searches for
    stages in calendar units.
    """
    if net.simple:
        return _backward_simple(net, net.axes[0].floor(end - 1) + 1, succ_start, succ_end)
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
