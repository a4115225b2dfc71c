"""`merchant-ai forecast` and `merchant-ai reorder` from the command line, JSON out."""

from __future__ import annotations

import json

import pytest

from merchant_ai.cli import run_cli
from merchant_ai.store import open_store
from tests.forecast_fixtures import NEVER_SOLD, NEW_ARRIVAL, build_small_shop

REORDER_FIELDS = {"sku", "status", "abc_class", "safety_stock", "reorder_point", "suggested_qty",
                  "last_order_date", "stockout_date", "days_of_cover", "lost_sales", "explanations"}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "shop.db"
    build_small_shop(path)
    return path


def test_forecast_json_gives_daily_quantiles_per_sku_verbatim(shop, capsys):
    assert run_cli(["forecast", "--db", str(shop), "--horizon", "5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_sku = {p["sku"]: p for p in data["products"]}
    assert NEVER_SOLD in by_sku and by_sku[NEVER_SOLD]["basis"] == "not enough history"
    daily = by_sku[NEW_ARRIVAL]["daily"]
    assert len(daily) == 5 and set(daily[0]) >= {"date", "p10", "p50", "p90"}
    assert daily[0]["date"] == data["as_of"]


def test_forecast_csv_and_bad_horizon(shop, tmp_path, capsys):
    target = tmp_path / "f.csv"
    assert run_cli(["forecast", "--db", str(shop), "--horizon", "3", "--csv", str(target)]) == 0
    assert target.read_text().splitlines()[0] == "sku,date,mean,p10,p50,p90"
    assert run_cli(["forecast", "--db", str(shop), "--horizon", "0"]) == 2
    assert "horizon" in capsys.readouterr().err


def test_reorder_json_has_the_reorder_fields(shop, capsys):
    assert run_cli(["reorder", "--db", str(shop), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert REORDER_FIELDS <= set(data["products"][0])
    statuses = [p["status"] for p in data["products"]]
    assert "not enough history" in statuses


def test_reorder_edits_stock_and_writes_purchase_orders(shop, tmp_path, capsys):
    po = tmp_path / "po.csv"
    args = ["reorder", "--db", str(shop), "--json", "--set-stock", f"{NEW_ARRIVAL}=0",
            "--set", NEW_ARRIVAL, "pack_size=5", "--po", str(po)]
    assert run_cli(args) == 0
    line = next(p for p in json.loads(capsys.readouterr().out)["products"] if p["sku"] == NEW_ARRIVAL)
    assert line["status"] == "out of stock" and line["pack_size"] == 5.0
    assert line["suggested_qty"] > 0 and line["suggested_qty"] % 5 == 0
    assert NEW_ARRIVAL in po.read_text()


def test_bad_edit_changes_nothing(shop, capsys):
    with open_store(shop) as store:
        before = store.scalar("SELECT on_hand FROM inventory WHERE sku = ?", (NEW_ARRIVAL,))
    code = run_cli(["reorder", "--db", str(shop), "--set-stock", f"{NEW_ARRIVAL}=7",
                    "--set", NEW_ARRIVAL, "service_level=5000"])
    assert code == 2
    assert "service level" in capsys.readouterr().err
    with open_store(shop) as store:
        assert store.scalar("SELECT on_hand FROM inventory WHERE sku = ?", (NEW_ARRIVAL,)) == before


def test_purchase_order_pdf_export(shop, tmp_path):
    po = tmp_path / "po.pdf"
    assert run_cli(["reorder", "--db", str(shop), "--po", str(po)]) == 0
    assert po.read_bytes()[:4] == b"%PDF"


def test_a_store_with_a_single_order_says_not_enough_history_in_plain_words(tmp_path, capsys):
    import pandas as pd

    from merchant_ai.store.bulk import insert_frame

    path = tmp_path / "one.db"
    with open_store(path) as store, store.transaction() as conn:
        insert_frame(conn, "products", pd.DataFrame({"sku": ["007"], "title": ["Mug"], "price": [5.0]}))
        insert_frame(conn, "orders", pd.DataFrame({"order_id": ["#1"], "created_at": ["2025-03-01 10:00:00"]}))
        insert_frame(conn, "order_lines", pd.DataFrame({
            "order_id": ["#1"], "line_no": [1], "sku": ["007"], "title": ["Mug"], "quantity": [2.0],
            "unit_price": [5.0], "line_total": [10.0], "is_refund": [0], "is_product": [1]}))
    assert run_cli(["forecast", "--db", str(path), "--json"]) == 0
    product = json.loads(capsys.readouterr().out)["products"][0]
    assert product["sku"] == "007" and product["basis"] == "not enough history" and product["daily"] == []
    assert product["note"].startswith("Only 1 day of sales")
    assert run_cli(["reorder", "--db", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["products"][0]["suggested_qty"] == 0


def test_a_bad_purchase_order_file_changes_nothing_and_an_unknown_vendor_is_refused(shop, tmp_path, capsys):
    with open_store(shop) as store:
        before = store.scalar("SELECT on_hand FROM inventory WHERE sku = ?", (NEW_ARRIVAL,))
    code = run_cli(["reorder", "--db", str(shop), "--set-stock", f"{NEW_ARRIVAL}=7", "--po", str(tmp_path / "po.txt")])
    assert code == 2 and ".csv or .pdf" in capsys.readouterr().err
    code = run_cli(["reorder", "--db", str(shop), "--set-stock", f"{NEW_ARRIVAL}=7",
                    "--csv", str(tmp_path / "no-such-folder" / "r.csv")])
    assert code == 2 and "does not exist" in capsys.readouterr().err
    with open_store(shop) as store:
        assert store.scalar("SELECT on_hand FROM inventory WHERE sku = ?", (NEW_ARRIVAL,)) == before
    po = tmp_path / "po.csv"
    assert run_cli(["reorder", "--db", str(shop), "--po", str(po), "--vendor", "No Such Vendor"]) == 2
    err = capsys.readouterr().err
    assert "No such Vendor".lower() in err.lower() and len(err.strip().splitlines()) == 1 and not po.exists()


def test_a_misspelt_vendor_with_stock_and_setting_edits_changes_nothing(shop, tmp_path, capsys):
    with open_store(shop) as store:
        before = store.scalar("SELECT on_hand FROM inventory WHERE sku = ?", (NEW_ARRIVAL,))
    code = run_cli(["reorder", "--db", str(shop), "--set-stock", f"{NEW_ARRIVAL}=7",
                    "--set", NEW_ARRIVAL, "lead_time_days=33", "--po", str(tmp_path / "po.csv"),
                    "--vendor", "Test Vendr"])
    assert code == 2 and "Test Vendr" in capsys.readouterr().err
    with open_store(shop) as store:
        assert store.scalar("SELECT on_hand FROM inventory WHERE sku = ?", (NEW_ARRIVAL,)) == before
        assert store.scalar("SELECT COUNT(*) FROM product_settings WHERE lead_time_days = 33") == 0
    # a vendor named by this very command's settings is known
    code = run_cli(["reorder", "--db", str(shop), "--set", NEW_ARRIVAL, "vendor=Fresh Supplier",
                    "--po", str(tmp_path / "po.csv"), "--vendor", "Fresh Supplier"])
    assert code == 0
