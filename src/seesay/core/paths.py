"""Where seesay keeps its files on this computer (per platform, via platformdirs)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "seesay"


def model_dir(setting: str = "") -> Path:
    return Path(setting).expanduser() if setting else Path(platformdirs.user_cache_dir(APP_NAME)) / "models"


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))
