"""Shared test set-up: offscreen Qt, and a fresh data folder and store for every test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Never touch the real per-user folder: data, logs and the default store go to tmp."""
    home = tmp_path / "home"
    monkeypatch.setenv("MERCHANT_AI_HOME", str(home))
    monkeypatch.delenv("MERCHANT_AI_DB", raising=False)
    yield


@pytest.fixture
def shared_data() -> Path:
    """`../shared/data` beside the project; tests that need it skip cleanly when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture
def store_path(tmp_path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory) -> Path:
    """One demo store built per test session; tests copy it rather than rebuild it."""
    from merchant_ai.demo.generate import create_demo_store

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo_store(path)
    return path


@pytest.fixture
def demo_store(demo_store_template, tmp_path) -> Path:
    """A private copy of the demo store for one test (safe to write to)."""
    import sqlite3

    target = tmp_path / "demo.db"
    src = sqlite3.connect(str(demo_store_template))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target
