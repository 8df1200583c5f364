"""Qt's own words in seesay's language: OK and Cancel, the file dialog's labels, a text field's menu.

seesay's words come from its catalogues (core/i18n.py). Buttons and dialogs that Qt draws itself
(QDialogButtonBox, QFileDialog, the Copy/Paste menu of a text field) take their words from Qt's
translations, qtbase_<language>.qm, which PySide6 ships: a German window whose Cancel button says
"Cancel" and whose file dialog says "Look in:" would be half English to a screen reader.
The bundle keeps these four files (packaging/seesay.spec).
"""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from seesay.core.i18n import current_language


def qt_translation_folders() -> list[str]:
    """Where Qt's translations are: Qt's own idea, then beside PySide6 (Linux, macOS / Windows)."""
    package = Path(PySide6.__file__).resolve().parent
    return [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
            str(package / "Qt" / "translations"), str(package / "translations")]


def install_qt_translations(app: QCoreApplication) -> QTranslator | None:
    """Translate Qt's own words into the language seesay speaks; None when that is English or Qt
    has no translation for it (then only Qt's own words stay English)."""
    language = current_language()
    if language == "en":
        return None
    translator = QTranslator(app)
    for folder in qt_translation_folders():
        if translator.load(QLocale(language), "qtbase", "_", folder):
            app.installTranslator(translator)
            return translator
    return None
