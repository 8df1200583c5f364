"""The command socket against hostile or careless senders (any program of this user may connect):
long lines, endless lines, idle connections, floods, unknown commands, a server closed under it,
and a busy seesay that must never be taken for a dead one. Real QLocalServer, real sockets."""

from __future__ import annotations

import gc
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import seesay

SERVER = Path(__file__).resolve().parents[1] / "fixtures" / "command_server.py"
SOURCE = Path(seesay.__file__).resolve().parents[1]  # the seesay under test, for the processes started


@pytest.fixture
def qapp(monkeypatch, tmp_path):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setenv("DISPLAY", ":55")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


@pytest.fixture
def server(qapp):
    from seesay.app.instance import InstanceServer

    server = InstanceServer()
    assert server.listen(), server.problem
    server.messages = []
    server.received.connect(server.messages.append)
    yield server
    server.close()


def run_events_while(thread: threading.Thread, timeout: float = 10) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    deadline = time.monotonic() + timeout
    while thread.is_alive() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        thread.join(0.005)
    assert not thread.is_alive(), "the sender never finished"


def in_thread(function, *args):
    """Run ``function`` on a thread while the GUI thread turns; returns what it returned (or raised)."""
    result = {}

    def run():
        try:
            result["value"] = function(*args)
        except Exception as error:  # handed back to the test
            result["value"] = error

    thread = threading.Thread(target=run)
    thread.start()
    run_events_while(thread)
    return result["value"]


def talk(name: str, payload: bytes, linger: float = 0.0, timeout: float = 4.0) -> bytes:
    """Send ``payload``; return what the server answers before it closes (b"" when it just closes)."""
    with socket.socket(socket.AF_UNIX) as client:
        client.settimeout(timeout)
        client.connect(name)
        try:
            client.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            return b""
        time.sleep(linger)
        answer = b""
        try:
            while chunk := client.recv(4096):
                answer += chunk
        except ConnectionResetError:
            pass
        return answer


def test_a_known_command_is_taken_and_answered(server):
    answer = in_thread(talk, server.name, b'{"command": "describe", "kind": "screen"}\n')
    assert answer == b"ok\n"
    assert server.messages == [{"command": "describe", "kind": "screen"}]


@pytest.mark.parametrize("size", [100_000, 1_000_000])
def test_a_long_line_drops_the_connection_and_nothing_reaches_the_window(server, size):
    question = "a" * size
    line = json.dumps({"command": "ask", "question": question}).encode() + b"\n"
    answer = in_thread(talk, server.name, line)
    assert answer == b""  # dropped, not answered
    assert server.messages == []
    assert in_thread(talk, server.name, b'{"command": "stop"}\n') == b"ok\n"  # and the next one is served


def test_a_line_that_never_ends_is_not_kept_in_memory(server):
    def endless(name):
        with socket.socket(socket.AF_UNIX) as client:
            client.settimeout(4)
            client.connect(name)
            sent = 0
            try:
                while sent < 50_000_000:
                    sent += client.send(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                return sent  # the server hung up
            except socket.timeout:
                return -sent  # the server stopped reading but kept the connection
            return -sent

    sent = in_thread(endless, server.name)
    assert 0 < sent < 5_000_000
    assert server.messages == []


def test_unknown_commands_are_refused_without_their_text(server):
    for line in (b'{"command": "Falcon merger plan"}\n', b'{"command": "describe", "kind": "secret"}\n',
                 b'["not", "a", "command"]\n', b"plain words from a stranger\n",
                 b'{"command": "describe", "kind": "rect", "rect": 5}\n'):
        assert in_thread(talk, server.name, line) == b"unknown\n"
    assert server.messages == []


def test_an_idle_connection_is_closed(server, monkeypatch):
    from seesay.app import instance_server

    monkeypatch.setattr(instance_server, "IDLE_MS", 200)
    started = time.monotonic()
    assert in_thread(talk, server.name, b'{"command": "st', 0, 5) == b""
    assert time.monotonic() - started < 3


def test_each_connection_is_freed_after_its_answer(server):
    from PySide6.QtNetwork import QLocalSocket

    def python_objects():
        from PySide6.QtCore import QCoreApplication

        QCoreApplication.processEvents()  # the last one is freed on the loop's next turn
        gc.collect()
        return sum(isinstance(o, QLocalSocket) for o in gc.get_objects())

    before = python_objects()
    for _ in range(30):
        assert in_thread(talk, server.name, b'{"command": "ping"}\n') == b"ok\n"
    assert server.findChildren(QLocalSocket) == []  # the connections
    assert python_objects() <= before  # and their Python objects (each kept 1 KB, for good)
    assert server.messages == []  # a ping is answered, not handed to the window


def test_the_server_listens_again_when_its_socket_file_is_removed(server, monkeypatch):
    from PySide6.QtCore import QCoreApplication

    from seesay.app.instance import send_to_running

    os.unlink(server.name)  # as a cleaner of /tmp, or an old seesay, would
    server._check_listening()  # what its timer does every few seconds
    QCoreApplication.processEvents()
    assert Path(server.name).exists()
    assert in_thread(send_to_running, {"command": "repeat"}) is True
    assert server.messages == [{"command": "repeat"}]


def test_the_server_listens_again_when_qt_closes_it(server):
    from seesay.app.instance import send_to_running

    server._server.close()  # what Qt does when accepting a connection fails (out of file handles)
    server._check_listening()
    assert in_thread(send_to_running, {"command": "copy"}) is True


# ---- other processes ----------------------------------------------------------------------------
def start_server(env: dict, *flags: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, str(SERVER), *flags], env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "listening"
    return process


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()  # by its PID
    process.wait(10)


@pytest.fixture
def env(tmp_path):
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    return {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "DISPLAY": ":56", "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": f"{SOURCE}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


def socket_path(env: dict) -> Path:
    return Path(env["XDG_RUNTIME_DIR"]) / "seesay" / "instance-_56.sock"


def test_a_busy_seesay_is_not_taken_for_a_dead_one(env, qapp, monkeypatch):
    """The window is busy for 12 s; a second start must neither delete its socket nor listen itself."""
    for key in ("XDG_RUNTIME_DIR", "DISPLAY"):
        monkeypatch.setenv(key, env[key])
    busy = start_server(env, "--busy", "12")
    try:
        path = socket_path(env)
        before = os.lstat(path).st_ino
        from seesay.app.instance import Delivery, InstanceServer, deliver

        assert deliver({"command": "repeat"}) is Delivery.WAITING  # not NOT_RUNNING
        second = InstanceServer()
        assert second.listen() is False
        assert second.other_is_running
        assert os.lstat(path).st_ino == before
        second.close()
        assert os.lstat(path).st_ino == before
        assert json.loads(busy.stdout.readline()) == {"command": "repeat"}  # it got the command once free
    finally:
        stop_server(busy)


def test_seesay_repeat_with_a_busy_seesay_does_not_start_another(env):
    busy = start_server(env, "--busy", "20")
    try:
        started = time.monotonic()
        second = subprocess.run([sys.executable, "-m", "seesay", "--repeat"], env=env, capture_output=True,
                                text=True, timeout=30)
        assert second.returncode == 0, second.stderr
        assert "not running" not in second.stderr
        assert time.monotonic() - started < 15
        assert socket_path(env).exists()
    finally:
        stop_server(busy)


def test_a_socket_left_by_a_seesay_that_was_killed_is_replaced(env, qapp, monkeypatch):
    for key in ("XDG_RUNTIME_DIR", "DISPLAY"):
        monkeypatch.setenv(key, env[key])
    killed = start_server(env)
    stop_server(killed)  # SIGKILL: no clean quit, the socket file stays
    assert socket_path(env).exists()
    from seesay.app.instance import InstanceServer, send_to_running

    assert send_to_running({"command": "show"}) is False
    server = InstanceServer()
    try:
        assert server.listen(), server.problem
        assert in_thread(send_to_running, {"command": "show"}) is True
    finally:
        server.close()
    assert not socket_path(env).exists()  # a clean close removes it


def test_a_flood_of_held_connections_does_not_close_the_server(env):
    """A desktop's 1024 open files: 1,100 held connections made Qt close the server and delete its socket."""
    server = start_server(env, "--files", "1024")
    held = []
    try:
        deadline = time.monotonic() + 8
        while len(held) < 1100 and time.monotonic() < deadline:
            client = socket.socket(socket.AF_UNIX)
            client.setblocking(False)
            try:
                client.connect(str(socket_path(env)))
                held.append(client)
            except (BlockingIOError, FileNotFoundError, ConnectionRefusedError):
                client.close()  # the system's queue is full (the rest wait), or the server is gone
                time.sleep(0.01)
        time.sleep(1)
        for client in held:
            client.close()
        held.clear()
        from seesay.app.instance import Delivery, deliver

        deadline = time.monotonic() + 20
        while deliver({"command": "stop"}, str(socket_path(env))) is not Delivery.TAKEN:
            assert time.monotonic() < deadline, "the server never answered again"
            time.sleep(0.2)
        assert socket_path(env).exists()
        assert json.loads(server.stdout.readline()) == {"command": "stop"}
    finally:
        for client in held:
            client.close()
        stop_server(server)
