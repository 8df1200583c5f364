"""An offer in the window, under the status line: a translation model is missing, and a button
downloads it.

It never opens a dialog by itself: a description made from a global key is spoken while the person
works in another program, and a dialog would take the focus from it (seesay never does). The spoken
notice says the window shows how; here, Tab reaches the button, and pressing it opens the download.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from seesay.app.reflow import WrappingButton, WrappingLabel
from seesay.core.i18n import _, current_language, name_of_language


class OfferBar(QWidget):
    """Hidden until ``offer``; ``accepted`` when the person presses the download button."""

    accepted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offer")
        self.label = WrappingLabel("", self)
        self.download_button = WrappingButton("", self)
        self.later_button = WrappingButton(_("Not now"), self)
        for button in (self.download_button, self.later_button):
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.later_button.setAccessibleName(_("Not now"))
        self.later_button.setAccessibleDescription(_("Hide this offer; seesay goes on speaking English"))
        self.download_button.clicked.connect(self.accepted)
        self.later_button.clicked.connect(self.hide)
        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button, 1)
        buttons.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addLayout(buttons)
        self.hide()

    def offer_translation(self, language: str) -> None:
        """Shows the offer of the translation models into ``language`` (its name)."""
        text = _("Descriptions are said in English: the translation models into {language} are not on this "
                 "computer.").format(language=language)
        self.label.setText(text)
        self.download_button.setText(_("Download the {language} translation models…").format(language=language))
        self.download_button.setAccessibleName(self.download_button.text().rstrip("…"))
        self.download_button.setAccessibleDescription(text)
        self.setAccessibleName(_("Offer"))
        self.show()


class TranslationOffer(QObject):
    """The app's side of the offer: shown once for the models a description says are missing; its
    button opens the download dialog (opened by the person, so it may take the focus), and once
    both models are here the worker tries the translation again."""

    def __init__(self, app) -> None:
        super().__init__(app)
        self._app = app
        #: the translation models offered (hub names), from the last description that lacked them
        self.offered: tuple[str, ...] = ()
        app.window.offer_bar.accepted.connect(self.download)

    def take(self, missing: tuple[str, ...]) -> None:
        """A description's ``offer_download``: offered once, not again with every description."""
        if missing and missing != self.offered:
            self.offered = missing
            self._app.window.offer_bar.offer_translation(name_of_language(current_language()))

    def download(self) -> None:
        from seesay.app.model_dialog import ModelDialog
        from seesay.vision.engine import model_store

        app = self._app
        if not self.offered or (app.model_dialog is not None and app.model_dialog.isVisible()):
            return
        language = name_of_language(current_language())
        problem = _("The translation models into {language} are not on this computer, so descriptions are said in "
                    "English.").format(language=language)
        app.model_dialog = ModelDialog(model_store(app.values), self.offered[0], problem, parent=app.window,
                                       endpoint=app.download_endpoint, feedback=app.feedback,
                                       translates_into=language, also=self.offered[1:])
        app.model_dialog.accepted.connect(self._downloaded)
        app.model_dialog.open()

    def _downloaded(self) -> None:
        app = self._app
        app.window.offer_bar.hide()
        self.offered = ()
        app.worker.reload(app.worker_values())  # a pair that failed is tried again
        app.feedback.status(_("The translation models are on this computer now: from the next description on, "
                              "seesay speaks {language}.").format(language=name_of_language(current_language())))
