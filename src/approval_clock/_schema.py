"""The JSON Schemas of the file formats and of the results' JSON forms.

They ship as data files in ``approval_clock/schemas/`` (draft 2020-12) and are
published in the docs (``docs/schemas.md``). ``schema(name)`` returns a fresh copy
each call, so a caller may change it freely.
"""

from __future__ import annotations

from typing import Any

from approval_clock._check import check_choice

__all__ = ["SCHEMAS", "schema"]

SCHEMAS: tuple[str, ...] = (
    "comparison",
    "notice",
    "plan",
    "policy",
    "policy_report",
    "policy_sweep_report",
    "schedule",
    "sweep",
)
"""The names :func:`schema` knows."""


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema (a dict) of a file format or a result's JSON form.

    Files: ``"plan"``, ``"policy"``, ``"notice"`` (a file parsed from TOML, or the
    ``to_dict()`` of a ``Plan``, ``Policy``, ``Notice``). Results: ``"schedule"``,
    ``"comparison"``, ``"policy_report"``, ``"policy_sweep_report"``, ``"sweep"``. The result schemas refer to
    the others by their ``$id`` (``"plan.json"`` relative to the same base).

    >>> import approval_clock
    >>> s = approval_clock.schema("policy")
    >>> s["title"], s["required"]
    ('approval_clock policy (format 1)', ['format', 'name'])
    >>> approval_clock.schema("planx")
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentValueError: name: expected one of 'comparison', 'notice', 'plan', 'policy', 'policy_report', 'policy_sweep_report', 'schedule', 'sweep', got str 'planx'
    """
    import json  # here, not at import time: most programs never ask for a schema
    from importlib import resources

    check_choice(name, SCHEMAS, "name")
    text = resources.files("approval_clock").joinpath("schemas", f"{name}.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
