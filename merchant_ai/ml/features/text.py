"""Text as the text models see it, shared by training and the services.

ONNX text pipelines are only exact when the text is prepared in Python the same way for
training and inference: NFKC (full-width Chinese punctuation and digits become ASCII),
lower case (the vectorisers run with lowercase=False, because onnxruntime's lower-casing
needs an en_US.UTF-8 locale that many machines lack), long digit runs (order numbers,
amounts) become one "0" so the model learns "order 0" rather than a thousand numbers, "#"
becomes a space (onnxruntime's Tokenizer pads with "#", so n-grams holding one are counted
differently there: measured 0.03 in probability on "order #0"), and runs of white space
become one space.
"""

from __future__ import annotations

import re
import unicodedata

FEATURE_NAMES = ["text"]  # one string input; the registry checks this list like any other
MAX_CHARS = 2000  # a pasted 40-page thread says no more about intent than its first lines
_DIGITS = re.compile(r"\d{3,}")
_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[a-z]")

# the word tokens of the English vectorisers: skl2onnx turns the token pattern into the
# Tokenizer op's regex; this one means the same in both (the default does not)
WORD_TOKEN_PATTERN = r"[a-z0-9]+"


def normalize_text(text: object) -> str:
    """NFKC, lower case, digit runs -> '0', one space between words; '' for blanks."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text))[:MAX_CHARS].lower().replace("#", " ")
    value = _DIGITS.sub("0", value)
    return _SPACE.sub(" ", value).strip()


def normalize_texts(texts) -> list[str]:
    return [normalize_text(t) for t in texts]


def language(text: str) -> str:
    """'zh' when Chinese characters outnumber Latin letters, else 'en' (for reports only)."""
    chinese = len(_CJK.findall(text))
    return "zh" if chinese and chinese >= len(_LATIN.findall(text.lower())) else "en"
