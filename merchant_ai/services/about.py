"""Versions for the About box, `--self-test` and support: app, libraries, models, providers."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

# name shown -> distribution names to try (PySide6 may be installed as PySide6-Essentials)
LIBRARIES = {"PySide6": ["PySide6", "PySide6-Essentials"], "numpy": ["numpy"], "pandas": ["pandas"],
             "matplotlib": ["matplotlib"], "onnxruntime": ["onnxruntime", "onnxruntime-gpu", "onnxruntime-directml"],
             "openpyxl": ["openpyxl"]}


def library_versions() -> dict[str, str | None]:
    """Installed versions, read from package metadata (no heavy imports)."""
    versions: dict[str, str | None] = {}
    for name, distributions in LIBRARIES.items():
        versions[name] = None
        for distribution in distributions:
            try:
                versions[name] = metadata.version(distribution)
                break
            except metadata.PackageNotFoundError:
                continue
    return versions


def app_versions() -> dict:
    import sqlite3

    from merchant_ai import __version__

    return {"app": __version__, "python": sys.version.split()[0], "platform": platform.platform(),
            "sqlite": sqlite3.sqlite_version, "libraries": library_versions()}


def onnx_providers() -> list[str]:
    """Execution providers this onnxruntime offers (imports onnxruntime: call it lazily)."""
    try:
        import onnxruntime
    except ImportError:
        return []
    return list(onnxruntime.get_available_providers())


def models_overview() -> list[dict]:
    """Each shipped model with its version and the provider that really ran it."""
    try:
        from merchant_ai.ml.registry import list_models
    except ImportError:  # model platform not installed in this build
        return []
    return list_models()


def full_report(*, progress=None, cancel=None) -> dict:
    """Everything the About box shows (loads the models; run it off the GUI thread)."""
    return {**app_versions(), "onnxruntime_providers": onnx_providers(), "models": models_overview()}
