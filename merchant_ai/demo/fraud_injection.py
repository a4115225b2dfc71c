"""Fraud injected into a shop's orders, with the labels as ground truth.

Used by the demo store (a few suspicious orders to look at), by the offline training of the
fraud model and by bench/fraud_eval.py. Each pattern follows what card-not-present fraud looks
like in a small shop's export:

- card_testing: a burst of cheap guest orders within minutes, most payments voided;
- foreign_first_order: a new customer's first order, far above the shop's usual value,
  shipped abroad (often express, often at night);
- reseller_spike: one item in a quantity far above its usual;
- account_takeover: a repeat customer's account suddenly ships a big order to a new country
  and address under another name;
- discount_abuse: several new accounts use the same code within a few days, from throwaway
  email addresses.

The injector only fills fields the shop's own orders carry (an export without postcodes gets
fraud without postcodes), so a model cannot learn "this field is present" as a fraud signal.
`add_legit_noise` gives simulated legitimate orders the innocent oddities real shops have
(gifts shipped abroad, night owls, welcome codes), so that no single field separates fraud.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from merchant_ai.ml.features.fraud_email import DISPOSABLE_DOMAINS

PATTERNS = ["card_testing", "foreign_first_order", "reseller_spike", "account_takeover", "discount_abuse"]
FAR_COUNTRIES = ["United States", "Canada", "Brazil", "Romania", "Ukraine", "Singapore", "Hong Kong",
                 "Chile", "Indonesia", "Malaysia", "Lithuania", "Poland", "Italy", "Spain", "Mexico"]
FAILED_STATUSES = ["voided", "failed"]  # what the injected card tests end with
# Fields whose presence depends on the export; filled on fraud rows only if the shop has them.
OPTIONAL_FIELDS = ["email_domain", "email_local_score", "email_hash", "billing_country", "billing_zip",
                   "shipping_zip", "billing_name_hash", "shipping_name_hash", "payment_method",
                   "shipping_method", "financial_status", "discount_code"]


@dataclass
class InjectedFraud:
    """The shop with fraud mixed in: orders, lines, new customer rows, and the labels."""

    orders: pd.DataFrame
    order_lines: pd.DataFrame
    new_customers: pd.DataFrame
    labels: pd.DataFrame          # order_id, pattern, event


class _Shop:
    """What the injector needs to know about the legitimate shop."""

    def __init__(self, orders: pd.DataFrame, lines: pd.DataFrame) -> None:
        sales = orders[(orders["is_refund"] == 0) & (orders["total"] > 0)]
        self.orders = sales
        self.median_total = float(sales["total"].median())
        self.start, self.end = sales["created_at"].min(), sales["created_at"].max()
        self.has = {f: f in orders and orders[f].notna().mean() > 0.5 for f in OPTIONAL_FIELDS}
        self.has["discount_code"] = "discount_code" in orders
        positive = lines[lines["quantity"] > 0]
        per_sku = positive.groupby("sku").agg(title=("title", "first"), price=("unit_price", "median"),
                                              usual_qty=("quantity", "median"), n=("quantity", "size"))
        self.products = per_sku[per_sku["price"] > 0].reset_index()
        self.countries = sales["shipping_country"].value_counts(normalize=True)
        self.domains = (sales["email_domain"].dropna().value_counts().index[:5].tolist()
                        if self.has["email_domain"] else [])
        self.seconds_of_day = (sales["created_at"] - sales["created_at"].dt.normalize()).dt.total_seconds()
        ids = orders["order_id"].astype(str)
        digits = pd.to_numeric(ids.str.extract(r"(\d+)$")[0], errors="coerce")
        self.next_order_no = int(digits.max()) + 1 if digits.notna().any() else 1
        plain = ids[~orders["is_refund"].astype(bool)]
        self.order_prefix = re.match(r"\D*", plain.iloc[0]).group()  # '#' of '#1001', '' of '536527'
        cust = pd.to_numeric(orders["customer_id"], errors="coerce")
        self.next_customer_no = int(cust.max()) + 1 if cust.notna().any() else 900000
        counts = sales.dropna(subset=["customer_id"]).groupby("customer_id").size()
        self.repeat_customers = counts[counts >= 3].index.to_numpy()


def inject_fraud(orders: pd.DataFrame, lines: pd.DataFrame, *, seed: int, fraud_share: float = 0.01,
                 patterns: list[str] | None = None, n_events: int | None = None,
                 recent_days: float | None = None) -> InjectedFraud:
    """Mix fraud events into a shop; about `fraud_share` of the resulting orders are fraud.

    `n_events` fixes the number of events instead; `recent_days` puts them all within the last
    that-many days of the shop's history (the demo wants some in the current month).
    """
    rng = np.random.default_rng(seed)
    shop = _Shop(orders, lines)
    patterns = patterns or PATTERNS
    average_event_orders = 3.0
    if n_events is None:
        n_events = max(1, round(len(shop.orders) * fraud_share / average_event_orders))
    # leave the shop some history first (30 days, or a fifth of a short history)
    first_day = shop.start + min(pd.Timedelta(days=30), (shop.end - shop.start) / 5)
    if recent_days is not None:
        first_day = max(first_day, shop.end - pd.Timedelta(days=recent_days))
    span_s = max((shop.end - first_day).total_seconds(), 3600.0)
    new_orders, new_lines, labels, new_customers = [], [], [], []
    for event in range(n_events):
        pattern = patterns[event % len(patterns)]
        day = (first_day + pd.Timedelta(seconds=float(rng.uniform(0, span_s)))).normalize()
        for order in _EVENTS[pattern](rng, shop, day):
            order_lines = order.pop("_lines")
            order_id = f"{shop.order_prefix}{shop.next_order_no}"
            shop.next_order_no += 1
            order["order_id"] = order_id
            if order.pop("_new_customer", False):
                new_customers.append({"customer_id": order["customer_id"], "email_hash": order.get("email_hash"),
                                      "country": order.get("billing_country") or order["shipping_country"]})
            new_orders.append(order)
            for line_no, (sku, title, qty, price) in enumerate(order_lines, start=1):
                new_lines.append((order_id, line_no, sku, title, float(qty), float(price),
                                  round(qty * price, 2), 0, 1))
            labels.append((order_id, pattern, event))
    fraud = _finish_orders(pd.DataFrame(new_orders), shop, orders.columns)
    fraud_lines = pd.DataFrame(new_lines, columns=["order_id", "line_no", "sku", "title", "quantity",
                                                   "unit_price", "line_total", "is_refund", "is_product"])
    all_orders = pd.concat([orders, fraud], ignore_index=True).sort_values("created_at", kind="stable")
    all_lines = pd.concat([lines, fraud_lines[[c for c in fraud_lines if c in lines]]], ignore_index=True)
    return InjectedFraud(
        orders=all_orders.reset_index(drop=True), order_lines=all_lines,
        new_customers=pd.DataFrame(new_customers, columns=["customer_id", "email_hash", "country"]),
        labels=pd.DataFrame(labels, columns=["order_id", "pattern", "event"]),
    )


def _finish_orders(fraud: pd.DataFrame, shop: _Shop, columns) -> pd.DataFrame:
    """Align fraud rows with the shop's columns; blank the fields the shop does not export."""
    for field in OPTIONAL_FIELDS:
        if field in fraud and not shop.has.get(field, False):
            fraud[field] = None
    defaults = {"utc_offset_minutes": 0, "currency": shop.orders["currency"].iloc[0] if "currency" in shop.orders
                else None, "refunded_amount": 0.0, "is_refund": 0, "cancelled_at": None,
                "source": shop.orders["source"].iloc[0] if "source" in shop.orders else None}
    for name in columns:
        if name not in fraud:
            fraud[name] = defaults.get(name)
    fraud["taxes"] = (fraud["subtotal"] * 0.2 / 1.2).round(2) if "taxes" in columns else None
    return fraud[list(columns)]


# --- building blocks ------------------------------------------------------------------------

def _when(rng, shop: _Shop, day: pd.Timestamp, odd_hours_p: float) -> pd.Timestamp:
    if rng.random() < odd_hours_p:
        seconds = rng.uniform(0, 6 * 3600) if rng.random() < 0.7 else rng.uniform(0, 86400)
    else:
        seconds = float(shop.seconds_of_day.iloc[rng.integers(len(shop.seconds_of_day))])
    return day + pd.Timedelta(seconds=int(seconds))


def _email(rng, shop: _Shop, *, random_p: float, disposable_p: float) -> dict:
    if rng.random() < disposable_p:
        domain = DISPOSABLE_DOMAINS[rng.integers(len(DISPOSABLE_DOMAINS))]
    elif shop.domains:
        domain = shop.domains[rng.integers(len(shop.domains))]
    else:
        domain = "gmail.com"
    score = rng.beta(6, 2) if rng.random() < random_p else rng.beta(2, 8)
    return {"email_domain": domain, "email_local_score": round(float(score), 3),
            "email_hash": f"fraud-{rng.integers(1 << 40):x}"}


def _basket(rng, shop: _Shop, target_total: float, *, max_items: int = 4) -> list[tuple]:
    """Items adding up to roughly `target_total`: the pricier products, a few of each."""
    products = shop.products
    pricey = products[products["price"] >= products["price"].quantile(0.6)]
    pool = pricey if len(pricey) else products
    picks = pool.sample(n=min(int(rng.integers(1, max_items + 1)), len(pool)),
                        random_state=int(rng.integers(1 << 31)))
    per_item = target_total / len(picks)
    return [(r.sku, r.title, max(1, round(per_item / r.price)), r.price) for r in picks.itertuples()]


def _base(rng, shop: _Shop, when, *, customer_id, country, billing_country, basket, express_p,
          email: dict, name_mismatch: bool) -> dict:
    subtotal = round(sum(q * p for _, _, q, p in basket), 2)
    shipping = 0.0 if subtotal >= shop.median_total else round(float(rng.choice([3.95, 4.95, 6.5])), 2)
    name = f"n-{rng.integers(1 << 40):x}"
    ship_zip = f"Z{rng.integers(10000, 99999)}"
    return {
        "created_at": when, "customer_id": customer_id, "subtotal": subtotal, "shipping": shipping,
        "total": round(subtotal + shipping, 2), "discount_amount": 0.0, "discount_code": None,
        "financial_status": "paid", "payment_method": "card",
        "shipping_method": "Express" if rng.random() < express_p else "Standard",
        "shipping_country": country, "billing_country": billing_country,
        "shipping_zip": ship_zip,
        "billing_zip": f"Z{rng.integers(10000, 99999)}" if name_mismatch or rng.random() < 0.3 else ship_zip,
        "billing_name_hash": name, "shipping_name_hash": f"n-{rng.integers(1 << 40):x}" if name_mismatch else name,
        **email,
        "_lines": basket,
    }


def _new_customer(shop: _Shop) -> str:
    shop.next_customer_no += 1
    return str(shop.next_customer_no)


def _home_country(shop: _Shop) -> str:
    return str(shop.countries.index[0])


def _far_country(rng, shop: _Shop) -> str:
    rare = [c for c in FAR_COUNTRIES if shop.countries.get(c, 0.0) < 0.01]
    return rare[rng.integers(len(rare))] if rare else _home_country(shop)


# --- the patterns ---------------------------------------------------------------------------

def _card_testing(rng, shop: _Shop, day):
    start = _when(rng, shop, day, odd_hours_p=0.5)
    cheap = shop.products.nsmallest(max(5, len(shop.products) // 10), "price")
    zip_code, country = f"Z{rng.integers(10000, 99999)}", _home_country(shop)
    made = []
    for k in range(int(rng.integers(4, 12))):
        item = cheap.iloc[rng.integers(len(cheap))]
        order = _base(rng, shop, start + pd.Timedelta(seconds=int(k * rng.uniform(20, 240))),
                      customer_id=None, country=country, billing_country=_far_country(rng, shop)
                      if rng.random() < 0.5 else country, basket=[(item.sku, item.title, 1, item.price)],
                      express_p=0.1, email=_email(rng, shop, random_p=0.8, disposable_p=0.4),
                      name_mismatch=rng.random() < 0.7)
        order["shipping_zip"] = zip_code
        order["financial_status"] = FAILED_STATUSES[rng.integers(2)] if rng.random() < 0.75 else "paid"
        made.append(order)
    return made


def _foreign_first_order(rng, shop: _Shop, day):
    far = _far_country(rng, shop)
    home = _home_country(shop)
    ship, bill = (far, home) if rng.random() < 0.5 else (far, _far_country(rng, shop))
    order = _base(rng, shop, _when(rng, shop, day, odd_hours_p=0.5), customer_id=_new_customer(shop),
                  country=ship, billing_country=bill,
                  basket=_basket(rng, shop, shop.median_total * rng.uniform(3, 12)), express_p=0.6,
                  email=_email(rng, shop, random_p=0.5, disposable_p=0.2), name_mismatch=rng.random() < 0.5)
    order["_new_customer"] = True
    return [order]


def _reseller_spike(rng, shop: _Shop, day):
    popular = shop.products.nlargest(max(5, len(shop.products) // 5), "n")
    item = popular.iloc[rng.integers(len(popular))]
    qty = max(6, round(item.usual_qty * rng.uniform(10, 40)))
    basket = [(item.sku, item.title, qty, item.price)]
    country = _far_country(rng, shop) if rng.random() < 0.4 else _home_country(shop)
    guest = rng.random() < 0.5
    order = _base(rng, shop, _when(rng, shop, day, odd_hours_p=0.3),
                  customer_id=None if guest else _new_customer(shop), country=country,
                  billing_country=country if rng.random() < 0.6 else _far_country(rng, shop), basket=basket,
                  express_p=0.3, email=_email(rng, shop, random_p=0.4, disposable_p=0.15),
                  name_mismatch=rng.random() < 0.3)
    order["_new_customer"] = not guest
    return [order]


def _account_takeover(rng, shop: _Shop, day):
    if len(shop.repeat_customers) == 0:
        return _foreign_first_order(rng, shop, day)
    customer = shop.repeat_customers[rng.integers(len(shop.repeat_customers))]
    history = shop.orders[shop.orders["customer_id"] == customer]
    last = history.iloc[-1]
    usual = float(history["total"].median())
    email = {"email_domain": last.get("email_domain"), "email_local_score": last.get("email_local_score"),
             "email_hash": last.get("email_hash")}
    if rng.random() < 0.4:  # the thief changed the account's email address
        email = _email(rng, shop, random_p=0.6, disposable_p=0.3)
    order = _base(rng, shop, _when(rng, shop, day, odd_hours_p=0.5), customer_id=customer,
                  country=_far_country(rng, shop) if rng.random() < 0.7 else last["shipping_country"],
                  billing_country=last.get("billing_country"),
                  basket=_basket(rng, shop, max(usual, shop.median_total) * rng.uniform(3, 10)),
                  express_p=0.5, email=email, name_mismatch=True)
    return [order]


def _discount_abuse(rng, shop: _Shop, day):
    code = f"WELCOME{int(rng.choice([10, 15, 20, 25]))}" if rng.random() < 0.5 else f"NEW{rng.integers(10, 99)}"
    zip_code, name = f"Z{rng.integers(10000, 99999)}", f"n-{rng.integers(1 << 40):x}"
    country = _home_country(shop)
    made = []
    for _ in range(int(rng.integers(3, 8))):
        when = _when(rng, shop, day + pd.Timedelta(days=int(rng.integers(0, 3))), odd_hours_p=0.3)
        order = _base(rng, shop, when, customer_id=_new_customer(shop), country=country,
                      billing_country=country, basket=_basket(rng, shop, shop.median_total * rng.uniform(0.8, 2.0),
                                                              max_items=2),
                      express_p=0.1, email=_email(rng, shop, random_p=0.7, disposable_p=0.6), name_mismatch=False)
        share = float(rng.choice([0.15, 0.2, 0.25, 0.3]))
        order["discount_code"], order["discount_amount"] = code, round(order["subtotal"] * share, 2)
        order["total"] = round(order["subtotal"] - order["discount_amount"] + order["shipping"], 2)
        order["shipping_zip"], order["billing_name_hash"], order["shipping_name_hash"] = zip_code, name, name
        order["_new_customer"] = True
        made.append(order)
    return made


_EVENTS = {
    "card_testing": _card_testing,
    "foreign_first_order": _foreign_first_order,
    "reseller_spike": _reseller_spike,
    "account_takeover": _account_takeover,
    "discount_abuse": _discount_abuse,
}


def add_legit_noise(orders: pd.DataFrame, *, seed: int) -> pd.DataFrame:
    """Innocent oddities of real shops, added to simulated legitimate orders (training only).

    Customers keep one postcode and name; some orders are gifts to another person (another
    postcode, sometimes abroad); some owners of random-looking or throwaway addresses are honest;
    night owls order at 3 am; first orders use a welcome code; a few payments fail and are retried.
    """
    rng = np.random.default_rng(seed)
    out = orders.copy()
    n = len(out)
    key = out["customer_id"].fillna(out["email_hash"]).fillna(out["order_id"])
    codes, uniques = pd.factorize(key)
    zips = np.array([f"Z{z}" for z in rng.integers(10000, 99999, len(uniques))])
    names = np.array([f"n-{z:x}" for z in rng.integers(1 << 40, size=len(uniques))])
    out["billing_zip"] = out["shipping_zip"] = zips[codes]
    out["billing_name_hash"] = out["shipping_name_hash"] = names[codes]
    gift = rng.random(n) < 0.04
    out.loc[gift, "shipping_zip"] = [f"Z{z}" for z in rng.integers(10000, 99999, int(gift.sum()))]
    out.loc[gift, "shipping_name_hash"] = [f"n-{z:x}" for z in rng.integers(1 << 40, size=int(gift.sum()))]
    abroad = gift & (rng.random(n) < 0.4)
    countries = out["shipping_country"].dropna().unique().tolist() + FAR_COUNTRIES[:4]
    out.loc[abroad, "billing_country"] = rng.choice(countries, size=int(abroad.sum()))
    night = rng.random(n) < 0.02
    out.loc[night, "created_at"] = (out.loc[night, "created_at"].dt.normalize()
                                    + pd.to_timedelta(rng.integers(0, 6 * 3600, int(night.sum())), unit="s"))
    first = ~key.duplicated() & out["customer_id"].notna()
    coded = (first & (rng.random(n) < 0.3)) | (rng.random(n) < 0.03)
    share = np.where(first, 0.10, 0.15)
    out.loc[coded, "discount_code"] = np.where(first[coded], "WELCOME10", "SEASON15")
    out.loc[coded, "discount_amount"] = (out.loc[coded, "subtotal"] * share[coded]).round(2)
    out.loc[coded, "total"] = (out.loc[coded, "subtotal"] - out.loc[coded, "discount_amount"]
                               + out.loc[coded, "shipping"]).round(2)
    out.loc[rng.random(n) < 0.01, "financial_status"] = "voided"
    odd_email = rng.random(n) < 0.04
    out.loc[odd_email, "email_local_score"] = rng.beta(6, 2, int(odd_email.sum())).round(3)
    throwaway = rng.random(n) < 0.003
    out.loc[throwaway, "email_domain"] = rng.choice(DISPOSABLE_DOMAINS, size=int(throwaway.sum()))
    return out.sort_values("created_at", kind="stable").reset_index(drop=True)


def add_demo_fraud(sim, *, seed: int = 11, n_events: int = 10, recent_days: float = 28):
    """The demo store's simulated shop with a few fraud events, mostly in its last weeks."""
    injected = inject_fraud(sim.orders, sim.order_lines, seed=seed, n_events=n_events, recent_days=recent_days)
    new = injected.new_customers.assign(initials="X.X.", accepts_marketing=0)
    customers = pd.concat([sim.customers, new[[c for c in new if c in sim.customers]]], ignore_index=True)
    return replace(sim, orders=injected.orders, order_lines=injected.order_lines, customers=customers)
