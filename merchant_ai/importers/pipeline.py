"""One import: read -> clean -> write, atomically and idempotently.

- Atomic: everything is written in ONE store transaction; an error, a cancel or a killed
  process leaves the store exactly as before.
- Idempotent: a file whose sha256 matches a standing import changes nothing; rows are matched
  by their source ids, so overlapping exports merge without double counting.
- Logged: one `imports` row per import with hash, format, counts, seconds and the report.
- Responsive: `progress(fraction, text)` is called and `cancel()` polled at least every
  50,000 rows and between every cleaning step.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from merchant_ai.errors import BadInputError, CancelledError, StoreError, UnknownFormatError
from merchant_ai.importers import reading
from merchant_ai.importers.catalog_builder import CatalogBuilder
from merchant_ai.importers.formats import GENERIC_KEY, SPECS_BY_KEY, FormatSpec, detect_spec
from merchant_ai.importers.history import earlier_import
from merchant_ai.importers.mapping import generic_spec, save_mapping, saved_mapping
from merchant_ai.importers.merge import merge_table
from merchant_ai.importers.orders_builder import OrdersBuilder
from merchant_ai.importers.privacy import SALT_KEY
from merchant_ai.importers.reading import ReadStats, Sniffed, read_chunks, sniff
from merchant_ai.importers.report import ImportReport, Notes
from merchant_ai.store.db import Store

Progress = Callable[[float, str], None]
MALFORMED_LINE = "more cells than the header row (often a comma inside a text that is not in quotes)"
REPORT_KEYS = {"orders": "orders", "order_lines": "lines", "products": "products", "customers": "customers"}


def resolve_spec(
    store: Store, sniffed: Sniffed, format: str | None, mapping: dict[str, str] | None
) -> tuple[FormatSpec, dict[str, str] | None]:
    """The format to read the file with (and the generic mapping, if one is used)."""
    header = sniffed.header
    if mapping is not None or format == GENERIC_KEY:
        mapping = mapping or saved_mapping(store.conn, header)
        if mapping is None:
            raise UnknownFormatError(
                f"{sniffed.path.name}: choose which column holds what before importing "
                "(no saved column mapping for this layout)."
            )
        return generic_spec(header, mapping), mapping
    if format is not None:
        spec = SPECS_BY_KEY.get(format)
        if spec is None:
            known = ", ".join(sorted(SPECS_BY_KEY) + [GENERIC_KEY])
            raise UnknownFormatError(f"There is no format called '{format}'. Known formats: {known}.")
        missing = [f for f in spec.signature if f not in spec.column_map(header)]
        if missing:
            raise UnknownFormatError(
                f"{sniffed.path.name} is not a {spec.label} export: "
                f"it lacks the column(s) for {', '.join(missing)}."
            )
        return spec, None
    spec = detect_spec(header)
    if spec is not None:
        return spec, None
    saved = saved_mapping(store.conn, header)
    if saved is not None:
        return generic_spec(header, saved), saved
    raise UnknownFormatError(
        f"{sniffed.path.name}: this layout is not one we know "
        f"(columns: {', '.join(header[:6])}{'...' if len(header) > 6 else ''}). "
        "Import it in the app and choose which column holds what."
    )


def import_file(
    store: Store,
    path: str | Path,
    *,
    format: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    privacy: bool = True,
) -> ImportReport:
    """Import one export file into the store; see the module docstring for the guarantees."""
    started = time.perf_counter()
    started_at = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    say = progress or (lambda fraction, text: None)
    stop = cancel or (lambda: False)

    def check() -> None:
        if stop():
            raise CancelledError("The import was cancelled; your store was not changed.")

    say(0.0, "Opening the file")
    sniffed = sniff(path)
    check()
    spec, used_mapping = resolve_spec(store, sniffed, format, mapping)
    report = ImportReport(file=sniffed.path.name, format=spec.key, format_label=spec.label)
    earlier = earlier_import(store.conn, sniffed.sha256)
    if earlier is not None:
        report.import_id, report.already_imported = earlier, True
        report.seconds = round(time.perf_counter() - started, 3)
        say(1.0, "This file was imported before; nothing changed")
        return report

    salt = store.get_setting(SALT_KEY) or secrets.token_hex(16)
    notes = Notes()
    builder = (OrdersBuilder if spec.kind in ("lines", "orders") else CatalogBuilder)(
        spec, notes, salt, privacy
    )
    builder.checkpoint = lambda text: (say(0.6, text), check())
    column_map = spec.column_map(sniffed.header)
    indexes = [sniffed.header.index(source) for source in column_map.values()]
    names = dict(zip(indexes, column_map.keys()))
    stats = ReadStats()
    for chunk in read_chunks(sniffed, sorted(set(indexes)), stats, chunk_rows=reading.CHUNK_ROWS):
        frame = chunk.frame[[i for i in indexes]]
        frame.columns = [names[i] for i in indexes]
        builder.add_chunk(frame)
        say(0.05 + 0.5 * chunk.fraction_read, f"Reading: {builder.rows_read:,} rows")
        check()
    notes.skip(MALFORMED_LINE, stats.malformed_lines, stats.malformed_examples)
    if sniffed.encoding_note:
        notes.fix(sniffed.encoding_note, builder.rows_read)
    say(0.6, "Cleaning dates, amounts and customers")
    canonical = builder.finish()
    check()
    tables = [(t, f) for t, f in canonical.tables() if f is not None and len(f)]
    report.rows_read = builder.rows_read
    report.skipped = sorted(notes.skipped.values(), key=lambda s: -s["count"])
    report.fixes = sorted(notes.fixes.values(), key=lambda f: -f["count"])
    if not tables:
        reasons = "; ".join(f"{s['count']} {s['reason']}" for s in report.skipped[:2])
        raise BadInputError(
            f"{sniffed.path.name} has no rows that could be imported"
            f"{' (' + reasons + ')' if reasons else ''}."
        )

    total_rows = sum(len(f) for _, f in tables)
    written = [0]

    def tick(count: int) -> None:
        written[0] += count
        say(0.65 + 0.35 * min(written[0] / total_rows, 1.0), f"Saving: {written[0]:,} of {total_rows:,} rows")
        check()

    try:
        with store.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO settings(key, value) VALUES (?, ?)", (SALT_KEY, salt))
            cursor = conn.execute(
                "INSERT INTO imports(file_name, file_sha256, format, started_at, rows_read, status) "
                "VALUES (?, ?, ?, ?, ?, 'done')",
                (sniffed.path.name, sniffed.sha256, spec.key, started_at, builder.rows_read),
            )
            import_id = int(cursor.lastrowid)
            for table, frame in tables:
                insert_only = table == "products" and canonical.products_insert_only
                new, updated = merge_table(conn, table, frame, import_id, insert_only=insert_only, tick=tick)
                if table in REPORT_KEYS:
                    setattr(report, REPORT_KEYS[table], {"imported": new, "updated": updated})
            if used_mapping is not None:
                save_mapping(conn, sniffed.header, used_mapping)
            report.import_id = import_id
            report.seconds = round(time.perf_counter() - started, 3)
            conn.execute(
                "UPDATE imports SET seconds = ?, report_json = ? WHERE import_id = ?",
                (report.seconds, json.dumps(report.to_dict()), import_id),
            )
            check()
    except sqlite3.OperationalError as exc:
        # e.g. a full disk, or another program holding the store: the transaction rolled back
        raise StoreError(f"The store could not be written ({exc}); nothing was changed.") from exc
    say(1.0, "Done")
    return report
