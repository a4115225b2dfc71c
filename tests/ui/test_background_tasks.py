"""The one background-task helper: off the GUI thread, progress, cancel, one writer at a time."""

from __future__ import annotations

import threading
import time

import pytest

from merchant_ai.errors import CancelledError
from merchant_ai.ui.tasks import TaskRunner


@pytest.fixture
def runner():
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()
    assert tasks._pool.activeThreadCount() == 0


def _count(n, *, progress, cancel):
    for i in range(n):
        if cancel():
            raise CancelledError("stopped")
        progress((i + 1) / n, f"step {i + 1}")
        time.sleep(0.002)
    return threading.current_thread() is not threading.main_thread()


def test_work_runs_off_the_gui_thread_and_reports_progress(runner, qtbot):
    results, progress = [], []
    handle = runner.run(_count, 20, on_done=results.append, on_progress=lambda f, t: progress.append(f),
                        show_progress=False)
    qtbot.waitUntil(lambda: handle.done, timeout=10_000)
    assert results == [True]
    assert progress and progress[-1] == 1.0 and progress == sorted(progress)


def test_cancel_reaches_the_function_and_is_not_shown_as_an_error(runner, qtbot):
    errors, shown = [], []
    runner.default_on_error = shown.append
    started = threading.Event()

    def wait_for_cancel(*, progress, cancel):
        started.set()
        while not cancel():
            time.sleep(0.005)
        raise CancelledError("stopped")

    handle = runner.run(wait_for_cancel, show_progress=False)
    started.wait(5)
    handle.cancel()
    qtbot.waitUntil(lambda: handle.done, timeout=10_000)
    assert isinstance(handle.error, CancelledError) and shown == [] and errors == []


def test_failures_come_back_to_on_error(runner, qtbot):
    def fail(*, progress, cancel):
        raise ValueError("bad")

    errors = []
    handle = runner.run(fail, on_error=errors.append, show_progress=False)
    qtbot.waitUntil(lambda: handle.done, timeout=10_000)
    assert isinstance(errors[0], ValueError)


def test_writers_run_one_at_a_time(runner, qtbot):
    inside, overlaps = [0], []

    def write(*, progress, cancel):
        inside[0] += 1
        overlaps.append(inside[0])
        time.sleep(0.05)
        inside[0] -= 1

    handles = [runner.run(write, writes=True, show_progress=False) for _ in range(3)]
    qtbot.waitUntil(lambda: all(h.done for h in handles), timeout=10_000)
    assert max(overlaps) == 1


def test_the_progress_dialog_appears_only_for_work_longer_than_half_a_second(runner, qtbot):
    from PySide6.QtWidgets import QApplication, QProgressDialog

    def dialogs():
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]

    quick = runner.run(_count, 5, title="Quick")
    qtbot.waitUntil(lambda: quick.done, timeout=10_000)
    qtbot.wait(600)
    assert dialogs() == []

    release = threading.Event()
    slow = runner.run(lambda *, progress, cancel: release.wait(10), title="Slow work…")
    qtbot.waitUntil(lambda: bool(dialogs()), timeout=5_000)
    assert dialogs()[0].labelText() == "Slow work…"
    release.set()
    qtbot.waitUntil(lambda: slow.done, timeout=10_000)
    qtbot.waitUntil(lambda: dialogs() == [], timeout=5_000)


def test_plain_app_flags_open_the_app_without_the_command_line_parser():
    from merchant_ai.app_main import opens_the_app

    assert opens_the_app([]) and opens_the_app(["--demo"]) and opens_the_app(["--self-test", "--db", "x.db"])
    assert not opens_the_app(["summary", "--json"]) and not opens_the_app(["--version"])
