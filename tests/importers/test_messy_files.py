"""Real-world mess in export files is handled and reported: encodings, delimiters, XLSX,
money and date styles, duplicates, malformed lines, unreadable values."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from merchant_ai.importers.dates import parse_date_column
from merchant_ai.importers.parsing import clean_identifier, parse_amount_column
from merchant_ai.importers.pipeline import MALFORMED_LINE
from merchant_ai.services.imports import detect_file, import_file
from tests.importers import exports as ex


def _retail_rows(title: str = "WHITE MUG") -> list[dict]:
    return [
        {
            "InvoiceNo": "1001",
            "StockCode": "M1",
            "Description": title,
            "Quantity": "2",
            "InvoiceDate": "2011-03-01 10:00:00",
            "UnitPrice": "2.50",
            "CustomerID": "12345",
            "Country": "France",
        },
        {
            "InvoiceNo": "1002",
            "StockCode": "M2",
            "Description": "TEA TOWEL",
            "Quantity": "1",
            "InvoiceDate": "2011-03-02 11:00:00",
            "UnitPrice": "1.25",
            "CustomerID": "12346",
            "Country": "France",
        },
    ]


@pytest.mark.parametrize(
    "encoding, title",
    [
        ("utf-8", "CRÈME BRÛLÉE DISH"),
        ("utf-8-sig", "CRÈME BRÛLÉE DISH"),
        ("cp1252", "CRÈME BRÛLÉE DISH – 5€ OFF"),
        ("gbk", "青花瓷茶杯套装，六件装精美礼盒"),
    ],
)
def test_legacy_and_unicode_encodings_are_read(store, tmp_path, encoding, title):
    rows = _retail_rows(title) * 1
    path = ex.write_export(tmp_path / "export.csv", ex.ONLINE_RETAIL, rows, encoding=encoding)
    import_file(store, path)
    assert store.scalar("SELECT title FROM order_lines WHERE order_id = '1001'") == title


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_any_common_delimiter_is_detected(store, tmp_path, delimiter):
    path = ex.write_export(tmp_path / "export.csv", ex.ONLINE_RETAIL, _retail_rows(), delimiter=delimiter)
    assert detect_file(path).delimiter == delimiter
    assert import_file(store, path).lines["imported"] == 2


def test_xlsx_export_with_excel_serial_dates_and_numeric_ids(store, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(ex.header_list(ex.ONLINE_RETAIL))
    sheet.append([1001, "M1", "WHITE MUG", 2, 40603.4166666667, 2.5, 12345.0, "France"])  # serial date
    sheet.append([1002, "M2", "TEA TOWEL", 1, datetime(2011, 3, 2, 11, 0), 1.25, 12346, "France"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    report = import_file(store, path)
    assert report.lines["imported"] == 2
    rows = dict(store.conn.execute("SELECT order_id, created_at FROM orders").fetchall())
    assert rows == {"1001": "2011-03-01 10:00:00", "1002": "2011-03-02 11:00:00"}
    assert store.scalar("SELECT customer_id FROM orders WHERE order_id = '1001'") == "12345"
    assert any("Excel date numbers" in f["what"] for f in report.fixes)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("$1,234.56", 1234.56),
        ("1.234,56 €", 1234.56),
        ("($33.62)", -33.62),
        ("-$1.00", -1.0),
        ("12", 12.0),
    ],
)
def test_money_styles_are_read_as_numbers(text, expected):
    decimal_comma = "€" in text
    assert parse_amount_column(pd.Series([text]), decimal_comma).values.iloc[0] == pytest.approx(expected)


def test_decimal_comma_is_decided_per_column_from_all_values():
    column = parse_amount_column(pd.Series(["1.234,56 €", "12,50 €", "3 €"]))
    assert column.decimal_comma and list(column.values) == [1234.56, 12.5, 3.0]
    assert column.reformatted == 3


def test_european_semicolon_file_with_decimal_commas(store, tmp_path):
    rows = [dict(r, UnitPrice=r["UnitPrice"].replace(".", ",") + " €") for r in _retail_rows()]
    path = ex.write_export(tmp_path / "export.csv", ex.ONLINE_RETAIL, rows, delimiter=";")
    import_file(store, path)
    assert store.scalar("SELECT unit_price FROM order_lines WHERE order_id = '1002'") == 1.25


def test_day_month_order_is_decided_once_per_file():
    # 13/1/2024 only fits day/month, so 3/4/2024 in the same file is 3 April, not 4 March
    dates = parse_date_column(pd.Series(["3/4/2024 9:05", "13/1/2024 10:00", "3/4/2024 9:05"]))
    assert dates.order_used == "dmy"
    assert list(dates.text) == ["2024-04-03 09:05:00", "2024-01-13 10:00:00", "2024-04-03 09:05:00"]
    us = parse_date_column(pd.Series(["3/4/2024", "1/13/2024"]))
    assert us.order_used == "mdy" and us.text.iloc[0] == "2024-03-04 00:00:00"


def test_ambiguous_dates_follow_the_file_order_then_the_platform_habit():
    in_order = parse_date_column(pd.Series(["1/12/2010 8:26", "1/12/2010 9:00", "2/12/2010 8:00"]))
    assert in_order.order_used == "dmy"  # 1-2 December keeps the rows in order; Jan 12 -> Feb 12 too,
    assert in_order.text.iloc[2] == "2010-12-02 08:00:00"  # so the shorter span decides
    single = parse_date_column(pd.Series(["4/5/2024"]), default_order="mdy")
    assert single.text.iloc[0] == "2024-04-05 00:00:00"


def test_iso_zones_excel_serials_and_month_names():
    dates = parse_date_column(
        pd.Series(
            ["2025-12-06 10:37:33 -0500", "2020-01-01T12:34:56+05:30", "45123.5", "Dec 1, 2010", "not a date"]
        )
    )
    assert list(dates.text[:4]) == [
        "2025-12-06 10:37:33",
        "2020-01-01 12:34:56",
        "2023-07-16 12:00:00",
        "2010-12-01 00:00:00",
    ]
    assert list(dates.offset_minutes[:2]) == [-300, 330]
    assert list(dates.unreadable) == [False, False, False, False, True]


def test_apostrophe_prefixed_ids_and_excel_whole_numbers_are_cleaned():
    assert list(clean_identifier(pd.Series(["'02134", " 560029 ", "12345.0", "", "00123"]))) == [
        "02134",
        "560029",
        "12345",
        None,
        "00123",
    ]


def test_duplicates_malformed_lines_and_bad_dates_are_left_out_with_reasons(store, tmp_path):
    rows = (
        _retail_rows() + [_retail_rows()[0]] + [dict(_retail_rows()[1], InvoiceNo="1003", InvoiceDate="soon")]
    )
    text = ex.export_text(ex.ONLINE_RETAIL, rows) + "1004,M9,BROKEN,1,2011-03-03,1.0,1,France,extra,cells\n"
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    report = import_file(store, path)
    reasons = {s["reason"]: s["count"] for s in report.skipped}
    assert reasons["exact duplicate of an earlier row"] == 1
    assert reasons["order date missing or unreadable"] == 1
    assert reasons[MALFORMED_LINE] == 1
    assert report.lines["imported"] == 2 and report.rows_read == 4
    text_report = report.to_text()
    assert "exact duplicate" in text_report and "row 4" in text_report and "data line 5" in text_report


def test_title_lines_above_the_header_are_skipped(store, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Sales report\nExported 2024-01-01\n" + ex.export_text(ex.ONLINE_RETAIL, _retail_rows()))
    assert detect_file(path).format == "online_retail"
    assert import_file(store, path).lines["imported"] == 2
