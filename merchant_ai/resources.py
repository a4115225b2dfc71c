"""One place that knows where bundled files live (source tree, wheel or PyInstaller).

Everything that needs an icon, a style sheet or a model file asks `resource_path` instead of
building paths itself, so the frozen app (files unpacked under `sys._MEIPASS`) works the
same way as a checkout.
"""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """The folder that holds `resources/` and `models/`: `sys._MEIPASS` when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parents[1]


def resource_path(*parts: str) -> Path:
    """Path of a bundled file, e.g. resource_path("icons", "dashboard.svg")."""
    return app_root().joinpath("resources", *parts)
