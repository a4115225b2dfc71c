"""The local SQLite store: schema, migrations, connection and queries."""

from __future__ import annotations

__all__ = ["Store", "open_store"]


def __getattr__(name: str):
    # Lazy: `merchant_ai.store.paths` (the app's first import of the store) stays light at start-up.
    if name in __all__:
        from merchant_ai.store import db

        return getattr(db, name)
    raise AttributeError(f"module 'merchant_ai.store' has no attribute {name!r}")
