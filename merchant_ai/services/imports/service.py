"""Import service: the facade the desktop app and the command line use.

Thin on purpose; the work happens in merchant_ai.importers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from merchant_ai.importers import support_import
from merchant_ai.importers.formats import GENERIC_KEY, detect_spec, format_label
from merchant_ai.importers.history import list_imports, undo_import
from merchant_ai.importers.mapping import (
    FieldSpec,
    canonical_fields,
    mapping_problems,
    preview_problems,
    saved_mapping,
)
from merchant_ai.importers.pipeline import import_file as import_orders_file
from merchant_ai.importers.pipeline import resolve_spec
from merchant_ai.importers.reading import sniff
from merchant_ai.importers.report import ImportReport
from merchant_ai.store.db import Store

__all__ = [
    "FieldSpec",
    "FileDetection",
    "ImportReport",
    "canonical_fields",
    "check_importable",
    "detect_file",
    "import_file",
    "list_imports",
    "undo_import",
    "validate_mapping",
]


@dataclass
class FileDetection:
    path: Path
    format: str | None
    format_label: str
    header: list[str]
    encoding: str
    delimiter: str
    needs_mapping: bool
    saved_mapping: dict | None
    preview: pd.DataFrame


def _unique_names(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for name in header:
        count = seen.get(name, 0)
        seen[name] = count + 1
        names.append(name if count == 0 else f"{name} ({count + 1})")
    return names


def detect_file(path: str | Path, *, store: Store | None = None) -> FileDetection:
    """What the file is (format, encoding, delimiter), its header and first rows as text.

    Raises BadInputError for missing, empty or unreadable files. With `store`, a generic file
    whose header was mapped before comes back with that `saved_mapping`.
    """
    support = _support_detection(path, store)
    if support is not None:
        return support
    sniffed = sniff(path, whole_file=False)  # quick: the GUI may call this on its own thread
    spec = detect_spec(sniffed.header)
    saved = saved_mapping(store.conn, sniffed.header) if store is not None and spec is None else None
    key = spec.key if spec else (GENERIC_KEY if saved else None)
    preview = (
        pd.DataFrame(sniffed.preview_rows, columns=_unique_names(sniffed.header), dtype=str)
        if sniffed.preview_rows
        else pd.DataFrame(columns=_unique_names(sniffed.header), dtype=str)
    )
    return FileDetection(
        path=Path(path),
        format=key,
        format_label=format_label(key) if key else "Your own layout",
        header=list(sniffed.header),
        encoding=sniffed.encoding,
        delimiter=sniffed.delimiter,
        needs_mapping=spec is None and saved is None,
        saved_mapping=saved,
        preview=preview,
    )


def validate_mapping(detection: FileDetection, mapping: dict[str, str]) -> list[str]:
    """Plain messages about a generic mapping (empty list = OK): required fields chosen,
    columns exist, and the preview rows parse as dates and numbers."""
    problems = mapping_problems(detection.header, mapping)
    if problems:
        return problems
    return preview_problems(detection.preview, mapping)


def check_importable(store: Store, path: str | Path, *, format: str | None = None) -> None:
    """Raise the BadInputError `import_file` would raise for a missing, unreadable or unknown
    file, without reading the whole file or writing anything (a quick look before a batch)."""
    if support_import.route(path, format, store) is not None:
        return  # mail and reviews: read in full by import_file, which refuses a damaged file
    resolve_spec(store, sniff(path, whole_file=False), format, None)


def import_file(store: Store, path: str | Path, *, format: str | None = None, mapping: dict | None = None,
                progress=None, cancel=None, privacy: bool = True) -> ImportReport:
    """Import one file: mail and reviews through their own pass, everything else as orders/catalog."""
    the_route = support_import.route(path, format, store, mapping)
    if the_route is not None:
        return support_import.import_support_file(store, path, the_route, progress=progress, cancel=cancel,
                                                  privacy=privacy)
    return import_orders_file(store, path, format=format, mapping=mapping, progress=progress, cancel=cancel,
                              privacy=privacy)


def _support_detection(path: str | Path, store: Store | None) -> FileDetection | None:
    """Mail files and folders, and review exports, as the import dialog shows them."""
    the_route = support_import.route(path, None, store)
    if the_route is None:
        return None
    if the_route.kind == "mail":
        return FileDetection(path=Path(path), format=support_import.MAIL_KEY, format_label=the_route.label,
                             header=[], encoding="", delimiter="", needs_mapping=False, saved_mapping=None,
                             preview=pd.DataFrame())
    sniffed = sniff(path, whole_file=False)
    return FileDetection(
        path=Path(path), format=the_route.spec.key, format_label=the_route.label, header=list(sniffed.header),
        encoding=sniffed.encoding, delimiter=sniffed.delimiter, needs_mapping=False,
        saved_mapping=the_route.mapping,
        preview=pd.DataFrame(sniffed.preview_rows, columns=_unique_names(sniffed.header), dtype=str))
