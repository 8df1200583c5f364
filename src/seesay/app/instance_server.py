"""The running seesay's end of the command socket (the sender's end is ``instance``).

Anything may connect (any program this user runs), so each connection is held to one line of
at most ``LINE_CAP`` bytes, ``IDLE_MS`` to send it, and ``MAX_CONNECTIONS`` at once; it is closed
and freed after its answer. Unknown commands are refused to the sender, never shown or spoken.
A socket file is removed only after the live-check says nobody holds it, and the server
listens again when it finds itself closed (Qt closes it when accepting fails).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import time
from collections import Counter

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from seesay.app.instance import is_command, server_name, someone_listens
from seesay.core import paths
from seesay.core.i18n import _

log = logging.getLogger("seesay.instance")
#: Longest command line, question included (a question of a few hundred words fits).
LINE_CAP = 8 * 1024
#: Connections served at once; a newer one takes the place of the one idle longest.
MAX_CONNECTIONS = 16
#: Accepted connections waiting for one of those.
PENDING_CAP = 4
#: Time a connection has to send its line.
IDLE_MS = 3000
#: Refused connections are noted in the log at most this often.
LOG_EVERY_S = 10
#: How often the server checks that it still listens and its socket file is still there.
WATCH_MS = 2000


class InstanceServer(QObject):
    """Listens for commands; ``received`` carries each message (a dict) on the GUI thread."""

    received = Signal(dict)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        #: Why commands cannot reach this seesay (shown to the user), when ``listen`` fails.
        self.problem: str | None = None
        #: ``listen`` found another seesay holding the socket.
        self.other_is_running = False
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # Connections not yet taken (all MAX_CONNECTIONS busy): Qt stops accepting at this many, and
        # the rest wait in the system's queue, so a flood never runs the process out of file handles.
        self._server.setMaxPendingConnections(PENDING_CAP)
        self._server.newConnection.connect(self._accept)
        #: Each open connection, and when it must have sent its line.
        self._connections: dict[QLocalSocket, float] = {}
        self._answered: set[QLocalSocket] = set()
        self._closed: list[QLocalSocket] = []
        self._idle = QTimer(self)
        self._idle.timeout.connect(self._drop_idle)
        self._lock = InstanceLock()
        self._refused = RefusalTally()
        self._socket_id: tuple[int, int] | None = None
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._check_listening)

    # ---- listening --------------------------------------------------------------------------------
    def listen(self) -> bool:
        self.problem, self.other_is_running = None, False
        try:
            self.name = self.name or server_name()
        except paths.UnsafeFolderError as error:
            self.problem = f"{error.message} {error.hint}"
            return False
        if not self._listen():
            return False
        self._watch.start()
        atexit.register(self._remove_socket_file)  # also when the process ends without a clean quit
        return True

    def _listen(self) -> bool:
        """Qt's listen (with UserAccessOption) renames its socket over whatever file is at the path,
        a live seesay's socket included: so first make sure nobody holds it."""
        if not self._lock.acquire(self.name + ".lock"):
            return self._held_by_another()
        if sys.platform != "win32" and os.path.lexists(self.name):
            if someone_listens(self.name):  # a running seesay, however busy: never take its socket
                return self._held_by_another()
            if not _is_own_file(self.name):
                self.problem = _("seesay will not remove {path}: it is not its own socket.").format(path=self.name)
                return False
            os.unlink(self.name)  # left by a seesay that ended without a clean quit
        if self._server.listen(self.name):
            self._remember_socket()
            return True
        self.problem = _("Commands from other programs (seesay --describe …) cannot reach this seesay: its "
                         "local socket could not be opened ({reason}).").format(reason=self._server.errorString())
        return False

    def _held_by_another(self) -> bool:
        self.other_is_running = True
        self.problem = _("Another seesay is already running on this display.")
        return False

    def close(self) -> None:
        self._watch.stop()
        atexit.unregister(self._remove_socket_file)
        for connection in list(self._connections):
            self._end(connection, abort=True)
        self._server.close()
        self._socket_id = None
        self._lock.release()

    def _remember_socket(self) -> None:
        try:
            info = os.lstat(self.name)
            self._socket_id = (info.st_dev, info.st_ino)
        except OSError:  # a Windows pipe has no file
            self._socket_id = None

    def _socket_is_ours(self) -> bool:
        try:
            info = os.lstat(self.name)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) == self._socket_id

    def _remove_socket_file(self) -> None:
        """At exit: remove the socket file if it is still the one this server made."""
        if self._socket_id is not None and self._socket_is_ours():
            os.unlink(self.name)

    def _check_listening(self) -> None:
        if self._server.isListening() and (self._socket_id is None or self._socket_is_ours()):
            return
        log.warning("the command socket was closed or removed (%s); listening again", self._server.errorString())
        self._server.close()
        if self._socket_id is not None and self._socket_is_ours():
            os.unlink(self.name)
        self._socket_id = None
        if not self._listen():
            log.warning("listening again failed: %s", self.problem)

    # ---- connections ------------------------------------------------------------------------------
    # Slots are the server's own methods (the connection found by sender()), not a lambda per connection.
    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            if len(self._connections) >= MAX_CONNECTIONS and not self._make_room():
                break  # all answered, closing: the rest wait for them
            connection = self._server.nextPendingConnection()
            self._connections[connection] = time.monotonic() + IDLE_MS / 1000
            connection.setReadBufferSize(LINE_CAP + 1)
            connection.readyRead.connect(self._ready_read)
            connection.disconnected.connect(self._disconnected)
            self._read(connection)  # the line may have arrived with the connection
        if self._connections and not self._idle.isActive():
            self._idle.start(max(20, IDLE_MS // 4))

    def _make_room(self) -> bool:
        """Someone is waiting and all places are taken: the connection waiting longest for its line
        goes (a sender writes its line at once; one that holds a connection open is not a sender)."""
        oldest = next((c for c in self._connections if c not in self._answered), None)
        if oldest is not None:
            self._end(oldest, abort=True)
        return oldest is not None

    def _ready_read(self) -> None:
        self._read(self.sender())

    def _disconnected(self) -> None:
        self._end(self.sender())

    def _drop_idle(self) -> None:
        now = time.monotonic()
        for connection, deadline in list(self._connections.items()):
            if now >= deadline:
                self._end(connection, abort=True)
        if not self._connections:
            self._idle.stop()

    def _read(self, connection: QLocalSocket) -> None:
        if connection not in self._connections or connection in self._answered:
            return
        if not connection.canReadLine():
            if connection.bytesAvailable() > LINE_CAP:
                self._refused.add(f"longer than {LINE_CAP} bytes")
                self._end(connection, abort=True)
            return
        line = bytes(connection.readLine(LINE_CAP + 1).data())
        try:
            message = json.loads(line)
        except ValueError:
            message = None
        known = is_command(message)
        if not known:  # its text is neither logged, shown nor spoken
            self._refused.add("unknown command")
        self._answered.add(connection)
        connection.write(b"ok\n" if known else b"unknown\n")
        connection.disconnectFromServer()  # after the answer is written; then freed
        if known and message["command"] != "ping":  # ping: the answer proves the window's thread turns
            self.received.emit(message)

    def _end(self, connection: QLocalSocket, abort: bool = False) -> None:
        if self._connections.pop(connection, None) is None:
            return
        self._answered.discard(connection)
        if abort:
            connection.abort()
        # deleteLater freed the connection but not its Python object: the server's Python object keeps
        # one for each connection it made. Without a parent it is Python's, freed (with the connection)
        # when the last reference goes, on the next turn of the loop: not inside its own signal.
        connection.setParent(None)
        self._closed.append(connection)
        if len(self._closed) == 1:
            QTimer.singleShot(0, self._free_closed)
        if self._server.hasPendingConnections():
            QTimer.singleShot(0, self._accept)

    def _free_closed(self) -> None:
        self._closed.clear()


class RefusalTally:
    """Counts refused connections and notes them in the log at most every ``LOG_EVERY_S``: a flood
    must not fill the log, or spend the window's time writing it."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._noted = -LOG_EVERY_S

    def add(self, reason: str) -> None:
        self.counts[reason] += 1
        if time.monotonic() - self._noted >= LOG_EVERY_S:
            self._noted = time.monotonic()
            log.warning("refused connections: %s", ", ".join(f"{n} {why}" for why, n in self.counts.items()))
            self.counts.clear()


class InstanceLock:
    """A lock file beside the socket, held while this seesay runs: the system lets it go when the
    process ends however it ends, so two seesays starting at once cannot both take the socket."""

    def __init__(self) -> None:
        self._handle: int | None = None

    def acquire(self, path: str) -> bool:
        if self._handle is not None or sys.platform == "win32":
            return True
        import fcntl

        handle = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(handle)
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None


def _is_own_file(path: str) -> bool:
    try:
        return os.lstat(path).st_uid == os.getuid()
    except OSError:
        return False
