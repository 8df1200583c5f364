"""First use without a model: download it (with progress and cancel) or choose a model folder.

The download runs on its own thread through the model store, which keeps the files that
arrived whole when a download is cancelled or cut, and marks a model complete only after its
last byte; offline, the dialog says what to do instead. Every action that fails is shown whole
in the dialog and goes through ``Feedback`` (spoken and logged) too.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from seesay.app.reflow import ButtonGrid, WrappingButton, WrappingLabel, scrolling
from seesay.core.errors import SeesayError
from seesay.core.i18n import _
from seesay.vision.model_store import ModelStore, parse_model_name, verify_model_folder


class DownloadCancelled(Exception):
    pass


class _DownloadSignals(QObject):
    progress = Signal(int, int)
    now = Signal(str)  # the model being downloaded, when there are several
    finished = Signal(str)  # folder
    failed = Signal(str)
    cancelled = Signal()


class ModelDialog(QDialog):
    """``chosen_model`` is set (a hub id or a folder) when the dialog is accepted."""

    def __init__(self, store: ModelStore, model_name: str, problem: str, parent: QWidget | None = None,
                 endpoint: str | None = None, answers_questions: bool = False, feedback=None,
                 translates_into: str | None = None, also: tuple[str, ...] = ()) -> None:
        """``feedback``: the app's ``Feedback``, through which failures are also spoken and logged.
        ``translates_into``: the name of a language: the models are a translation pair (``model_name``
        and ``also``), downloaded one after the other and made ready for use; a folder of one is
        chosen in Settings, not here."""
        super().__init__(parent)
        self._feedback = feedback
        self._translation = translates_into is not None
        self._names = [model_name, *also]
        if self._translation:
            self.setWindowTitle(_("seesay needs its translation models into {language}").format(
                language=translates_into))
        else:
            self.setWindowTitle(_("seesay needs its question-answering model") if answers_questions
                                else _("seesay needs its description model"))
        self.setAccessibleName(self.windowTitle())
        self._store = store
        self._ref = parse_model_name(model_name)
        self._endpoint = endpoint
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = model_name
        self._sized = False
        self.chosen_model: str | None = None

        if self._translation:
            purpose = _("seesay translates what it says into {language} with models that run on this computer. "
                        "Download them once (they are kept in {root}); a translation model folder you already "
                        "have is chosen in Settings, Translation model.").format(language=translates_into,
                                                                                   root=store.root)
        else:
            purpose = (_("seesay answers questions about pictures with a model that runs on this computer.")
                       if answers_questions else
                       _("seesay describes pictures with a model that runs on this computer.")) + " " + _(
                "Download it once (it is kept in {root}), or choose a folder that already holds one.").format(
                root=store.root)
        self.message = WrappingLabel(problem + "\n\n" + purpose)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("What seesay needs"))
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Download progress"))
        self.progress.setVisible(False)
        self.download_button = WrappingButton(_("&Download {model}").format(
            model=" + ".join(parse_model_name(name).display_name for name in self._names)))
        self.download_button.setEnabled(self._ref.hub_id is not None)
        self.folder_button = WrappingButton(_("Choose a model &folder…"))
        self.cancel_button = WrappingButton(_("&Not now"))
        for button, description in (
            (self.download_button, _("Download the model from the Hugging Face hub; it is used only on this computer")),
            (self.folder_button, _("Use a model folder that is already on this computer")),
            (self.cancel_button, _("Close this window; a download in progress is stopped")),
        ):
            button.setAccessibleName(button.text().replace("&", ""))
            button.setAccessibleDescription(description)
        self.download_button.clicked.connect(self.start_download)
        self.folder_button.clicked.connect(self.choose_folder)
        self.cancel_button.clicked.connect(self.cancel)

        self._signals = _DownloadSignals()
        self._signals.progress.connect(self._show_progress)
        self._signals.finished.connect(self._downloaded)
        self._signals.failed.connect(self._failed)
        self._signals.cancelled.connect(self._cancelled)

        self._signals.now.connect(lambda name: self.message.setText(_("Downloading {model}…").format(
            model=parse_model_name(name).display_name)))

        buttons = ButtonGrid(columns=3)  # buttons and message wrap at any text size; the message scrolls
        for button in (self.download_button, self.folder_button, self.cancel_button):
            if button is not self.folder_button or not self._translation:
                buttons.addWidget(button)
        self.folder_button.setVisible(not self._translation)
        layout = QVBoxLayout(self)
        self._message_area = scrolling(self.message)
        layout.addWidget(self._message_area, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.download_button.setFocus()

    # ---- download ---------------------------------------------------------------------------
    def start_download(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._cancel.clear()
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)  # busy until the size is known
        self.download_button.setEnabled(False)
        self.cancel_button.setText(_("&Cancel download"))
        self.message.setText(_("Downloading {model}…").format(model=self._ref.display_name))
        self._thread = threading.Thread(target=self._download, name="seesay-download", daemon=True)
        self._thread.start()

    def _download(self) -> None:  # on the download thread
        def progress(done: int, total: int) -> None:
            if self._cancel.is_set():
                raise DownloadCancelled()
            self._signals.progress.emit(min(done, 2**31 - 1), min(total, 2**31 - 1))

        try:
            verify = None
            if self._translation:  # checked and converted now, so its first use is quick
                from seesay.translation.models import ready_after_download as verify
            for name in self._names:
                self._failing = name
                self._signals.now.emit(name)
                folder = self._store.download(name, progress=progress, endpoint=self._endpoint, verify=verify)
        except SeesayError as error:
            if self._cancel.is_set():
                self._signals.cancelled.emit()
            else:  # its hint ("download it with ...") is what was just tried: the dialog says what else to do
                self._signals.failed.emit(error.message)
            return
        except DownloadCancelled:
            self._signals.cancelled.emit()
            return
        self._signals.finished.emit(str(folder))

    def _show_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * done / total))
            self.progress.setFormat(f"{done / 1e6:.0f} / {total / 1e6:.0f} MB")

    def _downloaded(self, folder: str) -> None:
        self.chosen_model = self._ref.name
        self.message.setText(_("Downloaded. Loading the model…"))
        self.accept()

    def _failed(self, text: str) -> None:
        self.progress.setVisible(False)
        self.download_button.setEnabled(True)
        self.cancel_button.setText(_("&Not now"))
        if self._translation:
            other_computer = _("Without a connection: download the translation model on another computer, copy its "
                               "folder here and choose it in Settings, Translation model.")
            shown = _("Without a connection: download the translation model on another computer (seesay download "
                      "{name}), copy its folder here and choose it in Settings, Translation model.").format(
                name=self._failing)
        else:
            other_computer = _("Without a connection: download the model on another computer, copy its folder here "
                               "and choose it with the folder button.")
            shown = _("Without a connection: download the model on another computer (seesay download {name}), copy "
                      "its folder here and choose it with the folder button.").format(name=self._ref.name)
        self._show_failure(text + "\n\n" + shown, spoken=f"{text} {other_computer}")

    def _show_failure(self, text: str, spoken: str | None = None) -> None:
        """Shown whole in the dialog (which grows to fit it), spoken and logged through the app's feedback."""
        self.message.setText(text)
        self.fit_message()
        if self._feedback is not None:
            self._feedback.problem(text, spoken=spoken)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """At first show: wide enough for about 60 characters a line, and tall enough for the whole
        message, within the screen (its size hint showed three lines of it at 200%)."""
        super().showEvent(event)
        if self._sized:
            return
        self._sized = True
        screen = self.screen().availableGeometry()
        width = min(int(screen.width() * 0.9), max(self.width(), self.fontMetrics().averageCharWidth() * 60))
        self.resize(width, self.height())
        self.fit_message()
        if self.height() > screen.height() * 0.9:
            self.resize(self.width(), int(screen.height() * 0.9))

    def fit_message(self) -> None:
        """Grow the dialog so the message is shown whole at its present width (a longer text wraps to more lines)."""
        layout = self.layout()
        layout.activate()
        area = self._message_area  # it scrolls, so the layout alone does not ask for the message's height
        needed = max(layout.totalHeightForWidth(self.width()),
                     self.height() - area.viewport().height() + self.message.heightForWidth(area.viewport().width()))
        if needed > self.height():
            self.resize(self.width(), needed)

    def _cancelled(self) -> None:
        self.progress.setVisible(False)
        self.download_button.setEnabled(True)
        self.cancel_button.setText(_("&Not now"))
        self.message.setText(_("Download cancelled. Files that arrived whole are kept for next time."))

    def cancel(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._cancel.set()
            return
        self.reject()

    # ---- folder -----------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a model folder"))
        if folder:
            self.use_folder(Path(folder))

    def use_folder(self, folder: Path) -> None:
        try:
            verify_model_folder(folder)
        except SeesayError as error:
            self._show_failure(str(error), spoken=error.spoken or error.message)
            return
        self.chosen_model = str(folder)
        self.accept()

    def done(self, result: int) -> None:  # noqa: D401 - Qt override: never leave a download running
        self._cancel.set()
        super().done(result)
