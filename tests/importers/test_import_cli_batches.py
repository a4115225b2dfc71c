"""The import command is all or nothing: a bad file among several changes nothing, and a
bad file never creates a store."""

from __future__ import annotations

import pytest

from merchant_ai.cli import run_cli
from merchant_ai.store import open_store
from tests.importers.conftest import table_counts
from tests.importers.test_import_robustness import _retail_file

DATA_TABLES = ("orders", "order_lines", "products", "customers")


def _data_counts(db) -> dict[str, int]:
    with open_store(db) as store:
        counts = table_counts(store)
    return {t: counts[t] for t in DATA_TABLES}


def test_a_missing_file_after_a_good_one_imports_nothing(tmp_path, capsys):
    db = tmp_path / "store.db"
    assert run_cli(["import", str(_retail_file(tmp_path / "a.csv", 8)), "--db", str(db)]) == 0
    capsys.readouterr()
    before = _data_counts(db)
    good = _retail_file(tmp_path / "b.csv", 12, first_invoice=600000)
    assert run_cli(["import", str(good), str(tmp_path / "nope.csv"), "--db", str(db), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip().count("\n") == 0
    assert "There is no file" in captured.err
    assert _data_counts(db) == before


def test_an_unknown_layout_after_a_good_one_imports_nothing(tmp_path, capsys):
    db = tmp_path / "store.db"
    good = _retail_file(tmp_path / "b.csv", 12)
    odd = tmp_path / "odd.csv"
    odd.write_text("colour,size\nred,xl\n")
    assert run_cli(["import", str(good), str(odd), "--db", str(db)]) == 2
    assert "not one we know" in capsys.readouterr().err
    assert sum(_data_counts(db).values()) == 0


def test_a_file_failing_mid_import_undoes_the_files_imported_before_it(tmp_path, capsys):
    db = tmp_path / "store.db"
    good = _retail_file(tmp_path / "good.csv", 12)
    no_rows = tmp_path / "no_rows.csv"  # a known header, but no row can be read
    no_rows.write_text(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        ",,,,,,,\n"
    )
    assert run_cli(["import", str(good), str(no_rows), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "were undone" in err
    assert sum(_data_counts(db).values()) == 0


def test_bad_input_never_creates_a_store(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    db = tmp_path / "new.db"
    for bad in (empty, tmp_path / "missing.csv"):
        assert run_cli(["import", str(bad), "--db", str(db)]) == 2
    assert not db.exists()


def test_a_folder_given_as_the_file_is_refused_in_plain_words(tmp_path, capsys):
    assert run_cli(["import", str(tmp_path), "--db", str(tmp_path / "s.db")]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_undo_import_accepts_the_number_as_listed_and_refuses_words_plainly(tmp_path, capsys):
    db = tmp_path / "store.db"
    assert run_cli(["import", str(_retail_file(tmp_path / "a.csv", 8)), "--db", str(db)]) == 0
    with pytest.raises(SystemExit) as refused:
        run_cli(["undo-import", "abc", "--db", str(db)])
    assert refused.value.code == 2
    assert "'abc' is not an import number" in capsys.readouterr().err
    assert run_cli(["undo-import", "#1", "--db", str(db)]) == 0
    assert sum(_data_counts(db).values()) == 0


def test_a_damaged_workbook_is_refused_in_plain_words(tmp_path, capsys):
    damaged = tmp_path / "sales.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    assert run_cli(["import", str(damaged), "--db", str(tmp_path / "s.db")]) == 2
    err = capsys.readouterr().err
    assert "damaged or not really an Excel file" in err and "zip" not in err.lower()
