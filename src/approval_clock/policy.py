"""Deprecated alias of :mod:`approval_clock.checks.policy` (the package was given its layout in 0.1)."""

from approval_clock._moved import alias

__getattr__, __dir__ = alias(__name__)
