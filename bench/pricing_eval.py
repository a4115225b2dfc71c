"""Pricing benchmark: prints ONE JSON object.

(a) Simulated demand with known truth: the simulator's products (true elasticity, constant-
    elasticity or linear demand, seasonality, trend, price moves and promotions), weekly
    units drawn as negative-binomial noise around the true demand, written to a store and
    priced by merchant_ai.services.pricing. Scored: profit regret of the suggested price
    against the true optimum among the same allowed prices (same guardrails), next to the
    baseline "keep today's price"; rank correlation of the elasticities with the truth.
(b) Real Dominick's tuna (7 brands) and Borden cheese (88 retailer accounts), written as a
    Shopify orders CSV and imported with services.imports.import_file. Display activity is
    carried as the share of a week's units on orders with Discount Code DISPLAY. Our
    per-brand elasticity vs a log-log OLS (log units ~ log price + display) in the same run.

Usage: python bench/pricing_eval.py [--smoke]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from merchant_ai.demo.simulator import SimulationConfig, _season, price_response, simulate
from merchant_ai.services.imports import import_file
from merchant_ai.services.pricing.guardrails import Guardrails, candidate_prices
from merchant_ai.services.pricing.service import suggest_prices
from merchant_ai.store import open_store
from merchant_ai.store.bulk import insert_frame

DATA = ROOT.parent / "shared" / "data"


def simulated_demand_store(path: Path, seed: int, n_products: int, median_weekly_units: float):
    """A store whose units follow the simulator's true demand curves plus noise; returns truth."""
    sim = simulate(SimulationConfig(seed=seed, n_products=n_products, n_customers=50))
    truth, days, prices = sim.products_truth, sim.daily_price.index, sim.daily_price.to_numpy()
    rng = np.random.default_rng(seed)
    rate = truth["popularity"].to_numpy() / truth["popularity"].median() * median_weekly_units / 7.0
    response = price_response(prices / truth["base_price"].to_numpy()[None, :], truth["elasticity"].to_numpy()[None, :],
                              (truth["demand_type"] == "linear").to_numpy()[None, :])
    years = (np.arange(len(days)) / 365.0)[:, None]
    alive = np.arange(len(days))[:, None] >= truth["launch_day"].to_numpy()[None, :]
    mean = rate[None, :] * _season(days, truth) * np.exp(truth["trend_per_year"].to_numpy()[None, :] * years) \
        * response * alive
    units = rng.poisson(mean * rng.gamma(5.0, 0.2, mean.shape))   # negative binomial, shape 5
    day_idx, product_idx = np.nonzero(units)
    lines = pd.DataFrame({
        "order_id": [f"S{i}" for i in range(len(day_idx))], "line_no": 1,
        "sku": truth["sku"].to_numpy()[product_idx], "title": truth["title"].to_numpy()[product_idx],
        "quantity": units[day_idx, product_idx].astype(float), "unit_price": prices[day_idx, product_idx],
    })
    lines["line_total"] = (lines["quantity"] * lines["unit_price"]).round(2)
    orders = pd.DataFrame({"order_id": lines["order_id"], "created_at": days[day_idx] + pd.Timedelta(hours=12),
                           "total": lines["line_total"]})
    products = sim.products.assign(price=prices[-1])
    with open_store(path) as store, store.transaction() as conn:
        for table, frame in (("products", products), ("orders", orders), ("order_lines", lines)):
            insert_frame(conn, table, frame)
    return truth


def true_profit(prices, row) -> np.ndarray:
    relative = np.asarray(prices) / row.base_price
    demand = price_response(relative, np.full_like(relative, row.elasticity),
                            np.full(relative.shape, row.demand_type == "linear"))
    return (np.asarray(prices) - row.unit_cost) * demand


def part_a(work: Path, seeds, n_products: int, median_weekly_units: float) -> dict:
    rails = Guardrails()
    regrets, keep_regrets, rank_corr, statuses, abs_errors, covered = [], [], [], [], [], []
    for seed in seeds:
        path = work / f"sim{seed}.db"
        truth = simulated_demand_store(path, seed, n_products, median_weekly_units).set_index("sku")
        with open_store(path) as store:
            result = suggest_prices(store, rails=rails).products.set_index("sku")
        true_elasticity = truth["elasticity"].reindex(result.index)
        rank_corr.append(result["elasticity"].corr(true_elasticity, method="spearman"))
        abs_errors.extend((result["elasticity"] - true_elasticity).abs().tolist())
        covered.extend(((result["elasticity_low"] <= true_elasticity) & (true_elasticity <= result["elasticity_high"])).tolist())
        for sku, row in result.iterrows():
            t = truth.loc[sku]
            allowed, _ = candidate_prices(row["current_price"], t.unit_cost, None, rails)
            profits = true_profit(allowed, t)
            best = profits.max()
            regrets.append((best - true_profit([row["suggested_price"]], t)[0]) / best)
            keep_regrets.append((best - profits[0]) / best)
            statuses.append(row["status"])
    status_counts = pd.Series(statuses).value_counts().to_dict()
    return {
        "shops": len(seeds), "products_per_shop": n_products, "median_weekly_units": median_weekly_units,
        "products_scored": len(regrets),
        "median_profit_regret_pct": round(100 * float(np.median(regrets)), 3),
        "mean_profit_regret_pct": round(100 * float(np.mean(regrets)), 3),
        "p90_profit_regret_pct": round(100 * float(np.quantile(regrets, 0.9)), 3),
        "baseline_keep_price_median_regret_pct": round(100 * float(np.median(keep_regrets)), 3),
        "baseline_keep_price_mean_regret_pct": round(100 * float(np.mean(keep_regrets)), 3),
        "elasticity_rank_correlation_per_shop": [round(float(c), 3) for c in rank_corr],
        "elasticity_median_abs_error": round(float(np.median(abs_errors)), 3),
        "elasticity_90pct_interval_coverage": round(float(np.mean(covered)), 3),
        "status_counts": {k: int(v) for k, v in status_counts.items()},
        "target_median_regret_below_pct": 3.0,
    }


def _write_shopify_orders(path: Path, weeks: pd.DataFrame) -> None:
    """weeks: sku, date, units, price, display_share -> one or two orders per sku-week."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Created at", "Financial Status", "Currency", "Discount Code",
                         "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku"])
        for i, row in enumerate(weeks.itertuples(index=False)):
            on_display = round(row.units * row.display_share)
            when = row.date.strftime("%Y-%m-%d 12:00:00 +0000")
            for part, qty, code in (("a", row.units - on_display, ""), ("b", on_display, "DISPLAY")):
                if qty > 0:
                    writer.writerow([f"#{i}{part}", when, "paid", "USD", code, int(qty), row.sku,
                                     f"{row.price:.4f}", row.sku])


def _reference_elasticity(weeks: pd.DataFrame, *, with_trend: bool = False) -> pd.DataFrame:
    """Per sku: OLS slope of log units on log price, with display share as a control (and a
    linear time trend when asked: shows where the trend control changes the answer), with the
    slope's standard error: a brand whose price barely moved gets a slope that is mostly noise."""
    out = {}
    for sku, rows in weeks[weeks["units"] > 0].groupby("sku"):
        columns = [np.ones(len(rows)), np.log(rows["price"]), rows["display_share"]]
        if with_trend:
            columns.append((rows["date"] - rows["date"].min()).dt.days / 365.0)
        X, y = np.column_stack(columns), np.log(rows["units"]).to_numpy()
        coef, *_ = np.linalg.lstsq(X, y, rcond=None)
        residual_var = float(np.sum((y - X @ coef) ** 2)) / max(len(y) - X.shape[1], 1)
        cov = np.linalg.pinv(X.T @ X) * residual_var
        out[sku] = (coef[1], float(np.sqrt(max(cov[1, 1], 0.0))))
    return pd.DataFrame.from_dict(out, orient="index", columns=["elasticity", "std_error"])


def tuna_weeks() -> pd.DataFrame:
    raw = pd.read_csv(DATA / "dominicks-tuna-bayesm" / "tuna.csv")
    start = pd.Timestamp("1989-09-14")
    parts = [pd.DataFrame({"sku": f"TUNA-BRAND-{b}", "date": start + pd.to_timedelta((raw["WEEK"] - 1) * 7, unit="D"),
                           "units": raw[f"MOVE{b}"].astype(float), "price": np.exp(raw[f"LPRICE{b}"]),
                           "display_share": raw[f"NSALE{b}"].clip(0, 1)}) for b in range(1, 8)]
    return pd.concat(parts, ignore_index=True)


def cheese_weeks() -> pd.DataFrame:
    raw = pd.read_csv(DATA / "cheese-scanner-bayesm" / "cheese.csv")
    week = raw.groupby("RETAILER").cumcount()   # the k-th row of a retailer is its k-th week
    return pd.DataFrame({"sku": raw["RETAILER"], "date": pd.Timestamp("1990-01-04") + pd.to_timedelta(week * 7, unit="D"),
                         "units": raw["VOLUME"].astype(float), "price": raw["PRICE"],
                         "display_share": raw["DISP"].clip(0, 1)})


def part_b(work: Path, name: str, weeks: pd.DataFrame) -> dict:
    csv_path = work / f"{name}_shopify_orders.csv"
    _write_shopify_orders(csv_path, weeks)
    with open_store(work / f"{name}.db") as store:
        report = import_file(store, csv_path)
        ours = suggest_prices(store).products.set_index("sku")
    reference_fit = _reference_elasticity(weeks)
    reference = reference_fit["elasticity"]
    compared = pd.DataFrame({"ours": ours["elasticity"], "ours_low": ours["elasticity_low"],
                             "ours_high": ours["elasticity_high"], "source": ours["elasticity_source"],
                             "reference_loglog": reference, "reference_se": reference_fit["std_error"],
                             "reference_loglog_with_trend": _reference_elasticity(weeks, with_trend=True)["elasticity"]}
                            ).dropna(subset=["ours", "reference_loglog"])
    gap = (compared["ours"] - compared["reference_loglog"]).abs()
    same_sign = np.sign(compared["ours"]) == np.sign(compared["reference_loglog"])
    own = compared["source"] != "category and prior"   # estimated from the brand's own history
    result = {
        "imported_format": report.format, "rows_read": report.rows_read, "brands": len(compared),
        "brands_missing": sorted(set(reference.index) - set(compared.index)),
        "same_sign_all": bool(same_sign.all()), "same_sign_share": round(float(same_sign.mean()), 3),
        "within_0_5_all": bool((gap <= 0.5).all()), "within_0_5_share": round(float((gap <= 0.5).mean()), 3),
        "median_abs_gap": round(float(gap.median()), 3), "max_abs_gap": round(float(gap.max()), 3),
        "own_estimate_brands": int(own.sum()),
        "own_estimate_same_sign_share": round(float(same_sign[own].mean()), 3) if own.any() else None,
        "own_estimate_within_0_5_share": round(float((gap[own] <= 0.5).mean()), 3) if own.any() else None,
        # how often the reference's own 90% interval holds ours: a gap the reference's noise explains
        "within_reference_90pct_interval_share": round(float(
            (gap <= 1.645 * compared["reference_se"]).mean()), 3),
        "reference_se_median": round(float(compared["reference_se"].median()), 3),
        "brands_reference_se_below_0_25": int((compared["reference_se"] < 0.25).sum()),
        "within_0_5_share_where_reference_se_below_0_25": round(float(
            (gap[compared["reference_se"] < 0.25] <= 0.5).mean()), 3) if (compared["reference_se"] < 0.25).any() else None,
        "same_sign_as_reference_with_trend_share": round(float(
            (np.sign(compared["ours"]) == np.sign(compared["reference_loglog_with_trend"])).mean()), 3),
    }
    if len(compared) <= 10:
        result["per_brand"] = compared.round(3).reset_index(names="sku").to_dict(orient="records")
    else:
        result["worst_brands"] = compared.assign(gap=gap).sort_values("gap").tail(5).round(3) \
            .reset_index(names="sku").to_dict(orient="records")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="one small shop, no real data (seconds)")
    args = parser.parse_args()
    started = time.perf_counter()
    output: dict = {"benchmark": "pricing"}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.smoke:
            output["simulated"] = part_a(work, seeds=[1], n_products=40, median_weekly_units=10.0)
        else:
            output["simulated"] = part_a(work, seeds=[1, 2, 3], n_products=150, median_weekly_units=10.0)
            output["simulated_small_shop"] = part_a(work, seeds=[4], n_products=150, median_weekly_units=2.0)
            if DATA.is_dir():
                output["dominicks_tuna"] = part_b(work, "tuna", tuna_weeks())
                output["cheese"] = part_b(work, "cheese", cheese_weeks())
            else:
                output["real_data"] = f"skipped: {DATA} not found"
    output["seconds"] = round(time.perf_counter() - started, 1)
    json.dump(output, sys.stdout, indent=1, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
