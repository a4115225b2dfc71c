"""The frame: first run, demo store, pages and menus, geometry, self-test, about box."""

from __future__ import annotations

import json
import shutil
import time
from types import SimpleNamespace

from merchant_ai.ui.main_window import pages
from tests.ui.conftest import wait_page, wait_tasks

FRAME_PAGES = ("dashboard", "data", "settings")


def test_first_run_offers_import_or_demo_and_the_demo_opens_the_dashboard(make_window, qtbot, tmp_path,
                                                                          demo_store, monkeypatch):
    context, window = make_window(tmp_path / "no-store-yet.db")
    assert window.outer.currentWidget() is window.welcome
    assert window.welcome.import_button.isVisible() and window.welcome.demo_button.isVisible()
    demo_path = tmp_path / "home" / "demo-store.db"
    demo_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(demo_store, demo_path)  # the demo store written earlier (creating one takes seconds)
    monkeypatch.setattr("merchant_ai.ui.store_actions.demo_store_path", lambda: demo_path)
    window.welcome.demo_button.click()
    assert context.store_path == demo_path
    assert window.outer.currentWidget() is window.main_area
    qtbot.waitUntil(lambda: window.current_key() == "dashboard", timeout=10_000)
    wait_page(qtbot, context, window.page("dashboard"))
    assert window.page("dashboard").data is not None
    assert str(context.settings.value("store/last_path")) == str(demo_path)  # reopened next time


def test_demo_flag_picks_the_demo_store_and_db_wins(settings, tmp_path):
    from merchant_ai.ui.app import choose_store_path, parse_app_args

    demo = choose_store_path(parse_app_args(["--demo"]), settings)
    assert demo.name == "demo-store.db" and demo.parent.name == "home"
    assert choose_store_path(parse_app_args(["--demo", "--db", str(tmp_path / "x.db")]), settings) == tmp_path / "x.db"


def test_the_sidebar_lists_every_page_of_the_capability_table_and_the_frames_pages_open(app_window, qtbot):
    from merchant_ai.capabilities import sidebar_pages

    context, window = app_window
    labels = [window.sidebar.item(row).text() for row in range(window.sidebar.count())]
    assert labels == [entry.label for entry in sidebar_pages()]
    assert "Risk" in labels and "Inventory" in labels
    for key in FRAME_PAGES:
        # Capability pages run real analyses: their own tests and the self-test visit them.
        window.go_to(key)
        page = window.page(key)
        assert window.stack.currentWidget() is page and window.current_key() == key
        wait_page(qtbot, context, page)


def test_ctrl_o_and_preferences_are_wired_and_geometry_is_remembered(app_window, qtbot, settings):
    from PySide6.QtGui import QKeySequence

    context, window = app_window
    assert window.import_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    window.resize(700, 520)
    window.close()
    from merchant_ai.ui.app import build_window

    context2, window2 = build_window(context.store_path, settings)
    qtbot.addWidget(window2)
    assert (window2.width(), window2.height()) == (700, 520)
    context2.tasks.shutdown()


def test_dropping_export_files_on_the_window_opens_the_import(app_window, qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    context, window = app_window
    requested = []
    context.import_requested.disconnect()
    context.import_requested.connect(requested.append)
    export = tmp_path / "orders.csv"
    export.write_text("a,b\n1,2\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(export))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert requested == [[str(export)]]


def test_about_box_lists_versions_models_and_providers(app_window, qtbot):
    context, window = app_window
    dialog = window.show_about()
    qtbot.waitUntil(lambda: dialog.info is not None, timeout=60_000)
    text = dialog.text.toPlainText()
    assert "Merchant AI 0.1.0" in text and "onnxruntime providers available: " in text
    assert "CPUExecutionProvider" in text
    wait_tasks(qtbot, context)
    dialog.close()


def test_self_test_prints_one_json_object_and_fails_when_an_analysis_fails(qapp, demo_store, capsys, monkeypatch):
    from merchant_ai.ui import self_test

    # The frame's own pages and one real analysis keep this quick; the full run is `merchant-ai --self-test`.
    monkeypatch.setattr("merchant_ai.ui.main_window.pages", lambda: [p for p in pages() if p.key in FRAME_PAGES])
    monkeypatch.setattr("merchant_ai.capabilities.analyses",
                        lambda: {"recommend": "merchant_ai.services.recommend:recommendations_overview"})
    code = self_test.run_self_test(qapp, SimpleNamespace(db=str(demo_store)), time.perf_counter())
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["ok"] is True and report["errors"] == []
    assert set(report["pages_visited"]) == set(FRAME_PAGES)
    assert set(report["analyses_seconds"]) == {"recommend"} and report["startup_seconds"] > 0
    assert report["libraries"]["PySide6"]

    monkeypatch.setattr("merchant_ai.capabilities.analyses",
                        lambda: {"broken": "merchant_ai.services.dashboard.summary:nope"})
    code = self_test.run_self_test(qapp, SimpleNamespace(db=str(demo_store)), time.perf_counter())
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["ok"] is False and report["errors"][0].startswith("analysis broken")


def test_self_test_on_an_empty_store_passes_and_lists_the_plain_not_enough_data_answers(qapp, tmp_path, capsys,
                                                                                        monkeypatch):
    from merchant_ai.store import open_store
    from merchant_ai.ui import self_test

    monkeypatch.setattr("merchant_ai.ui.main_window.pages",
                        lambda: [p for p in pages() if p.key in ("dashboard", "settings")])
    monkeypatch.setattr("merchant_ai.capabilities.analyses",
                        lambda: {"forecast": "merchant_ai.services.forecast:forecast"})
    empty = tmp_path / "empty.db"
    open_store(empty).close()
    code = self_test.run_self_test(qapp, SimpleNamespace(db=str(empty)), time.perf_counter())
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["ok"] is True and report["errors"] == []
    assert report["not_enough_data"] and "no orders yet" in report["not_enough_data"][0]
