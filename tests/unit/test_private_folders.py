"""Folders and files seesay makes are private: another user on the machine can neither read them
nor slip their own socket in. The attacker runs as a real other user (nobody) where root allows."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

NOBODY = 65534
needs_root = pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0 or not shutil.which("setpriv"),
                                reason="runs the attacker as another user: needs root and setpriv")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def shared_tmp(monkeypatch):
    """A stand-in for /tmp (sticky, writable by all) that tempfile uses, with XDG_RUNTIME_DIR unset."""
    folder = Path(tempfile.mkdtemp(prefix="seesay-test-tmp-", dir="/tmp"))
    folder.chmod(0o1777)
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("DISPLAY", ":77")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_the_fallback_runtime_folder_is_private(shared_tmp):
    from seesay.app.instance import server_name

    name = Path(server_name())
    own = shared_tmp / f"seesay-{os.getuid()}"
    assert name.is_relative_to(own)
    for folder in (own, *[p for p in name.parents if p.is_relative_to(own)]):
        assert mode(folder) == 0o700, folder
        assert os.lstat(folder).st_uid == os.getuid()


def test_an_old_runtime_folder_of_ours_that_others_could_read_is_made_private(shared_tmp):
    from seesay.app.instance import server_name

    own = shared_tmp / f"seesay-{os.getuid()}"
    own.mkdir(mode=0o755)
    own.chmod(0o755)  # as seesay made it before
    server_name()
    assert mode(own) == 0o700


def test_a_runtime_folder_others_may_write_in_is_refused(shared_tmp):
    from seesay.app.instance import InstanceServer, server_name
    from seesay.core.paths import UnsafeFolderError

    own = shared_tmp / f"seesay-{os.getuid()}"
    own.mkdir()
    own.chmod(0o777)  # anyone could have put a socket or a link in it
    with pytest.raises(UnsafeFolderError) as refused:
        server_name()
    assert str(own) in refused.value.message and refused.value.hint
    assert mode(own) == 0o777  # left as it is: not ours to trust


ATTACKER = textwrap.dedent("""
    import os, socket, sys
    path, record = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    os.chmod(path, 0o777)
    server.listen(5)
    print("listening", flush=True)
    while True:
        client, _ = server.accept()
        data = client.recv(65536)
        with open(record, "ab") as out:
            out.write(data)
        client.sendall(b"ok\\n")
        client.close()
""")


@needs_root
def test_another_user_who_made_the_runtime_folder_first_receives_nothing(shared_tmp, qapp):
    """The attack from the audit: nobody makes /tmp/seesay-<uid>/ in advance and listens on the socket."""
    from seesay.app import instance
    from seesay.core.paths import UnsafeFolderError

    folder = shared_tmp / f"seesay-{os.getuid()}" / "seesay"
    path = folder / "instance-_77.sock"
    record = shared_tmp / "stolen"
    record.touch()
    record.chmod(0o666)
    attacker = subprocess.Popen(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                                 sys.executable, "-c", ATTACKER, str(path), str(record)],
                                stdout=subprocess.PIPE, text=True)
    try:
        assert attacker.stdout.readline().strip() == "listening"
        with pytest.raises(UnsafeFolderError):
            instance.send_to_running({"command": "ask", "question": "what is the merger price?"})
        server = instance.InstanceServer()
        assert server.listen() is False
        assert str(folder.parent) in server.problem
        time.sleep(0.2)
        assert record.read_bytes() == b""
        assert os.lstat(path).st_uid == NOBODY  # and the attacker's socket is not ours to delete
    finally:
        attacker.kill()  # by its PID
        attacker.wait()


@pytest.fixture
def qapp(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


# ---- the log ---------------------------------------------------------------------------------------
@pytest.fixture
def fresh_logger():
    root = logging.getLogger("seesay")
    before = list(root.handlers)
    yield root
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def test_the_log_is_private(tmp_path, fresh_logger):
    from seesay.core.logs import setup_logging

    os.umask(0o022)  # a desktop's usual umask
    folder = tmp_path / "state" / "seesay" / "log"
    path = setup_logging(folder)
    logging.getLogger("seesay.test").warning("written")
    assert mode(folder) == 0o700
    assert mode(path) == 0o600


def test_an_old_world_readable_log_is_made_private(tmp_path, fresh_logger):
    from seesay.core.logs import LOG_FILE_NAME, setup_logging

    folder = tmp_path / "log"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    for name in (LOG_FILE_NAME, LOG_FILE_NAME + ".1"):
        (folder / name).write_text("old\n")
        (folder / name).chmod(0o644)
    setup_logging(folder)
    assert mode(folder) == 0o700
    assert mode(folder / LOG_FILE_NAME) == 0o600
    assert mode(folder / (LOG_FILE_NAME + ".1")) == 0o600


def test_a_rotated_log_stays_private(tmp_path, fresh_logger):
    from logging.handlers import RotatingFileHandler

    from seesay.core.logs import LOG_FILE_NAME, setup_logging

    os.umask(0o022)
    folder = tmp_path / "log"
    setup_logging(folder)
    handler = next(h for h in fresh_logger.handlers if isinstance(h, RotatingFileHandler))
    handler.doRollover()
    logging.getLogger("seesay.test").warning("after the rollover")
    assert sorted(p.name for p in folder.iterdir()) == [LOG_FILE_NAME, LOG_FILE_NAME + ".1"]
    assert {mode(p) for p in folder.iterdir()} == {0o600}


@needs_root
def test_a_log_folder_owned_by_someone_else_is_not_written(tmp_path, fresh_logger):
    from seesay.core.logs import setup_logging

    folder = tmp_path / "log"
    folder.mkdir(mode=0o755)
    os.chown(folder, NOBODY, NOBODY)
    assert setup_logging(folder) is None
    logging.getLogger("seesay.test").warning("nothing of this reaches their folder")
    assert list(folder.iterdir()) == []


def test_a_socket_file_of_another_user_is_never_connected_to(tmp_path, monkeypatch):
    """Belt and braces inside a private folder: send_to_running checks the socket's owner."""
    if not hasattr(os, "getuid") or os.getuid() != 0:
        pytest.skip("needs root to make a socket owned by another user")
    from seesay.app.instance import send_to_running

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    path = tmp_path / "planted.sock"
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(path))
    listener.listen(1)
    os.chown(path, NOBODY, NOBODY)
    listener.settimeout(0.5)
    try:
        assert send_to_running({"command": "ask", "question": "secret"}, name=str(path)) is False
        with pytest.raises(OSError):
            listener.accept()
    finally:
        listener.close()
