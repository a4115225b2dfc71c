"""The public text data behind the customer-service models, split by documented seeds.

- Bitext support intents (../shared/data/bitext-support-intents): the training file trains
  (and, by 5-fold cross-validation inside it, chooses settings and the "other" threshold);
  the validation file is only reported on.
- Women's clothing reviews (English): 4-5 stars positive, 1-2 negative, 3 left out. Split by
  product (Clothing ID, so one product's reviews never sit on both sides), seeded: 70% train,
  15% "choose" (settings are picked here), 15% "report" (only reported on).
- Chinese online-shopping reviews (label column): the same 70/15/15 split of rows, seeded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from merchant_ai.ml.features.text import normalize_texts

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
BITEXT_DIR = SHARED_DATA / "bitext-support-intents"
BITEXT_TRAIN = BITEXT_DIR / "Bitext_Sample_Customer_Service_Training_Dataset.csv"
BITEXT_VALIDATION = BITEXT_DIR / "Bitext_Sample_Customer_Service_Validation_Dataset.csv"
WOMENS_REVIEWS = SHARED_DATA / "womens-clothing-reviews" / "Womens Clothing E-Commerce Reviews.csv"
ZH_REVIEWS = SHARED_DATA / "zh-online-shopping-reviews" / "online_shopping_7_cats.csv"
SPLIT_SEED = 21
PARTS = ("train", "choose", "report")


def data_available() -> bool:
    return all(p.is_file() for p in (BITEXT_TRAIN, BITEXT_VALIDATION, WOMENS_REVIEWS, ZH_REVIEWS))


def require_data() -> None:
    if not data_available():
        raise FileNotFoundError(f"the public text data sets are not in {SHARED_DATA}")


def bitext(part: str) -> pd.DataFrame:
    """Columns text (raw), intent. part: 'train' or 'validation'."""
    path = BITEXT_TRAIN if part == "train" else BITEXT_VALIDATION
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.DataFrame({"text": frame["utterance"], "intent": frame["intent"]})


@dataclass
class SentimentSplit:
    """Raw texts and 0/1 labels of one language, by part."""

    language: str
    texts: dict[str, list[str]]
    labels: dict[str, np.ndarray]

    def sizes(self) -> dict[str, int]:
        return {part: len(self.texts[part]) for part in PARTS}


def _three_way(keys: np.ndarray, seed: int) -> np.ndarray:
    """'train' / 'choose' / 'report' per row, by a seeded permutation of the distinct keys."""
    distinct = np.unique(keys)
    order = np.random.default_rng(seed).permutation(len(distinct))
    share = order / max(len(distinct), 1)
    part_of = dict(zip(distinct, np.where(share < 0.70, "train", np.where(share < 0.85, "choose", "report"))))
    return np.array([part_of[k] for k in keys])


def english_reviews(seed: int = SPLIT_SEED) -> SentimentSplit:
    frame = pd.read_csv(WOMENS_REVIEWS, keep_default_na=False, dtype=str)
    rating = pd.to_numeric(frame["Rating"], errors="coerce")
    text = (frame["Title"].str.strip() + ". " + frame["Review Text"].str.strip()).str.strip(". ")
    keep = rating.ne(3) & rating.notna() & frame["Review Text"].str.strip().ne("")
    frame, rating, text = frame[keep], rating[keep], text[keep]
    parts = _three_way(frame["Clothing ID"].to_numpy(), seed)
    labels = (rating >= 4).astype(int).to_numpy()
    return SentimentSplit("en", {p: list(text[parts == p]) for p in PARTS},
                          {p: labels[parts == p] for p in PARTS})


def chinese_reviews(seed: int = SPLIT_SEED) -> SentimentSplit:
    frame = pd.read_csv(ZH_REVIEWS, keep_default_na=False, dtype=str)
    frame = frame[frame["review"].str.replace("\ufeff", "").str.strip().ne("")]
    parts = _three_way(np.arange(len(frame)), seed + 1)
    labels = frame["label"].astype(int).to_numpy()
    texts = frame["review"].str.replace("\ufeff", "").to_numpy()
    return SentimentSplit("zh", {p: list(texts[parts == p]) for p in PARTS},
                          {p: labels[parts == p] for p in PARTS})


def normalized(texts: list[str]) -> np.ndarray:
    """Normalised texts as the (n, 1) object array the text pipelines and ONNX take."""
    return np.array(normalize_texts(texts), dtype=object).reshape(-1, 1)
