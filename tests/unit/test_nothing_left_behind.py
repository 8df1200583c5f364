"""A test run that leaves a process running or a temporary folder behind fails, names them, ends
the process by its PID and removes the folder (tests/conftest.py); a tidy run passes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fixtures.desktop import wait_until

TESTS = Path(__file__).resolve().parents[1]
PROBE = TESTS / "fixtures" / "leave_behind_probe.py"


def run_probe(told: Path, **env: str) -> subprocess.CompletedProcess:
    # its own folders inside this test's, not in this run's temporary folder
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--basetemp", str(told.parent / "inner"), str(PROBE)],
                          cwd=TESTS.parent, env={**os.environ, "SEESAY_PROBE_OUT": str(told), **env},
                          capture_output=True, text=True, timeout=120)


def test_a_run_that_leaves_a_process_or_a_folder_fails_and_cleans_up(tmp_path):
    run = run_probe(tmp_path / "probe.txt")
    pid, folder = (tmp_path / "probe.txt").read_text().split()
    assert run.returncode != 0, run.stdout
    assert f"{pid} sleep 600" in run.stdout and "left-behind-" in run.stdout, run.stdout
    assert wait_until(lambda: not Path(f"/proc/{pid}").exists(), 10), "the process left behind is still running"
    assert not Path(folder).exists()


def test_a_tidy_run_passes(tmp_path):
    run = run_probe(tmp_path / "probe.txt", SEESAY_PROBE_TIDY="1")
    assert run.returncode == 0, run.stdout + run.stderr
