"""The focused window under sway (and other wlroots compositors that speak i3's IPC), from the
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
    box = focused.get("rect") or {}
    rect = Rect(int(box.get("x", 0)), int(box.get("y", 0)), int(box.get("width", 0)), int(box.get("height", 0)))
    whole = tree.get("rect") or {}
    layout = Rect(int(whole.get("x", 0)), int(whole.get("y", 0)), int(whole.get("width", 0)),
                  int(whole.get("height", 0)))
    app = focused.get("app_id") or (focused.get("window_properties") or {}).get("class") or ""
    window = ActiveWindow(id=int(focused.get("id", 0)), rect=rect, title=str(focused.get("name") or ""),
                          app_name=str(app))
    return window, int(focused.get("pid") or 0), layout


def _find_focused(tree: dict) -> dict | None:
    stack = [tree]
    while stack:
        node = stack.pop()
        if node.get("focused") and node.get("type") in ("con", "floating_con"):
            return node
        stack.extend(node.get("nodes") or [])
        stack.extend(node.get("floating_nodes") or [])
    return None


def _ask(path: str, kind: int) -> dict:
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
