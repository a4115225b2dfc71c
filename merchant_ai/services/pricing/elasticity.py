"""Store-free: price elasticity per product from the shop's own weekly sales, with an uncertainty interval.

Each product gets a regression of its weekly units on log price, controlling for
- seasonality and shop traffic: the log of the same week's units of the other products in
  its category (or of the whole shop when the category is too small) — whatever moved the
  category that week moved this product too;
- trend: a straight line in time;
- promotions: the share of the week's units sold on orders with a discount code or display.
A count model (negative binomial) because a small shop sells 0, 1 or 2 of a product in most
weeks; products selling dozens a week use the classic log-units regression instead.

Raw estimates are then shrunk toward a prior (empirical Bayes): the prior model's
prediction from product features, corrected by how far the shop and the category sit from
it. Products with too little price variation take that prior outright, and say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

INTERVAL_Z = 1.645                 # 90% interval
MIN_WEEKS = 8
MIN_UNITS = 15.0
MIN_LOG_PRICE_STD = 0.02           # about 2% typical deviation from the usual price
MIN_WEEKS_OFF_USUAL_PRICE = 2
MIN_CONTEXT_PRODUCTS = 3
HIGH_VOLUME_WEEKLY_UNITS = 20.0    # from here on a log-units regression replaces the count model
ELASTICITY_RANGE = (-6.0, 0.5)     # estimates outside are clipped: data noise, not demand
DEFAULT_PRIOR_SD = 0.6             # when the shop has too few estimates to measure it
MIN_PRIOR_SD = 0.25
SHOP_SHIFT_SD = 1.0                # how far a shop may sit from the prior model overall
CATEGORY_SHIFT_SD = 0.5            # and a category from the rest of its shop


@dataclass
class RawEstimate:
    """One product's own-history estimate (None fields when it could not be made)."""

    sku: str
    elasticity: float | None
    std_error: float | None
    weeks: int
    units: float
    log_price_std: float
    reason_missing: str = ""


def count_regression(X: np.ndarray, y: np.ndarray, *, ridge: float = 1e-4,
                     max_iter: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients and their covariance for log E[y] = X b (first column: intercept).

    Negative-binomial working weights mu / (1 + alpha mu), alpha re-estimated from the
    residuals as the fit proceeds: a small shop's counts of 0-3 get Poisson weights, a
    supermarket's thousands get nearly equal weights per week (as a log-units regression
    would). Iteratively reweighted least squares; a tiny ridge keeps near-collinear controls
    stable; the covariance is scaled by the Pearson dispersion when it exceeds 1.
    """
    n, p = X.shape
    beta = np.zeros(p)
    beta[0] = np.log(max(y.mean(), 1e-3))
    penalty = np.full(p, ridge)
    penalty[0] = 0.0
    alpha = 0.0
    info = np.eye(p)
    for _ in range(max_iter):
        eta = np.clip(X @ beta, -30, 30)
        mu = np.exp(eta)
        weight = mu / (1.0 + alpha * mu)
        z = eta + (y - mu) / mu
        info = X.T @ (weight[:, None] * X) + np.diag(penalty)
        new = np.linalg.solve(info, X.T @ (weight * z))
        alpha = float(np.clip(np.mean(((y - mu) ** 2 - mu) / mu ** 2), 0.0, 10.0))
        if np.max(np.abs(new - beta)) < 1e-7:
            beta = new
            break
        beta = new
    mu = np.exp(np.clip(X @ beta, -30, 30))
    variance = mu + alpha * mu ** 2
    dispersion = max(1.0, float(np.sum((y - mu) ** 2 / variance)) / max(n - p, 1))
    return beta, np.linalg.inv(info) * dispersion


def context_units(panel: pd.DataFrame, category: pd.Series) -> pd.Series:
    """Per (sku, week): units of the OTHER products of its category that week, or of the
    whole shop when the category has fewer than MIN_CONTEXT_PRODUCTS other products.
    NaN when the shop has no other products."""
    cat = panel["sku"].map(category).fillna("(none)")
    week_total = panel.groupby("week")["units"].transform("sum")
    cat_total = panel.groupby([cat, panel["week"]])["units"].transform("sum")
    cat_size = panel.groupby(cat)["sku"].transform("nunique")
    shop_size = panel["sku"].nunique()
    use_category = cat_size.to_numpy() - 1 >= MIN_CONTEXT_PRODUCTS
    others = np.where(use_category, cat_total - panel["units"], week_total - panel["units"])
    return pd.Series(np.where(shop_size > 1, others, np.nan), index=panel.index)


def estimate_one(sku: str, rows: pd.DataFrame) -> RawEstimate:
    """Own-history elasticity of one product; `rows` is its part of the weekly panel with
    a `context` column (see context_units)."""
    rows = rows.dropna(subset=["price"])
    weeks, units = len(rows), float(rows["units"].sum())
    log_price = np.log(rows["price"].to_numpy(float))
    usual = np.median(log_price)
    price_std = float(np.std(log_price))
    off_usual = int(np.sum(np.abs(log_price - usual) > 0.02))
    if weeks < MIN_WEEKS or units < MIN_UNITS:
        return RawEstimate(sku, None, None, weeks, units, price_std, "too little sales history")
    if price_std < MIN_LOG_PRICE_STD or off_usual < MIN_WEEKS_OFF_USUAL_PRICE:
        return RawEstimate(sku, None, None, weeks, units, price_std, "too little price variation")
    X = _design(rows, log_price - usual)
    y = rows["units"].to_numpy(float)
    try:
        if _is_high_volume(y):
            beta, cov = log_units_regression(X, y)
        else:
            beta, cov = count_regression(X, y)
    except np.linalg.LinAlgError:
        return RawEstimate(sku, None, None, weeks, units, price_std, "price moves only together with other changes")
    elasticity = float(np.clip(beta[1], *ELASTICITY_RANGE))
    return RawEstimate(sku, elasticity, float(np.sqrt(max(cov[1, 1], 1e-8))), weeks, units, price_std)


def _design(rows: pd.DataFrame, log_price: np.ndarray) -> np.ndarray:
    """Intercept, log price, then the controls that vary: own trend, category context, promotions."""
    columns = [np.ones(len(rows)), log_price]
    if len(rows) >= 26:   # a product's own trend, on top of its category's
        columns.append((rows["week"].to_numpy(float) - rows["week"].mean()) / 52.0)
    context = rows["context"].to_numpy(float)
    if np.all(np.isfinite(context)) and np.std(np.log1p(context)) > 1e-6:
        log_context = np.log1p(context)
        columns.append(log_context - log_context.mean())
    promo = rows["promo_share"].to_numpy(float)
    if np.std(promo) > 1e-6:
        columns.append(promo - promo.mean())
    return np.column_stack(columns)


def _is_high_volume(units: np.ndarray) -> bool:
    """Dozens of units in a typical selling week: log(units) is then well defined and not
    dominated by noise, and a week without any sale is more likely a stock-out or a gap in
    the export than zero demand (those weeks are left out of the log-units fit)."""
    sold = units[units > 0]
    return len(sold) > 0 and float(np.median(sold)) >= HIGH_VOLUME_WEEKLY_UNITS


def log_units_regression(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least squares of log units on X (weeks without sales left out) and its covariance:
    the classic scanner-data log-log model, for products selling dozens a week."""
    sold = y > 0
    X, log_y = X[sold], np.log(y[sold])
    beta, *_ = np.linalg.lstsq(X, log_y, rcond=None)
    residual_var = float(np.sum((log_y - X @ beta) ** 2)) / max(len(log_y) - X.shape[1], 1)
    return beta, np.linalg.inv(X.T @ X) * residual_var


def estimate_raw(panel: pd.DataFrame, category: pd.Series) -> pd.DataFrame:
    """Own-history estimates for every product of the panel.

    Columns: sku, elasticity, std_error, weeks, units, log_price_std, reason_missing."""
    panel = panel.assign(context=context_units(panel, category))
    results = [estimate_one(str(sku), rows) for sku, rows in panel.groupby("sku", sort=True)]
    raw = pd.DataFrame([r.__dict__ for r in results])
    # when no product has an estimate the columns hold only None (object dtype): keep them numeric
    return raw.astype({"elasticity": float, "std_error": float})


def shrink_to_prior(raw: pd.DataFrame, category: pd.Series, prior_mean: pd.Series) -> pd.DataFrame:
    """Empirical-Bayes posterior per product (normal prior, normal likelihood).

    prior = prior_mean (the prior model) + how far this shop's estimates sit from the
    model overall + how far its category sits from that (each a precision-weighted mean of
    the deviations, shrunk toward 0 by SHOP_SHIFT_SD / CATEGORY_SHIFT_SD). The spread tau
    of products around their prior is measured on the shop's own estimates. Adds: prior,
    prior_sd, weight_own, elasticity_post, sd_post, low, high, source.
    """
    out = raw.copy()
    out["category"] = out["sku"].map(category).fillna("(none)").to_numpy()
    out["prior_model"] = out["sku"].map(prior_mean).to_numpy(float)
    has = out["elasticity"].notna()
    se2 = out["std_error"] ** 2
    shift, shift_var = pd.Series(0.0, index=out.index), pd.Series(0.0, index=out.index)
    for _ in range(2):   # tau from deviations around the shifted prior, then the shifts again
        deviation = out["elasticity"] - out["prior_model"] - shift
        tau2 = _between_product_variance(deviation[has].to_numpy(float), se2[has].to_numpy(float))
        shift, shift_var = _prior_shifts(out, has, se2, tau2)
    out["prior"] = out["prior_model"] + shift
    out["prior_sd"] = np.sqrt(tau2 + shift_var)
    prior_var = out["prior_sd"] ** 2
    out["weight_own"] = (prior_var / (prior_var + se2)).where(has, 0.0)
    post = out["weight_own"] * out["elasticity"].fillna(0.0) + (1 - out["weight_own"]) * out["prior"]
    post_var = (1.0 / (1.0 / prior_var + 1.0 / se2)).where(has, prior_var)
    out["elasticity_post"] = post.clip(*ELASTICITY_RANGE)
    out["sd_post"] = np.sqrt(post_var)
    out["low"] = out["elasticity_post"] - INTERVAL_Z * out["sd_post"]
    out["high"] = out["elasticity_post"] + INTERVAL_Z * out["sd_post"]
    out["source"] = np.select(
        [~has, out["weight_own"] >= 0.8],
        ["category and prior", "own history"],
        default="own history, shrunk toward category and prior",
    )
    return out


def _prior_shifts(out: pd.DataFrame, has: pd.Series, se2: pd.Series, tau2: float) -> tuple[pd.Series, pd.Series]:
    """Shop-level and category-level corrections of the prior model, and their variance."""
    weight = (1.0 / (se2 + tau2)).where(has, 0.0)
    deviation = (out["elasticity"] - out["prior_model"]).where(has, 0.0)
    shop_den = float(weight.sum()) + 1.0 / SHOP_SHIFT_SD ** 2
    shop_shift = float((weight * deviation).sum()) / shop_den
    by_category = out["category"]
    cat_den = weight.groupby(by_category).sum() + 1.0 / CATEGORY_SHIFT_SD ** 2
    cat_shift = (weight * (deviation - shop_shift)).groupby(by_category).sum() / cat_den
    shift = shop_shift + by_category.map(cat_shift)
    shift_var = 1.0 / shop_den + by_category.map(1.0 / cat_den)
    return shift.astype(float), shift_var.astype(float)


def _between_product_variance(deviation: np.ndarray, se2: np.ndarray) -> float:
    """How far true elasticities spread around the prior (DerSimonian-Laird estimate).

    Floored at MIN_PRIOR_SD: even within a category, products differ; a prior claiming
    they are identical would give intervals that are far too narrow."""
    if len(deviation) < 5:
        return DEFAULT_PRIOR_SD ** 2
    weight = 1.0 / se2
    mean = np.sum(weight * deviation) / np.sum(weight)
    q = np.sum(weight * (deviation - mean) ** 2)
    scale = np.sum(weight) - np.sum(weight ** 2) / np.sum(weight)
    tau2 = (q - (len(deviation) - 1)) / scale
    return float(np.clip(tau2, MIN_PRIOR_SD ** 2, 2.0 ** 2))
