"""Robustness: a killed import leaves the store as it was; malformed files never produce a
traceback or a partial import; the command line reports bad input in one line, exit 2."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merchant_ai.errors import MerchantError
from merchant_ai.services.imports import import_file
from merchant_ai.store import open_store
from tests.importers import exports as ex
from tests.importers.conftest import store_snapshot
from tests.importers.test_platform_formats import SHOPIFY_ROWS

ROOT = Path(__file__).resolve().parents[2]


def _retail_file(path: Path, lines: int, first_invoice: int = 500000) -> Path:
    rows = [
        {
            "InvoiceNo": str(first_invoice + i // 4),
            "StockCode": f"S{i % 97}",
            "Description": f"ITEM {i % 97}",
            "Quantity": str(1 + i % 5),
            "InvoiceDate": f"2011-{1 + i * 12 // lines:02d}-15 10:{i % 60:02d}:00",
            "UnitPrice": "1.95",
            "CustomerID": str(12000 + i % 50),
            "Country": "Germany",
        }
        for i in range(lines)
    ]
    return ex.write_export(path, ex.ONLINE_RETAIL, rows)


_KILLED_CHILD = """
import sys, time
from merchant_ai.store import open_store
from merchant_ai.services.imports import import_file
store = open_store(sys.argv[1])
saves = []
def progress(fraction, text):
    if text.startswith("Saving"):
        saves.append(text)
        if len(saves) == 2:                 # rows of this import are written, not committed
            print("SAVING", flush=True)
            time.sleep(60)
import_file(store, sys.argv[2], progress=progress)
print("FINISHED", flush=True)
"""


def test_killing_the_import_process_mid_file_leaves_the_store_unchanged_and_usable(tmp_path):
    db = tmp_path / "store.db"
    with open_store(db) as store:
        import_file(store, _retail_file(tmp_path / "earlier.csv", 200, first_invoice=100000))
        before = store_snapshot(store)
    big = _retail_file(tmp_path / "big.csv", 3000)
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_CHILD, str(db), str(big)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "SAVING", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with open_store(db) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        assert store_snapshot(store) == before
        report = import_file(store, big)  # usable: the same file imports fully now
        assert not report.already_imported and report.lines["imported"] == 3000


_CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "'0123",
            "$1,234.56",
            "(3.50)",
            "1.234,56 €",
            "13/13/2024",
            "2024-02-30",
            "45123.5",
            "-",
            '"',
            "nan",
        ]
    ),
)


def _shopify_with_garbage(cells: list[str]) -> bytes:
    rows = [dict(r) for r in SHOPIFY_ROWS]
    columns = ["Name", "Created at", "Lineitem quantity", "Lineitem price", "Total", "Email", "Lineitem sku"]
    for i, cell in enumerate(cells):
        rows[i % len(rows)][columns[i % len(columns)]] = cell
    return ex.export_text(ex.SHOPIFY_ORDERS_2022, rows).encode("utf-8")


def _retail_lines(cells: list[list[str]], delimiter: str) -> bytes:
    header = ex.ONLINE_RETAIL.replace(",", delimiter)
    body = "\n".join(delimiter.join(row) for row in cells)
    return (header + "\n" + body).encode("utf-8")


EVERY_HEADER = [
    ex.SHOPIFY_ORDERS_2022, ex.SHOPIFY_PRODUCTS_2021, ex.SHOPIFY_CUSTOMERS_2018, ex.SHOPIFY_CUSTOMERS_2024,
    ex.SQUARE_ITEMS, ex.SQUARE_TRANSACTIONS, ex.WOO_PRODUCTS, ex.WOO_ORDERS_ADVANCED_EXPORT,
    ex.WOO_ORDERS_SKYVERGE, ex.ETSY_ITEMS_A, ex.ETSY_ITEMS_B, ex.ETSY_ORDERS, ex.AMAZON_ORDERS, ex.ONLINE_RETAIL,
]  # fmt: skip


@st.composite
def _any_format_with_garbage(draw) -> bytes:
    """A known layout's real header with rows of odd cells in random columns."""
    header = draw(st.sampled_from(EVERY_HEADER))
    delimiter = "\t" if "\t" in header else ","
    names = ex.header_list(header, delimiter)
    rows = draw(st.lists(st.dictionaries(st.sampled_from(names), _CELL, max_size=12), min_size=1, max_size=5))
    return ex.export_text(header, rows, delimiter).encode("utf-8")


MALFORMED_FILES = st.one_of(
    st.binary(max_size=300),
    _any_format_with_garbage(),
    st.builds(_shopify_with_garbage, st.lists(_CELL, min_size=1, max_size=20)),
    st.builds(
        _retail_lines,
        st.lists(st.lists(_CELL, min_size=0, max_size=10), max_size=8),
        st.sampled_from([",", ";", "\t", "|"]),
    ),
    st.builds(
        lambda data, cut: data[:cut],
        st.builds(_shopify_with_garbage, st.just([])),
        st.integers(min_value=0, max_value=3000),
    ),
)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    """One store for all generated files: each example checks its own before/after."""
    with open_store(tmp_path_factory.mktemp("fuzz") / "store.db") as store:
        yield store


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=MALFORMED_FILES)
def test_malformed_files_never_traceback_and_never_import_partially(shared_store, content):
    store = shared_store
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(content)
        before = store_snapshot(store)
        try:
            report = import_file(store, path)
        except MerchantError:
            assert store_snapshot(store) == before
            return
        if report.already_imported:
            assert store_snapshot(store) == before
            return
        written = store.scalar("SELECT COUNT(*) FROM order_lines WHERE import_id = ?", (report.import_id,))
        assert written == report.lines["imported"] + report.lines["updated"]
        orphans = store.scalar(
            "SELECT COUNT(*) FROM order_lines l LEFT JOIN orders o "
            "ON o.order_id = l.order_id WHERE o.order_id IS NULL"
        )
        assert orphans == 0
        assert store.scalar("SELECT COUNT(*) FROM orders WHERE created_at IS NULL") == 0


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, MERCHANT_AI_HOME=str(home))
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_cli_import_prints_json_per_file_and_refuses_bad_input_with_exit_2(tmp_path):
    db = tmp_path / "store.db"
    good = _retail_file(tmp_path / "good.csv", 40)
    done = _cli("import", str(good), str(good), "--db", str(db), "--json", home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    files = json.loads(done.stdout)["files"]
    assert [f["already_imported"] for f in files] == [False, True]
    assert files[0]["lines"] == {"imported": 40, "updated": 0} and files[0]["format"] == "online_retail"
    before = open_store(db).scalar("SELECT COUNT(*) FROM imports")
    bad = tmp_path / "bad.csv"
    bad.write_text("colour,size\nred,xl\n")
    refused = _cli("import", str(bad), "--db", str(db), "--json", home=tmp_path / "home")
    assert refused.returncode == 2 and refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1 and "not one we know" in refused.stderr
    assert open_store(db).scalar("SELECT COUNT(*) FROM imports") == before


def test_cli_lists_imports_and_undoes_one(tmp_path, capsys):
    from merchant_ai.cli import run_cli

    db = tmp_path / "store.db"
    assert run_cli(["import", str(_retail_file(tmp_path / "a.csv", 12)), "--db", str(db)]) == 0
    capsys.readouterr()
    assert run_cli(["imports", "--db", str(db), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["imports"]
    assert [(r["import_id"], r["status"], r["lines_imported"]) for r in listed] == [(1, "done", 12)]
    assert run_cli(["undo-import", "1", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"undone": 1}
    assert run_cli(["undo-import", "1", "--db", str(db)]) == 2
    assert "already undone" in capsys.readouterr().err
    with open_store(db) as store:
        assert store.scalar("SELECT COUNT(*) FROM order_lines") == 0
