"""What "today" means for every analysis: one rule, in one function.

An analysis answers as if today were `as_of`, a day: it uses the orders placed before that
day and none placed on it or after it (so `--as-of 2024-03-31` sees March 30th and earlier,
never part of the 31st). Without `as_of`, today is the day after the last order, so every
order counts. A time of day given with `as_of` is dropped: the rule is about days.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from merchant_ai.errors import NotEnoughDataError

# datetime and pandas.Timestamp are dates too; None means "today" as above
AsOf = date | None


def resolve_as_of(store, as_of: AsOf = None) -> pd.Timestamp:
    """The as-of day as a midnight Timestamp: `as_of` itself, else the day after the last
    order (cancelled orders do not count). NotEnoughDataError when there are no orders."""
    if as_of is not None:
        return pd.Timestamp(as_of).normalize()
    last = store.scalar("SELECT MAX(created_at) FROM orders WHERE cancelled_at IS NULL")
    if last is None:
        raise NotEnoughDataError("The store has no orders yet; import your orders first.")
    return pd.Timestamp(str(last)[:10]) + pd.Timedelta(days=1)
