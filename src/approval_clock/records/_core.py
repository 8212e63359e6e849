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

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


class Blocks(NamedTuple):
    """Disjoint intervals ``(start, end]``, sorted by group then start."""

    group: Ints
    start: Ints
    end: Ints


def merge(group: Ints, start: Ints, end: Ints, big: int) -> Blocks:
    """Merge the intervals ``(start, end]`` of each group into disjoint blocks.

    Empty intervals (``end <= start``) are dropped; overlapping or touching ones
    are merged. ``big`` must exceed every value of ``start`` and ``end``.
    """
    keep = end > start
    if keep.all():
        g, s, e = group, start, end
    else:
        g, s, e = group[keep], start[keep], end[keep]
    if len(g) == 0:
        return Blocks(g, s, e)
    offset = g * big
    key = offset + s
    # Records often come sorted by case already: then there is nothing to sort.
    if len(key) > 1 and not bool((key[1:] >= key[:-1]).all()):
        order = np.argsort(key, kind="stable")
        g, s, e, offset = g[order], s[order], e[order], offset[order]
    del key
    shifted_end = e + offset
    running = np.maximum.accumulate(shifted_end)
    before = np.empty_like(running)
    before[0] = -1
    before[1:] = running[:-1]
    # A block starts where an interval begins after everything before it in its group
    # has ended; the previous group's intervals all end below g * big <= its start.
    first = np.flatnonzero(s + offset > before)
    block_group = g[first]
    block_end = np.maximum.reduceat(shifted_end, first) - block_group * big
    return Blocks(block_group, s[first], block_end)


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


def deadline_shift(blocks: Blocks, start: Ints, limit: Ints) -> Ints:
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


def running_intervals(pauses: Blocks, start: Ints, end: Ints) -> Blocks:
    """Each stage's span ``(start, end]`` minus its (merged, clipped) pauses.

    Stage i with m pauses runs on (start, p1.start], (p1.end, p2.start], ...,
    (pm.end, end]: its 1 + m intervals are written in place, stage by stage, with
    no sort (the pauses come sorted by stage, then start, from :func:`merge`).
    """
    n = len(start)
    per_stage = np.bincount(pauses.group, minlength=n).astype(np.int64)
    counts = per_stage + 1
    first = np.cumsum(counts) - counts
    total = int(counts.sum())
    group = np.repeat(np.arange(n, dtype=np.int64), counts)
    starts = np.empty(total, dtype=np.int64)
    ends = np.empty(total, dtype=np.int64)
    starts[first] = start
    ends[first + per_stage] = end
    if len(pauses.group):
        rank, _ = _rank_in_group(pauses.group)
        at = first[pauses.group] + rank
        starts[at + 1] = pauses.end
        ends[at] = pauses.start
    return Blocks(group, starts, ends)
