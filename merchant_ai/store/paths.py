"""Where the store and logs live: the per-user data folder of the platform."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "MerchantAI"
APP_AUTHOR = "MerchantAI"


def data_dir() -> Path:
    """The per-user data folder (created), e.g. %LOCALAPPDATA%/MerchantAI on Windows."""
    from platformdirs import user_data_dir

    folder = Path(os.environ.get("MERCHANT_AI_HOME") or user_data_dir(APP_NAME, APP_AUTHOR))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_dir() -> Path:
    """The per-user log folder (created)."""
    from platformdirs import user_log_dir

    home = os.environ.get("MERCHANT_AI_HOME")
    folder = Path(home) / "logs" if home else Path(user_log_dir(APP_NAME, APP_AUTHOR))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_db_path() -> Path:
    """`MERCHANT_AI_DB` if set, else store.db in the data folder."""
    override = os.environ.get("MERCHANT_AI_DB")
    if override:
        return Path(override)
    return data_dir() / "store.db"
