"""The import flow: pick/drop files, map columns, import with progress, report, undo."""
