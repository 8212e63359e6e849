"""``python -m approval_clock``: the ``approval-clock`` command (see :mod:`approval_clock.cli`)."""

from approval_clock.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
