"""Data browser: big tables stay lazy, search and sort work, exports are safe to open."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt

from merchant_ai.services.browse import export_frame, neutralise_formulas
from merchant_ai.ui.widgets.dataframe_model import DataFrameTableModel, compute_order
from tests.ui.conftest import wait_page, wait_tasks


def _risky_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "sku": ["A-1", "=HYPERLINK(\"http://x\")", "B-2", "@SUM(A1)", "+1", "-2+3"],
        "title": ["Rose candle", "Oak mug", "Rose soap", "Tea", "Kite", "Vase"],
        "quantity": [1.0, 2.0, -1.0, 4.0, np.nan, 6.0],
    })


def test_search_and_sort_select_and_order_the_rows(qtbot):
    frame = _risky_frame()
    model = DataFrameTableModel(frame)
    model.set_search("rose")
    assert model.rowCount() == 2
    assert [model.data(model.index(r, 1)) for r in range(2)] == ["Rose candle", "Rose soap"]
    model.set_search("", None)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    shown = [model.data(model.index(r, 2), Qt.ItemDataRole.UserRole + 1) for r in range(model.rowCount())]
    assert shown[:5] == [6.0, 4.0, 2.0, 1.0, -1.0] and np.isnan(shown[5])  # missing values last


def test_a_500000_row_table_is_served_lazily(qtbot):
    n = 500_000
    frame = pd.DataFrame({"order_id": np.arange(n).astype(str), "sku": np.where(np.arange(n) % 7 == 0, "X", "Y"),
                          "quantity": np.arange(n, dtype=float)})
    started = time.perf_counter()
    model = DataFrameTableModel(frame)
    assert time.perf_counter() - started < 0.5  # no per-cell work up front
    assert model.rowCount() == n
    started = time.perf_counter()
    cells = [model.data(model.index(r, c)) for r in range(n - 40, n) for c in range(3)]  # one screenful
    assert time.perf_counter() - started < 0.05
    assert cells[-1] == "499,999"
    rows = compute_order(frame, search="x", column="sku", sort_column="quantity", ascending=False)
    assert len(rows) == len(range(0, n, 7)) and frame["quantity"].iloc[rows[0]] == 499_996.0


def test_formula_cells_are_neutralised_in_csv_and_xlsx_exports(tmp_path):
    frame = _risky_frame()
    safe = neutralise_formulas(frame)
    assert safe["sku"].tolist() == ["A-1", "'=HYPERLINK(\"http://x\")", "B-2", "'@SUM(A1)", "'+1", "'-2+3"]
    assert safe["quantity"].iloc[2] == -1.0  # numbers are data, not text: left alone

    csv_path = export_frame(frame, tmp_path / "view.csv")
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=" not in text and ",=" not in text

    from openpyxl import load_workbook

    xlsx_path = export_frame(frame, tmp_path / "view.xlsx")
    sheet = load_workbook(xlsx_path).active
    values = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert values[1] == "'=HYPERLINK(\"http://x\")"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_exporting_into_a_folder_that_cannot_be_written_is_a_plain_message_and_leaves_no_file(tmp_path):
    import pytest

    from merchant_ai.errors import BadInputError

    for name in ("view.csv", "view.xlsx"):
        with pytest.raises(BadInputError, match="Cannot write"):
            export_frame(_risky_frame(), tmp_path / "no-such-folder" / name)
    (tmp_path / "taken.csv").mkdir()  # the target name is a folder: the final rename fails
    with pytest.raises(BadInputError, match="Cannot write"):
        export_frame(_risky_frame(), tmp_path / "taken.csv")
    assert not list(tmp_path.glob("*.partial"))


def test_orders_table_filters_and_exports_the_current_view(app_window, qtbot, tmp_path):
    context, window = app_window
    window.go_to("data")
    page = window.page("data")
    page.tabs.setCurrentWidget(page.table_tabs["orders"])
    wait_page(qtbot, context, page)
    table = page.table_tabs["orders"].table
    total = table.model.rowCount()
    assert total > 1000
    first_id = table.model.data(table.model.index(0, 0))
    table.column_choice.setCurrentIndex(table.column_choice.findData("order_id"))
    table.search.setText(first_id)
    qtbot.waitUntil(lambda: table.model.rowCount() < total, timeout=10_000)
    wait_page(qtbot, context, page)
    assert table.model.rowCount() >= 1
    assert all(first_id in table.model.data(table.model.index(r, 0)) for r in range(table.model.rowCount()))
    assert "of" in table.count_label.text()
    handle = table.export_to(tmp_path / "orders.csv")
    qtbot.waitUntil(lambda: handle.done, timeout=20_000)
    wait_tasks(qtbot, context)
    exported = pd.read_csv(tmp_path / "orders.csv", dtype=str)
    assert len(exported) == table.model.rowCount()
    assert list(exported.columns) == list(table.model.frame().columns)
