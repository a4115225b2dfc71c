"""Personal data kept to what the analyses need.

With privacy on (the default) an email or a name is stored only as a salted hash (so the same
customer is still recognised across files) plus initials. The salt is random per store and
lives in the store's settings table, so hashes cannot be matched against another store's.
The email's domain and how random its local part looks are kept: fraud signals need them.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd

SALT_KEY = "privacy_salt"


def salted_hash(value: str | None, salt: str) -> str | None:
    """Stable 32-hex-digit hash of a normalised email or name; None for blanks."""
    if value is None:
        return None
    text = " ".join(str(value).strip().lower().split())
    if not text:
        return None
    return hashlib.sha256((salt + "\x00" + text).encode("utf-8")).hexdigest()[:32]


def initials(name: str | None) -> str | None:
    """'Anna-Maria van Dijk' -> 'A.V.D.'; None for blanks."""
    if not name:
        return None
    parts = [p for p in re.split(r"[\s\-]+", str(name).strip()) if p and p[0].isalpha()]
    return "".join(p[0].upper() + "." for p in parts[:3]) or None


def email_domain(email: str | None) -> str | None:
    if not email or "@" not in str(email):
        return None
    return str(email).rsplit("@", 1)[1].strip().lower() or None


def email_local_scores(emails: pd.Series) -> pd.Series:
    """0..1 per email: how machine-made the part before '@' looks (vectorised).

    Digits, few vowels, long consonant runs and many distinct characters in a long local part
    push it up: 'jane.smith' ~0.1, 'jsmith1987' ~0.6, 'xk7q9zt2wp' ~0.9. A hint for the risk
    model, not a verdict: many honest customers have odd addresses.
    """
    text = emails.astype(object).where(emails.notna(), "").astype(str).str.lower()
    has_at = text.str.contains("@", regex=False)
    local = text.str.rsplit("@", n=1).str[0].str.split("+", n=1).str[0]
    length = local.str.len().astype(float)
    safe = length.where(length > 0, np.nan)
    digit_share = local.str.count(r"\d") / safe
    letters = local.str.count(r"[a-z]").astype(float)
    vowel_share = (local.str.count(r"[aeiouy]") / letters.where(letters > 0, np.nan)).fillna(0.0)
    runs = (
        local.str.replace(r"[^a-z]", "", regex=True)
        .str.findall(r"[b-df-hj-np-tv-xz]+")
        .map(lambda found: max(map(len, found), default=0))
        .astype(float)  # pandas 2 leaves map() results as object, which round() refuses
    )
    distinct_share = local.map(lambda s: len(set(s))).astype(float) / safe
    score = (
        0.3 * (digit_share * 2.0).clip(upper=1.0)
        + 0.3 * (1.0 - vowel_share / 0.35).clip(lower=0.0)
        + 0.3 * ((runs - 2).clip(lower=0) / 3.0).clip(upper=1.0)
        + 0.1 * distinct_share.where(length >= 8, 0.0)
    )
    return score.clip(0.0, 1.0).round(3).where(has_at & (length > 0), np.nan)


def email_local_score(email: str | None) -> float | None:
    """The score of one email (see email_local_scores)."""
    value = email_local_scores(pd.Series([email], dtype=object)).iloc[0]
    return None if pd.isna(value) else float(value)
