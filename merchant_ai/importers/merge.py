"""Writing canonical rows into the store: insert new rows, update changed ones, keep history.

Rows are matched by their source ids (the table's primary key), so an export that overlaps
an earlier one adds only what is new and updates only what changed; identical rows are left
alone. Every row this import writes carries its `import_id`; the previous version of every
row it updates goes to `import_changes`. Undo therefore deletes the rows carrying the import's
id and puts the saved previous versions back: exact, without a record per new row.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

import numpy as np
import pandas as pd

from merchant_ai.importers.canonical import TABLE_KEYS
from merchant_ai.store.bulk import frame_rows, insert_frame, to_python

WRITE_ROWS = 25_000


def _column_types(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    return {row[1]: (row[2] or "").upper() for row in conn.execute(f"PRAGMA table_info({table})")}


def _normalised(series: pd.Series, sql_type: str) -> pd.Series:
    """Values as comparable objects: numbers rounded, blanks as None."""
    if sql_type in ("REAL", "INTEGER"):
        numbers = pd.to_numeric(series, errors="coerce").astype(float).round(6)
        return numbers.astype(object).where(numbers.notna(), None)
    text = series.astype(object)
    return text.where(text.notna(), None).map(lambda v: None if v is None else str(v))


def _existing_rows(conn: sqlite3.Connection, table: str, first_key: str, keys: pd.Series) -> pd.DataFrame:
    if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None:
        return pd.DataFrame()
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS import_keys (k TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM import_keys")
    conn.executemany("INSERT OR IGNORE INTO import_keys VALUES (?)", ((k,) for k in pd.unique(keys)))
    cursor = conn.execute(f"SELECT * FROM {table} WHERE {first_key} IN (SELECT k FROM import_keys)")
    columns = [d[0] for d in cursor.description]
    return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


def _write(
    conn: sqlite3.Connection, table: str, frame: pd.DataFrame, verb: str, tick: Callable[[int], None]
) -> None:
    for start in range(0, len(frame), WRITE_ROWS):
        part = frame.iloc[start : start + WRITE_ROWS]
        insert_frame(conn, table, part, on_conflict=verb)
        tick(len(part))


def merge_table(
    conn: sqlite3.Connection,
    table: str,
    frame: pd.DataFrame,
    import_id: int,
    *,
    insert_only: bool = False,
    tick: Callable[[int], None] = lambda n: None,
) -> tuple[int, int]:
    """Upsert `frame` into `table`; returns (new rows, updated rows)."""
    types = _column_types(conn, table)
    keys = TABLE_KEYS[table]
    columns = [c for c in frame.columns if c in types and c != "import_id"]
    frame = frame[columns].drop_duplicates(keys, keep="last").assign(import_id=import_id)
    existing = _existing_rows(conn, table, keys[0], frame[keys[0]])
    if existing.empty:
        _write(conn, table, frame, "ABORT", tick)
        return len(frame), 0
    incoming_key = pd.MultiIndex.from_frame(frame[keys].astype(str))
    existing_key = pd.MultiIndex.from_frame(existing[keys].astype(str))
    is_new = ~incoming_key.isin(existing_key)
    _write(conn, table, frame[is_new], "ABORT", tick)
    if insert_only or is_new.all():
        return int(is_new.sum()), 0
    incoming = frame[~is_new].set_index(incoming_key[~is_new])
    old = existing.set_index(existing_key).loc[incoming.index]
    merged = old.astype(object)
    changed = np.zeros(len(incoming), dtype=bool)
    for name in columns:
        if name in keys:
            continue
        new_values = _normalised(incoming[name], types[name])
        old_values = _normalised(old[name], types[name])
        # an export that leaves a field blank does not erase what the store knows
        take = new_values.notna().to_numpy()
        differs = take & (new_values.to_numpy() != old_values.to_numpy())
        changed |= differs
        merged.loc[differs, name] = incoming[name].to_numpy()[differs]
    if not changed.any():
        return int(is_new.sum()), 0
    before = old[changed]
    records = [
        (
            import_id,
            table,
            json.dumps([to_python(v) for v in key]),
            json.dumps({k: to_python(v) for k, v in zip(before.columns, row)}, default=str),
        )
        for key, row in zip(before[keys].itertuples(index=False), frame_rows(before, list(before.columns)))
    ]
    conn.executemany(
        "INSERT INTO import_changes(import_id, table_name, row_key, old_row) VALUES (?, ?, ?, ?)", records
    )
    updated = merged[changed].assign(import_id=import_id).reset_index(drop=True)
    _write(conn, table, updated, "REPLACE", tick)
    return int(is_new.sum()), int(changed.sum())
