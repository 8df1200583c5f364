"""Where seesay keeps its files on this computer (per platform, via platformdirs).

Folders that hold the command socket or the log are private: only this user may enter them.
Another user on the same machine must never be able to read the log or put a socket of their
own where seesay looks for its running self.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import platformdirs

from seesay.core.errors import SeesayError
from seesay.core.i18n import _

APP_NAME = "seesay"


class UnsafeFolderError(SeesayError):
    """A folder seesay would keep private files in belongs to someone else, or others may write in it."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            _("seesay will not use the folder {folder}: it belongs to another user, or other users may write "
              "in it.").format(folder=folder),
            _("If you did not make it yourself, tell whoever looks after this computer. Otherwise delete it and "
              "start seesay again."),
        )
        self.folder = folder


def model_dir(setting: str = "") -> Path:
    return Path(setting).expanduser() if setting else Path(platformdirs.user_cache_dir(APP_NAME)) / "models"


def data_dir() -> Path:
    """Where seesay keeps what it made for this user (the picture index); made private when used."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


def runtime_dir() -> Path:
    """seesay's private folder for its socket: ``$XDG_RUNTIME_DIR/seesay``, or, without a runtime
    folder, ``/tmp/seesay-<uid>/seesay`` (both levels private: /tmp is shared by every user)."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base:
        return private_folder(Path(base) / APP_NAME)
    return private_folder(private_folder(Path(tempfile.gettempdir()) / f"{APP_NAME}-{os.getuid()}") / APP_NAME)


def private_folder(folder: Path) -> Path:
    """Make ``folder`` (0700), or check the one that is there: a real folder owned by this user.

    One of ours that others may only read (as older seesay versions made them) is made private;
    one owned by someone else, a link, or one others may write in (they could have left anything
    in it) is refused with ``UnsafeFolderError``. Not on Windows: per-user folders are private there.
    """
    if not hasattr(os, "getuid"):
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:  # a link, or not a folder
        raise UnsafeFolderError(folder) from None
    try:
        info = os.fstat(handle)
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise UnsafeFolderError(folder)
        if stat.S_IMODE(info.st_mode) != 0o700:
            os.fchmod(handle, 0o700)
    finally:
        os.close(handle)
    return folder


def private_file(path: Path) -> None:
    """Make a file of ours readable by this user only (a log written by an older seesay)."""
    if hasattr(os, "getuid"):
        try:
            if stat.S_IMODE(os.lstat(path).st_mode) & 0o077 and not path.is_symlink():
                path.chmod(0o600)
        except FileNotFoundError:
            pass
