"""seesay's icon, from the packaged resources: an eye on a yellow disc with a black rim, which
reads on light and dark panels alike (the one icon serves window and tray)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from seesay.desktop_integration import icon_files


def app_icon() -> QIcon:
    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    return icon
