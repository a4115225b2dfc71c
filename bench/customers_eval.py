"""Customer models vs the classic peers, on calibration / holdout splits, in one run.

    python bench/customers_eval.py [--models-dir DIR] [--smoke]

Data sets (each: customers known before the cutoff; holdout = the 90 days after it):
- CDNOW (real): 39-week calibration as in the BG/NBD paper (cutoff 1997-10-01);
- UCI Online Retail, Germany rows (real, 95 customers): the last 90 days held out;
- the simulator, seeds 100 and 101 (never used in training): the last 90 days held out.
The shipped models (models/customers_*.onnx, run through the app's own prediction code) were
trained on real data only through label windows that end before these cutoffs.

Peers measured here: recency alone, the RFM score (R+F+M), the customer's past spending rate
carried forward (for spend), and BG/NBD + Gamma-Gamma fitted by maximum likelihood on each
calibration period with the `lifetimes` package (bench extra). P(buys in holdout) under
BG/NBD = P(alive) x (1 - ((alpha+T)/(alpha+T+t))^(r+x)).

Metrics: ROC-AUC and PR-AUC of "buys in holdout", Spearman and MAE of predicted vs actual
holdout spend, top-decile lift. Prints ONE JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
HOLDOUT_DAYS = 90
TARGET_AUC_GAIN, TARGET_SPEARMAN_GAIN = 0.02, 0.03


def _metrics(bought: np.ndarray, spend: np.ndarray, score: np.ndarray, spend_pred: np.ndarray | None) -> dict:
    from scipy.stats import spearmanr
    from sklearn.metrics import average_precision_score, roc_auc_score

    from merchant_ai.services.customer_backtest import top_decile_lift

    ranking = spend_pred if spend_pred is not None else score
    result = {
        "roc_auc": round(float(roc_auc_score(bought, score)), 4),
        "pr_auc": round(float(average_precision_score(bought, score)), 4),
        "top_decile_lift": round(top_decile_lift(bought, score), 3),
        "spend_spearman": round(float(spearmanr(ranking, spend).statistic), 4),
        "spend_mae": None if spend_pred is None else round(float(np.mean(np.abs(spend_pred - spend))), 3),
    }
    return result


def _bgnbd_gamma_gamma(history: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, dict]:
    """P(buy in holdout) and expected holdout spend under BG/NBD + Gamma-Gamma (time in weeks)."""
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import ConvergenceError

    frequency = history["orders_count"] - 1
    recency = (history["last_day"] - history["first_day"]).dt.days / 7.0
    age = history["tenure_days"] / 7.0
    horizon = HOLDOUT_DAYS / 7.0
    for penalizer in (0.0, 0.001, 0.01, 0.1):  # tiny data sets may need a penalty to converge
        try:
            bg = BetaGeoFitter(penalizer_coef=penalizer).fit(frequency, recency, age)
            break
        except ConvergenceError:
            continue
    params = bg.params_
    alive = np.asarray(bg.conditional_probability_alive(frequency, recency, age))
    no_order_if_alive = ((params["alpha"] + age) / (params["alpha"] + age + horizon)) ** (params["r"] + frequency)
    p_buy = alive * (1.0 - np.asarray(no_order_if_alive))
    orders = np.asarray(bg.conditional_expected_number_of_purchases_up_to_time(horizon, frequency, recency, age))
    mean_value = history["total_spend"] / history["orders_count"]
    repeat = frequency > 0
    gg = GammaGammaFitter(penalizer_coef=penalizer).fit(frequency[repeat], mean_value[repeat])
    order_value = np.asarray(gg.conditional_expected_average_profit(frequency, mean_value))
    fitted = {"bgnbd": {k: round(float(v), 4) for k, v in params.items()},
              "gamma_gamma": {k: round(float(v), 4) for k, v in gg.params_.items()}, "penalizer": penalizer}
    return p_buy, orders * order_value, fitted


def evaluate(history, models_dir: Path | None) -> dict:
    """All peers on one data set's calibration / holdout split."""
    from merchant_ai.errors import ModelUnavailableError
    from merchant_ai.ml.features.customers import customer_history, features_from_history, future_labels, shop_context
    from merchant_ai.services.customer_predictions import predict_customers
    from merchant_ai.services.customer_segments import rfm_segments

    cutoff = history.evaluation_cutoff
    past = customer_history(history.purchases, cutoff)
    context = shop_context(history.purchases, cutoff)
    actual = future_labels(history.purchases, cutoff, HOLDOUT_DAYS).reindex(past.index).fillna(0.0)
    bought, spend = (actual["orders"] > 0).to_numpy(), actual["spend"].to_numpy()
    rfm = rfm_segments(past)
    rfm_score = (rfm["r_score"] + rfm["f_score"] + rfm["m_score"]).to_numpy(dtype=float)
    rfm_score = rfm_score + 1e-6 * rfm["r_score"].to_numpy()  # ties broken by recency
    past_rate_spend = (past["total_spend"] / past["tenure_days"].clip(lower=1) * HOLDOUT_DAYS).to_numpy()
    peers = {
        "recency_alone": _metrics(bought, spend, -past["recency_days"].to_numpy(), None),
        "rfm_score": _metrics(bought, spend, rfm_score, None),
        "past_spend_rate": _metrics(bought, spend, past_rate_spend, past_rate_spend),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p_buy, spend_pred, fitted = _bgnbd_gamma_gamma(past)
    peers["bgnbd_gamma_gamma"] = _metrics(bought, spend, p_buy, spend_pred) | {"fitted": fitted}
    try:
        predicted = predict_customers(features_from_history(past, context), context, models_dir=models_dir)
        peers["model"] = _metrics(bought, spend, predicted["p_active_90d"].to_numpy(),
                                  predicted["expected_spend_90d"].to_numpy())
        gain_auc = peers["model"]["roc_auc"] - peers["bgnbd_gamma_gamma"]["roc_auc"]
        gain_spearman = peers["model"]["spend_spearman"] - peers["bgnbd_gamma_gamma"]["spend_spearman"]
        vs = {"roc_auc_gain": round(gain_auc, 4), "spend_spearman_gain": round(gain_spearman, 4),
              "target_met": bool(gain_auc >= TARGET_AUC_GAIN and gain_spearman >= TARGET_SPEARMAN_GAIN)}
    except ModelUnavailableError as exc:
        peers["model"], vs = {"unavailable": exc.message}, {}
    return {"cutoff": str(cutoff.date()), "holdout_days": HOLDOUT_DAYS, "customers": len(past),
            "buyers_in_holdout": int(bought.sum()), "base_rate": round(float(bought.mean()), 4),
            "peers": peers, "model_vs_bgnbd": vs, **history.notes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path, default=None, help="folder of the customer models (default: models/)")
    parser.add_argument("--smoke", action="store_true", help="Online Retail Germany and one simulated shop only")
    args = parser.parse_args(argv)
    from merchant_ai.training import customers_data
    from merchant_ai.training.customers_model import EVAL_SIM_SEEDS

    started = time.perf_counter()
    sources = []
    if SHARED_DATA.is_dir():
        if not args.smoke:
            sources.append(("cdnow", customers_data.load_cdnow, True))
        sources.append(("online_retail_germany", customers_data.load_online_retail_germany, True))
    seeds = EVAL_SIM_SEEDS[:1] if args.smoke else EVAL_SIM_SEEDS
    sources += [(f"simulated_seed_{s}", lambda s=s: customers_data.load_simulated(s), False) for s in seeds]
    results = {}
    for name, loader, real in sources:
        results[name] = evaluate(loader(), args.models_dir) | {"real": real}
    real_results = [r for r in results.values() if r["real"] and r["model_vs_bgnbd"]]
    print(json.dumps({
        "benchmark": "customers_eval",
        "target": f"model ROC-AUC >= BG/NBD + {TARGET_AUC_GAIN} and spend Spearman >= BG/NBD + "
                  f"{TARGET_SPEARMAN_GAIN} on every real data set",
        "target_met_on_every_real_data_set": bool(real_results) and all(r["model_vs_bgnbd"]["target_met"]
                                                                        for r in real_results),
        "shared_data_present": SHARED_DATA.is_dir(),
        "datasets": results,
        "seconds": round(time.perf_counter() - started, 1),
    }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
