"""Import service: the facade the desktop app and the command line use.

Thin on purpose; the work happens in merchant_ai.importers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from merchant_ai.importers.formats import GENERIC_KEY, detect_spec, format_label
from merchant_ai.importers.history import list_imports, undo_import
from merchant_ai.importers.mapping import (
    FieldSpec,
    canonical_fields,
    mapping_problems,
    preview_problems,
    saved_mapping,
)
from merchant_ai.importers.pipeline import import_file, resolve_spec
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
    resolve_spec(store, sniff(path, whole_file=False), format, None)
