"""The worker thread runs below normal priority, so a caption never makes the screen reader wait.

Called on the worker thread before it loads or runs a model. Each platform lowers just that
thread, not the process: the GUI thread (and the keyboard hook, where there is one) keeps its
normal priority, so keys and the window stay quick.

- Linux: every thread has its own nice value; ``setpriority`` on the thread's native id sets it
  to ``NICE`` (raising one's own nice needs no privilege). Threads started by the worker thread
  inherit it: torch's OpenMP threads and Tesseract's are created by the thread that first runs a
  parallel region, which is the worker. Nice weighs threads within one scheduling group: with
  autogroups or systemd's per-application cgroups, the desktop decides how groups share the CPU.
- macOS: the thread's quality-of-service class is set to "utility" (``pthread_set_qos_class_self_np``),
  the documented way to ask for below-normal CPU priority there (nice is per process on macOS).
  Threads it starts inherit the class. Written against Apple's documentation; not run here.
- Windows: ``SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL)``. Threads on
  Windows do not inherit their creator's priority, so torch's own pool threads stay at normal
  priority; leaving a core free (``vision.device.model_threads``) is what protects the screen
  reader there. Written against the documented API; not run here.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger("seesay.priority")

#: Linux/macOS nice value for the worker: clearly below normal (0), still above idle-only work (19).
NICE = 10
QOS_CLASS_UTILITY = 0x11  # <sys/qos.h>
THREAD_PRIORITY_BELOW_NORMAL = -1  # <winbase.h>


def lower_this_thread() -> bool:
    """Lower the calling thread's CPU priority; False (and a log line) when the platform refused."""
    try:
        if sys.platform.startswith("linux"):
            thread = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, thread, max(NICE, os.getpriority(os.PRIO_PROCESS, thread)))
            return True
        if sys.platform == "darwin":
            import ctypes

            system = ctypes.CDLL("/usr/lib/libSystem.dylib")
            return system.pthread_set_qos_class_self_np(QOS_CLASS_UTILITY, 0) == 0
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            return bool(kernel32.SetThreadPriority(kernel32.GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL))
    except (OSError, AttributeError) as error:
        log.warning("the worker thread's priority could not be lowered: %s", error)
    return False


def describe_worker_priority() -> str:
    """How the worker thread's priority is set on this platform, in words (for ``seesay doctor``)."""
    from seesay.core.i18n import _

    if sys.platform.startswith("linux"):
        return _("below normal (nice {nice})").format(nice=NICE)
    if sys.platform == "darwin":
        return _("below normal (utility quality of service)")
    if sys.platform == "win32":
        return _("below normal (thread priority)")
    return _("normal")
