"""Inference speed: the same model scored by scikit-learn and by onnxruntime, in one run.

The model is shipped-style: a HistGradientBoostingRegressor (Poisson loss, the shipped demand
model's hyper-parameters when that module is present) on daily, shop-relative demand features
built from the project's store simulator, exported with merchant_ai.training.export.export_model
(the same path as every shipped model, parity check included). Both libraries get the same
thread count (OpenMP for scikit-learn via threadpoolctl, intra-op threads for onnxruntime,
whose session otherwise uses the app's options: no spinning).

Measured: batch of 1 row (median of many single predictions) and batch of 10,000 rows
(median of several). Target: onnxruntime >= 10x faster at batch 1, no slower at 10,000.
Prints ONE JSON object. Usage: python bench/inference_bench.py [--threads N] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FEATURES = ["units_7d_rel", "units_28d_rel", "units_91d_rel", "days_since_sale", "price_rel",
            "doy_sin", "doy_cos"] + [f"dow_{d}" for d in range(7)]
FALLBACK_PARAMS = {"loss": "poisson", "max_iter": 250, "learning_rate": 0.06, "max_leaf_nodes": 31,
                   "min_samples_leaf": 200, "l2_regularization": 0.1, "early_stopping": False}


def model_params() -> tuple[dict, str]:
    try:  # the shipped demand model's settings, so the bench measures a model like it
        from merchant_ai.training.demand_model import HGB_PARAMS

        return dict(HGB_PARAMS), "merchant_ai.training.demand_model.HGB_PARAMS"
    except ImportError:
        return dict(FALLBACK_PARAMS), "bench defaults"


def demand_rows(n_products: int, n_customers: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Daily rows (product x day) of shop-relative features and next-day units / level."""
    from merchant_ai.demo.simulator import SimulationConfig, simulate

    sim = simulate(SimulationConfig(seed=seed, n_products=n_products, n_customers=n_customers))
    lines = sim.order_lines.merge(sim.orders[["order_id", "created_at"]], on="order_id")
    lines["day"] = pd.to_datetime(lines["created_at"]).dt.normalize()
    prices = sim.daily_price
    units = (lines.pivot_table(index="day", columns="sku", values="quantity", aggfunc="sum")
             .reindex(index=prices.index, columns=prices.columns).fillna(0.0).clip(lower=0.0).to_numpy().T)
    price = prices.to_numpy().T
    cum = np.concatenate([np.zeros((units.shape[0], 1)), units.cumsum(axis=1)], axis=1)
    frames, targets = [], []
    days = pd.DatetimeIndex(prices.index)
    def window(t: int, n: int) -> np.ndarray:  # mean units/day over the n days before day t
        return (cum[:, t] - cum[:, t - n]) / n

    for t in range(91, units.shape[1] - 1, 3):  # every third day keeps the set small
        level = np.maximum(window(t, 91), 0.05)  # floor: Poisson boosting overflows on tiny scales
        sold = np.where(units[:, :t] > 0, np.arange(t), -1).max(axis=1)
        doy = 2 * np.pi * days[t].day_of_year / 365.25
        frame = pd.DataFrame({
            "units_7d_rel": window(t, 7) / level, "units_28d_rel": window(t, 28) / level,
            "units_91d_rel": window(t, 91) / level,
            "days_since_sale": np.where(sold >= 0, t - sold, np.nan),
            "price_rel": price[:, t] / np.median(price[:, t - 91:t], axis=1),
            "doy_sin": np.sin(doy), "doy_cos": np.cos(doy),
            **{f"dow_{d}": float(days[t].day_of_week == d) for d in range(7)},
        })
        frames.append(frame[FEATURES])
        targets.append(units[:, t] / level)
    return pd.concat(frames, ignore_index=True), np.concatenate(targets)


def median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1, help="threads for BOTH libraries")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, seconds only (not a measurement)")
    args = parser.parse_args()

    import onnxruntime
    import sklearn
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_info, threadpool_limits

    from merchant_ai.ml import providers
    from merchant_ai.ml.registry import load_model
    from merchant_ai.training.export import export_model, float32_values

    params, params_from = model_params()
    if args.smoke:
        params.update(max_iter=10, min_samples_leaf=20)
    X, y = demand_rows(40 if args.smoke else 150, 600 if args.smoke else 4000, seed=11)
    X = float32_values(X)  # what the model sees at run time (see export.float32_values)
    split = int(len(X) * 0.8)
    batch_rows = 500 if args.smoke else 10_000
    reps_one = (20, 50) if args.smoke else (300, 3000)  # (scikit-learn, onnxruntime)
    reps_big = 3 if args.smoke else 15

    with threadpool_limits(args.threads):
        fit_start = time.perf_counter()
        # Fitted on a NumPy array: scikit-learn then skips column-name checks (fastest baseline).
        model = HistGradientBoostingRegressor(random_state=0, **params).fit(X.iloc[:split].to_numpy(), y[:split])
        fit_seconds = time.perf_counter() - fit_start
        openmp = [p for p in threadpool_info() if p.get("user_api") == "openmp"]
        holdout = X.iloc[split:]
        big = holdout.sample(n=batch_rows, replace=len(holdout) < batch_rows, random_state=0)
        with tempfile.TemporaryDirectory() as folder:
            export_model(model, name="bench_demand", version="bench", X_train=X.iloc[:split],
                         X_holdout=holdout.iloc[:2000], out_dir=Path(folder), tolerance=1e-4,
                         card={"purpose": "benchmark", "training_data": "simulator", "metrics": {},
                               "limits": "benchmark only"})
            options = providers.session_options()
            options.intra_op_num_threads = args.threads
            session = onnxruntime.InferenceSession(str(Path(folder) / "bench_demand.onnx"), sess_options=options,
                                                   providers=["CPUExecutionProvider"])
            app_model = load_model("bench_demand", models_dir=Path(folder), preference="cpu")
            one_np = big.iloc[:1].to_numpy(dtype=np.float32)
            big_np = big.to_numpy(dtype=np.float32)
            one_frame = big.iloc[:1]
            def run(matrix):
                return session.run(None, {"X": matrix})

            for warm in (one_np, big_np):  # warm-up: first calls allocate
                model.predict(warm)
                run(warm)
            sk_one = median_seconds(lambda: model.predict(one_np), reps_one[0])
            ort_one = median_seconds(lambda: run(one_np), reps_one[1])
            app_one = median_seconds(lambda: app_model.predict(one_frame), reps_one[1])
            sk_big = median_seconds(lambda: model.predict(big_np), reps_big)
            ort_big = median_seconds(lambda: run(big_np), reps_big)
            max_diff = float(np.max(np.abs(run(big_np)[0].ravel() - model.predict(big_np))))

    print(json.dumps({
        "benchmark": "inference_bench",
        "smoke": args.smoke,
        "model": {"estimator": "HistGradientBoostingRegressor", "params": params, "params_from": params_from,
                  "features": len(FEATURES), "training_rows": split, "trees": int(model.n_iter_),
                  "fit_seconds": round(fit_seconds, 2)},
        "threads": {"requested": args.threads, "sklearn_openmp": [p["num_threads"] for p in openmp],
                    "onnxruntime_intra_op": args.threads, "machine_cores": os.cpu_count()},
        "batch_1": {"sklearn_ms": sk_one * 1e3, "onnxruntime_ms": ort_one * 1e3,
                    "onnxruntime_via_registry_ms": app_one * 1e3, "speedup": sk_one / ort_one,
                    "speedup_via_registry": sk_one / app_one,
                    "repetitions": {"sklearn": reps_one[0], "onnxruntime": reps_one[1]}},
        f"batch_{batch_rows}": {"sklearn_ms": sk_big * 1e3, "onnxruntime_ms": ort_big * 1e3,
                                "speedup": sk_big / ort_big, "repetitions": reps_big},
        "max_abs_diff_batch": max_diff,
        "targets": {"batch_1_speedup_at_least_10": sk_one / ort_one >= 10,
                    "batch_large_onnxruntime_not_slower": ort_big <= sk_big},
        "versions": {"scikit-learn": sklearn.__version__, "onnxruntime": onnxruntime.__version__},
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OMP_NUM_THREADS")},
        "note": "latencies are medians; 'via_registry' adds the app's column check and DataFrame->float32 cast",
    }, indent=1))


if __name__ == "__main__":
    main()
