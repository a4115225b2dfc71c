"""Settings (also Edit → Preferences): store file, privacy, appearance, model provider."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

PROVIDER_CHOICES = [("Auto (use a graphics card when there is one)", "auto"), ("CPU only", "cpu")]


def _save_provider(store, value: str, *, progress, cancel) -> str:
    from merchant_ai.ml.providers import set_provider_preference
    from merchant_ai.ml.registry import clear_cache

    chosen = set_provider_preference(value, store=store)
    clear_cache()  # models load again with the new setting
    return chosen


def _read_provider(store, *, progress, cancel) -> str:
    from merchant_ai.ml.providers import provider_preference

    return provider_preference(store)


class SettingsPage(QWidget):
    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.task = None
        self.store_label = QLabel()
        self.store_label.setWordWrap(True)
        other_store = QPushButton("Open another store file…")
        other_store.clicked.connect(lambda: self.window().pick_store_file())
        demo = QPushButton("Open the demo store")
        demo.clicked.connect(self._open_demo)
        store_buttons = QHBoxLayout()
        store_buttons.addWidget(other_store)
        store_buttons.addWidget(demo)
        store_buttons.addStretch(1)
        store_box = QGroupBox("Your shop's data")
        store_layout = QVBoxLayout(store_box)
        store_layout.addWidget(self.store_label)
        store_layout.addLayout(store_buttons)

        self.privacy = QCheckBox("Privacy mode: keep no customer names or e-mail addresses (only scrambled codes)")
        self.privacy.setChecked(str(context.settings.value("imports/privacy", "true")).lower() == "true")
        self.privacy.toggled.connect(lambda on: context.settings.setValue("imports/privacy", "true" if on else "false"))
        self.theme = QComboBox()
        for label, value in (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark")):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(self.theme.findData(str(context.settings.value("appearance/theme", "system"))), 0))
        self.theme.currentIndexChanged.connect(self._theme_changed)
        self.provider = QComboBox()
        for label, value in PROVIDER_CHOICES:
            self.provider.addItem(label, value)
        self.provider.currentIndexChanged.connect(self._provider_changed)
        self.provider_note = QLabel("Tree models run on the processor whatever you choose; "
                                    "Help → About shows which provider each model really used.")
        self.provider_note.setWordWrap(True)
        for combo in (self.theme, self.provider):
            combo.setMaximumWidth(360)
        form = QFormLayout()
        form.addRow("Imports", self.privacy)
        form.addRow("Appearance", self.theme)
        form.addRow("Models run on", self.provider)
        form.addRow("", self.provider_note)
        prefs_box = QGroupBox("Preferences")
        prefs_box.setLayout(form)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(QLabel("<h2>Settings</h2>"))
        layout.addWidget(store_box)
        layout.addWidget(prefs_box)
        layout.addStretch(1)
        context.store_path_changed.connect(lambda _p: self._show_store())
        self._show_store()

    def _show_store(self) -> None:
        from merchant_ai.store.paths import data_dir, log_dir

        self.store_label.setText(f"Store file: {self.context.store_path}\nData folder: {data_dir()}\n"
                                 f"Log folder: {log_dir()}")
        if self.context.store_exists():
            self.task = self.context.run_on_store(_read_provider, show_progress=False, on_done=self._show_provider)

    def _show_provider(self, preference: str) -> None:
        self.provider.blockSignals(True)
        self.provider.setCurrentIndex(max(self.provider.findData(preference), 0))
        self.provider.blockSignals(False)

    def _open_demo(self):
        from merchant_ai.ui.store_actions import open_demo_store

        return open_demo_store(self.context)

    def _theme_changed(self, _index: int) -> None:
        from merchant_ai.ui.theme import apply_theme

        choice = self.theme.currentData()
        self.context.settings.setValue("appearance/theme", choice)
        apply_theme(QApplication.instance(), choice)

    def _provider_changed(self, _index: int):
        if not self.context.store_exists():
            return None
        return self.context.run_on_store(_save_provider, self.provider.currentData(), writes=True,
                                         title="Saving…", show_progress=False)

    def busy(self) -> bool:
        return self.task is not None and not self.task.done
