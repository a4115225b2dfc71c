"""Architecture contracts: the core never imports Qt; the app never imports training code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "merchant_ai"
CORE = ["store", "importers", "ml", "services", "training", "demo", "errors.py", "cli"]
QT_NAMES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "matplotlib.backends.backend_qtagg")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _files(part: str) -> list[Path]:
    target = PACKAGE / part
    return [target] if target.is_file() else sorted(target.rglob("*.py")) if target.exists() else []


def test_core_modules_never_import_qt():
    offenders = []
    for part in CORE:
        for path in _files(part):
            for name in _imports(path):
                if name.startswith(QT_NAMES):
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_app_code_never_imports_training():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "training" in path.relative_to(PACKAGE).parts:
            continue
        for name in _imports(path):
            if name.startswith("merchant_ai.training"):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_importing_the_cli_and_services_loads_no_qt():
    # A live check too: static scans miss imports made through helper modules.
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
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
