"""Render every page of the app on the demo store, offscreen, to docs/screenshots/*.png.

    python scripts/screenshots.py [--out docs/screenshots] [--db PATH] [--theme light|dark]

Uses a demo store in a temporary folder (created once, ~5 s) unless --db is given, and
temporary settings, so it never touches the user's data.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--db")
    parser.add_argument("--theme", default="light", choices=["light", "dark"])
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="merchant-ai-shots-"))
    os.environ["MERCHANT_AI_HOME"] = str(workdir / "home")

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from merchant_ai.services.demo_store import ensure_demo_store
    from merchant_ai.ui.app import build_window
    from merchant_ai.ui.main_window import pages
    from merchant_ai.ui.self_test import _page_busy, wait_until
    from merchant_ai.ui.theme import apply_theme

    app = QApplication.instance() or QApplication([])
    apply_theme(app, args.theme)
    store_path = Path(args.db) if args.db else ensure_demo_store(workdir / "demo-store.db")
    settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    # The welcome page, as a first-time user sees it.
    context, window = build_window(workdir / "not-yet.db", settings)
    window.resize(1280, 820)
    window.show()
    wait_until(app, lambda: False, 0.3)
    window.grab().save(str(out / "welcome.png"))
    context.set_store_path(store_path)
    written = ["welcome.png"]
    for entry in pages():
        key, name = entry.key, entry.label.lower()  # files named by the word the owner sees
        window.go_to(key)
        page = window.page(key)
        wait_until(app, lambda p=page: not _page_busy(p) and not context.tasks.busy(), 180)
        wait_until(app, lambda: False, 0.4)  # let charts and tables paint
        if key == "data":
            page.tabs.setCurrentIndex(1)  # orders, more telling than the imports list
            wait_until(app, lambda p=page: not _page_busy(p) and not context.tasks.busy(), 180)
            wait_until(app, lambda: False, 0.3)
        window.grab().save(str(out / f"{name}.png"))
        written.append(f"{name}.png")
    window.close()
    context.tasks.shutdown()
    print(f"{len(written)} screenshots in {out}: {', '.join(written)} ({time.process_time():.1f} s CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
