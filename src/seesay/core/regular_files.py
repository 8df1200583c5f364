"""Opening files that may be anything: only a regular file of a bounded size is read.

A FIFO named ``x.png`` would block ``open()`` until someone writes to it, and a link to
``/dev/zero`` reads for ever. So a path is looked at (``stat``) before it is opened, opened
without blocking, and looked at again through the open handle (``fstat``): a file swapped
for something else in between is refused too.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from seesay.core.i18n import _

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class NotARegularFile(OSError):
    """The path is a folder, a named pipe, a device or a socket."""

    def __init__(self, path: os.PathLike | str, kind: str, is_folder: bool = False) -> None:
        super().__init__(_("{path} is not a file (it is a {kind})").format(path=os.fspath(path), kind=kind))
        self.kind = kind
        self.is_folder = is_folder


class FileTooLarge(OSError):
    def __init__(self, path: os.PathLike | str, size: int, limit: int) -> None:
        super().__init__(_("{path} is larger than {limit} bytes").format(path=os.fspath(path), limit=limit))
        self.size = size
        self.limit = limit


def open_regular_file(path: os.PathLike | str, max_bytes: int) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file of at most ``max_bytes`` bytes.

    Raises ``NotARegularFile``, ``FileTooLarge`` or the ``OSError`` of opening it."""
    _check(path, os.stat(path), max_bytes)  # before opening: opening a FIFO or a device can block
    descriptor = os.open(path, _FLAGS)
    try:
        _check(path, os.fstat(descriptor), max_bytes)  # the file opened is the one looked at
        if _FLAGS & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_regular_file(path: os.PathLike | str, max_bytes: int) -> bytes:
    """The bytes of ``path``, under the same rules as ``open_regular_file``."""
    with open_regular_file(path, max_bytes) as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew after it was looked at
        raise FileTooLarge(path, len(data), max_bytes)
    return data


def _check(path: os.PathLike | str, status: os.stat_result, max_bytes: int) -> None:
    mode = status.st_mode
    if stat.S_ISDIR(mode):
        raise NotARegularFile(path, _("folder"), is_folder=True)
    if not stat.S_ISREG(mode):
        raise NotARegularFile(path, special_kind(mode))
    if status.st_size > max_bytes:
        raise FileTooLarge(path, status.st_size, max_bytes)


def special_kind(mode: int) -> str:
    """What a file that is not a regular file or a folder is, in words (from ``st_mode``)."""
    if stat.S_ISFIFO(mode):
        return _("named pipe")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("device")
    if stat.S_ISSOCK(mode):
        return _("socket")
    return _("special file")
