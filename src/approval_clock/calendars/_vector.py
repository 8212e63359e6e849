"""The fast path of vector queries: clean date arrays read through tables in chunks.

Private to :mod:`approval_clock.calendars.workcalendar`. A :class:`Tables` is
compiled with each calendar; :func:`clean` says whether an input can take the
fast path, and each query of :class:`Tables` answers it, or returns ``None`` so
that the calendar's general path answers instead (the general path masks NaT,
broadcasts shapes and names the date that is outside the range; the fast path
only ever answers inputs on which both paths agree).

A clean input is a numpy ``datetime64`` array, or a pandas Series or Index
holding one without a time zone, in native byte order and one of the units
``D``, ``h``, ``m``, ``s``, ``ms``, ``us`` and ``ns``. Viewed as ``int64`` its
values count units since 1970-01-01, so the calendar's day index of each is one
subtraction away (after a floor division by the units per day for times). The
queries are then gathers (``numpy.take``) from tables indexed by day:

* one gather: ``is_working_day`` (``work``), ``working_day_number`` (``cum[i+1]``),
  ``next_working_day``, ``previous_working_day``, ``roll_forward`` and
  ``deadline`` in calendar days or months (tables of the answer's day);
* two: ``count`` and ``elapsed`` (a difference of prefix sums), ``deadline``
  in working days (the prefix sum, then the position of that working day).

Two things make it fast (measured on a million dates):

* **Chunks.** Working through :data:`CHUNK` values at a time keeps every
  temporary in the CPU's L2 cache and out of the allocator: the only large
  allocation is the result. Temporaries the size of the input cost a page fault
  per 4 KiB page on first touch (about 2,900 per call for ``count``, more than a
  third of its time) and are read back from memory rather than cache.
* **One bounds check per chunk.** The day indices are viewed as unsigned: a
  negative index (a date before the range, or NaT, the smallest ``int64``)
  becomes larger than any limit, so a single ``max`` checks both ends. Limits
  fold in the query's own range: a calendar-day deadline from day ``i`` needs
  ``i + n`` on or before the last working day, and that is a smaller limit on
  ``i``, so "past the range" costs nothing extra either.

Any value that fails a check sends the whole call to the general path, which
gives the same answers with NaT masked, or raises the error naming the date.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from approval_clock import _dates

__all__ = ["CHUNK", "Source", "Tables", "clean"]

CHUNK = 1 << 15
"""Values per chunk: three ``int64`` temporaries of it (768 KiB) stay in a 1 MiB L2 cache."""

# Units per day up to nanoseconds: int64 values of finer units span less than a
# year around 1970, and are left to the general path.
_PER_DAY = {u: k for u, k in _dates.UNITS_PER_DAY.items() if k <= _dates.UNITS_PER_DAY["ns"]}

Source = tuple[npt.NDArray[np.int64], int, tuple[int, ...]]
"""A clean input: its values as flat ``int64``, the units per day, its shape."""

Int64s = npt.NDArray[np.int64]


def clean(values: object) -> Source | None:
    """The flat ``int64`` values, units per day and shape of a clean date array, else ``None``.

    >>> import numpy as np
    >>> raw, per_day, shape = clean(np.array(["2021-10-09"], dtype="datetime64[D]"))
    >>> raw.tolist(), per_day, shape
    ([18909], 1, (1,))
    >>> clean([np.datetime64("2021-10-09")]) is None   # a list takes the general path
    True
    """
    if type(values) is np.ndarray:
        arr: np.ndarray[Any, Any] = values
    elif _dates.is_pandas(values):
        dtype = getattr(values, "dtype", None)
        # A zone-aware Series has a pandas dtype, not a numpy one: general path.
        if not isinstance(dtype, np.dtype) or dtype.kind != "M":
            return None
        arr = np.asarray(values)
    else:
        return None
    dtype = arr.dtype
    if dtype.kind != "M" or not dtype.isnative:
        return None
    unit, step = np.datetime_data(dtype)
    per_day = _PER_DAY.get(unit)
    if per_day is None or step != 1:
        return None
    return arr.reshape(-1).view(np.int64), per_day, arr.shape


class Tables:
    """A calendar's day tables for the fast path, and the queries that read them.

    Built from the compiled arrays of a calendar: ``first`` (the day of index 0,
    in days since 1970), ``work``, ``cum`` (``n + 1`` prefix sums) and ``pos``
    (the day index of each working day). Each query returns the answer as a
    flat-shaped numpy array of the input's shape, or ``None`` when some value
    is not one the fast path answers (NaT, outside the range, past it).

    >>> import numpy as np
    >>> work = np.array([True, False, True])
    >>> t = Tables(0, work, np.array([0, 1, 1, 2]), np.flatnonzero(work))
    >>> days = clean(np.array(["1970-01-01", "1970-01-02"], dtype="datetime64[D]"))
    >>> t.is_working_day(days).tolist(), t.next_working_day(days).tolist()
    ([True, False], [datetime.date(1970, 1, 3), datetime.date(1970, 1, 3)])
    >>> t.next_working_day(clean(np.array(["1970-01-03"], dtype="datetime64[D]"))) is None
    True
    """

    __slots__ = (
        "back",
        "cum",
        "cum1",
        "first",
        "first_work",
        "last_work",
        "n",
        "pos",
        "roll",
        "work",
    )

    first: int
    n: int
    work: npt.NDArray[np.bool_]
    cum: Int64s
    cum1: Int64s
    pos: Int64s
    roll: Int64s
    back: Int64s
    first_work: int
    last_work: int

    def __init__(self, first: int, work: npt.NDArray[np.bool_], cum: Int64s, pos: Int64s) -> None:
        self.first = first
        self.n = n = len(work)
        self.work = work
        self.cum = cum
        self.cum1 = cum[1:]
        total = len(pos)
        # Answers as days since 1970, so that a result is a datetime64[D] view.
        self.pos = pos + first
        if total:
            # roll[i]: the first working day on or after day i (for i up to the last
            # working day); back[i]: the last on or before it (from the first one on).
            # The next working day after i is roll[i + 1], the previous one back[i - 1].
            self.roll = self.pos[np.minimum(cum[:-1], total - 1)]
            self.back = self.pos[np.maximum(cum[1:] - 1, 0)]
            self.first_work, self.last_work = int(pos[0]), int(pos[-1])
        else:
            self.roll = self.back = np.zeros(n, dtype=np.int64)
            self.first_work, self.last_work = n, -1
        for arr in (self.pos, self.roll, self.back):
            arr.setflags(write=False)

    # -- the queries ---------------------------------------------------------------

    def is_working_day(self, src: Source) -> npt.NDArray[np.bool_] | None:
        """``work[i]`` for each day."""
        return self._gather(src, 0, self.n, self.work)

    def working_day_number(self, src: Source) -> Int64s | None:
        """``cum[i + 1]``: the working days up to and including each day."""
        return self._gather(src, 0, self.n, self.cum1)

    def next_working_day(self, src: Source) -> npt.NDArray[np.datetime64] | None:
        """The first working day strictly after each day."""
        return _as_days(self._gather(src, 0, self.last_work, self.roll[1:]))

    def previous_working_day(self, src: Source) -> npt.NDArray[np.datetime64] | None:
        """The last working day strictly before each day."""
        lo = self.first_work + 1  # day lo + j is answered by back[lo + j - 1]
        return _as_days(self._gather(src, lo, self.n - lo, self.back[lo - 1 :]))

    def calendar_days(self, src: Source, n: int) -> npt.NDArray[np.datetime64] | None:
        """Each day plus ``n`` days, rolled forward to a working day (Civil Code art. 203)."""
        return _as_days(self._gather(src, 0, self.last_work + 1 - n, self.roll[n:]))

    def working_days(self, src: Source, n: int) -> npt.NDArray[np.datetime64] | None:
        """The ``n``-th working day after each day (the day itself not counted); ``n == 0``: the day."""
        if n == 0:
            return _as_days(self._gather(src, 0, self.n, None))
        total = len(self.pos)
        if n > total:
            return None
        # cum[i+1] + n - 1 < total exactly for the days before the (total-n)-th working day.
        limit = int(self.pos[total - n]) - self.first
        return _as_days(self._gather(src, 0, limit, self.cum1, self.pos[n - 1 :]))

    def working_days_per_row(
        self, src: Source, counts: Int64s
    ) -> npt.NDArray[np.datetime64] | None:
        """``working_days`` with one ``n`` per day: ``counts``, flat, ``0 <= n``, as long as the days."""
        raw, per_day, shape = src
        size = raw.shape[0]
        offset, n, total = self.first, self.n, len(self.pos)
        if counts.shape != (size,) or not total or _nat_inside(per_day, offset, n):
            return None
        # from1[k] is pos[k - 1]: the n-th working day after day i is from1[cum[i+1] + n],
        # an index >= 0 even for n == 0 (whose answer, the day itself, replaces it).
        from1 = np.concatenate((self.pos[:1], self.pos))
        out = np.empty(size, dtype=np.int64)
        step = max(1, min(CHUNK, size))
        idx = np.empty(step, dtype=np.int64)
        mid = np.empty(step, dtype=np.int64)
        zero = np.empty(step, dtype=bool)
        unsigned = idx.view(np.uint64)
        for start in range(0, size, step):
            stop = min(start + step, size)
            m = stop - start
            i, k, z = idx[:m], mid[:m], zero[:m]
            _load(raw[start:stop], per_day, offset, i)
            if unsigned[:m].max() >= n:
                return None
            np.take(self.cum1, i, out=k, mode="wrap")
            np.add(k, counts[start:stop], out=k)
            if k.max() > total:  # past the last working day (or beyond any for n == 0: none)
                return None
            o = out[start:stop]
            np.take(from1, k, out=o, mode="wrap")
            np.equal(counts[start:stop], 0, out=z)
            if z.any():
                np.add(i, offset, out=k)
                np.copyto(o, k, where=z)
        return _as_days(out.reshape(shape))

    def by_table(self, src: Source, table: Int64s) -> npt.NDArray[np.datetime64] | None:
        """``table[i]`` as a date, for a table of answers built for one query (months)."""
        return _as_days(self._gather(src, 0, len(table), table))

    def count(self, a: Source | int, b: Source | int) -> Int64s | None:
        """Working days in ``[a, b]`` (``cum[j+1] - cum[i]``); ``None`` also for a reversed pair."""
        if isinstance(a, int):
            assert not isinstance(b, int)
            # j >= a and j < n: one limit; the table starts at day a.
            return self._gather(b, a, self.n - a, self.cum1[a:], add=-int(self.cum[a]))
        if isinstance(b, int):
            return self._gather(a, 0, b + 1, self.cum, add=int(self.cum1[b]), negate=True)
        return self._difference(a, b, self.cum, self.cum1, ordered=True)

    def elapsed(self, a: Source | int, b: Source | int) -> Int64s | None:
        """Working days in ``(a, b]``, signed (``cum[j+1] - cum[i+1]``)."""
        if isinstance(a, int):
            assert not isinstance(b, int)
            return self._gather(b, 0, self.n, self.cum1, add=-int(self.cum1[a]))
        if isinstance(b, int):
            return self._gather(a, 0, self.n, self.cum1, add=int(self.cum1[b]), negate=True)
        return self._difference(a, b, self.cum1, self.cum1, ordered=False)

    # -- the kernels ---------------------------------------------------------------

    def _gather(
        self,
        src: Source,
        shift: int,
        limit: int,
        table: npt.NDArray[Any] | None,
        then: Int64s | None = None,
        *,
        add: int = 0,
        negate: bool = False,
    ) -> npt.NDArray[Any] | None:
        """``table[i - shift]`` for each day index ``i``, if every ``0 <= i - shift < limit``.

        ``then``: a second table, read at the first one's value. ``table=None``:
        the day itself. ``negate`` and ``add``: ``add - value`` or ``value + add``.
        """
        raw, per_day, shape = src
        offset = self.first + shift
        if limit <= 0 or _nat_inside(per_day, offset, limit):
            return None if raw.size else _empty(table, then, shape)

        size = raw.shape[0]
        dtype = (then if then is not None else table if table is not None else raw).dtype
        out = np.empty(size, dtype=dtype)
        step = max(1, min(CHUNK, size))
        idx = np.empty(step, dtype=np.int64)
        unsigned = idx.view(np.uint64)
        mid = np.empty(step, dtype=np.int64) if then is not None else None
        for start in range(0, size, step):
            stop = min(start + step, size)
            m = stop - start
            i = idx[:m]
            _load(raw[start:stop], per_day, offset, i)
            if unsigned[:m].max() >= limit:
                return None
            o = out[start:stop]
            if table is None:
                np.add(i, offset, out=o)
            elif then is None:
                np.take(table, i, out=o, mode="wrap")
            else:
                assert mid is not None
                np.take(table, i, out=mid[:m], mode="wrap")
                np.take(then, mid[:m], out=o, mode="wrap")
            if negate:
                np.subtract(add, o, out=o)
            elif add:
                np.add(o, add, out=o)
        return out.reshape(shape)

    def _difference(
        self, a: Source, b: Source, table_a: Int64s, table_b: Int64s, *, ordered: bool
    ) -> Int64s | None:
        """``table_b[j] - table_a[i]`` for each pair of day indices (``j >= i`` if ``ordered``)."""
        raw_a, per_a, shape = a
        raw_b, per_b, shape_b = b
        size = raw_a.shape[0]
        offset, n = self.first, self.n
        if shape != shape_b or _nat_inside(per_a, offset, n) or _nat_inside(per_b, offset, n):
            return None  # broadcasting, and the rare NaT that floors into the range
        out = np.empty(size, dtype=np.int64)
        step = max(1, min(CHUNK, size))
        ia = np.empty(step, dtype=np.int64)
        ib = np.empty(step, dtype=np.int64)
        ua, ub = ia.view(np.uint64), ib.view(np.uint64)
        for start in range(0, size, step):
            stop = min(start + step, size)
            m = stop - start
            i, j = ia[:m], ib[:m]
            _load(raw_b[start:stop], per_b, offset, j)
            _load(raw_a[start:stop], per_a, offset, i)
            if ub[:m].max() >= n or ua[:m].max() >= n:
                return None
            o = out[start:stop]
            np.take(table_b, j, out=o, mode="wrap")
            if ordered:
                np.subtract(j, i, out=j)
                if j.min() < 0:
                    return None
            np.take(table_a, i, out=j, mode="wrap")
            np.subtract(o, j, out=o)
        return out.reshape(shape)


def _load(raw: Int64s, per_day: int, offset: int, out: Int64s) -> None:
    """Day indices of ``raw`` values (``per_day`` units a day) into ``out``."""
    if per_day == 1:
        np.subtract(raw, offset, out=out)
    else:
        np.floor_divide(raw, per_day, out=out)
        np.subtract(out, offset, out=out)


def _nat_inside(per_day: int, offset: int, limit: int) -> bool:
    """Whether NaT, floored to a day, would pass for a valid day index (then: general path).

    NaT is the smallest int64: in days it is far outside any calendar, but in
    nanoseconds it floors to 1677-09-21, a day some calendar may cover.
    """
    return per_day != 1 and 0 <= _dates.NAT_INT // per_day - offset < limit


def _empty(
    table: npt.NDArray[Any] | None, then: Int64s | None, shape: tuple[int, ...]
) -> npt.NDArray[Any]:
    like = then if then is not None else table
    return np.empty(shape, dtype=np.int64 if like is None else like.dtype)


def _as_days(days: Int64s | None) -> npt.NDArray[np.datetime64] | None:
    return None if days is None else days.view("datetime64[D]")
