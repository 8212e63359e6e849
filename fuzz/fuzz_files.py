"""Coverage-guided fuzzing of the file readers, what they return, and the command line, with atheris.

Run by hand (not in CI), from the repository root::

    pip install atheris
    python fuzz/fuzz_files.py -atheris_runs=200000          # or -max_total_time=300
    python fuzz/fuzz_files.py crash-<hash>                   # replay one finding

Each input is split into a reader choice (first byte), a mode (second byte) and
the file text (the rest, decoded as UTF-8 with replacement). The checks are the
ones ``tests/test_fuzz_files.py`` runs under hypothesis, by mode:

* 0: :func:`check`, the reader alone: it returns, or raises an
  ``ApprovalClockError`` whose message starts with the file's name;
* 1: :func:`check_use`, the reader and then what it returned used (a plan
  scheduled, swept and checked against a policy, a calendar queried, composed,
  extended, a notice applied), each step returning or raising a library error;
* 2: :func:`check_cli`, the text as a file given to the command line: exit 0, 1
  or 2, at most one line on stderr and never a traceback, JSON with ``--json``.

Anything else is a crash. Crashes found and reported but not yet fixed are in
``KNOWN`` (of ``tests/test_fuzz_files.py``, one list for both harnesses), so that
a run goes on to find new ones; ``docs/testing.md`` records what runs found.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

with atheris.instrument_imports():
    import tomllib

    import approval_clock
    import approval_clock.calendars._files
    import approval_clock.plans._file
    from test_fuzz_files import READERS, check, check_cli, check_use, is_known

SOURCES = list(READERS)
CHECKS = (check, check_use, check_cli)


def test_one_input(data: bytes) -> None:
    if len(data) < 2:
        return
    source = SOURCES[data[0] % len(SOURCES)]
    run = CHECKS[data[1] % len(CHECKS)]
    text = data[2:].decode("utf-8", errors="replace")
    try:
        run(source, text)
    except Exception as e:
        if not is_known(e):
            raise


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    # Keep the unused-import check quiet about modules imported for instrumentation.
    _ = (tomllib, approval_clock.calendars._files, approval_clock.plans._file)
    main()
