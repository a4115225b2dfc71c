"""A seeded store simulator with known ground truth.

It powers the demo store (first run, tests, screenshots) and the offline training of every
model. Its output is the canonical store shape (frames named like the store's tables) plus
a `truth` record of the parameters that produced them, so that benchmarks can score an
estimate against what really drove the data.

What drives the simulated sales:
- customers arrive over time; each buys at a personal rate (gamma-distributed) that follows
  the shop's weekday and yearly pattern, and drops out after any purchase with a personal
  probability (the BG/NBD story), so churn and lifetime value have a known truth;
- each order's first item is drawn by attractiveness = popularity x yearly seasonality x
  trend x price response, half of the time within the customer's favourite category;
  price response is constant-elasticity or linear per product (truth in `products_truth`);
- items pull in their complements (co-purchase structure) and customers re-buy their
  staples (consumables), so recommendations have something real to find;
- prices move: a couple of permanent changes a year and short promotions, so elasticity
  can be estimated from history; the shop is closed on a few holidays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

CATEGORIES = {
    # name: (median price, elasticity range, seasonal peak day-of-year or None, amplitude)
    "Candles": (14.0, (-2.6, -1.2), 340, 0.8),
    "Tea": (9.0, (-1.8, -0.7), 20, 0.3),
    "Ceramics": (28.0, (-2.2, -1.0), 330, 0.4),
    "Stationery": (6.5, (-2.0, -0.9), 245, 0.5),
    "Garden": (22.0, (-2.4, -1.1), 130, 0.9),
    "Kitchen": (18.0, (-2.0, -0.8), None, 0.0),
    "Toys": (16.0, (-2.8, -1.3), 345, 1.0),
    "Bags": (35.0, (-2.5, -1.2), None, 0.0),
    "Soap": (7.5, (-1.6, -0.6), None, 0.0),
    "Textiles": (25.0, (-2.3, -1.0), 300, 0.5),
}
NOUNS = {
    "Candles": ["candle", "tealight set", "pillar candle", "wax melt", "lantern"],
    "Tea": ["green tea", "black tea", "herbal blend", "chai", "tea sampler"],
    "Ceramics": ["mug", "bowl", "vase", "plate", "teapot"],
    "Stationery": ["notebook", "card", "pen set", "planner", "gift wrap"],
    "Garden": ["planter", "seed kit", "watering can", "bird feeder", "trowel"],
    "Kitchen": ["apron", "tea towel", "spoon set", "jar", "board"],
    "Toys": ["puzzle", "plush fox", "wooden train", "kite", "yo-yo"],
    "Bags": ["tote", "backpack", "pouch", "shopper", "wash bag"],
    "Soap": ["soap bar", "hand wash", "bath salts", "shampoo bar", "lip balm"],
    "Textiles": ["cushion", "throw", "napkin set", "scarf", "table runner"],
}
ADJECTIVES = ["Rose", "Oak", "Sage", "Amber", "Linen", "Honey", "Slate", "Fern", "Coral",
              "Ivory", "Moss", "Indigo", "Copper", "Willow", "Saffron", "Pebble"]
VENDORS = ["Northwind Crafts", "Hollow Oak Co", "Brightside Supply", "Kettle & Kiln",
           "Marigold Makers", "Thistle Trading", "Blue Heron Goods", "Fieldstone Ltd"]
COUNTRIES = ["United Kingdom", "United Kingdom", "United Kingdom", "United Kingdom",
             "Germany", "France", "Ireland", "Netherlands"]
CLOSED_DAYS = [(12, 25), (12, 26), (1, 1)]  # month, day


@dataclass
class SimulationConfig:
    seed: int = 7
    n_products: int = 300
    n_customers: int = 2500
    start: str = "2024-09-01"
    end: str = "2026-10-31"           # inclusive last day
    orders_per_customer_year: float = 3.0
    guest_share: float = 0.08
    refund_share: float = 0.02
    currency: str = "GBP"
    customer_arrival_growth: float = 0.6  # later customers arrive more often (shop grows)


@dataclass
class SimulatedStore:
    """Canonical frames (store table names) and the truth that generated them."""

    orders: pd.DataFrame
    order_lines: pd.DataFrame
    products: pd.DataFrame
    customers: pd.DataFrame
    inventory: pd.DataFrame
    product_settings: pd.DataFrame
    products_truth: pd.DataFrame      # sku, elasticity, demand_type, base_price, base_rate...
    customers_truth: pd.DataFrame     # customer_id, rate_per_day, dropout_p, churned_on...
    daily_price: pd.DataFrame         # date x sku matrix of shelf prices
    complements: dict[str, list[str]] = field(default_factory=dict)
    config: SimulationConfig = field(default_factory=SimulationConfig)

    def frames(self) -> dict[str, pd.DataFrame]:
        """The frames to write into the store, by table name."""
        return {
            "products": self.products,
            "customers": self.customers,
            "orders": self.orders,
            "order_lines": self.order_lines,
            "inventory": self.inventory,
            "product_settings": self.product_settings,
        }


def price_response(relative_price: np.ndarray, elasticity: np.ndarray, linear: np.ndarray) -> np.ndarray:
    """Demand multiplier at price/base_price: constant elasticity, or linear with the
    same slope (elasticity) at the base price, floored at zero."""
    constant = np.power(relative_price, elasticity)
    straight = np.clip(1.0 + elasticity * (relative_price - 1.0), 0.0, None)
    return np.where(linear, straight, constant)


def _products(rng: np.random.Generator, cfg: SimulationConfig, days: pd.DatetimeIndex):
    n = cfg.n_products
    names = list(CATEGORIES)
    category = rng.choice(names, size=n, p=np.full(len(names), 1 / len(names)))
    median_price = np.array([CATEGORIES[c][0] for c in category])
    base_price = np.round(median_price * rng.lognormal(0, 0.35, n), 1) - 0.01
    base_price = np.maximum(base_price, 1.99)
    lo = np.array([CATEGORIES[c][1][0] for c in category])
    hi = np.array([CATEGORIES[c][1][1] for c in category])
    elasticity = rng.uniform(lo, hi)
    linear = rng.random(n) < 0.3
    popularity = rng.lognormal(0, 1.1, n)
    trend_per_year = rng.normal(0.05, 0.25, n)
    # new products launch during the period; a few are discontinued
    launch = np.where(rng.random(n) < 0.15, rng.integers(60, len(days) - 30, n), 0)
    titles, skus = [], []
    for i in range(n):
        noun = NOUNS[category[i]][i % 5]
        titles.append(f"{ADJECTIVES[rng.integers(len(ADJECTIVES))]} {noun}")
        skus.append(f"{category[i][:3].upper()}-{1000 + i}")
    unit_cost = np.round(base_price * rng.uniform(0.35, 0.6, n), 2)
    vendor = rng.choice(VENDORS, size=n)
    truth = pd.DataFrame({
        "sku": skus, "title": titles, "category": category, "vendor": vendor,
        "base_price": base_price, "unit_cost": unit_cost, "elasticity": elasticity,
        "demand_type": np.where(linear, "linear", "constant_elasticity"),
        "popularity": popularity, "trend_per_year": trend_per_year, "launch_day": launch,
    })
    return truth


def _price_paths(rng: np.random.Generator, truth: pd.DataFrame, days: pd.DatetimeIndex) -> np.ndarray:
    """Shelf price per day (days x products): permanent moves and short promotions."""
    n_days, n = len(days), len(truth)
    base = truth["base_price"].to_numpy()
    prices = np.tile(base, (n_days, 1))
    for j in range(n):
        level = base[j]
        change_days = np.sort(rng.choice(np.arange(30, n_days), size=rng.integers(1, 5), replace=False))
        start = 0
        for day in change_days:
            prices[start:day, j] = level
            level = max(1.49, round(level * rng.uniform(0.85, 1.15), 1) - 0.01)
            start = day
        prices[start:, j] = level
        for _ in range(rng.integers(0, 4)):  # promotions of one to two weeks
            day = rng.integers(0, n_days - 14)
            length = rng.integers(7, 15)
            prices[day:day + length, j] = np.round(prices[day:day + length, j] * rng.uniform(0.7, 0.9), 2)
    return prices


def _season(days: pd.DatetimeIndex, truth: pd.DataFrame) -> np.ndarray:
    """Yearly multiplier per day and product (days x products)."""
    doy = days.day_of_year.to_numpy()[:, None]
    peak = np.array([CATEGORIES[c][2] or 0 for c in truth["category"]])[None, :]
    amp = np.array([CATEGORIES[c][3] for c in truth["category"]])[None, :]
    distance = np.minimum(np.abs(doy - peak), 365 - np.abs(doy - peak))
    return 1.0 + amp * np.exp(-((distance / 30.0) ** 2)) * 2.0


def simulate(cfg: SimulationConfig | None = None) -> SimulatedStore:
    """Run the simulation; the same config always gives the same store."""
    cfg = cfg or SimulationConfig()
    rng = np.random.default_rng(cfg.seed)
    days = pd.date_range(cfg.start, cfg.end, freq="D")
    n_days = len(days)
    truth = _products(rng, cfg, days)
    skus = truth["sku"].to_numpy()
    n_products = len(truth)
    prices = _price_paths(rng, truth, days)
    relative = prices / truth["base_price"].to_numpy()[None, :]
    response = price_response(relative, truth["elasticity"].to_numpy()[None, :],
                              (truth["demand_type"] == "linear").to_numpy()[None, :])
    years = (np.arange(n_days) / 365.0)[:, None]
    trend = np.exp(truth["trend_per_year"].to_numpy()[None, :] * years)
    alive = np.arange(n_days)[:, None] >= truth["launch_day"].to_numpy()[None, :]
    attract = truth["popularity"].to_numpy()[None, :] * _season(days, truth) * trend * response * alive

    # complements: each product has 1-3 partners, mostly in its own category
    categories = truth["category"].to_numpy()
    by_category = {c: np.flatnonzero(categories == c) for c in CATEGORIES}
    complements = np.zeros((n_products, 3), dtype=int)
    for j in range(n_products):
        pool = by_category[categories[j]]
        for k in range(3):
            complements[j, k] = rng.choice(pool) if rng.random() < 0.75 else rng.integers(n_products)
    n_complements = rng.integers(1, 4, n_products)

    # customers
    n_customers = cfg.n_customers
    rate = rng.gamma(shape=0.9, scale=cfg.orders_per_customer_year / 365.0 / 0.9, size=n_customers)
    dropout = rng.beta(1.2, 6.0, n_customers)
    arrival_u = rng.random(n_customers) ** (1.0 / (1.0 + cfg.customer_arrival_growth))
    arrival = np.minimum((arrival_u * n_days).astype(int), n_days - 1)
    arrival[: n_customers // 5] = 0  # a base of existing customers on day one
    favourite = rng.choice(list(CATEGORIES), size=n_customers)
    fav_index = np.array([list(CATEGORIES).index(c) for c in favourite])
    staples = np.array([rng.choice(by_category[c], size=2) for c in favourite])
    country = rng.choice(COUNTRIES, size=n_customers)
    customer_ids = np.array([f"{10000 + i}" for i in range(n_customers)])
    active = np.zeros(n_customers, dtype=bool)
    churned_on = np.full(n_customers, -1)
    weekday_factor = np.array([1.0, 1.05, 1.1, 1.1, 1.2, 0.9, 0.55])  # Mon..Sun
    overall_season = 1.0 + 0.6 * np.exp(-((np.minimum(np.abs(days.day_of_year - 335), 365 - np.abs(days.day_of_year - 335)) / 25.0) ** 2))
    closed = np.array([(d.month, d.day) in CLOSED_DAYS for d in days])

    order_rows, line_rows = [], []
    order_no = 100000
    cat_names = list(CATEGORIES)
    for t in range(n_days):
        active |= arrival == t
        if closed[t]:
            continue
        p_buy = np.clip(rate * weekday_factor[days[t].day_of_week] * overall_season[t], 0, 0.9)
        buyers = np.flatnonzero(active & (rng.random(n_customers) < p_buy))
        # guests: a share of extra one-off orders with no customer id
        n_guests = rng.poisson(len(buyers) * cfg.guest_share / (1 - cfg.guest_share))
        who = np.concatenate([buyers, np.full(n_guests, -1)])
        if len(who) == 0:
            continue
        weights = attract[t]
        total = weights.sum()
        first = rng.choice(n_products, size=len(who), p=weights / total)
        # half of the known customers pick within their favourite category
        for ci in np.unique(fav_index[buyers]):
            members = np.flatnonzero((who >= 0) & (fav_index[np.maximum(who, 0)] == ci) & (rng.random(len(who)) < 0.5))
            pool = by_category[cat_names[ci]]
            w = weights[pool]
            if len(members) and w.sum() > 0:
                first[members] = rng.choice(pool, size=len(members), p=w / w.sum())
        seconds_of_day = rng.normal(14 * 3600, 3.5 * 3600, len(who)).clip(7 * 3600, 23.5 * 3600).astype(int)
        for k, customer in enumerate(who):
            items = [first[k]]
            if rng.random() < 0.45:
                items.extend(complements[first[k], : n_complements[first[k]]][rng.random(n_complements[first[k]]) < 0.6])
            if customer >= 0 and rng.random() < 0.35:
                items.append(staples[customer, rng.integers(2)])
            extra = rng.poisson(0.6)
            if extra:
                items.extend(rng.choice(n_products, size=extra, p=weights / total))
            items = list(dict.fromkeys(int(i) for i in items if alive[t, i]))
            if not items:
                continue
            order_no += 1
            order_id = f"#{order_no}"
            when = days[t] + pd.Timedelta(seconds=int(seconds_of_day[k]))
            subtotal = 0.0
            for line_no, item in enumerate(items, start=1):
                qty = 1 + rng.poisson(0.4)
                price = prices[t, item]
                subtotal += qty * price
                line_rows.append((order_id, line_no, skus[item], truth["title"].iat[item], float(qty),
                                  float(price), round(qty * price, 2), 0, 1))
            shipping = 0.0 if subtotal >= 50 else 3.95
            cust_id = customer_ids[customer] if customer >= 0 else None
            ctry = country[customer] if customer >= 0 else rng.choice(COUNTRIES)
            order_rows.append((order_id, when, cust_id, round(subtotal, 2), shipping,
                               round(subtotal + shipping, 2), ctry))
        # BG/NBD: after a purchase the customer may drop out for good
        drop = buyers[rng.random(len(buyers)) < dropout[buyers]]
        active[drop] = False
        churned_on[drop] = t

    orders = pd.DataFrame(order_rows, columns=["order_id", "created_at", "customer_id", "subtotal",
                                               "shipping", "total", "shipping_country"])
    lines = pd.DataFrame(line_rows, columns=["order_id", "line_no", "sku", "title", "quantity",
                                             "unit_price", "line_total", "is_refund", "is_product"])
    orders, lines = _add_order_details(rng, cfg, orders, lines, customer_ids, country)
    orders, lines = _add_refunds(rng, cfg, orders, lines)
    products = pd.DataFrame({
        "sku": skus, "title": truth["title"], "vendor": truth["vendor"], "category": truth["category"],
        "price": prices[-1], "compare_at_price": None, "unit_cost": truth["unit_cost"],
        "is_product": 1, "status": "active",
    })
    seen = sorted(set(orders["customer_id"].dropna()))
    cust_index = {c: i for i, c in enumerate(customer_ids)}
    customers = pd.DataFrame({
        "customer_id": seen,
        "initials": [f"{chr(65 + cust_index[c] % 26)}.{chr(65 + cust_index[c] // 26 % 26)}." for c in seen],
        "email_hash": [f"sim-{c}" for c in seen],
        "country": [country[cust_index[c]] for c in seen],
        "accepts_marketing": [int(cust_index[c] % 3 != 0) for c in seen],
    })
    inventory, settings = _stock_and_settings(rng, truth, orders, lines, days)
    customers_truth = pd.DataFrame({
        "customer_id": customer_ids, "rate_per_day": rate, "dropout_p": dropout,
        "arrival_day": arrival, "churned_day": churned_on, "favourite_category": favourite,
        "staple_1": skus[staples[:, 0]], "staple_2": skus[staples[:, 1]],
    })
    return SimulatedStore(
        orders=orders, order_lines=lines, products=products, customers=customers,
        inventory=inventory, product_settings=settings, products_truth=truth,
        customers_truth=customers_truth,
        daily_price=pd.DataFrame(prices, index=days, columns=skus),
        complements={skus[j]: [skus[c] for c in complements[j, : n_complements[j]]] for j in range(n_products)},
        config=cfg,
    )


def _add_order_details(rng, cfg, orders: pd.DataFrame, lines: pd.DataFrame, customer_ids, country):
    """Fields an export carries beyond the basket: currency, status, payment, addresses."""
    n = len(orders)
    orders["utc_offset_minutes"] = 0
    orders["currency"] = cfg.currency
    orders["taxes"] = (orders["subtotal"] * 0.2 / 1.2).round(2)
    orders["discount_amount"] = 0.0
    orders["discount_code"] = None
    orders["refunded_amount"] = 0.0
    orders["financial_status"] = "paid"
    orders["payment_method"] = rng.choice(["card", "card", "card", "paypal"], size=n)
    orders["shipping_method"] = np.where(rng.random(n) < 0.1, "Express", "Standard")
    orders["billing_country"] = orders["shipping_country"]
    orders["billing_zip"] = None
    orders["shipping_zip"] = None
    orders["email_hash"] = orders["customer_id"].map(lambda c: f"sim-{c}" if c else None)
    guest = orders["customer_id"].isna()
    orders.loc[guest, "email_hash"] = [f"sim-guest-{i}" for i in range(int(guest.sum()))]
    orders["email_domain"] = rng.choice(["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "btinternet.com"], size=n)
    orders["email_local_score"] = rng.beta(2, 8, n).round(3)
    orders["is_refund"] = 0
    orders["source"] = "demo"
    orders["cancelled_at"] = None
    return orders, lines


def _add_refunds(rng, cfg, orders: pd.DataFrame, lines: pd.DataFrame):
    """A few orders come back: a credit note order with negative lines, days later."""
    picked = orders.sample(frac=cfg.refund_share, random_state=int(rng.integers(1 << 31)))
    refund_orders, refund_lines = [], []
    for _, order in picked.iterrows():
        rid = f"C{order['order_id'].lstrip('#')}"
        returned = lines[lines["order_id"] == order["order_id"]].head(1).copy()
        returned["order_id"] = rid
        returned["quantity"] = -returned["quantity"]
        returned["line_total"] = -returned["line_total"]
        returned["is_refund"] = 1
        refund_lines.append(returned)
        row = order.copy()
        row["order_id"] = rid
        row["created_at"] = order["created_at"] + pd.Timedelta(days=int(rng.integers(3, 20)))
        row["subtotal"] = row["total"] = float(returned["line_total"].sum())
        row["shipping"] = 0.0
        row["is_refund"] = 1
        row["financial_status"] = "refunded"
        refund_orders.append(row)
    if refund_orders:
        end = pd.Timestamp(cfg.end) + pd.Timedelta(hours=23)
        extra = pd.DataFrame(refund_orders)
        keep = extra["created_at"] <= end
        orders = pd.concat([orders, extra[keep]], ignore_index=True)
        lines = pd.concat([lines, pd.concat(refund_lines)[lambda f: f["order_id"].isin(extra.loc[keep, "order_id"])]],
                          ignore_index=True)
    return orders.sort_values("created_at", kind="stable").reset_index(drop=True), lines


def _stock_and_settings(rng, truth: pd.DataFrame, orders: pd.DataFrame, lines: pd.DataFrame,
                        days: pd.DatetimeIndex):
    """Stock on hand from recent sales (some items out, some overstocked) and vendor terms."""
    # cover is counted in recent sales (the last 8 weeks), as a shop owner restocks: most items
    # hold a few weeks to two months, a few are out or nearly out, a few sit on far too much
    since = days[-1] - pd.Timedelta(days=55)
    recent_orders = orders.loc[pd.to_datetime(orders["created_at"]) >= since, "order_id"]
    recent = lines[(lines["quantity"] > 0) & lines["order_id"].isin(recent_orders)]
    per_day = (recent.groupby("sku")["quantity"].sum() / 56.0).reindex(truth["sku"]).fillna(0).to_numpy()
    cover_days = rng.choice([0, 7, 21, 35, 60, 150], size=len(truth), p=[0.04, 0.1, 0.26, 0.3, 0.2, 0.1])
    on_hand = np.round(per_day * cover_days * rng.uniform(0.7, 1.3, len(truth)))
    inventory = pd.DataFrame({"sku": truth["sku"], "on_hand": on_hand,
                              "updated_at": days[-1].strftime("%Y-%m-%d 18:00:00")})
    vendor_lead = {v: int(rng.choice([5, 7, 10, 14, 21, 28])) for v in VENDORS}
    settings = pd.DataFrame({
        "sku": truth["sku"],
        "lead_time_days": truth["vendor"].map(vendor_lead).astype(float),
        "review_period_days": 7.0,
        "min_order_qty": rng.choice([1, 1, 6, 12, 24], size=len(truth)).astype(float),
        "pack_size": rng.choice([1, 1, 1, 6, 12], size=len(truth)).astype(float),
        "on_order": 0.0,
        "service_level": 0.95,
        "vendor": truth["vendor"],
        "discontinued": 0,
    })
    return inventory, settings
