"""Build the one-folder app with PyInstaller, check what it holds, and run its self-test.

Prints one JSON object (build seconds, bundle size, checks, the bundle's self-test result)
and exits non-zero when the bundle is missing a model, a resource or a Qt plugin, pulls in
an offline-only library, or fails its self-test. CI runs this on Linux; the release
workflow runs it on Windows and macOS before making the installers.

    python packaging/build_bundle.py [--skip-build] [--dist DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "MerchantAI"
SIZE_TARGET_MB = 250
# Offline-training and test libraries that must never reach the installed app.
FORBIDDEN = ("sklearn", "skl2onnx", "pytest", "hypothesis", "tkinter", "statsforecast", "numba")


def build(dist: Path, work: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(ROOT / "pyinstaller.spec")],
        check=True, cwd=ROOT,
    )
    return time.perf_counter() - start


def folder_size_mb(folder: Path) -> float:
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 1e6


def internal_dir(app_dir: Path) -> Path:
    """PyInstaller 6 puts everything but the executables under `_internal`."""
    inner = app_dir / "_internal"
    return inner if inner.is_dir() else app_dir


def check_contents(app_dir: Path) -> list[str]:
    """Problems with what the bundle holds (empty when it is complete)."""
    problems = []
    inner = internal_dir(app_dir)
    for model in sorted((ROOT / "models").glob("*.onnx")) + sorted((ROOT / "models").glob("*.json")):
        if not (inner / "models" / model.name).is_file():
            problems.append(f"model missing from the bundle: models/{model.name}")
    for resource in sorted(p for p in (ROOT / "resources").rglob("*") if p.is_file()):
        rel = resource.relative_to(ROOT)
        if not (inner / rel).is_file():
            problems.append(f"resource missing from the bundle: {rel.as_posix()}")
    plugin_names = {"linux": ("offscreen", "xcb"), "win32": ("windows",), "darwin": ("cocoa",)}
    platform_key = "linux" if sys.platform.startswith("linux") else sys.platform
    plugins = [p.name for p in inner.rglob("platforms/*")]
    for wanted in plugin_names.get(platform_key, ()):
        if not any(wanted in name for name in plugins):
            problems.append(f"Qt platform plugin missing from the bundle: {wanted}")
    for name in FORBIDDEN:
        if (inner / name).exists():
            problems.append(f"offline-only library bundled: {name}")
    return problems


def cli_executable(app_dir: Path) -> Path:
    return app_dir / ("merchant-ai.exe" if sys.platform == "win32" else "merchant-ai")


def run_self_test(app_dir: Path, timeout_s: float = 600) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    with tempfile.TemporaryDirectory() as home:
        env["MERCHANT_AI_HOME"] = home
        env.pop("MERCHANT_AI_DB", None)
        proc = subprocess.run([str(cli_executable(app_dir)), "--self-test"], check=False, capture_output=True,
                              text=True, env=env, timeout=timeout_s)
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError:
        result = {"unparsed_stdout": proc.stdout[-2000:]}
    result["exit_code"] = proc.returncode
    if proc.returncode != 0:
        result["stderr_tail"] = proc.stderr[-3000:]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", default=str(ROOT / "dist"))
    parser.add_argument("--skip-build", action="store_true", help="check and self-test an existing build")
    args = parser.parse_args(argv)
    dist = Path(args.dist)
    app_dir = dist / APP_NAME
    build_seconds = None if args.skip_build else build(dist, ROOT / "build")
    problems = check_contents(app_dir)
    self_test = run_self_test(app_dir)
    if self_test["exit_code"] != 0:
        problems.append(f"bundle self-test failed with exit code {self_test['exit_code']}")
    size_mb = folder_size_mb(app_dir)
    report = {
        "platform": sys.platform,
        "build_seconds": None if build_seconds is None else round(build_seconds, 1),
        "bundle_size_mb": round(size_mb, 1),
        "bundle_size_target_mb": SIZE_TARGET_MB,
        "bundle_size_ok": size_mb < SIZE_TARGET_MB,
        "problems": problems,
        "self_test": self_test,
    }
    print(json.dumps(report, indent=1))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
