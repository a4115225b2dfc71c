"""The one table of capabilities: what each is called, and where it shows up.

The command line's command list, the app's sidebar, the dashboard's cards, the analyses the
self-test runs and the "How accurate is this on my shop?" backtests are all read from
CAPABILITIES. Adding a capability is one entry here plus its folders
(`services/<name>/`, `ui/pages/<name>_page.py`, `cli/<name>_cmd.py`). Every capability has
one name (its CLI command, page key, services package, card and backtest use it); `label`
is the word the shop owner sees where it differs (the fraud capability's page is "Risk").

Targets are "module:attribute" strings, imported on first use: this module imports nothing
heavy and no Qt, so the CLI, the app and the services can all read it. An incomplete entry
fails when this module is imported, with a sentence naming what is missing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

PAGES_PACKAGE = "merchant_ai.ui.pages"


@dataclass(frozen=True)
class Page:
    key: str       # stable key (navigation, settings, screenshots)
    label: str     # the sidebar's word
    icon: str      # resources/icons/<icon>.svg
    widget: str    # "module:Class", built on first visit


@dataclass(frozen=True)
class Card:
    title: str     # the dashboard card's title
    summary: str   # "module:function": summary(store) -> {"headline": str, "detail": str}, fast
    page: str      # key of the page the card opens


@dataclass(frozen=True)
class Capability:
    name: str
    label: str                          # the shop owner's word for it
    commands: tuple[str, ...] = ()      # CLI modules, each with add_parser(subparsers)
    pages: tuple[Page, ...] = ()        # its own pages, in sidebar order
    shown_on: str | None = None         # or: the key of the page it is shown on
    card: Card | None = None
    # analysis(store, as_of=None, *, progress=None, cancel=None) -> a result with to_dict()
    analysis: str | None = None
    backtest: str | None = None         # "module:SPEC", a merchant_ai.ml.backtest.BacktestSpec
    model: str | None = None            # the shipped model it runs (models/<model>.onnx)


class IncompleteCapabilityError(ValueError):
    """A capability entry that the app could not show or the command line could not run."""


def _page(key: str, label: str, icon: str, module: str, cls: str) -> Page:
    return Page(key, label, icon, f"{PAGES_PACKAGE}.{module}:{cls}")


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        name="dashboard", label="Dashboard", commands=("merchant_ai.cli.summary_cmd",),
        pages=(_page("dashboard", "Dashboard", "dashboard", "dashboard_page", "DashboardPage"),)),
    Capability(
        name="imports", label="Data",
        commands=("merchant_ai.cli.import_cmd", "merchant_ai.cli.import_history_cmd"),
        pages=(_page("data", "Data", "data", "data_page", "DataPage"),)),
    Capability(
        name="reorder", label="Inventory", commands=("merchant_ai.cli.reorder_cmd",),
        pages=(_page("reorder", "Inventory", "inventory", "reorder_page", "ReorderPage"),),
        card=Card("Items to reorder", "merchant_ai.services.reorder:card_summary", "reorder"),
        analysis="merchant_ai.services.reorder:reorder"),
    Capability(
        name="forecast", label="Forecast", commands=("merchant_ai.cli.forecast_cmd",), shown_on="reorder",
        analysis="merchant_ai.services.forecast:forecast",
        backtest="merchant_ai.services.forecast.backtest:FORECAST_BACKTEST", model="demand_forecast"),
    Capability(
        name="recommend", label="Recommendations", commands=("merchant_ai.cli.recommend_cmd",),
        pages=(_page("recommend", "Recommendations", "recommendations", "recommend_page", "RecommendPage"),),
        card=Card("What to recommend", "merchant_ai.services.recommend:card_summary", "recommend"),
        analysis="merchant_ai.services.recommend:recommendations_overview",
        backtest="merchant_ai.services.recommend.backtest:RECOMMEND_BACKTEST", model="recommend"),
    Capability(
        name="pricing", label="Pricing", commands=("merchant_ai.cli.pricing_cmd",),
        pages=(_page("pricing", "Pricing", "pricing", "pricing_page", "PricingPage"),),
        card=Card("Price suggestions", "merchant_ai.services.pricing:card_summary", "pricing"),
        analysis="merchant_ai.services.pricing:suggest_prices",
        backtest="merchant_ai.services.pricing.backtest:PRICING_BACKTEST", model="pricing_elasticity_prior"),
    Capability(
        name="fraud", label="Risk", commands=("merchant_ai.cli.fraud_cmd",),
        pages=(_page("fraud", "Risk", "risk", "fraud_page", "FraudPage"),),
        card=Card("Risky orders to review", "merchant_ai.services.fraud:card_summary", "fraud"),
        analysis="merchant_ai.services.fraud:analyze",
        backtest="merchant_ai.services.fraud.backtest:FRAUD_BACKTEST", model="fraud"),
    Capability(
        name="customers", label="Customers", commands=("merchant_ai.cli.customers_cmd",),
        pages=(_page("customers", "Customers", "customers", "customers_page", "CustomersPage"),),
        card=Card("Customers at risk", "merchant_ai.services.customers:card_summary", "customers"),
        analysis="merchant_ai.services.customers:analyze_customers",
        backtest="merchant_ai.services.customers.backtest:CUSTOMERS_BACKTEST"),
    # Customer service: pages of their own are being built; until then the mail and reviews
    # are imported on the Data page, and the commands do the rest.
    Capability(
        name="messages", label="Messages",
        commands=("merchant_ai.cli.messages_cmd", "merchant_ai.cli.classify_cmd"), shown_on="data",
        model="support_intent"),
    Capability(
        name="reviews", label="Reviews", commands=("merchant_ai.cli.reviews_cmd",), shown_on="data",
        model="review_sentiment"),
)

# What belongs to no capability: the app's own commands and pages.
APP_COMMANDS: tuple[str, ...] = ("merchant_ai.cli.demo_cmd", "merchant_ai.cli.models_cmd")
APP_PAGES: tuple[Page, ...] = (_page("settings", "Settings", "settings", "settings_page", "SettingsPage"),)


def problems(entry: Capability, page_keys: set[str]) -> list[str]:
    """What is missing from one entry, in words (empty: complete). `page_keys`: every page."""
    missing = []
    if not entry.commands:
        missing.append("no command (every capability can be run from the command line)")
    if not entry.pages and entry.shown_on is None:
        missing.append("no page (give it its own page, or name the page it is shown on)")
    elif entry.shown_on is not None and entry.shown_on not in page_keys:
        missing.append(f"no page '{entry.shown_on}' to be shown on")
    if entry.analysis and entry.pages and entry.card is None:
        missing.append("no dashboard card (an analysis with its own page has a card that opens it)")
    if entry.card is not None and entry.card.page not in {p.key for p in entry.pages}:
        missing.append(f"no page '{entry.card.page}' of its own for its card to open")
    return missing


def check(capabilities: tuple[Capability, ...] = CAPABILITIES) -> None:
    """Raise IncompleteCapabilityError naming what is missing from any entry."""
    pages = [p for c in capabilities for p in c.pages] + list(APP_PAGES)
    keys = [p.key for p in pages]
    commands = [m for c in capabilities for m in c.commands] + list(APP_COMMANDS)
    names = [c.name for c in capabilities]
    errors = []
    for duplicate in sorted({k for k in keys if keys.count(k) > 1}):
        errors.append(f"The page key '{duplicate}' is used twice.")
    for duplicate in sorted({m for m in commands if commands.count(m) > 1}):
        errors.append(f"The command module {duplicate} is listed twice.")
    for duplicate in sorted({n for n in names if names.count(n) > 1}):
        errors.append(f"The capability '{duplicate}' is listed twice.")
    for entry in capabilities:
        missing = problems(entry, set(keys))
        if missing:
            errors.append(f"The capability '{entry.name}' is incomplete: it has {'; '.join(missing)}.")
    if errors:
        raise IncompleteCapabilityError(" ".join(errors))


def capability(name: str) -> Capability:
    for entry in CAPABILITIES:
        if entry.name == name:
            return entry
    raise KeyError(f"no capability named '{name}'")


def command_modules() -> list[str]:
    """Every CLI command module, capabilities first (the order of `merchant-ai --help`)."""
    return [m for c in CAPABILITIES for m in c.commands] + list(APP_COMMANDS)


def sidebar_pages() -> list[Page]:
    return [p for c in CAPABILITIES for p in c.pages] + list(APP_PAGES)


def cards() -> list[tuple[Capability, Card]]:
    return [(c, c.card) for c in CAPABILITIES if c.card is not None]


def analyses() -> dict[str, str]:
    """capability name -> its analysis target, for the self-test."""
    return {c.name: c.analysis for c in CAPABILITIES if c.analysis}


def backtests() -> dict[str, str]:
    """capability name -> its backtest spec target."""
    return {c.name: c.backtest for c in CAPABILITIES if c.backtest}


def load(target: str):
    """The object behind "module:attribute" (imported now)."""
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def analysis(name: str):
    return load(capability(name).analysis)


def backtest_spec(name: str):
    return load(capability(name).backtest)


check()
