"""Shared fixtures (``cn``: the shipped mainland China calendar) and the Hypothesis
profiles for the test suite, chosen by ``HYPOTHESIS_PROFILE``.

* ``ci`` (the default): quick enough that the whole suite runs in well under a
  minute; no deadline, since shared CI machines stall at random.
* ``thorough``: many more examples, for a local run before changing the
  scheduler or the calendar engine (``HYPOTHESIS_PROFILE=thorough pytest``).

Tests that pin their own ``@settings(max_examples=...)`` keep that number in
both profiles; the property suite (``test_properties.py``, ``test_strategies.py``,
``test_fuzz_files.py``) leaves it to the profile. ``docs/testing.md`` explains.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from approval_clock import Notice, WorkCalendar, calendars

EXAMPLE_NOTICES = Path(__file__).resolve().parents[1] / "examples" / "notices"
NOTICE_2027_TOML = EXAMPLE_NOTICES / "2027-illustrative.toml"
"""An illustrative 2027 notice (the forecast, not the real notice): a complete
national arrangement, so that it passes the statutory-holiday check."""
NOTICE_2027_JSON = EXAMPLE_NOTICES / "2027-illustrative.json"
"""The same arrangement in holiday-cn's JSON layout."""

settings.register_profile("ci", max_examples=40, deadline=None, print_blob=True)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def cn() -> WorkCalendar:
    """The mainland China calendar, as shipped."""
    return calendars.get("CN")


@pytest.fixture(scope="session")
def notice_2027() -> Notice:
    """The illustrative 2027 notice as a :class:`Notice`."""
    return calendars.load_notice(NOTICE_2027_TOML)
