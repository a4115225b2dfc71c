"""One dashboard card per capability, as listed in merchant_ai.capabilities.

A card's summary(store) must be quick: it reads the capability's remembered run, or works it
out and hands back under "remember" a run for the caller to keep (cards run as a read-only
task; the dashboard keeps those runs afterwards in a short writing one).
"""

from __future__ import annotations

import logging

from merchant_ai import capabilities
from merchant_ai.errors import MerchantError
from merchant_ai.services.remembered import PendingRun, save
from merchant_ai.store.db import Store

log = logging.getLogger("merchant_ai.services.dashboard")


def card_summaries(store: Store) -> tuple[list[dict], list[PendingRun]]:
    """The cards ({capability, title, page, headline, detail}) and the runs worked out for them."""
    cards, pending = [], []
    for entry, card in capabilities.cards():
        shown = {"capability": entry.name, "title": card.title, "page": card.page}
        try:
            summary = dict(capabilities.load(card.summary)(store))
            run = summary.pop("remember", None)
            if run is not None:
                pending.append(run)
            shown.update(summary)
        except MerchantError as exc:
            shown.update(headline="Not available", detail=exc.message)
        except Exception as exc:  # one card failing must not blank the dashboard
            log.exception("card %s failed", entry.name)
            shown.update(headline="Could not be worked out", detail=f"{type(exc).__name__} (see log)")
        cards.append(shown)
    return cards, pending


def remember_runs(store: Store, runs: list[PendingRun], *, progress=None, cancel=None) -> int:
    """Keep the runs the cards worked out (a writing task), so the next dashboard is quick."""
    for run in runs:
        save(store, run)
    return len(runs)
