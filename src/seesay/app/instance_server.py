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

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from seesay.app.instance import is_command, server_name, someone_listens
from seesay.core import paths
from seesay.core.i18n import _

log = logging.getLogger("seesay.instance")
#: Longest command line, question included (a question of a few hundred words fits).
LINE_CAP = 8 * 1024
#: Connections served at once; more wait in the system's queue until one ends.
MAX_CONNECTIONS = 16
#: Accepted connections waiting for one of those.
PENDING_CAP = 4
#: Time a connection has to send its line.
IDLE_MS = 3000
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
        self._connections: set[QLocalSocket] = set()
        self._lock = InstanceLock()
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
    def _accept(self) -> None:
        while len(self._connections) < MAX_CONNECTIONS and self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            self._connections.add(connection)
            connection.setReadBufferSize(LINE_CAP + 1)
            timer = QTimer(connection)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda c=connection: self._end(c, abort=True))
            timer.start(IDLE_MS)
            connection.readyRead.connect(lambda c=connection: self._read(c))
            connection.disconnected.connect(lambda c=connection: self._end(c))
            self._read(connection)  # the line may have arrived with the connection

    def _read(self, connection: QLocalSocket) -> None:
        if connection not in self._connections:
            return
        if not connection.canReadLine():
            if connection.bytesAvailable() > LINE_CAP:
                log.warning("dropped a connection: its command was longer than %d bytes", LINE_CAP)
                self._end(connection, abort=True)
            return
        line = bytes(connection.readLine(LINE_CAP + 1).data())
        try:
            message = json.loads(line)
        except ValueError:
            message = None
        known = is_command(message)
        if not known:  # its text is neither logged, shown nor spoken
            log.warning("refused a command it does not know (%d bytes)", len(line))
        connection.readyRead.disconnect()
        connection.write(b"ok\n" if known else b"unknown\n")
        connection.disconnectFromServer()  # after the answer is written; then freed
        if known and message["command"] != "ping":  # ping: the answer proves the window's thread turns
            self.received.emit(message)

    def _end(self, connection: QLocalSocket, abort: bool = False) -> None:
        if connection not in self._connections:
            return
        self._connections.discard(connection)
        if abort:
            connection.abort()
        connection.deleteLater()
        if self._server.hasPendingConnections():
            QTimer.singleShot(0, self._accept)


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
