"""The package as a whole: what importing it costs, and what it exports."""

from __future__ import annotations

import subprocess
import sys

import approval_clock


def test_import_does_not_pull_pandas_matplotlib_or_hypothesis() -> None:
    code = (
        "import sys, approval_clock, approval_clock.calendars\n"
        "approval_clock.calendars.get('CN')\n"
        "heavy = [m for m in ('pandas', 'matplotlib', 'hypothesis') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_public_names_are_exported_and_documented() -> None:
    for name in approval_clock.__all__:
        obj = getattr(approval_clock, name)
        if name.startswith("__") or name == "Duration":
            continue
        assert (obj.__doc__ or "").strip(), f"{name} has no docstring"


def test_every_error_is_an_approval_clock_error_and_a_builtin() -> None:
    from approval_clock import errors

    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, approval_clock.ApprovalClockError)
        if cls is not approval_clock.ApprovalClockError:
            # ImportError: an optional dependency (an extra) is missing.
            builtins = (ValueError, TypeError, LookupError, ImportError)
            assert any(issubclass(cls, b) for b in builtins), name


def test_ships_py_typed() -> None:
    from importlib import resources

    assert resources.files("approval_clock").joinpath("py.typed").is_file()


def test_plans_and_policies_load_on_first_use() -> None:
    # `import approval_clock` for calendar queries does not pay for the rest.
    code = (
        "import sys, approval_clock\n"
        "before = 'approval_clock.checks.policy' in sys.modules\n"
        "from approval_clock import Policy, sweep\n"
        "print(before, 'approval_clock.checks.policy' in sys.modules, callable(sweep))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "True", "True"]
