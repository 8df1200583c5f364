"""seesay's icons, from the packaged resources.

The app icon, an eye on a yellow disc with a black rim, reads on light and dark panels alike and
is the tray icon by default. For people who prefer a plain symbol like the rest of their panel,
the tray can show a white eye (for dark panels) or a black eye (for light panels) instead: a
setting, because no desktop reliably says what colour its panel is (GNOME's top bar is dark in
the light theme too).
"""

from __future__ import annotations

from PySide6.QtGui import QIcon

from seesay.desktop_integration import APP_ID, icon_files, resource

#: tray_icon setting -> the icon files' name
TRAY_ICONS = {"light": f"{APP_ID}-tray-on-dark", "dark": f"{APP_ID}-tray-on-light"}


def app_icon() -> QIcon:
    return _icon(icon_files())


def tray_icon(choice: str) -> QIcon:
    """``colour`` (the app icon), ``light`` (a white eye, for dark panels) or ``dark`` (a black eye)."""
    if choice not in TRAY_ICONS:
        return app_icon()
    folder = resource("icons")
    name = TRAY_ICONS[choice]
    return _icon([*sorted(folder.glob(f"{name}-[0-9]*.png")), folder / f"{name}.svg"])


def _icon(paths) -> QIcon:
    icon = QIcon()
    for path in paths:
        icon.addFile(str(path))
    return icon
