"""The interval arithmetic behind :mod:`approval_clock.records`, in plain numpy.

Everything here works on working-day numbers (``WorkCalendar.working_day_number``):
a span ``(a, b]`` of dates is the integer interval ``(N(a), N(b)]``, and its
length ``N(b) - N(a)`` is the number of working days in it. Pauses, stage clocks
and case clocks are sets of such intervals.

Grouped operations (per stage, per case) avoid Python loops with one trick: the
intervals of group ``g`` are shifted by ``g * big``, where ``big`` exceeds every
working-day number, so that sorting and a running maximum over the whole array
never mix two groups. Each function is O(n log n) for the sort, then linear.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
AnyInts = npt.NDArray[np.signedinteger[Any]]
"""Integer arrays of any width (``int32`` working-day numbers, ``int64`` codes)."""


class Blocks(NamedTuple):
    """Disjoint intervals ``(start, end]``, sorted by group then start."""

    group: AnyInts
    start: Ints
    end: Ints


def merge(group: AnyInts, start: AnyInts, end: AnyInts, big: int) -> Blocks:
    """Merge the intervals ``(start, end]`` of each group into disjoint blocks.

    Empty intervals (``end <= start``) are dropped; overlapping or touching ones
    are merged. ``big`` must exceed every value of ``start`` and ``end``. The
    group keeps its dtype; starts and ends come out as ``int64``.

    Memory: besides the result, two ``int64`` arrays of the input's length (the
    sort key and the running end), the sort order while sorting, and the
    surviving inputs when some intervals are empty.
    """
    keep = end > start
    if not keep.all():
        at = np.flatnonzero(keep)
        group, start, end = group[at], start[at], end[at]
        del at
    del keep
    if len(group) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Blocks(group, empty, empty.copy())
    key = group.astype(np.int64)
    key *= big
    key += start
    del start
    # Records often come sorted by case already: then there is nothing to sort.
    if len(key) > 1 and not bool((key[1:] >= key[:-1]).all()):
        order = np.argsort(key, kind="stable")
        key = key[order]
        group, end = group[order], end[order]
        del order
    # The running maximum of the shifted ends; the previous group's intervals all
    # end below g * big <= the first start of group g, so groups never mix.
    running = group.astype(np.int64)
    running *= big
    running += end
    del end
    np.maximum.accumulate(running, out=running)
    # A block starts where an interval begins after everything before it has ended;
    # it ends at the running maximum of its last interval (its own ends pass all before).
    starts_block = np.empty(len(key), dtype=bool)
    starts_block[0] = True
    np.greater(key[1:], running[:-1], out=starts_block[1:])
    first = np.flatnonzero(starts_block)
    del starts_block
    last = np.empty_like(first)
    last[:-1] = first[1:] - 1
    last[-1] = len(key) - 1
    block_group = group[first]
    offset = block_group.astype(np.int64)
    offset *= big
    block_start = key[first] - offset
    del key
    block_end = running[last] - offset
    return Blocks(block_group, block_start, block_end)


def lengths_per_group(blocks: Blocks, n_groups: int) -> Ints:
    """Total length of the blocks of each group ``0..n_groups-1``."""
    out = np.zeros(n_groups, dtype=np.int64)
    np.add.at(out, blocks.group, blocks.end - blocks.start)
    return out


def _rank_in_group(group: Ints) -> tuple[Ints, Ints]:
    """For sorted ``group``: each item's 0-based rank within its group, and its group's first index."""
    n = len(group)
    is_first = np.ones(n, dtype=bool)
    is_first[1:] = group[1:] != group[:-1]
    first_index = np.flatnonzero(is_first)
    which = np.cumsum(is_first) - 1
    head = first_index[which]
    return np.arange(n, dtype=np.int64) - head, head


def deadline_shift(blocks: Blocks, start: AnyInts, limit: Ints) -> Ints:
    """Paused working days that fall before each stage's deadline.

    ``blocks`` are a stage's merged pauses (group = stage), ``start`` its
    acceptance number, ``limit`` its limit. The clock reaches ``limit`` on number
    ``start + limit + shift``: walking the pauses in order, a pause moves the
    deadline when the net time at its start is still below the limit (every later
    pause then starts later still, so the included pauses are a prefix).
    """
    n = len(start)
    if len(blocks.group) == 0:
        return np.zeros(n, dtype=np.int64)
    length = blocks.end - blocks.start
    _, head = _rank_in_group(blocks.group)
    cum = np.cumsum(length)
    paused_before = (cum - length) - (cum[head] - length[head])
    net_at_start = (blocks.start - start[blocks.group]) - paused_before
    moves = net_at_start < limit[blocks.group]
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, blocks.group[moves], length[moves])
    return out


def running_intervals(
    pauses: Blocks, start: AnyInts, end: AnyInts, label: AnyInts | None = None
) -> Blocks:
    """Each stage's span ``(start, end]`` minus its (merged, clipped) pauses.

    Stage i with m pauses runs on (start, p1.start], (p1.end, p2.start], ...,
    (pm.end, end]: its 1 + m intervals are written in place, stage by stage, with
    no sort (the pauses come sorted by stage, then start, from :func:`merge`).
    The intervals' group is the stage, or ``label[stage]`` when ``label`` is
    given (the case of each stage, say); starts and ends keep ``start``'s dtype.
    """
    n = len(start)
    counts = np.bincount(pauses.group, minlength=n)
    counts += 1
    first = np.cumsum(counts)
    first -= counts
    total = int(first[-1] + counts[-1]) if n else 0
    group = np.repeat(np.arange(n, dtype=np.int64) if label is None else label, counts)
    del counts
    starts = np.empty(total, dtype=start.dtype)
    ends = np.empty(total, dtype=start.dtype)
    starts[first] = start
    if len(pauses.group):
        rank, _ = _rank_in_group(pauses.group)
        at = first[pauses.group]
        at += rank
        del rank
        starts[at + 1] = pauses.end
        ends[at] = pauses.start
        del at
    # The last interval of stage i ends where stage i + 1's first begins, less one slot.
    ends[first[1:] - 1] = end[:-1]
    if n:
        ends[-1] = end[-1]
    return Blocks(group, starts, ends)


def union_lengths(
    pauses: Blocks, start: AnyInts, end: AnyInts, label: AnyInts, n: int, big: int
) -> Ints:
    """Per label ``0..n-1`` (a case), the length of the union of its stages' running time.

    A stage runs on ``(start, end]`` minus its pauses; a case's clock days are the
    working days on which at least one of its stages runs.
    """
    group, starts, ends = running_intervals(pauses, start, end, label)
    # Empty intervals (a same-day stage, a pause up to the end) go here, not in
    # merge, so that the full-length arrays are let go before merge sorts.
    keep = ends > starts
    if not keep.all():
        at = np.flatnonzero(keep)
        group, starts, ends = group[at], starts[at], ends[at]
        del at
    del keep
    clock = merge(group, starts, ends, big)
    del group, starts, ends
    return lengths_per_group(clock, n)
