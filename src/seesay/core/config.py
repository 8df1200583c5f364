"""The settings file: ``settings.json`` in the user's config folder, validated against the table.

The file holds only what the person changed: a save writes the keys that changed over the file
as it is now (read again just before), so one-run flags (``--rate 400``) never become permanent
and two seesays do not undo each other's changes. A file that cannot be read is kept aside
(``settings.json.bad-<time>``) before anything can overwrite it, and the message says where.
Writes are atomic (a private temporary file in the same folder, then ``os.replace``) and go
through a symbolic link to its target, so a linked settings.json stays a link.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from seesay.core import paths
from seesay.core.i18n import _
from seesay.core.regular_files import NotARegularFile, read_regular_file
from seesay.core.settings import BY_KEY, upgrade_renamed

log = logging.getLogger("seesay.config")
FILE_NAME = "settings.json"
#: A settings file is a few KB; anything much larger is not one.
MAX_BYTES = 1_000_000


class _Unreadable(Exception):
    """The file is there but holds no settings; ``kept`` is where it was kept aside, if it was."""

    def __init__(self, detail: str, kept: Path | None = None, keep_error: OSError | None = None) -> None:
        super().__init__(detail)
        self.detail, self.kept, self.keep_error = detail, kept, keep_error


def config_file(folder: Path | None = None) -> Path:
    return (folder or paths.config_dir()) / FILE_NAME


def load_saved(path: Path | None = None) -> tuple[dict[str, Any], list[str]]:
    """The saved values that are valid, and a message for each one that was not (or for a broken file)."""
    path = path or config_file()
    try:
        raw = _read(path)
    except _Unreadable as broken:
        return {}, [_unreadable_message(path, broken)]
    values, problems = {}, []
    for key, value in upgrade_renamed(raw).items():
        setting = BY_KEY.get(key)
        if setting is None:
            continue  # a setting from another version: keep quiet, keep it in the file
        try:
            if value is None or isinstance(value, bool) or not isinstance(value, (str, int, float)):
                # null or false saved for a folder would become a folder named "None" or "False"
                raise ValueError(_("not a {kind}").format(kind=_("number") if setting.type is int else _("text")))
            values[key] = setting.convert(str(value))
        except (ValueError, TypeError) as error:
            problems.append(_("The saved setting {key} = {value!r} is not valid ({detail}); the default is used.")
                            .format(key=key, value=value, detail=error))
    return values, problems


def save_changes(before: Mapping[str, Any], after: Mapping[str, Any], path: Path | None = None) -> list[str]:
    """Write the settings that differ between ``before`` and ``after`` over the file as it is now.
    Returns a message for a broken file that was kept aside; raises ``OSError`` when it cannot write."""
    changed = {key: value for key, value in after.items() if key in BY_KEY and before.get(key) != value}
    if not changed:
        return []
    path = path or config_file()
    target = Path(os.path.realpath(path))  # a link is written through, and stays a link
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    notices = []
    try:
        current = _read(path)
    except _Unreadable as broken:
        if broken.keep_error is not None:  # it could not be kept: do not write over it
            raise OSError(_unreadable_message(path, broken)) from None
        current = {}
        if broken.kept is not None:
            notices.append(_unreadable_message(path, broken))
    current.update({key: _absolute(key, value) for key, value in changed.items()})
    _write_atomically(target, json.dumps(current, indent=2, sort_keys=True) + "\n")
    return notices


#: Settings that name a folder, and settings that name a model (a folder, a hub id or a short name).
FOLDER_KEYS = ("model_dir", "speech_dir")
MODEL_KEYS = ("model", "vqa_model", "itm_model", "translation_model")


def _absolute(key: str, value: Any) -> Any:
    """A folder typed relative to where seesay runs now, saved absolute: the next start may be from
    another folder. A model name that is no path (a hub id, base, vqa) stays as it is, as
    ``vision.model_store.parse_model_name`` reads it: a path when it exists or starts with . or ~."""
    if not isinstance(value, str) or not value.strip() or key not in (*FOLDER_KEYS, *MODEL_KEYS):
        return value
    path = Path(value.strip()).expanduser()
    if key in FOLDER_KEYS or path.is_absolute() or path.exists() or value.strip().startswith((".", "~")):
        return str(path.resolve()) if path.exists() else os.path.abspath(path)
    return value


def _read(path: Path) -> dict[str, Any]:
    """The file's settings object ({} when there is none); a file that is there but cannot be read
    is kept aside first."""
    try:
        data = read_regular_file(path, MAX_BYTES)
    except FileNotFoundError:
        return {}
    except NotARegularFile as error:  # a FIFO or a device holds nothing to keep; a folder is not replaced
        raise _Unreadable(_("it is a {kind}").format(kind=error.kind)) from None
    except OSError as error:  # no permission, too large, an I/O error
        raise _keep_aside(path, type(error).__name__) from None
    try:
        raw = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as error:  # RecursionError: nested deeper than Python recurses
        raise _keep_aside(path, type(error).__name__) from None
    if not isinstance(raw, dict):
        raise _keep_aside(path, _("not a settings object"))
    return raw


def _keep_aside(path: Path, detail: str) -> _Unreadable:
    """Move the broken file to ``settings.json.bad-<time>`` beside it (a rename: it needs no
    permission to read the file, and a link moves as a link), made private."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.bad-{stamp}")
    attempt = 0
    while os.path.lexists(kept):
        attempt += 1
        kept = path.with_name(f"{path.name}.bad-{stamp}-{attempt}")
    try:
        os.rename(path, kept)
    except OSError as error:
        log.warning("the broken settings file could not be kept aside: %s", type(error).__name__)
        return _Unreadable(detail, keep_error=error)
    if not kept.is_symlink():
        try:
            kept.chmod(0o600)
        except OSError:
            pass  # kept all the same
    log.warning("the broken settings file was kept as %s", kept)
    return _Unreadable(detail, kept=kept)


def _unreadable_message(path: Path, broken: _Unreadable) -> str:
    message = _("The settings file {path} could not be read ({detail}); the defaults are used.").format(
        path=path, detail=broken.detail)
    if broken.kept is not None:
        return message + " " + _("It was kept as {backup}.").format(backup=broken.kept)
    if broken.keep_error is not None:
        return message + " " + _("It could not be kept aside ({detail}), so seesay will not save settings over "
                                 "it.").format(detail=broken.keep_error.strerror or type(broken.keep_error).__name__)
    return message


def _write_atomically(target: Path, text: str) -> None:
    """A private temporary file in the target's folder, synced, then renamed over the target."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:  # mkstemp made it 0600
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
