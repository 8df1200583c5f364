"""Inside seesay's window, status changes and problems reach a screen reader as accessibility
announcements: heard on the AT-SPI bus by Debian's pyatspi, as Orca would hear them (Linux)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.desktop import xvfb

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
SYSTEM_PYTHON = "/usr/bin/python3"

# Every process is ended by the PID this script started it with.
SCRIPT = r"""
set -u
"$LAUNCHER" --launch-immediately >/dev/null 2>&1 &
launcher=$!
"$SYSTEM_PYTHON" "$LISTENER" 90 >"$OUT/announcements.jsonl" 2>"$OUT/listener.log" &
listener=$!
for _ in $(seq 100); do grep -qs listening "$OUT/announcements.jsonl" && break; sleep 0.1; done
"$APP_PYTHON" -m seesay --model "$MODEL" --speech-output silent --speech-dir "$SPEECH" >"$OUT/app.log" 2>&1 &
app=$!
for _ in $(seq 150); do grep -qs "Ready" "$SPEECH"/*.txt && break; sleep 0.2; done
"$APP_PYTHON" -m seesay --describe clipboard >/dev/null 2>&1
for _ in $(seq 50); do [ "$(ls "$SPEECH" | wc -l)" -ge 3 ] && break; sleep 0.2; done
sleep 1
kill $app
wait $app
kill $listener $launcher
exit 0
"""


def test_status_and_problems_are_announced_to_the_screen_reader(scene_model, tmp_path):
    needed = [LAUNCHER, SYSTEM_PYTHON, shutil.which("dbus-run-session")]
    if not all(needed) or subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True).returncode:
        pytest.fail("AT-SPI tools are missing: run scripts/setup.sh (at-spi2-core, python3-pyatspi, dbus)")
    speech = tmp_path / "speech"
    with xvfb() as display:
        env = {**os.environ, "DISPLAY": display, "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "QT_QPA_PLATFORM": "xcb",
               "LAUNCHER": LAUNCHER, "APP_PYTHON": sys.executable, "SYSTEM_PYTHON": SYSTEM_PYTHON,
               "MODEL": str(scene_model), "SPEECH": str(speech), "LISTENER": str(FIXTURES / "atspi_announcements.py"),
               "OUT": str(tmp_path)}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        result = subprocess.run(["dbus-run-session", "--", "bash", "-c", SCRIPT], env=env, capture_output=True,
                                text=True, timeout=180)
    lines = (tmp_path / "announcements.jsonl").read_text().splitlines()
    assert lines and lines[0] == "listening", (tmp_path / "listener.log").read_text()[-2000:]
    heard = [json.loads(line) for line in lines[1:]]
    said = [p.read_text().strip() for p in sorted(speech.glob("*.txt"))]
    debug = f"heard {heard}; said {said}; {result.stderr[-1000:]}"
    assert {"app": "seesay", "text": "Ready. Drop, paste or open a picture."} in heard, debug
    assert any(item["text"].startswith("Loading") for item in heard), debug
    problem = said[-1]  # the empty clipboard: the problem seesay said is also announced
    assert problem != "Ready. Drop, paste or open a picture." and {"app": "seesay", "text": problem} in heard, debug
