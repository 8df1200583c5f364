"""The seesay window: the latest description in large text, the history, and keyboard actions.

It only shows things and says what the user asked for (signals); it does not describe,
speak or load anything itself. Every control has an accessible name and description and is
reachable with Tab.

At any text size (100% to 400%) every text wraps instead of being cut: the description is as tall
as its text, the buttons rearrange into fewer columns and wrap, and the whole window scrolls up and
down (never sideways) when it is too small for everything, following the keyboard.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seesay.app import intake
from seesay.app.ask_bar import AskBar
from seesay.app.offer_bar import OfferBar
from seesay.app.reflow import ButtonGrid, FittingTextView, WrappingButton, scrolling
from seesay.app.search_bar import SearchBar
from seesay.app.themes import apply_text_size
from seesay.core.i18n import _
from seesay.core.requests import Description
from seesay.core.settings import BY_KEY

FONT_MIN = BY_KEY["font_size"].minimum or 12
FONT_MAX = BY_KEY["font_size"].maximum or 96
FONT_DEFAULT = BY_KEY["font_size"].default
#: Ctrl+Plus and Ctrl+Minus go to the next of these text sizes (percent of the default): steps
#: in proportion to the size, as a browser's zoom, where 2 pt was a step hardly seen at 400%.
ZOOM_PERCENTS = (43, 50, 57, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300, 350, 400)
BUTTON_COLUMNS = 3
#: The details and the history are never shorter than this many lines: they scroll inside.
LEAST_LINES = 3
IMAGE_FILTER = "*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff"


class MainWindow(QMainWindow):
    describe_requested = Signal(list)  # list[DescribeRequest]
    refused = Signal(list)  # list[str]: reasons something dropped or pasted was not taken
    speak_requested = Signal(str)
    stop_requested = Signal()
    cancel_requested = Signal()
    settings_requested = Signal()
    font_size_changed = Signal(int)
    quit_requested = Signal()
    question_asked = Signal(str)
    search_requested = Signal(str)  # the words typed in the search field

    def __init__(self, font_size: int = FONT_DEFAULT) -> None:
        super().__init__()
        self.setWindowTitle("seesay")
        self.setAcceptDrops(True)
        #: With a tray icon, closing the window only hides it.
        self.keep_running_when_closed = False
        self._font_size = FONT_DEFAULT
        self._tray_note = ""
        self._shortcut_text = ""
        self._build()
        self.set_font_size(font_size)

    # ---- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        self.status = QLabel(_("Starting…"), central)
        self.status.setWordWrap(True)
        self.status.setObjectName("status")
        self._accessible(self.status, _("Status"), _("What seesay is doing, and any problem it ran into"))

        self.description = FittingTextView(central)
        self.description.setObjectName("description")  # its text size: see themes.apply_text_size
        self.description.setReadOnly(True)
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(_("Drop a picture here, paste one with Ctrl+V or open one with Ctrl+O."))
        self.description.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse)
        self._accessible(self.description, _("Description"), _("The latest description, in large text"))

        self.details = QPlainTextEdit(central)
        self.details.setReadOnly(True)
        self.details.setTabChangesFocus(True)
        self.details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse)
        self._accessible(self.details, _("Details"),
                         _("How sure the caption is, and all the text read on the picture, line by line"))

        self.history = QListWidget(central)
        self.history.setObjectName("history")
        self.history.setWordWrap(True)  # long descriptions wrap; the list never scrolls sideways
        self.history.setResizeMode(QListView.ResizeMode.Adjust)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._accessible(self.history, _("History"),
                         _("Earlier descriptions, newest first. Select one to show it; press Enter to hear it again"))
        self.history.currentItemChanged.connect(self._history_selected)
        self.history.itemActivated.connect(lambda item: self.speak_requested.emit(self._item_text(item)))

        buttons = ButtonGrid(columns=BUTTON_COLUMNS)
        self.buttons: list[QPushButton] = []
        self.commands: dict[str, QAction] = {}
        for key, text, shortcuts, help_text, slot in (
            ("open", _("Open image…"), [QKeySequence.StandardKey.Open], _("Choose picture files to describe"),
             self.open_files),
            ("paste", _("Paste image"), [QKeySequence.StandardKey.Paste], _("Describe the picture on the clipboard"),
             self.paste),
            ("ask", _("Ask about it"), [QKeySequence("Ctrl+K")], _("Type a question about the last picture"),
             self.ask),
            ("copy", _("Copy description"), [QKeySequence.StandardKey.Copy],
             _("Copy the description as text (in the details: the selected lines, or all of them)"),
             self.copy_description),
            ("repeat", _("Speak again"), [QKeySequence("Ctrl+R"), QKeySequence("F5")],
             _("Hear the shown description again"), lambda: self.speak_requested.emit(self.current_text())),
            ("stop", _("Stop speaking"), [QKeySequence("Escape")], _("Stop speech at once"), self.stop_requested.emit),
            ("cancel", _("Cancel describing"), [QKeySequence("Shift+Escape")],
             _("Stop the description that is being made and drop those waiting"), self.cancel_requested.emit),
            ("settings", _("Settings…"), [QKeySequence("Ctrl+,")], _("Model, voice, theme and text size"),
             self.settings_requested.emit),
            ("quit", _("Quit"), [QKeySequence("Ctrl+Q")], _("Close seesay"),
             self.quit_requested.emit),
        ):
            action = QAction(text, self)
            action.setShortcuts([k for k in (QKeySequence(s) for s in shortcuts) if not k.isEmpty()])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.commands[key] = action
            shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button = WrappingButton(f"{text}\n{shown}", central)  # the shortcut on a line of its own
            button.setAutoDefault(False)
            button.clicked.connect(action.trigger)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self._accessible(button, text, f"{help_text}. {_('Shortcut')}: {shown}")
            buttons.addWidget(button)
            self.buttons.append(button)
        zoom = ((QKeySequence.StandardKey.ZoomIn, 1), (QKeySequence("Ctrl+="), 1),
                (QKeySequence.StandardKey.ZoomOut, -1), (QKeySequence("Ctrl+0"), 0))
        for sequence, step in zoom:
            action = QAction(self)
            action.setShortcut(QKeySequence(sequence))
            action.triggered.connect(lambda checked=False, step=step: self.zoom(step))
            self.addAction(action)

        layout.addWidget(self.status)
        self.offer_bar = OfferBar(central)  # a missing translation model, with the button that gets it
        layout.addWidget(self.offer_bar)
        layout.addWidget(self.description, 3)
        layout.addWidget(self.details, 2)
        self.description.cursorPositionChanged.connect(lambda: self._follow_cursor(self.description))
        self.details.cursorPositionChanged.connect(lambda: self._follow_cursor(self.details))
        self.ask_bar = AskBar(central)
        self.ask_bar.asked.connect(self.question_asked)
        layout.addWidget(self.ask_bar)
        search_key = QKeySequence("Ctrl+F")
        self.search_bar = SearchBar(central, search_key.toString(QKeySequence.SequenceFormat.NativeText))
        self.search_bar.searched.connect(self.search_requested)
        self.search_bar.opened.connect(self.open_found)
        layout.addWidget(self.search_bar)
        search = QAction(_("Search the picture index"), self)
        search.setShortcut(search_key)
        search.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        search.triggered.connect(self.search)
        self.addAction(search)
        self.commands["search"] = search
        layout.addLayout(buttons)
        self.shortcuts = QLabel(central)
        self.shortcuts.setWordWrap(True)
        self.shortcuts.setVisible(False)
        self._accessible(self.shortcuts, _("Global shortcuts"), _("Keys that work from any program"))
        layout.addWidget(self.shortcuts)
        self.history_label = QLabel(_("&History"), central)
        self.history_label.setBuddy(self.history)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history, 2)
        self.page = scrolling(central, self)
        self.setCentralWidget(self.page)
        self.resize(960, 720)
        self.description.setFocus()

    @staticmethod
    def _accessible(widget: QWidget, name: str, description: str) -> None:
        widget.setAccessibleName(name)
        widget.setAccessibleDescription(description)
        widget.setToolTip(description)

    def _follow_cursor(self, box: QPlainTextEdit) -> None:
        """Keep the text cursor in sight when the page scrolls (caret tracking for magnifier users)."""
        if box.hasFocus():
            rect = box.cursorRect()
            centre = box.viewport().mapTo(self.page.widget(), rect.center())
            self.page.ensureVisible(centre.x(), centre.y(), 0, rect.height())

    # ---- showing ------------------------------------------------------------------------------
    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleDescription(text)

    def show_description(self, description: Description) -> None:
        self._show_text(description.text)
        self.details.setPlainText(description.details)
        stamp = description.created.strftime("%H:%M:%S")
        item = QListWidgetItem(f"{stamp} · {description.request.label} — {description.text}")
        item.setData(Qt.ItemDataRole.UserRole, description.text)
        item.setData(Qt.ItemDataRole.UserRole + 1, description.details)
        self.history.blockSignals(True)
        self.history.insertItem(0, item)
        self.history.setCurrentItem(item)
        self.history.blockSignals(False)

    def show_problem(self, message: str) -> None:
        """A problem is shown where the description goes and in the status line."""
        self.show_status(message)
        self._show_text(message)

    def current_text(self) -> str:
        return self.description.toPlainText()

    def _show_text(self, text: str) -> None:
        self.description.setPlainText(text)
        self.description.setAccessibleDescription(text)

    def _history_selected(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self._show_text(self._item_text(item))
            self.details.setPlainText(str(item.data(Qt.ItemDataRole.UserRole + 1) or ""))

    @staticmethod
    def _item_text(item: QListWidgetItem) -> str:
        return str(item.data(Qt.ItemDataRole.UserRole) or "")

    # ---- text size ----------------------------------------------------------------------------
    def zoom(self, step: int) -> None:
        """``step`` 1: the next larger of the zoom sizes (``ZOOM_PERCENTS``), -1 the next smaller, 0 the default."""
        sizes = sorted({max(FONT_MIN, min(FONT_MAX, round(FONT_DEFAULT * p / 100))) for p in ZOOM_PERCENTS})
        if step > 0:
            size = next((s for s in sizes if s > self._font_size), sizes[-1])
        elif step < 0:
            size = next((s for s in reversed(sizes) if s < self._font_size), sizes[0])
        else:
            size = FONT_DEFAULT
        self.set_font_size(size)
        self.font_size_changed.emit(self._font_size)

    def set_font_size(self, size: int) -> None:
        """The description at ``size`` points, and every other text, here and in every dialog, in step
        with it (through the application font)."""
        self._font_size = max(FONT_MIN, min(FONT_MAX, int(size)))
        apply_text_size(QApplication.instance(), self._font_size)
        self.details.ensurePolished()  # the style sheet's new font, now
        lines = QFontMetrics(self.details.font()).lineSpacing() * LEAST_LINES
        for box in (self.details, self.history):
            box.setMinimumHeight(lines + 2 * box.frameWidth() + 8)
        results = self.search_bar.results  # a picture found takes three lines or more: two in sight
        results.setMinimumHeight(2 * lines + 2 * results.frameWidth() + 8)

    @property
    def font_size(self) -> int:
        return self._font_size

    # ---- input ----------------------------------------------------------------------------------
    def open_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, _("Open pictures to describe"), "", _("Pictures ({patterns})").format(patterns=IMAGE_FILTER))
        if paths:
            self._take(intake.from_paths(paths, "file"))

    def ask(self) -> None:
        """Put the keyboard in the question field."""
        self.ask_bar.focus()

    def search(self) -> None:
        """Put the keyboard in the search field."""
        self.search_bar.focus()

    def show_found(self, found: list) -> None:
        """List the pictures a search found (``index.Found``, best first)."""
        self.search_bar.show_results(found)

    def open_found(self, found) -> None:
        """Show what was said about a picture found (its caption and the text read in the details), and say it."""
        self._show_text(found.said)
        lines = [found.path]
        if found.caption:
            lines.append(_("Caption: {caption}").format(caption=found.caption))
        if found.text:
            lines.append(_("Text read on it:"))
            lines.extend(found.text.splitlines())
        self.details.setPlainText("\n".join(lines))
        self.speak_requested.emit(_("{label}: {message}").format(label=os.path.basename(found.path),
                                                                  message=found.said))

    def paste(self) -> None:
        self._take(intake.from_mime(QApplication.clipboard().mimeData(), "paste"))

    def copy_description(self) -> None:
        """Copy the selection of the description or details panel (whichever has the keyboard), or,
        with nothing selected, all of it."""
        panel = self.details if self.details.hasFocus() else self.description
        selected = panel.textCursor().selectedText().replace("\u2029", "\n")  # Qt's paragraph separator
        QApplication.clipboard().setText(selected or panel.toPlainText())

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasImage() or mime.hasText():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        event.acceptProposedAction()
        self._take(intake.from_mime(event.mimeData(), "drop"))

    def _take(self, result: intake.Intake) -> None:
        if result.refusals:
            self.refused.emit(result.refusals)
        if result.requests:
            self.describe_requested.emit(result.requests)

    def closeEvent(self, event) -> None:  # noqa: N802
        if not self.keep_running_when_closed:
            self.quit_requested.emit()
        event.accept()

    def set_shortcuts(self, bindings: dict[str, str]) -> None:
        """Show the global shortcuts (command id -> keys) under the buttons."""
        from seesay.core.commands import BY_ID, readable_keys

        # as written: lowering "Bildschirm beschreiben" would misspell every German noun
        parts = [f"{readable_keys(keys)}: {_(BY_ID[command].description)}"
                 for command, keys in bindings.items() if keys and command in BY_ID]
        self._shortcut_text = _("Global shortcuts") + " — " + "; ".join(parts) if parts else ""
        self._show_shortcuts()

    def set_tray_note(self, note: str) -> None:
        self._tray_note = note
        self._show_shortcuts()

    def _show_shortcuts(self) -> None:
        text = "\n".join(part for part in (self._shortcut_text, self._tray_note) if part)
        self.shortcuts.setText(text)
        self.shortcuts.setAccessibleDescription(text or _("Keys that work from any program"))
        self.shortcuts.setVisible(bool(text))

