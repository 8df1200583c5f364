"""One running seesay per user; commands from other processes arrive over a local socket.

``seesay --describe screen`` (bound to an OS shortcut, which is how Wayland users and anyone
who prefers their desktop's key settings drive seesay) connects to the running app and hands
over the command; if none runs, that process becomes the app. One JSON object per line, one
line per connection; the app answers ``ok`` (taken) or ``unknown`` (refused).

The socket lives in a private folder (``paths.runtime_dir``). Whatever connects is held to a
short line, a few seconds and a few connections at once, so no sender can freeze the window or
grow its memory; the server listens again if it is ever closed under it.
"""

from __future__ import annotations

import enum
import getpass
import json
import os
import re
import socket
import stat
import sys

from seesay.capture.base import KINDS
from seesay.core import paths

CONNECT_TIMEOUT_MS = 1000
#: How long a sender waits for the answer before it leaves the command with a busy seesay.
ANSWER_TIMEOUT_S = 5
#: Commands that reach the window; "ping" is answered by the server itself.
COMMANDS = ("describe", "ask", "stop", "repeat", "copy", "show")
#: Longest text a rectangle ("X,Y,W,H") or its label may have.
FIELD_CAP = {"rect": 64, "label": 300, "kind": 16}


class Delivery(enum.Enum):
    TAKEN = "taken"  # the running seesay answered: it has the command
    WAITING = "waiting"  # a seesay holds the socket but has not answered yet: busy, the command waits for it
    REFUSED = "refused"  # it answered that it does not know this command
    NOT_RUNNING = "not running"  # nobody holds the socket (no file, or nobody listening on it)


def server_name() -> str:
    """Per user and per display: a Unix socket path in a private folder, or a Windows pipe name.
    Raises ``paths.UnsafeFolderError`` when that folder is not private to this user."""
    if sys.platform == "win32":
        try:
            user = getpass.getuser()
        except Exception:  # no user name in the environment
            user = "user"
        return f"seesay-{user}"
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or "console"
    return str(paths.runtime_dir() / ("instance-" + re.sub(r"[^A-Za-z0-9.]", "_", display) + ".sock"))


def is_command(message: object) -> bool:
    """A message the window knows: a known command with fields of the right kind and size."""
    if not isinstance(message, dict) or message.get("command") not in (*COMMANDS, "ping"):
        return False
    for key, cap in FIELD_CAP.items():
        value = message.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > cap):
            return False
    if message["command"] == "describe" and message.get("kind") not in (*KINDS, "rect"):
        return False
    return isinstance(message.get("question", ""), str)


def deliver(message: dict, name: str | None = None) -> Delivery:
    """Hand ``message`` to the running seesay. Needs no Qt.

    Only "nobody listens on the socket" is NOT_RUNNING: a seesay too busy to answer in time
    still holds its socket, and the command waits there for it (WAITING)."""
    name = name or server_name()
    payload = (json.dumps(message) + "\n").encode()
    if sys.platform == "win32":
        try:
            with open(rf"\\.\pipe\{name}", "r+b", buffering=0) as pipe:
                pipe.write(payload)
                return _delivery(pipe.read(16))
        except OSError:
            return Delivery.NOT_RUNNING
    if not _is_own_socket(name):
        return Delivery.NOT_RUNNING
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(CONNECT_TIMEOUT_MS / 1000)
        try:
            client.connect(name)
        except (FileNotFoundError, ConnectionRefusedError):
            return Delivery.NOT_RUNNING  # no socket, or a socket file left by a seesay that ended
        except OSError:  # a full queue (flooded) or a slow machine: someone holds it
            return Delivery.WAITING
        try:
            client.sendall(payload)
            client.settimeout(ANSWER_TIMEOUT_S)
            return _delivery(client.recv(16))
        except OSError:
            return Delivery.WAITING


def send_to_running(message: dict, name: str | None = None) -> bool:
    """Deliver ``message``; False when no seesay is running (or it refused the command)."""
    return deliver(message, name) in (Delivery.TAKEN, Delivery.WAITING)


def _delivery(answer: bytes) -> Delivery:
    answer = answer.strip()
    if answer == b"ok":
        return Delivery.TAKEN
    return Delivery.REFUSED if answer == b"unknown" else Delivery.WAITING


def _is_own_socket(name: str) -> bool:
    """A socket file of this user's (in a private folder, so this only guards against mistakes)."""
    try:
        info = os.lstat(name)
    except OSError:
        return False
    return stat.S_ISSOCK(info.st_mode) and info.st_uid == os.getuid()


def someone_listens(name: str) -> bool:
    """The live-check before a socket file is removed: a seesay that holds it, however busy it is,
    accepts the connection (the system queues it); only a file nobody listens on is refused."""
    if sys.platform == "win32":
        return deliver({"command": "ping"}, name) is not Delivery.NOT_RUNNING
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(CONNECT_TIMEOUT_MS / 1000)
        try:
            client.connect(name)
        except (FileNotFoundError, ConnectionRefusedError):
            return False
        except OSError:
            return True
        try:
            client.sendall(b'{"command": "ping"}\n')
        except OSError:
            pass
        return True


def __getattr__(name: str):
    """``InstanceServer`` (in ``instance_server``) needs Qt; a sender imports this module without it."""
    if name == "InstanceServer":
        from seesay.app.instance_server import InstanceServer

        return InstanceServer
    raise AttributeError(name)
