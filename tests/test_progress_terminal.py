"""Progress shows on a terminal, by stage, and never in a pipe. Run through a real pseudo-
terminal: CliRunner's streams are never terminals."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

from .conftest import SAMPLE_CSV

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def _stderr_on_a_terminal(args: list[str], env: dict) -> tuple[int, str, str]:
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "mentorctl", *args], env=env,
                               stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        seen += chunk
    stdout = process.stdout.read().decode()
    code = process.wait(timeout=120)
    os.close(leader)
    return code, stdout, seen.decode(errors="replace")


def test_pair_auto_shows_its_stages_on_a_terminal_and_nothing_in_a_pipe(run, db_path):
    run("import", SAMPLE_CSV)
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    code, stdout, terminal = _stderr_on_a_terminal(
        ["--db", str(db_path), "pair", "--auto", "--dry-run", "--json"], env)
    assert code == 0, terminal
    assert '"pairs"' in stdout  # the result still goes to stdout, whole
    assert "Matching: scoring" in terminal and "Matching: solving" in terminal
    piped = subprocess.run([sys.executable, "-m", "mentorctl", "--db", str(db_path), "pair",
                            "--auto", "--dry-run", "--json"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert piped.returncode == 0 and "Matching" not in piped.stderr
