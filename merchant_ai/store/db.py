"""Opening the store: connection settings, schema migrations with a backup first.

The store is one SQLite file in WAL mode, used through the standard library's sqlite3:
migrations are plain SQL scripts (schema.py), bulk rows go through `executemany` (bulk.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Self

from merchant_ai.errors import StoreError
from merchant_ai.store.schema import MIGRATIONS, SCHEMA_VERSION


class Store:
    """An open store: `conn` is its sqlite3 connection."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: everything inside commits together or not at all."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def query_df(self, sql: str, params: tuple | dict = ()):
        """Run a SELECT and return a pandas DataFrame."""
        import pandas as pd

        cursor = self.conn.execute(sql, params)
        columns = [d[0] for d in cursor.description]
        return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)

    def scalar(self, sql: str, params: tuple | dict = ()):
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_store(path: str | Path | None = None, *, create: bool = True) -> Store:
    """Open (and create or migrate) the store at `path`, default the per-user store."""
    from merchant_ai.store.paths import default_db_path

    db_path = Path(path) if path is not None else default_db_path()
    if not create and not db_path.exists():
        raise StoreError(f"There is no store at {db_path}. Import your exports or create a demo store first.")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is
        # exactly what `Store.transaction` says it is.
        conn = sqlite3.connect(str(db_path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"The store file {db_path} cannot be opened: {exc}.") from exc
    store = Store(db_path, conn)
    migrate(store)
    return store


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(store: Store) -> None:
    """Bring the schema to SCHEMA_VERSION; copy the file aside first if it holds data."""
    try:
        current = schema_version(store.conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"The file {store.path} is not a Merchant AI store ({exc}).") from exc
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"The store {store.path} was written by a newer Merchant AI (schema {current}); "
            "please update the app."
        )
    if current == SCHEMA_VERSION:
        return
    if current > 0:
        backup_before_migration(store, current)
    for version in range(current + 1, SCHEMA_VERSION + 1):
        script = MIGRATIONS[version - 1]
        # executescript commits on its own; the version bump rides in the same script.
        store.conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")


def backup_before_migration(store: Store, version: int) -> Path:
    """A consistent copy of the store next to it, named after the old schema version."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = store.path.with_name(f"{store.path.stem}.v{version}.{stamp}.bak")
    store.conn.execute("PRAGMA wal_checkpoint(FULL)")
    backup = sqlite3.connect(str(target))
    try:
        store.conn.backup(backup)
    finally:
        backup.close()
    return target
