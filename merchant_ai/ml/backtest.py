"""The one backtest harness: "How accurate is this on my shop?"

A capability describes itself with a BacktestSpec: how to answer as of a date (its normal
code path with `as_of`), a naive baseline to beat, and how to score an answer
against what happened afterwards. `run_backtest` answers with data before `as_of`, scores
both the method and the baseline on `[as_of, as_of + horizon_days)`, and says in one plain
sentence which did better. `how_accurate` is the data API behind the app's panel.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from merchant_ai.errors import CancelledError, NotEnoughDataError
from merchant_ai.store.as_of import resolve_as_of

Progress = Callable[[float, str], None]
Cancel = Callable[[], bool]
SAME_WITHIN = 0.02  # relative difference below which we call method and baseline "about the same"


@dataclass(frozen=True)
class Score:
    """What a scoring function returns: metrics by name, and how many items were scored."""

    metrics: dict[str, float]
    n_evaluated: int


@dataclass(frozen=True)
class BacktestSpec:
    """How to backtest one capability.

    answer(store, as_of) / baseline(store, as_of): results using only data before `as_of`
    (a pandas Timestamp at midnight). score(store, result, as_of, until): a Score comparing a
    result with what happened in [as_of, until).
    """

    capability: str
    answer: Callable[[Any, pd.Timestamp], Any]
    baseline: Callable[[Any, pd.Timestamp], Any]
    score: Callable[[Any, Any, pd.Timestamp, pd.Timestamp], Score]
    primary_metric: str
    higher_is_better: bool
    horizon_days: int = 28
    method_label: str = "our method"
    baseline_label: str = "the simple baseline"
    metric_labels: dict[str, str] = field(default_factory=dict)
    # the verdict's words when the primary metric cannot be worked out (say, nothing to check
    # it against): describe(method_metrics, baseline_metrics) -> the sentence after the period
    describe: Callable[[dict, dict], str] | None = None


@dataclass
class BacktestResult:
    """Method and baseline metrics over one period, with a plain-words verdict."""

    capability: str
    as_of: date
    period_start: date
    period_end: date  # exclusive
    horizon_days: int
    orders_before: int
    orders_in_period: int
    n_evaluated: int
    primary_metric: str
    primary_metric_label: str
    higher_is_better: bool
    method_label: str
    baseline_label: str
    method_metrics: dict[str, float]
    baseline_metrics: dict[str, float]
    improvement: float | None  # relative; positive = method better than baseline
    verdict: str
    seconds: float
    metric_labels: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        data = asdict(self)
        for key in ("as_of", "period_start", "period_end"):
            data[key] = data[key].isoformat()
        return data

    def to_frame(self) -> pd.DataFrame:
        """One row per metric: metric, label, method, baseline (the panel's table)."""
        names = list(dict.fromkeys([*self.method_metrics, *self.baseline_metrics]))
        return pd.DataFrame({
            "metric": names,
            "label": [self.metric_labels.get(n, n) for n in names],
            "method": [self.method_metrics.get(n, math.nan) for n in names],
            "baseline": [self.baseline_metrics.get(n, math.nan) for n in names],
        })


def _order_count(store, start: pd.Timestamp | None, end: pd.Timestamp) -> int:
    sql = "SELECT COUNT(*) FROM orders WHERE cancelled_at IS NULL AND created_at < ?"
    params: list = [end.strftime("%Y-%m-%d %H:%M:%S")]
    if start is not None:
        sql += " AND created_at >= ?"
        params.append(start.strftime("%Y-%m-%d %H:%M:%S"))
    return int(store.scalar(sql, tuple(params)) or 0)


def improvement(method: float, baseline: float, higher_is_better: bool) -> float | None:
    """Relative gain of the method over the baseline (+0.25 = 25% better); None if undefined."""
    if any(v is None or not math.isfinite(v) for v in (method, baseline)) or baseline == 0:
        return None
    gain = (method - baseline) if higher_is_better else (baseline - method)
    return gain / abs(baseline)


def _verdict(spec: BacktestSpec, label: str, start: pd.Timestamp, end: pd.Timestamp,
             method: float, baseline: float, gain: float | None, metrics: tuple[dict, dict]) -> str:
    period = f"From {start:%d %b %Y} to {end - pd.Timedelta(days=1):%d %b %Y}"
    if not math.isfinite(method) and spec.describe is not None:
        return f"{period}, {spec.describe(*metrics)}"
    figures = (f"{spec.method_label} scored {method:.3g} on {label} against {baseline:.3g} "
               f"for {spec.baseline_label}")
    if gain is None:
        return f"{period}, {figures}."
    if abs(gain) < SAME_WITHIN:
        return f"{period}, {figures}: about the same, so {spec.baseline_label} would have done as well."
    if gain > 0:
        return f"{period}, {figures}: {gain:.0%} better than {spec.baseline_label}."
    return (f"{period}, {figures}: {spec.baseline_label} did {-gain:.0%} better, "
            "so treat these results with caution.")


def _step(progress: Progress | None, cancel: Cancel | None, fraction: float, text: str) -> None:
    if cancel is not None and cancel():
        raise CancelledError("The accuracy check was stopped; nothing was changed.")
    if progress is not None:
        progress(fraction, text)


def run_backtest(store, spec: BacktestSpec, as_of: date | datetime | str, *, horizon_days: int | None = None,
                 progress: Progress | None = None, cancel: Cancel | None = None) -> BacktestResult:
    """Answer as of `as_of` with the method and the baseline, score both on the period after.

    Raises NotEnoughDataError when there are no orders before `as_of`, or when the store's
    orders end before the period does (the period could not be fully checked).
    """
    started = time.perf_counter()
    start = resolve_as_of(store, as_of)
    horizon = int(horizon_days or spec.horizon_days)
    until = start + pd.Timedelta(days=horizon)
    orders_before = _order_count(store, None, start)
    if orders_before == 0:
        raise NotEnoughDataError(f"There are no orders before {start:%Y-%m-%d} to learn from.")
    today = resolve_as_of(store)
    if today < until:
        raise NotEnoughDataError(
            f"Your orders end on {today - pd.Timedelta(days=1):%Y-%m-%d}, before the {horizon} days after "
            f"{start:%Y-%m-%d} could be checked; pick an earlier date.")
    _step(progress, cancel, 0.0, f"Answering as if today were {start:%d %b %Y}")
    answer = spec.answer(store, start)
    _step(progress, cancel, 0.4, f"Working out {spec.baseline_label}")
    baseline = spec.baseline(store, start)
    _step(progress, cancel, 0.7, "Comparing with what really happened")
    method_score = spec.score(store, answer, start, until)
    baseline_score = spec.score(store, baseline, start, until)
    if method_score.n_evaluated == 0:
        raise NotEnoughDataError(f"Nothing could be checked in the {horizon} days after {start:%Y-%m-%d}.")
    method_value = float(method_score.metrics[spec.primary_metric])
    baseline_value = float(baseline_score.metrics[spec.primary_metric])
    gain = improvement(method_value, baseline_value, spec.higher_is_better)
    label = spec.metric_labels.get(spec.primary_metric, spec.primary_metric)
    _step(progress, cancel, 1.0, "Done")
    return BacktestResult(
        capability=spec.capability, as_of=start.date(), period_start=start.date(), period_end=until.date(),
        horizon_days=horizon, orders_before=orders_before, orders_in_period=_order_count(store, start, until),
        n_evaluated=int(method_score.n_evaluated), primary_metric=spec.primary_metric,
        primary_metric_label=label, higher_is_better=spec.higher_is_better,
        method_label=spec.method_label, baseline_label=spec.baseline_label,
        method_metrics={k: float(v) for k, v in method_score.metrics.items()},
        baseline_metrics={k: float(v) for k, v in baseline_score.metrics.items()},
        improvement=gain, verdict=_verdict(spec, label, start, until, method_value, baseline_value, gain,
                                           (method_score.metrics, baseline_score.metrics)),
        seconds=round(time.perf_counter() - started, 3), metric_labels=dict(spec.metric_labels),
    )


def latest_complete_as_of(store, horizon_days: int) -> pd.Timestamp:
    """The latest `as_of` whose following `horizon_days` are fully inside the store's orders."""
    return resolve_as_of(store) - pd.Timedelta(days=horizon_days)


def how_accurate(store, spec: BacktestSpec, *, as_of: date | datetime | str | None = None,
                 horizon_days: int | None = None, progress: Progress | None = None,
                 cancel: Cancel | None = None) -> BacktestResult:
    """The "How accurate is this on my shop?" answer; default period: the latest fully observed one."""
    horizon = int(horizon_days or spec.horizon_days)
    chosen = latest_complete_as_of(store, horizon) if as_of is None else as_of
    return run_backtest(store, spec, chosen, horizon_days=horizon, progress=progress, cancel=cancel)
