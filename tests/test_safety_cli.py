"""The command line's output and exit codes when its surroundings misbehave: a closed pipe,
a closed or full stdout, an encoding that cannot hold Chinese, Ctrl-C, a bug; and errors in
JSON when ``--json`` was asked for (approval_clock.cli).
"""

from __future__ import annotations

import errno
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from approval_clock import cli
from approval_clock.cli import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    main,
)

ROOT = Path(__file__).resolve().parents[1]
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell and pipes")


class Failing(io.StringIO):
    """A stdout whose writes (or flushes) fail as a real one can."""

    def __init__(self, error: OSError, *, on: str = "write") -> None:
        super().__init__()
        self.error = error
        self.on = on

    def write(self, text: str) -> int:
        if self.on == "write":
            raise self.error
        return super().write(text)

    def flush(self) -> None:
        if self.on == "flush":
            raise self.error


def test_a_closed_pipe_is_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", Failing(BrokenPipeError(errno.EPIPE, "Broken pipe")))
    assert main(["calendar", "CN", "2021"]) == EXIT_BROKEN_PIPE
    assert capsys.readouterr().err == ""


@POSIX
def test_head_reads_one_line_and_the_rest_goes_nowhere() -> None:
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "approval_clock",
            "--json",
            "sweep",
            "examples/huludao/reform.toml",
            "--year",
            "2021",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stderr is not None
    assert child.stdout.readline() == b"{\n"  # as `| head -1` does, then goes away
    child.stdout.close()
    with child.stderr:
        err = child.stderr.read()
    assert child.wait(timeout=120) == EXIT_BROKEN_PIPE
    assert err == b""  # no "error: Broken pipe", no "Exception ignored" at exit


@POSIX
def test_a_closed_stdout_is_an_error_not_a_lost_answer() -> None:
    command = f"'{sys.executable}' -m approval_clock count 2021-08-18 2021-09-10 >&-"
    done = subprocess.run(
        command, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == EXIT_OUTPUT
    assert done.stderr == (
        "approval-clock: error: standard output is closed; nowhere to write the answer\n"
    )


@pytest.mark.parametrize("on", ["write", "flush"])
def test_a_full_disk_is_an_output_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], on: str
) -> None:
    monkeypatch.setattr(
        sys, "stdout", Failing(OSError(errno.ENOSPC, "No space left on device"), on=on)
    )
    assert main(["count", "2021-08-18", "2021-09-10"]) == EXIT_OUTPUT
    assert capsys.readouterr().err == (
        "approval-clock: error: cannot write the output (No space left on device)\n"
    )


def _ascii_stdout(monkeypatch: pytest.MonkeyPatch) -> io.BytesIO:
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="ascii"))
    return raw


def test_json_on_a_stdout_that_cannot_hold_chinese_is_escaped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = _ascii_stdout(monkeypatch)
    assert main(["--json", "calendar", "CN", "2021", "--lang", "zh"]) == EXIT_OK
    sys.stdout.flush()
    data = json.loads(raw.getvalue().decode("ascii"))
    assert data["holidays"][0]["name"] == "元旦"


def test_text_on_a_stdout_that_cannot_hold_chinese_is_escaped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = _ascii_stdout(monkeypatch)
    assert main(["calendar", "CN", "2021", "--lang", "zh"]) == EXIT_OK
    sys.stdout.flush()
    assert "\\u5143\\u65e6" in raw.getvalue().decode("ascii")  # 元旦, escaped


def test_ctrl_c_is_one_line_and_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_cmd_count", interrupted)
    assert main(["count", "2021-08-18", "2021-09-10"]) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "approval-clock: interrupted\n"


def test_a_bug_is_one_line_and_70_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> int:
        raise OverflowError("Python int too large to convert to C long")

    monkeypatch.setattr(cli, "_cmd_count", broken)
    monkeypatch.delenv("APPROVAL_CLOCK_TRACEBACK", raising=False)
    assert main(["count", "2021-08-18", "2021-09-10"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith(
        "approval-clock: internal error: OverflowError: Python int too large to convert to C long"
    )
    assert err.count("\n") == 1
    monkeypatch.setenv("APPROVAL_CLOCK_TRACEBACK", "1")
    with pytest.raises(OverflowError):
        main(["count", "2021-08-18", "2021-09-10"])


@pytest.mark.parametrize(
    "argv",
    [
        ["--json", "schedule", "examples/huludao/missing.toml", "--start", "2021-06-01"],
        ["schedule", "examples/huludao/missing.toml", "--start", "2021-06-01", "--json"],
        ["--json", "deadline", "2021-06-01", "20 weeks"],  # refused by the parser itself
        ["calendar", "CN", "2040", "--format", "json", "--check", "2040-01-01"],
    ],
)
def test_json_errors_are_json_on_stdout_and_a_line_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(argv) == EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data == {
        "error": err.removeprefix("approval-clock: error: ").rstrip("\n"),
        "exit_code": 2,
    }
    assert err.count("\n") == 1


def test_errors_without_json_leave_stdout_empty(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["schedule", "examples/huludao/missing.toml", "--start", "2021-06-01"]) == 2
    assert capsys.readouterr().out == ""


def test_control_characters_in_a_message_are_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    name = tmp_path / "a\x1b[2Jb.toml"  # an escape sequence would clear the terminal
    assert main(["schedule", str(name), "--start", "2021-06-01"]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert "a\\x1b[2Jb.toml: no such file" in err
