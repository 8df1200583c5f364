"""The focused window and monitor under sway (and other wlroots compositors that speak i3's IPC), from the
compositor's tree: on Wayland no other program can ask where the active window is.

sway sets ``SWAYSOCK`` for the programs it starts. The tree gives each window's title, program and
rectangle in layout coordinates; the caller scales that to the screenshot's pixels.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import struct

from seesay.capture.base import Rect
from seesay.capture.windows import ActiveWindow

log = logging.getLogger("seesay.capture")

MAGIC = b"i3-ipc"
GET_OUTPUTS = 3
GET_TREE = 4
TIMEOUT = 1.0
MAX_REPLY = 16 * 1024 * 1024


def sway_focused_window(socket_path: str | None = None) -> tuple[ActiveWindow, int, Rect] | None:
    """The focused window, its program's PID and the whole layout's rectangle; None when there is no
    sway here, nothing is focused, or the compositor does not answer."""
    path = socket_path or os.environ.get("SWAYSOCK") or os.environ.get("I3SOCK")
    if not path:
        return None
    try:
        tree = _ask(path, GET_TREE)
    except (OSError, ValueError) as error:
        log.info("sway window lookup failed: %s", type(error).__name__)
        return None
    focused = _find_focused(tree)
    if focused is None:
        return None
    rect, layout = _rect(focused.get("rect") or {}), _rect(tree.get("rect") or {})
    app = focused.get("app_id") or (focused.get("window_properties") or {}).get("class") or ""
    window = ActiveWindow(id=int(focused.get("id", 0)), rect=rect, title=str(focused.get("name") or ""),
                          app_name=str(app))
    return window, int(focused.get("pid") or 0), layout


def sway_focused_output(socket_path: str | None = None) -> tuple[Rect, Rect] | None:
    """The focused output (monitor) and the rectangle around all active ones, in layout coordinates; None
    when there is no sway here or it does not answer."""
    path = socket_path or os.environ.get("SWAYSOCK") or os.environ.get("I3SOCK")
    if not path:
        return None
    try:
        outputs = [output for output in _ask(path, GET_OUTPUTS) if output.get("active")]
    except (OSError, ValueError) as error:
        log.info("sway output lookup failed: %s", type(error).__name__)
        return None
    rects = {output.get("name"): _rect(output.get("rect") or {}) for output in outputs}
    focused = next((output.get("name") for output in outputs if output.get("focused")), None)
    if focused is None or not rects:
        return None
    left, top = min(r.left for r in rects.values()), min(r.top for r in rects.values())
    right = max(r.left + r.width for r in rects.values())
    bottom = max(r.top + r.height for r in rects.values())
    return rects[focused], Rect(left, top, right - left, bottom - top)


def _rect(box: dict) -> Rect:
    return Rect(int(box.get("x", 0)), int(box.get("y", 0)), int(box.get("width", 0)), int(box.get("height", 0)))


def _find_focused(tree: dict) -> dict | None:
    stack = [tree]
    while stack:
        node = stack.pop()
        if node.get("focused") and node.get("type") in ("con", "floating_con"):
            return node
        stack.extend(node.get("nodes") or [])
        stack.extend(node.get("floating_nodes") or [])
    return None


def _ask(path: str, kind: int):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(TIMEOUT)
        connection.connect(path)
        connection.sendall(MAGIC + struct.pack("=II", 0, kind))
        header = _read(connection, len(MAGIC) + 8)
        if not header.startswith(MAGIC):
            raise ValueError("not an i3 IPC answer")
        length, _kind = struct.unpack("=II", header[len(MAGIC):])
        if length > MAX_REPLY:
            raise ValueError("answer too long")
        return json.loads(_read(connection, length))


def _read(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ValueError("connection closed")
        data += chunk
    return data
