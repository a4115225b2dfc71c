"""What the owner does with a message: mark it done (or open again), keep an edited draft."""

from __future__ import annotations

from datetime import datetime

from merchant_ai.errors import BadInputError
from merchant_ai.store import Store


def _require(store: Store, message_id: str) -> None:
    if not store.scalar("SELECT 1 FROM messages WHERE message_id = ?", (message_id,)):
        raise BadInputError(f"There is no message '{message_id}' in this store.")


def _save(store: Store, message_id: str, **values) -> None:
    _require(store, message_id)
    now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    with store.transaction() as conn:
        conn.execute("INSERT INTO message_actions(message_id, status, updated_at) VALUES (?, 'open', ?) "
                     "ON CONFLICT(message_id) DO NOTHING", (message_id, now))
        for column, value in values.items():
            conn.execute(f"UPDATE message_actions SET {column} = ?, updated_at = ? WHERE message_id = ?",
                         (value, now, message_id))


def mark_done(store: Store, message_id: str, done: bool = True) -> None:
    _save(store, message_id, status="done" if done else "open")


def save_draft(store: Store, message_id: str, text: str | None) -> None:
    """Keep the owner's edited draft (None: back to the template's draft)."""
    _save(store, message_id, draft=text)
