"""The capability table: every entry is complete and everything it names exists; one name per
capability; an incomplete entry is refused with a sentence naming what is missing."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from dataclasses import replace
from pathlib import Path

import pytest

from merchant_ai import capabilities
from merchant_ai.capabilities import CAPABILITIES, Capability, Card, IncompleteCapabilityError, Page

ROOT = Path(__file__).resolve().parents[1]


def test_a_capability_with_no_page_command_or_card_is_refused_naming_what_is_missing():
    bare = Capability(name="messages", label="Messages", analysis="merchant_ai.services.messages:classify")
    with pytest.raises(IncompleteCapabilityError) as refused:
        capabilities.check(CAPABILITIES + (bare,))
    message = str(refused.value)
    assert "The capability 'messages' is incomplete" in message
    assert "no command" in message and "no page" in message
    # with its own page, an analysis also needs the dashboard card that opens it
    paged = replace(bare, commands=("merchant_ai.cli.messages_cmd",),
                    pages=(Page("messages", "Messages", "data", "merchant_ai.ui.pages.messages_page:MessagesPage"),))
    with pytest.raises(IncompleteCapabilityError, match="no dashboard card"):
        capabilities.check(CAPABILITIES + (paged,))


def test_a_capability_with_two_pages_several_commands_and_no_model_fits_the_table():
    # the shape the customer-service capability will have (messages and reviews pages)
    service = Capability(
        name="service", label="Customer service",
        commands=("merchant_ai.cli.messages_cmd", "merchant_ai.cli.reviews_cmd", "merchant_ai.cli.classify_cmd"),
        pages=(Page("messages", "Messages", "data", "merchant_ai.ui.pages.messages_page:MessagesPage"),
               Page("reviews", "Reviews", "data", "merchant_ai.ui.pages.reviews_page:ReviewsPage")),
        card=Card("Messages to answer", "merchant_ai.services.service:card_summary", "messages"),
        analysis="merchant_ai.services.service:analyze")
    # (today's interim messages/reviews entries hold those commands; leave them out here)
    others = tuple(c for c in CAPABILITIES if c.name not in ("messages", "reviews"))
    capabilities.check(others + (service,))


def test_a_page_key_used_twice_is_refused():
    twin = replace(capabilities.capability("fraud"), name="fraud2", commands=("merchant_ai.cli.fraud2_cmd",))
    with pytest.raises(IncompleteCapabilityError, match="page key 'fraud' is used twice"):
        capabilities.check(CAPABILITIES + (twin,))


def test_everything_the_table_names_exists():
    for entry in CAPABILITIES:
        for module in entry.commands:
            assert callable(importlib.import_module(module).add_parser), module
        for target in [entry.analysis, entry.backtest, entry.card and entry.card.summary]:
            if target:
                assert capabilities.load(target) is not None, target
        if entry.model:
            assert (ROOT / "models" / f"{entry.model}.json").is_file(), entry.model
    for page in capabilities.sidebar_pages():
        assert (ROOT / "resources" / "icons" / f"{page.icon}.svg").is_file(), page.icon
        module, _, cls = page.widget.partition(":")
        spec = importlib.util.find_spec(module)  # page modules import Qt: found, not imported here
        assert spec is not None and f"class {cls}(" in Path(spec.origin).read_text(encoding="utf-8"), page.widget


def test_each_capability_has_one_name_across_command_package_page_and_backtest():
    from merchant_ai.cli import build_parser

    commands = set(build_parser()._subparsers._group_actions[0].choices)
    for entry in CAPABILITIES:
        assert importlib.util.find_spec(f"merchant_ai.services.{entry.name}") is not None, entry.name
        if entry.analysis:
            assert entry.name in commands, f"no `merchant-ai {entry.name}` command"
            assert entry.analysis.startswith(f"merchant_ai.services.{entry.name}")
    for name, target in capabilities.backtests().items():
        assert capabilities.load(target).capability == name
    for entry in CAPABILITIES:
        if len(entry.pages) == 1 and entry.name != "imports":  # imports' page is "data" (the data browser too)
            assert entry.pages[0].key == entry.name
    # where the shop owner's word differs from the code's name, the table says so
    assert capabilities.capability("fraud").label == "Risk"
    assert capabilities.capability("reorder").label == "Inventory"


def test_every_analysis_takes_store_as_of_progress_and_cancel():
    for name, target in capabilities.analyses().items():
        parameters = inspect.signature(capabilities.load(target)).parameters
        assert list(parameters)[:2] == ["store", "as_of"], name
        assert parameters["as_of"].default is None, name
        for keyword in ("progress", "cancel"):
            assert parameters[keyword].kind is inspect.Parameter.KEYWORD_ONLY, (name, keyword)
            assert parameters[keyword].default is None, (name, keyword)


def test_every_capability_with_its_own_analysis_page_has_a_backtest_on_it():
    for entry in CAPABILITIES:
        if entry.analysis and entry.pages:
            shown = [c for c in CAPABILITIES if c.shown_on in {p.key for p in entry.pages}]
            assert entry.backtest or any(c.backtest for c in shown), entry.name
