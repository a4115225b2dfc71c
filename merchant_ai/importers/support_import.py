"""Importing customer mail and reviews, with the guarantees of every import.

Atomic (one transaction), idempotent (a file or folder whose sha256 matches a standing
import changes nothing; rows are matched by message / review id), logged in `imports`, undone
by the same `undo_import` as orders (the tables are in canonical.TABLE_KEYS), privacy as for
orders (support_rows). A damaged file is refused with a BadInputError (exit 2).

`route(path, format, store)` says whether a file is ours: mail (.mbox, .eml, folders of them),
a known reviews export (by header names), or a spreadsheet whose saved column mapping says
reviews or messages. Anything else goes on to the orders pipeline.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from merchant_ai.errors import BadInputError, CancelledError, StoreError, UnknownFormatError
from merchant_ai.importers.formats import FormatSpec
from merchant_ai.importers.history import earlier_import
from merchant_ai.importers.mapping import save_mapping, saved_mapping
from merchant_ai.importers.merge import merge_table
from merchant_ai.importers.message_formats import is_mail_source, read_mail
from merchant_ai.importers.privacy import SALT_KEY
from merchant_ai.importers.reading import ReadStats, read_chunks, sniff
from merchant_ai.importers.report import ImportReport, Notes
from merchant_ai.importers.review_formats import (
    GENERIC_MESSAGES_KEY,
    GENERIC_REVIEWS_KEY,
    MAIL_KEY,
    MAPPING_KIND_KEY,
    REVIEW_SPECS_BY_KEY,
    detect_review_spec,
    generic_spec,
)
from merchant_ai.importers.support_rows import csv_message_records, message_rows, resolve_threads, review_rows
from merchant_ai.store.db import Store

Progress = Callable[[float, str], None]


@dataclass
class Route:
    kind: str                       # "mail" | "reviews" | "messages"
    spec: FormatSpec | None = None  # for spreadsheets
    mapping: dict | None = None     # a column mapping to save with the import
    label: str = ""


def route(path: str | Path, format: str | None = None, store: Store | None = None,
          mapping: dict | None = None) -> Route | None:
    """How to import this file if it is mail or reviews; None: not ours (orders, products ...)."""
    path = Path(path)
    if format == MAIL_KEY or (format is None and mapping is None and is_mail_source(path)):
        return Route("mail", label="E-mail messages")
    if format in REVIEW_SPECS_BY_KEY:
        spec = REVIEW_SPECS_BY_KEY[format]
        return Route("reviews", spec, label=spec.label)
    kind = {GENERIC_REVIEWS_KEY: "reviews", GENERIC_MESSAGES_KEY: "messages"}.get(format or "")
    if mapping is not None and mapping.get(MAPPING_KIND_KEY) in ("reviews", "messages"):
        kind = mapping[MAPPING_KIND_KEY]
    if format is not None and kind is None:
        return None
    if path.is_dir() or not path.is_file():
        return None  # the orders pipeline says what is wrong with it
    if kind is None and mapping is not None:
        return None  # a column mapping for orders
    header = sniff(path, whole_file=False).header
    if kind is None:
        spec = detect_review_spec(header)
        if spec is not None:
            return Route("reviews", spec, label=spec.label)
        saved = saved_mapping(store.conn, header) if store is not None else None
        if not saved or saved.get(MAPPING_KIND_KEY) not in ("reviews", "messages"):
            return None
        kind, mapping = saved[MAPPING_KIND_KEY], saved
    if mapping is None and store is not None:
        mapping = saved_mapping(store.conn, header)
    if not mapping:
        raise UnknownFormatError(f"{path.name}: choose which column holds what before importing "
                                 f"(no saved column mapping for this layout).")
    spec = generic_spec(kind, header, mapping)
    return Route(kind, spec, {**mapping, MAPPING_KIND_KEY: kind}, spec.label)


def _read_table(path: Path, spec: FormatSpec, check: Callable[[], None]) -> tuple[pd.DataFrame, str, int, str]:
    sniffed = sniff(path)
    column_map = spec.column_map(sniffed.header)
    indexes = [sniffed.header.index(source) for source in column_map.values()]
    parts = []
    stats = ReadStats()
    for chunk in read_chunks(sniffed, sorted(set(indexes)), stats):
        frame = chunk.frame[indexes]
        frame.columns = list(column_map)
        parts.append(frame)
        check()
    frame = pd.concat(parts) if parts else pd.DataFrame(columns=list(column_map))
    return frame, sniffed.sha256, stats.malformed_lines, sniffed.encoding_note


def _known_threads(conn: sqlite3.Connection, records: list[dict]) -> dict[str, str]:
    parents = sorted({r["in_reply_to"] for r in records if r.get("in_reply_to")})
    found: dict[str, str] = {}
    for start in range(0, len(parents), 500):
        part = parents[start:start + 500]
        found.update(conn.execute(f"SELECT message_id, thread_id FROM messages WHERE message_id IN "
                                  f"({','.join('?' * len(part))})", part).fetchall())
    return found


def import_support_file(store: Store, path: str | Path, the_route: Route, *, progress: Progress | None = None,
                        cancel: Callable[[], bool] | None = None, privacy: bool = True) -> ImportReport:
    """Import mail or reviews as `the_route` says; see the module docstring for the guarantees."""
    started = time.perf_counter()
    started_at = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    say = progress or (lambda fraction, text: None)

    def check() -> None:
        if cancel is not None and cancel():
            raise CancelledError("The import was cancelled; your store was not changed.")

    path = Path(path)
    say(0.0, "Opening the file")
    salt = store.get_setting(SALT_KEY) or secrets.token_hex(16)
    notes = Notes()
    if the_route.kind == "mail":
        source = read_mail(path)
        sha, rows_read, key = source.sha256, len(source.records) + sum(map(len, source.skipped.values())), MAIL_KEY
        for reason, where in source.skipped.items():
            notes.skip(reason, len(where), where)
        records = source.records
        the_route.label = f"E-mail messages ({source.files} file{'s' * (source.files != 1)})"
    else:
        frame, sha, malformed, encoding_note = _read_table(path, the_route.spec, check)
        rows_read, key = len(frame), the_route.spec.key
        notes.skip("more cells than the header row", malformed, [])
        if encoding_note:
            notes.fix(encoding_note, rows_read)
    report = ImportReport(file=path.name, format=key, format_label=the_route.label)
    earlier = earlier_import(store.conn, sha)
    if earlier is not None:
        report.import_id, report.already_imported = earlier, True
        report.seconds = round(time.perf_counter() - started, 3)
        say(1.0, "This file was imported before; nothing changed")
        return report
    check()
    say(0.5, "Reading the messages" if the_route.kind != "reviews" else "Reading the reviews")
    if the_route.kind == "reviews":
        table, rows = "reviews", review_rows(frame, the_route.spec.source, salt, privacy, notes)
    else:
        if the_route.kind == "messages":
            records = csv_message_records(frame, salt, notes)
        resolve_threads(records, _known_threads(store.conn, records))
        table, rows = "messages", message_rows(records, salt, privacy)
    report.rows_read = rows_read
    report.skipped = sorted(notes.skipped.values(), key=lambda s: -s["count"])
    report.fixes = sorted(notes.fixes.values(), key=lambda f: -f["count"])
    if rows.empty:
        reasons = "; ".join(f"{s['count']} {s['reason']}" for s in report.skipped[:2])
        raise BadInputError(f"{path.name} has no {table} that could be imported{' (' + reasons + ')' if reasons else ''}.")
    check()
    try:
        with store.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO settings(key, value) VALUES (?, ?)", (SALT_KEY, salt))
            cursor = conn.execute(
                "INSERT INTO imports(file_name, file_sha256, format, started_at, rows_read, status) "
                "VALUES (?, ?, ?, ?, ?, 'done')", (path.name, sha, key, started_at, rows_read))
            import_id = int(cursor.lastrowid)
            new, updated = merge_table(conn, table, rows, import_id,
                                       tick=lambda n: (say(0.9, f"Saving {n:,} {table}"), check()))
            setattr(report, table, {"imported": new, "updated": updated})
            if the_route.mapping is not None:
                save_mapping(conn, sniff(path, whole_file=False).header, the_route.mapping)
            report.import_id = import_id
            report.seconds = round(time.perf_counter() - started, 3)
            conn.execute("UPDATE imports SET seconds = ?, report_json = ? WHERE import_id = ?",
                         (report.seconds, json.dumps(report.to_dict()), import_id))
            check()
    except sqlite3.OperationalError as exc:
        raise StoreError(f"The store could not be written ({exc}); nothing was changed.") from exc
    say(1.0, "Done")
    return report
