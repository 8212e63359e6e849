"""The JSON Schemas of the file formats and of the results' JSON forms.

They ship as data files in ``approval_clock/schemas/`` (draft 2020-12) and are
published in the docs (``docs/schemas.md``). ``schema(name)`` returns a fresh copy
each call, so a caller may change it freely.
"""

from __future__ import annotations

import json
from typing import Any

from approval_clock._check import check_choice

__all__ = ["SCHEMAS", "schema"]

SCHEMAS: tuple[str, ...] = ("notice", "plan", "policy")
"""The names :func:`schema` knows."""


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema (a dict) of a file format or a JSON form: ``"plan"``, ``"policy"``, ``"notice"``.

    A plan file parsed from TOML, or ``Plan.to_dict()``, is valid against
    ``schema("plan")``; the same for policies and notices.

    >>> import approval_clock
    >>> s = approval_clock.schema("policy")
    >>> s["title"], s["required"]
    ('approval_clock policy (format 1)', ['format', 'name'])
    >>> approval_clock.schema("planx")
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentValueError: name: expected one of 'notice', 'plan', 'policy', got str 'planx'
    """
    from importlib import resources

    check_choice(name, SCHEMAS, "name")
    text = resources.files("approval_clock").joinpath("schemas", f"{name}.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
