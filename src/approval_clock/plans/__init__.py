"""Approval plans: stages, links, the graph and its schedule.

A :class:`~approval_clock.plans.model.Plan` is a validated graph of stages and
links on working-day calendars; :meth:`Plan.schedule` runs the critical-path
passes (:mod:`approval_clock.plans._cpm`) and gives a
:class:`~approval_clock.plans.schedule.Schedule`. The modules:

- ``model``: ``Stage``, ``Link``, ``Plan`` (the frozen model and its read-only graph view);
- ``_file``: plan files and their dict/JSON form;
- ``_cpm``: the forward and backward passes on integer arrays;
- ``schedule``: ``Schedule`` and ``ScheduledStage``, the results;
- ``ala``: the Administrative Licensing Law's periods as building blocks.

Everything public here is also importable from ``approval_clock``.

>>> from approval_clock.plans import Plan, Stage
>>> from approval_clock import calendars
>>> from datetime import date
>>> Plan([Stage("a", 5)], calendar=calendars.get("CN")).schedule(date(2021, 8, 18)).finish
datetime.date(2021, 8, 24)
"""

from approval_clock.plans.model import Link, Plan, PlanGraph, Stage
from approval_clock.plans.schedule import Schedule, ScheduledStage

__all__ = ["Link", "Plan", "PlanGraph", "Schedule", "ScheduledStage", "Stage"]
