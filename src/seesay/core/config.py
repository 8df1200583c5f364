"""The settings file: ``settings.json`` in the user's config folder, validated against the table."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from seesay.core import paths
from seesay.core.i18n import _
from seesay.core.settings import BY_KEY, upgrade_renamed

log = logging.getLogger("seesay.config")
FILE_NAME = "settings.json"


def config_file(folder: Path | None = None) -> Path:
    return (folder or paths.config_dir()) / FILE_NAME


def load_saved(path: Path | None = None) -> tuple[dict[str, Any], list[str]]:
    """The saved values that are valid, and a message for each one that was not (or for a broken file)."""
    path = path or config_file()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, []
    except (OSError, ValueError) as error:
        return {}, [_("The settings file {path} could not be read ({detail}); the defaults are used.").format(
            path=path, detail=type(error).__name__)]
    if not isinstance(raw, dict):
        return {}, [_("The settings file {path} is not a settings object; the defaults are used.").format(path=path)]
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


def save(values: dict[str, Any], path: Path | None = None) -> None:
    """Write the settings atomically, keeping keys this version does not know."""
    path = path or config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        existing = json.loads(path.read_text(encoding="utf-8"))
        existing = existing if isinstance(existing, dict) else {}
    except (OSError, ValueError):
        existing = {}
    existing.update({key: value for key, value in values.items() if key in BY_KEY})
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, path)
