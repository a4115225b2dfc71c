"""The main window: sidebar of pages, menus, drag-and-drop of exports, remembered geometry.

Pages are imported and built on first visit, so a heavy page (charts, models) costs nothing
until the owner opens it, and cold start stays short.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from merchant_ai.ui.context import AppContext
from merchant_ai.ui.theme import app_icon, icon

log = logging.getLogger("merchant_ai.ui")



def pages():
    """The sidebar's pages, in order (merchant_ai.capabilities: each capability's, then the app's)."""
    from merchant_ai.capabilities import sidebar_pages

    return sidebar_pages()


class MainWindow(QMainWindow):
    shown = Signal()  # first time the window is on screen (startup timing)

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle("Merchant AI")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.pages: dict[str, QWidget] = {}
        self._shown_once = False

        self.sidebar = QListWidget()
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(190)
        self.sidebar.setObjectName("sidebar")
        self.page_list = pages()
        for entry in self.page_list:
            item = QListWidgetItem(icon(entry.icon), entry.label)
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            item.setSizeHint(QSize(0, 36))
            self.sidebar.addItem(item)
        self.stack = QStackedWidget()
        self.sidebar.currentRowChanged.connect(self._row_changed)

        self.store_label = QLabel()
        self.store_label.setWordWrap(True)
        self.store_label.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 8)
        side.addWidget(self.sidebar, 1)
        side.addWidget(self.store_label)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setFixedWidth(190)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(side_widget)
        body.addWidget(self.stack, 1)
        self.main_area = QWidget()
        self.main_area.setLayout(body)

        from merchant_ai.ui.pages.welcome_page import WelcomePage

        self.welcome = WelcomePage(context)
        self.outer = QStackedWidget()
        self.outer.addWidget(self.welcome)
        self.outer.addWidget(self.main_area)
        self.setCentralWidget(self.outer)

        self._build_menus()
        context.navigate_requested.connect(self.go_to)
        context.store_path_changed.connect(lambda _p: self.refresh_for_store())
        context.store_changed.connect(self.refresh_for_store)
        context.import_requested.connect(self.open_import_dialog)
        self._restore_geometry()
        self.refresh_for_store()

    # --- pages ---------------------------------------------------------------------------------
    def refresh_for_store(self) -> None:
        """Welcome page until there is a store; then the sidebar and the dashboard."""
        has_store = self.context.store_exists()
        self.outer.setCurrentWidget(self.main_area if has_store else self.welcome)
        self.store_label.setText(f"  Store: {self.context.store_path.name}")
        self.store_label.setToolTip(str(self.context.store_path))
        if has_store and self.sidebar.currentRow() < 0:
            if self._shown_once:
                self.sidebar.setCurrentRow(0)
            else:
                # Build the first page right after the window is on screen (cold start).
                self.shown.connect(lambda: QTimer.singleShot(0, self.refresh_for_store))

    def page(self, key: str) -> QWidget:
        """The page for `key`, built on first use."""
        if key not in self.pages:
            from merchant_ai.capabilities import load

            target = next(entry.widget for entry in self.page_list if entry.key == key)
            widget = load(target)(self.context)
            self.pages[key] = widget
            self.stack.addWidget(widget)
        return self.pages[key]

    def go_to(self, key: str) -> None:
        keys = [entry.key for entry in self.page_list]
        self.outer.setCurrentWidget(self.main_area)
        self.sidebar.setCurrentRow(keys.index(key))

    def current_key(self) -> str | None:
        item = self.sidebar.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentWidget(self.page(self.page_list[row].key))

    # --- menus -----------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.import_action = QAction(icon("import"), "&Import store exports…", self)
        self.import_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_action.triggered.connect(self.pick_files_to_import)
        file_menu.addAction(self.import_action)
        demo_action = QAction(icon("demo"), "Open the &demo store", self)
        demo_action.triggered.connect(self.open_demo_store)
        file_menu.addAction(demo_action)
        open_store_action = QAction("Open another store file…", self)
        open_store_action.triggered.connect(self.pick_store_file)
        file_menu.addAction(open_store_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        prefs = QAction("&Preferences…", self)
        prefs.setShortcuts([QKeySequence(QKeySequence.StandardKey.Preferences), QKeySequence("Ctrl+,")])
        prefs.setMenuRole(QAction.MenuRole.PreferencesRole)
        prefs.triggered.connect(lambda: self.go_to("settings"))
        edit_menu.addAction(prefs)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Merchant AI", self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        logs = QAction("Open the &log folder", self)
        logs.triggered.connect(self.open_log_folder)
        help_menu.addAction(logs)

    def pick_files_to_import(self) -> None:
        from merchant_ai.ui.store_actions import pick_export_files

        files = pick_export_files(self)
        if files:
            self.open_import_dialog(files)

    def pick_store_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a store", str(self.context.store_path.parent),
                                              "Merchant AI store (*.db);;All files (*)")
        if path:
            self.context.set_store_path(Path(path))

    def open_import_dialog(self, files: list[str]):
        from merchant_ai.ui.imports.import_dialog import ImportDialog

        dialog = ImportDialog(self.context, [Path(f) for f in files], parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_demo_store(self):
        from merchant_ai.ui.store_actions import open_demo_store

        return open_demo_store(self.context)

    def show_about(self):
        from merchant_ai.ui.about_dialog import AboutDialog

        dialog = AboutDialog(self.context, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_log_folder(self) -> None:
        from merchant_ai.store.paths import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    # --- drag and drop ---------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        files = [f for f in files if Path(f).is_file()]
        if files:
            event.acceptProposedAction()
            self.context.import_requested.emit(files)

    # --- window state ------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.context.settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 780)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.shown.emit()

    def closeEvent(self, event) -> None:
        self.context.settings.setValue("window/geometry", self.saveGeometry())
        self.context.settings.sync()
        # Ask running work to stop; run_app waits for it (writes first) after the loop ends.
        self.context.tasks.cancel_all()
        super().closeEvent(event)
