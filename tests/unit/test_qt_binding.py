"""The Qt binding itself must survive a long session.

PySide6 6.12.0 on Python 3.11 returns ``None`` from every Qt method without a result (QTimer.start,
QLocalSocket.setReadBufferSize, deleteLater…) without counting the reference, and signal
``disconnect()`` does the same with ``True``. Python 3.12 and later do not count references to
None and True, so nothing happens there; on 3.11 the count falls by one a call, and after a few
thousand calls Python aborts ("none_dealloc: deallocating None"). A running seesay makes several
such calls per command received, per status shown: it would abort within hours of use.
"""

from __future__ import annotations

import subprocess
import sys

CALLS = 50_000
PROBE = f"""
import sys
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
app = QCoreApplication([])
timer = QTimer()
for _ in range({CALLS}):
    timer.setInterval(5)  # a Qt method without a result

class Sender(QObject):
    ping = Signal()

sender = Sender()
for _ in range({CALLS}):
    sender.ping.connect(print)
    sender.ping.disconnect()
print("survived")
"""


def test_many_qt_calls_without_a_result_do_not_abort_python():
    run = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "survived" in run.stdout, (
        f"the Qt binding aborted Python after many calls (exit {run.returncode}): {run.stderr[-400:]}")
