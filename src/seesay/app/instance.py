"""One running seesay per user; commands from other processes arrive over a local socket.

``seesay --describe screen`` (bound to an OS shortcut, which is how Wayland users and anyone
who prefers their desktop's key settings drive seesay) connects to the running app and hands
over the command; if none runs, that process becomes the app. One JSON object per line.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import re
import socket
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket  # noqa: F401 (QLocalSocket: type)

log = logging.getLogger("seesay.instance")
CONNECT_TIMEOUT_MS = 1000


def server_name() -> str:
    """Per user and per display: a Unix socket path, or a Windows pipe name."""
    if sys.platform == "win32":
        try:
            user = getpass.getuser()
        except Exception:  # no user name in the environment
            user = "user"
        return f"seesay-{user}"
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or "console"
    runtime = os.environ.get("XDG_RUNTIME_DIR") or os.path.join(tempfile.gettempdir(), f"seesay-{os.getuid()}")
    folder = Path(runtime) / "seesay"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return str(folder / ("instance-" + re.sub(r"[^A-Za-z0-9.]", "_", display) + ".sock"))


def send_to_running(message: dict, name: str | None = None) -> bool:
    """Deliver ``message`` to the running seesay; False when none is running. Needs no Qt."""
    name = name or server_name()
    payload = (json.dumps(message) + "\n").encode()
    try:
        if sys.platform == "win32":
            with open(rf"\\.\pipe\{name}", "r+b", buffering=0) as pipe:
                pipe.write(payload)
                return pipe.read(3).strip() == b"ok"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(CONNECT_TIMEOUT_MS / 1000)
            client.connect(name)
            client.sendall(payload)
            client.settimeout(5)
            return client.recv(16).strip() == b"ok"
    except OSError:  # nobody listening (refused, missing socket file), or it went away
        return False


class InstanceServer(QObject):
    """Listens for commands; ``received`` carries each message (a dict) on the GUI thread."""

    received = Signal(dict)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # a stale socket left by a crash
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda socket=socket: self._read(socket))

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data()).strip()
            try:
                message = json.loads(line)
            except ValueError:
                log.warning("ignored a malformed command: %r", line[:100])
                continue
            if isinstance(message, dict):
                socket.write(b"ok\n")
                socket.flush()
                self.received.emit(message)

