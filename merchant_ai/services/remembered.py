"""Remembered results: the latest run of an analysis, kept in the store's analysis_runs and
analysis_results tables so that a dashboard card can show it without running it again.

Analyses never write while they run (they run as read-only tasks); whoever ran one for today
remembers it afterwards in one short transaction (`remember`). A run is "fresh" while the data
it was worked out from is unchanged: `data_version` changes with every import, undo, edit of
stock or settings, and verdict.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from merchant_ai.store.db import Store

# (table, columns) whose contents every analysis reads; a change in any makes old runs stale
_WATCHED = [
    ("imports", "COUNT(*), MAX(import_id), SUM(status = 'done')"),
    ("orders", "COUNT(*), MAX(created_at)"),
    ("order_lines", "COUNT(*)"),
    ("products", "COUNT(*)"),
    ("inventory", "COUNT(*), MAX(updated_at)"),
    ("product_settings", "COUNT(*), MAX(updated_at)"),
    ("feedback", "COUNT(*), MAX(feedback_id)"),
]


@dataclass
class RememberedRun:
    kind: str
    as_of: str | None
    created_at: str
    fresh: bool                 # worked out from the data as it is now
    params: dict
    results: pd.DataFrame       # one row per subject: "subject" plus the payload's fields


def data_version(store: Store) -> str:
    """A short fingerprint of everything an analysis reads (cheap: counts and maxima)."""
    parts = [store.conn.execute(f"SELECT {columns} FROM {table}").fetchone() for table, columns in _WATCHED]
    settings = store.conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    text = json.dumps([list(p) for p in parts] + [list(s) for s in settings], default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def remember(store: Store, kind: str, as_of: str | None, rows: list[tuple[str, dict]], *,
             params: dict | None = None, seconds: float | None = None, version: str | None = None) -> int:
    """Keep one run of `kind` (rows: (subject, payload)); it replaces the earlier runs of that
    kind, so the store does not grow with every run. `version`: data_version(store) as it was
    when the analysis read the store (default: now)."""
    created = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    meta = json.dumps({"data_version": version or data_version(store), "params": params or {}}, default=str)
    with store.transaction() as conn:
        conn.execute("DELETE FROM analysis_results WHERE run_id IN "
                     "(SELECT run_id FROM analysis_runs WHERE kind = ?)", (kind,))
        conn.execute("DELETE FROM analysis_runs WHERE kind = ?", (kind,))
        cursor = conn.execute(
            "INSERT INTO analysis_runs(kind, as_of, created_at, params_json, seconds) VALUES (?, ?, ?, ?, ?)",
            (kind, as_of, created, meta, seconds))
        run_id = int(cursor.lastrowid)
        conn.executemany("INSERT INTO analysis_results(run_id, subject, payload_json) VALUES (?, ?, ?)",
                         [(run_id, str(subject), json.dumps(payload, default=str)) for subject, payload in rows])
    return run_id


def latest(store: Store, kind: str) -> RememberedRun | None:
    """The latest remembered run of `kind`, or None."""
    row = store.conn.execute("SELECT run_id, as_of, created_at, params_json FROM analysis_runs WHERE kind = ? "
                             "ORDER BY run_id DESC LIMIT 1", (kind,)).fetchone()
    if row is None:
        return None
    run_id, as_of, created_at, meta_json = row
    try:
        meta = json.loads(meta_json or "{}")
    except ValueError:
        meta = {}
    payloads = store.conn.execute("SELECT subject, payload_json FROM analysis_results WHERE run_id = ? "
                                  "ORDER BY rowid", (run_id,)).fetchall()
    results = pd.DataFrame([{"subject": subject, **json.loads(payload)} for subject, payload in payloads])
    fresh = isinstance(meta, dict) and meta.get("data_version") == data_version(store)
    return RememberedRun(kind=kind, as_of=as_of, created_at=created_at, fresh=fresh,
                         params=meta.get("params", {}) if isinstance(meta, dict) else {}, results=results)


@dataclass
class PendingRun:
    """A run worked out by a read-only task, to be remembered afterwards by a writing one."""

    kind: str
    as_of: str | None
    rows: list[tuple[str, dict]]
    version: str                 # data_version(store) when the analysis read the store
    params: dict | None = None
    seconds: float | None = None


def save(store: Store, run: PendingRun, **_task) -> int:
    """Remember a pending run (the task helper passes progress/cancel; they are not needed)."""
    return remember(store, run.kind, run.as_of, run.rows, params=run.params, seconds=run.seconds,
                    version=run.version)
