"""Architecture contracts: the import-linter contracts of pyproject.toml hold (the core never
imports Qt, the app never imports training code, ui -> services -> ml/store and never back up,
capabilities use each other only through their entry points), and no Qt loads at run time."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_of_pyproject_hold():
    lint_imports = shutil.which("lint-imports")
    if lint_imports is None:
        pytest.fail("lint-imports is not installed: pip install -e '.[test]' brings it (import-linter)")
    # --no-cache: a cache written for another checkout must not answer for this one
    result = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_importing_the_cli_and_services_loads_no_qt():
    # A live check too: imports made through importlib (the capability table) are not in the graph.
    code = (
        "import sys, importlib, pkgutil, merchant_ai.cli, merchant_ai.services, merchant_ai.store\n"
        "for pkg in ('merchant_ai.services', 'merchant_ai.store'):\n"
        "    mod = importlib.import_module(pkg)\n"
        "    for info in pkgutil.walk_packages(mod.__path__, pkg + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "merchant_ai.cli.build_parser()\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
