"""What a screen reader sees: the window's controls read and pressed through AT-SPI (Linux).

The app runs under Xvfb in its own D-Bus session with the AT-SPI bus; Debian's python3-pyatspi
(``fixtures/atspi_probe.py``) reads names, descriptions and actions, and presses a button."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.desktop import xvfb
from fixtures.scenes import Scene, draw_scene

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
SYSTEM_PYTHON = "/usr/bin/python3"

#: Each step that fails is named on stderr and makes the script fail; everything it started is
#: ended by its PID. seesay quits cleanly on SIGTERM (status 0), as on Quit.
SCRIPT = r"""
set -u
status=0
failed() { echo "failed: $1" >&2; status=1; }
"$LAUNCHER" --launch-immediately >/dev/null 2>&1 &
launcher=$!
"$APP_PYTHON" -m seesay --model "$MODEL" --speech-output silent --speech-dir "$SPEECH" >"$OUT/app.log" 2>&1 &
app=$!
for _ in $(seq 100); do grep -qs "Ready" "$SPEECH"/*.txt && break; sleep 0.2; done
"$SYSTEM_PYTHON" "$PROBE" dump seesay > "$OUT/tree.json" || failed "atspi_probe dump ($?)"
xclip -quiet -loops 1 -selection clipboard -t image/png -i "$SCENE" >/dev/null 2>&1 &
clip=$!  # -quiet: xclip stays in the foreground, so it is ended by its PID
sleep 0.3
"$SYSTEM_PYTHON" "$PROBE" press seesay "Paste image" > "$OUT/press.txt" || failed "atspi_probe press ($?)"
for _ in $(seq 100); do grep -qs "$CAPTION" "$SPEECH"/*.txt && break; sleep 0.2; done
kill $app $launcher
wait $app || failed "seesay ended with status $?"
wait $launcher 2>/dev/null
kill $clip 2>/dev/null
wait $clip 2>/dev/null
exit $status
"""


def test_controls_are_named_described_and_pressable_through_atspi(scene_model, tmp_path):
    needed = [LAUNCHER, SYSTEM_PYTHON, shutil.which("dbus-run-session"), shutil.which("xclip")]
    if not all(needed) or subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True).returncode:
        pytest.fail("AT-SPI tools are missing: run scripts/setup.sh (at-spi2-core, python3-pyatspi, dbus)")
    scene = Scene("red", "triangle", "black")
    draw_scene(scene, (640, 480), random.Random(3)).save(tmp_path / "scene.png")
    with xvfb() as display:
        env = {**os.environ, "DISPLAY": display, "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "QT_QPA_PLATFORM": "xcb",
               "LAUNCHER": LAUNCHER, "APP_PYTHON": sys.executable, "SYSTEM_PYTHON": SYSTEM_PYTHON,
               "MODEL": str(scene_model), "SPEECH": str(tmp_path / "speech"), "PROBE": str(FIXTURES / "atspi_probe.py"),
               "OUT": str(tmp_path), "SCENE": str(tmp_path / "scene.png"), "CAPTION": scene.caption}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        result = subprocess.run(["dbus-run-session", "--", "bash", "-c", SCRIPT], env=env, capture_output=True,
                                text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    tree = json.loads((tmp_path / "tree.json").read_text())
    by_name = {}
    for node in tree:
        if node["name"] and node["role"] != "label" or node["name"] == "Status":
            by_name.setdefault(node["name"], node)
    for name in ("Open image…", "Paste image", "Copy description", "Speak again", "Stop speaking", "Settings…",
                 "Quit"):
        node = by_name[name]
        assert node["role"] == "push button" and node["focusable"] and "Press" in node["actions"]
        assert "Shortcut:" in node["description"]
    assert by_name["Description"]["role"] == "text" and by_name["Description"]["focusable"]
    assert by_name["History"]["description"].startswith("Earlier descriptions")
    assert by_name["Status"]["description"] == "Ready. Drop, paste or open a picture."
    assert (tmp_path / "press.txt").read_text().strip() == "pressed Paste image", result.stderr[-2000:]
    transcripts = [p.read_text().strip() for p in sorted((tmp_path / "speech").glob("*.txt"))]
    assert scene.caption in transcripts, result.stderr[-2000:]


FOCUS_SCRIPT = r"""
set -u
status=0
failed() { echo "failed: $1" >&2; status=1; }
"$LAUNCHER" --launch-immediately >/dev/null 2>&1 &
launcher=$!
openbox >/dev/null 2>&1 &
wm=$!
for _ in $(seq 100); do xprop -root _NET_SUPPORTING_WM_CHECK | grep -q "window id #" && break; sleep 0.1; done
"$APP_PYTHON" "$SHOW" "$FOCUSED" "$OTHER" >"$OUT/shown.txt" 2>&1 &
shown=$!
"$APP_PYTHON" -m seesay --model "$MODEL" --speech-output silent --speech-dir "$SPEECH" >"$OUT/app.log" 2>&1 &
app=$!
for _ in $(seq 150); do grep -qs "Ready" "$SPEECH"/*.txt && grep -qs shown "$OUT/shown.txt" && break; sleep 0.2; done
sleep 0.5
"$APP_PYTHON" -m seesay --describe focus || failed "seesay --describe focus ($?)"
for _ in $(seq 100); do grep -qs "$CAPTION" "$SPEECH"/*.txt && break; sleep 0.2; done
kill $shown
wait $shown
sleep 1  # not a double press
"$APP_PYTHON" -m seesay --describe focus || failed "seesay --describe focus, second ($?)"
for _ in $(seq 100); do grep -qs "No element with keyboard focus" "$SPEECH"/*.txt && break; sleep 0.2; done
kill $app $wm $launcher
wait $app || failed "seesay ended with status $?"
wait $wm $launcher 2>/dev/null
exit $status
"""


def test_the_focused_element_is_described_and_nothing_else(scene_model, tmp_path):
    """A window with a text, an entry, a button and two pictures; the picture with keyboard focus is
    found through AT-SPI, captured exactly, and said with its role and name. With no focus to be
    found, the area under the mouse is described, and why is said first."""
    if not all((Path(LAUNCHER).exists(), shutil.which("dbus-run-session"), shutil.which("openbox"))):
        pytest.fail("AT-SPI tools are missing: run scripts/setup.sh (at-spi2-core, dbus, openbox)")
    focused, other = Scene("red", "circle", "white"), Scene("blue", "square", "black")
    draw_scene(focused, (320, 240), random.Random(5)).save(tmp_path / "focused.png")
    draw_scene(other, (320, 240), random.Random(6)).save(tmp_path / "other.png")
    with xvfb() as display:
        env = {**os.environ, "DISPLAY": display, "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "QT_QPA_PLATFORM": "xcb",
               "LAUNCHER": LAUNCHER, "APP_PYTHON": sys.executable, "MODEL": str(scene_model),
               "SPEECH": str(tmp_path / "speech"), "SHOW": str(FIXTURES / "show_focus.py"), "OUT": str(tmp_path),
               "FOCUSED": str(tmp_path / "focused.png"), "OTHER": str(tmp_path / "other.png"),
               "CAPTION": focused.caption}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        result = subprocess.run(["dbus-run-session", "--", "bash", "-c", FOCUS_SCRIPT], env=env,
                                capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, (result.stderr[-2000:], (tmp_path / "app.log").read_text()[-2000:])
    transcripts = [p.read_text().strip() for p in sorted((tmp_path / "speech").glob("*.txt"))]
    at = next((index for index, t in enumerate(transcripts) if "team photo" in t), None)
    # said in parts, the element's role and name at once, its caption once made (first word first)
    heard = " ".join(transcripts[at:at + 2]) if at is not None else None
    assert heard == f"Image, team photo: {focused.caption}", (transcripts, result.stderr[-2000:],
                                                               (tmp_path / "app.log").read_text()[-2000:])
    assert other.caption not in " ".join(transcripts)  # the other picture in the window is not described
    fallback = next((t for t in transcripts if "No element with keyboard focus" in t), None)
    assert fallback is not None and "area under the mouse is described instead" in fallback, transcripts
