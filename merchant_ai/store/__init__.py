"""The local SQLite store: schema, migrations, connection and queries."""

from merchant_ai.store.db import Store, open_store

__all__ = ["Store", "open_store"]
