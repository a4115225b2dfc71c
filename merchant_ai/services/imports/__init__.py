"""Importing shop exports into the store: the facade the app and the command line use.

The work happens in merchant_ai.importers; service.py is the store-facing entry point.
"""

from merchant_ai.services.imports import service as _service
from merchant_ai.services.imports.service import (
    FieldSpec,
    FileDetection,
    ImportReport,
    canonical_fields,
    check_importable,
    detect_file,
    import_file,
    list_imports,
    undo_import,
    validate_mapping,
)

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


def __getattr__(name: str):
    # whatever service.py adds is reachable from the package too
    return getattr(_service, name)
