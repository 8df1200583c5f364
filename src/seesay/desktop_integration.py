"""Desktop integration: the menu entry and icons, and starting seesay when the user logs in.

Linux follows freedesktop.org (``~/.local/share/applications``, the hicolor icon theme, XDG
autostart); Windows uses the per-user Run registry key; macOS a LaunchAgent. Only the Linux
parts can be tested on the build machines.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from importlib import resources
from pathlib import Path

APP_ID = "org.seesay.Seesay"
_RESOURCES = resources.files("seesay") / "resources"


def resource(name: str) -> Path:
    return Path(str(_RESOURCES / name))


def icon_files() -> list[Path]:
    folder = resource("icons")
    return sorted(folder.glob(f"{APP_ID}-[0-9]*.png")) + [folder / f"{APP_ID}.svg"]


def launch_command() -> str:
    """How to start this seesay: the bundle's own program (PyInstaller), its console script if
    installed, else this Python with -m."""
    if getattr(sys, "frozen", False):  # sys.executable is seesay itself, not a Python
        program = sys.executable
        windowed = os.path.join(os.path.dirname(program), "seesay.exe")
        if sys.platform == "win32" and os.path.isfile(windowed):  # not seesay-cli.exe: no console at login
            program = windowed
        return _quoted(program)
    script = shutil.which("seesay")
    return _quoted(script) if script else f"{_quoted(sys.executable)} -m seesay"


def _quoted(path: str) -> str:
    # The Windows Run value is a command line: always in double quotes, as the installer writes it.
    return f'"{path}"' if sys.platform == "win32" else shlex.quote(path)


def desktop_entry(extra: str = "") -> str:
    text = resource(f"{APP_ID}.desktop").read_text(encoding="utf-8")
    return text.replace("Exec=seesay", f"Exec={launch_command()}") + extra


def _data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def _config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def install_menu_entry() -> list[Path]:
    """Put seesay in the desktop's application menu (Linux, for this user); returns the files written."""
    written = []
    applications = _data_home() / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    entry = applications / f"{APP_ID}.desktop"
    entry.write_text(desktop_entry(), encoding="utf-8")
    written.append(entry)
    icons = _data_home() / "icons" / "hicolor"
    for path in icon_files():
        size = path.stem.rsplit("-", 1)[-1]
        folder = icons / ("scalable" if path.suffix == ".svg" else f"{size}x{size}") / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{APP_ID}{path.suffix}"
        shutil.copyfile(path, target)
        written.append(target)
    metainfo = _data_home() / "metainfo"
    metainfo.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resource(f"{APP_ID}.metainfo.xml"), metainfo / f"{APP_ID}.metainfo.xml")
    written.append(metainfo / f"{APP_ID}.metainfo.xml")
    return written


def autostart_path() -> Path:
    if sys.platform == "darwin":
        return Path.home() / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    return _config_home() / "autostart" / f"{APP_ID}.desktop"


def set_autostart(enabled: bool) -> None:
    """Start seesay at login, or stop doing so. Raises OSError when it cannot be changed."""
    if sys.platform == "win32":
        _windows_run_key(enabled)
        return
    path = autostart_path()
    if not enabled:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if sys.platform == "darwin":
        arguments = "".join(f"<string>{part}</string>" for part in shlex.split(launch_command()))
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
            f'<plist version="1.0"><dict><key>Label</key><string>{APP_ID}</string>'
            f"<key>ProgramArguments</key><array>{arguments}</array>"
            "<key>RunAtLoad</key><true/></dict></plist>\n", encoding="utf-8")
        return
    path.write_text(desktop_entry("X-GNOME-Autostart-enabled=true\n"), encoding="utf-8")


def autostart_enabled() -> bool:
    if sys.platform == "win32":
        import winreg  # type: ignore[import-not-found]

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY) as key:
                winreg.QueryValueEx(key, "seesay")
            return True
        except OSError:
            return False
    return autostart_path().is_file()


_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def _windows_run_key(enabled: bool) -> None:
    import winreg  # type: ignore[import-not-found]

    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
        if enabled:
            winreg.SetValueEx(key, "seesay", 0, winreg.REG_SZ, launch_command())
        else:
            try:
                winreg.DeleteValue(key, "seesay")
            except FileNotFoundError:
                pass
