"""The import flow in the GUI: detection, column matching, progress, cancel, report, undo."""

from __future__ import annotations

from merchant_ai.store import open_store
from tests.ui.conftest import GENERIC_MAPPING, wait_tasks, write_generic_file


def _orders(path) -> int:
    with open_store(path) as store:
        return int(store.scalar("SELECT COUNT(*) FROM orders"))


def test_generic_file_is_imported_through_the_mapping_dialog_and_the_mapping_is_remembered(
        make_window, qtbot, tmp_path):
    store_path = tmp_path / "shop.db"
    context, window = make_window(store_path)
    assert window.outer.currentWidget() is window.welcome  # first run: no store yet
    first = write_generic_file(tmp_path / "sales-jan.csv", 40)
    dialog = window.open_import_dialog([str(first)])
    qtbot.waitUntil(lambda: dialog.mapping_dialog is not None, timeout=20_000)
    mapping_dialog = dialog.mapping_dialog
    assert dialog.table.item(0, 2).text() == "Needs its columns matched"
    assert not dialog.import_button.isEnabled()

    # Live validation: a required field missing is named in plain words, OK stays disabled.
    mapping_dialog.set_mapping({k: v for k, v in GENERIC_MAPPING.items() if k != "quantity"})
    assert mapping_dialog.problems == ["Choose the column that holds the quantity."]
    assert "quantity" in mapping_dialog.messages.text()
    assert not mapping_dialog.buttons.button(mapping_dialog.buttons.StandardButton.Ok).isEnabled()
    mapping_dialog.set_mapping(GENERIC_MAPPING)
    assert mapping_dialog.problems == []
    assert "Quantity" in [mapping_dialog.preview_model.headerData(i, _horizontal())
                          for i in range(mapping_dialog.preview_model.columnCount())]
    mapping_dialog.accept()
    assert dialog.table.item(0, 2).text() == "Ready (columns matched)"

    handle = dialog.start_import()
    qtbot.waitUntil(lambda: handle.done, timeout=30_000)
    wait_tasks(qtbot, context)
    assert dialog.table.item(0, 2).text() == "Imported"
    assert dialog.progress.value() == 1000
    assert "sales-jan.csv" in dialog.report.toPlainText()
    saved = dialog.save_report(tmp_path / "report.txt")
    assert saved.read_text(encoding="utf-8") == dialog.report.toPlainText()
    assert _orders(store_path) == 20
    assert window.outer.currentWidget() is window.main_area  # the store exists now
    dialog.close()

    # A second file with the same columns is recognised: no dialog, ready at once.
    second = write_generic_file(tmp_path / "sales-feb.csv", 10, first_order=1000)
    dialog2 = window.open_import_dialog([str(second)])
    qtbot.waitUntil(lambda: second in dialog2.detections, timeout=20_000)
    assert dialog2.mapping_dialog is None
    assert dialog2.table.item(0, 2).text() == "Ready (saved column matching)"
    handle = dialog2.start_import()
    qtbot.waitUntil(lambda: handle.done, timeout=30_000)
    wait_tasks(qtbot, context)
    assert _orders(store_path) == 25


def test_cancel_during_an_import_leaves_the_store_unchanged(make_window, qtbot, tmp_path, demo_store):
    context, window = make_window(demo_store)
    before = _orders(demo_store)
    big = write_generic_file(tmp_path / "big.csv", 60_000)
    dialog = window.open_import_dialog([str(big)])
    qtbot.waitUntil(lambda: dialog.mapping_dialog is not None, timeout=20_000)
    dialog.mapping_dialog.set_mapping(GENERIC_MAPPING)
    dialog.mapping_dialog.accept()
    progressed = []
    handle = dialog.start_import()
    handle.progressed.connect(lambda fraction, text: progressed.append(fraction))
    qtbot.waitUntil(lambda: bool(progressed) or handle.done, timeout=30_000)
    assert dialog.cancel_button.isEnabled()
    dialog.cancel_import()
    qtbot.waitUntil(lambda: handle.done, timeout=60_000)
    wait_tasks(qtbot, context)
    assert dialog.table.item(0, 2).text() == "Cancelled — nothing was changed"
    assert _orders(demo_store) == before
    assert dialog.import_button.isEnabled() is False or dialog.cancel_button.isEnabled() is False


def test_an_import_can_be_undone_from_the_imports_list(make_window, qtbot, tmp_path, demo_store):
    context, window = make_window(demo_store)
    before = _orders(demo_store)
    path = write_generic_file(tmp_path / "sales.csv", 30, first_order=900_000)
    dialog = window.open_import_dialog([str(path)])
    qtbot.waitUntil(lambda: dialog.mapping_dialog is not None, timeout=20_000)
    dialog.mapping_dialog.set_mapping(GENERIC_MAPPING)
    dialog.mapping_dialog.accept()
    handle = dialog.start_import()
    qtbot.waitUntil(lambda: handle.done, timeout=30_000)
    dialog.close()
    assert _orders(demo_store) == before + 15

    window.go_to("data")
    tab = window.page("data").imports_tab
    wait_tasks(qtbot, context)
    assert tab.model.rowCount() == 1
    tab.view.selectRow(0)
    tab.confirm = lambda text: "sales.csv" in text
    undo = tab.undo_selected()
    qtbot.waitUntil(lambda: undo.done, timeout=30_000)
    wait_tasks(qtbot, context)
    assert _orders(demo_store) == before
    assert "undone" in tab.status.text()


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal
