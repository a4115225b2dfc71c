"""The import log: earlier imports of the same file, the list of imports, and undo."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd

from merchant_ai.errors import BadInputError
from merchant_ai.importers.canonical import TABLE_KEYS
from merchant_ai.store.db import Store


def earlier_import(conn: sqlite3.Connection, sha256: str) -> int | None:
    """The id of a standing (not undone) import of exactly this file, if any."""
    row = conn.execute(
        "SELECT import_id FROM imports WHERE file_sha256 = ? AND status = 'done' ORDER BY import_id LIMIT 1",
        (sha256,),
    ).fetchone()
    return None if row is None else int(row[0])


def list_imports(store: Store) -> pd.DataFrame:
    """One row per import, newest first, with its counts from the saved report."""
    frame = store.query_df(
        "SELECT import_id, file_name, format, started_at, rows_read, seconds, status, report_json "
        "FROM imports ORDER BY import_id DESC"
    )
    reports = [json.loads(text) if text else {} for text in frame.get("report_json", [])]
    for table in ("orders", "lines", "products", "customers", "messages", "reviews"):
        frame[f"{table}_imported"] = [r.get(table, {}).get("imported", 0) for r in reports]
        frame[f"{table}_updated"] = [r.get(table, {}).get("updated", 0) for r in reports]
    frame["rows_skipped"] = [sum(s.get("count", 0) for s in r.get("skipped", [])) for r in reports]
    return frame.drop(columns=["report_json"])


def undo_import(store: Store, import_id: int) -> None:
    """Put the store back exactly as it was before `import_id` (one transaction).

    Refused when a later, standing import changed rows this one wrote: undo that one first.
    Settings an import made (a saved column mapping, the privacy salt) are preferences, not
    data, and stay.
    """
    row = store.conn.execute(
        "SELECT status, file_name FROM imports WHERE import_id = ?", (import_id,)
    ).fetchone()
    if row is None:
        raise BadInputError(f"There is no import #{import_id}.")
    if row[0] != "done":
        raise BadInputError(f"Import #{import_id} ({row[1]}) was already undone.")
    later = store.conn.execute(
        """SELECT DISTINCT c.import_id FROM import_changes c JOIN imports i ON i.import_id = c.import_id
           WHERE c.import_id > ? AND i.status = 'done' AND json_extract(c.old_row, '$.import_id') = ?
           ORDER BY c.import_id""",
        (import_id, import_id),
    ).fetchall()
    if later:
        names = ", ".join(f"#{r[0]}" for r in later)
        raise BadInputError(
            f"Import {names} changed rows that import #{import_id} wrote; undo {names} first."
        )
    with store.transaction() as conn:
        for table in TABLE_KEYS:
            conn.execute(f"DELETE FROM {table} WHERE import_id = ?", (import_id,))
        for table, old_text in conn.execute(
            "SELECT table_name, old_row FROM import_changes WHERE import_id = ? AND old_row IS NOT NULL",
            (import_id,),
        ).fetchall():
            old = json.loads(old_text)
            columns = list(old)
            conn.execute(
                f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                [old[c] for c in columns],
            )
        conn.execute("DELETE FROM import_changes WHERE import_id = ?", (import_id,))
        conn.execute("UPDATE imports SET status = 'undone' WHERE import_id = ?", (import_id,))
