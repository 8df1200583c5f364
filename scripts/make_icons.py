"""Render the PNG sizes of the app icon and the tray icons from their SVGs (run after changing an
SVG; the PNGs are committed).

    .venv/bin/python scripts/make_icons.py
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "src" / "seesay" / "resources" / "icons"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
#: SVG name (without .svg) -> the sizes to render
ICONS_TO_RENDER = {"org.seesay.Seesay": SIZES,
                   "org.seesay.Seesay-tray-on-dark": SIZES[:6],
                   "org.seesay.Seesay-tray-on-light": SIZES[:6]}


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs one
    written = 0
    for name, sizes in ICONS_TO_RENDER.items():
        renderer = QSvgRenderer(str(ICONS / f"{name}.svg"))
        for size in sizes:
            image = QImage(size, size, QImage.Format.Format_ARGB32)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            renderer.render(painter)
            painter.end()
            image.save(str(ICONS / f"{name}-{size}.png"))
            written += 1
    print(f"wrote {written} PNGs into {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
