"""`merchant-ai customers`: JSON per customer, ids verbatim, bad input exits 2."""

from __future__ import annotations

import json

import pandas as pd

from merchant_ai.cli import run_cli
from merchant_ai.services.customers.service import CLI_FIELDS
from tests.customers_fixtures import write_shop

ODD_IDS = ["007", "A-12 b", "ÅSA-1", "0.50"]


def _shop(tmp_path):
    orders = []
    for i, customer in enumerate(ODD_IDS):
        for k in range(i + 1):
            orders.append((customer, f"2026-0{1 + k}-1{i}", 10.0 + 5 * k))
    return write_shop(tmp_path / "odd.db", orders)


def test_customers_json_lists_every_customer_with_the_fields_and_ids_verbatim(tmp_path, capsys):
    path = _shop(tmp_path)
    assert run_cli(["customers", "--db", str(path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    ids = [row["customer_id"] for row in payload["customers"]]
    assert sorted(ids) == sorted(ODD_IDS)
    for row in payload["customers"]:
        assert set(CLI_FIELDS) <= set(row)
        assert 0.0 <= row["p_active_90d"] <= 1.0 and row["clv_365d"] >= 0.0
    assert payload["predictions_uncertain"] is True
    assert {s["segment"] for s in payload["segments"]} >= {"Champions", "Dormant"}


def test_customers_as_of_answers_with_earlier_data(tmp_path, capsys):
    path = _shop(tmp_path)
    assert run_cli(["customers", "--db", str(path), "--as-of", "2026-01-12", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["as_of"] == "2026-01-12"
    assert sorted(row["customer_id"] for row in payload["customers"]) == ["007", "A-12 b"]


def test_customers_writes_the_action_list_csv(tmp_path, capsys):
    path = _shop(tmp_path)
    out = tmp_path / "actions.csv"
    assert run_cli(["customers", "--db", str(path), "--actions-csv", str(out)]) == 0
    assert "Customers as of" in capsys.readouterr().out
    actions = pd.read_csv(out, dtype={"customer_id": str}, encoding="utf-8-sig", keep_default_na=False)
    assert set(actions["customer_id"]) <= set(ODD_IDS)


def test_an_action_list_csv_in_a_missing_folder_exits_2_with_one_plain_line(tmp_path, capsys):
    path = _shop(tmp_path)
    out = tmp_path / "no-such-folder" / "actions.csv"
    assert run_cli(["customers", "--db", str(path), "--actions-csv", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err and "internal error" not in err


def test_customers_on_a_missing_store_exits_2_with_one_line(tmp_path, capsys):
    assert run_cli(["customers", "--db", str(tmp_path / "nope.db"), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "merchant-ai:" in err


def test_customers_on_a_store_without_orders_exits_2(tmp_path, capsys):
    from merchant_ai.store import open_store

    with open_store(tmp_path / "empty.db"):
        pass
    assert run_cli(["customers", "--db", str(tmp_path / "empty.db")]) == 2
    assert "no orders" in capsys.readouterr().err


def test_a_shop_with_one_customer_and_one_order_calls_them_new_in_plain_words(tmp_path, capsys):
    path = write_shop(tmp_path / "one.db", [("007", "2026-03-02", 25.0)])
    assert run_cli(["customers", "--db", str(path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [row["customer_id"] for row in payload["customers"]] == ["007"]
    assert payload["customers"][0]["segment"] == "New"  # ordered on the last day: not "Dormant"
    assert payload["notes"][0].startswith("Your shop has 1 customer and less than a month of history")
