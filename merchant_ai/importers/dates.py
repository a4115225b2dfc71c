"""Dates as exports write them, read into the store's 'YYYY-MM-DD HH:MM:SS' local time.

Handled: ISO (`2025-12-06 10:37:33 -0500`, `2020-01-01T12:34:56+00:00`), slashed dates in
either day/month order (`1/12/2010 8:26`, `09/03/26`, with AM/PM), Excel serial numbers
(`45123.5`) and, as a last resort, month names (`Dec 1, 2010`). Whether `3/4/2024` means
3 April or 4 March is decided once for the whole file: from any value that only fits one
way, else from which reading keeps the file in date order, else the platform's habit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

import numpy as np
import pandas as pd

_ZONE = r"(Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
_TIME = r"(?:[T ,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?"
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + r"\s*" + _ZONE + "$")
_SLASHED = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _TIME + r"\s*" + _ZONE + "$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_EXCEL_EPOCH = datetime(1899, 12, 30)

Parsed = tuple[str, "int | None"]  # (wall-clock text, utc offset minutes)


@dataclass
class DateColumn:
    text: pd.Series  # 'YYYY-MM-DD HH:MM:SS' or None
    offset_minutes: pd.Series  # Int64 or NA
    unreadable: pd.Series  # bool: had text but no date
    order_used: str | None  # "dmy" / "mdy" when slashed dates were seen
    order_reason: str
    excel_serials: int
    examples: list[str]


def _offset(zone: str | None) -> int | None:
    if not zone:
        return None
    if zone in ("Z", "UTC", "GMT"):
        return 0
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * (int(digits[:2]) * 60 + int(digits[2:4]))


def _build(
    year: int,
    month: int,
    day: int,
    hour: str | None,
    minute: str | None,
    second: str | None,
    ampm: str | None,
) -> str | None:
    h = int(hour) if hour else 0
    if ampm:
        if h > 12:
            return None
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    try:
        moment = datetime(year, month, day, h, int(minute or 0), int(second or 0))
    except ValueError:
        return None
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _parse_iso(match: re.Match) -> Parsed | None:
    y, m, d, hh, mm, ss, ampm, zone = match.groups()
    wall = _build(int(y), int(m), int(d), hh, mm, ss, ampm)
    return None if wall is None else (wall, _offset(zone))


def _parse_slashed(match: re.Match, order: str) -> Parsed | None:
    a, b, y, hh, mm, ss, ampm, zone = match.groups()
    day, month = (int(a), int(b)) if order == "dmy" else (int(b), int(a))
    wall = _build(_year(y), month, day, hh, mm, ss, ampm)
    return None if wall is None else (wall, _offset(zone))


def _parse_serial(text: str) -> Parsed | None:
    days = float(text)
    if not 20000 <= days <= 80000:  # 1954 .. 2119: anything else is not a date
        return None
    moment = _EXCEL_EPOCH + timedelta(days=days)
    return (moment.replace(microsecond=0).strftime("%Y-%m-%d %H:%M:%S"), None)


def _parse_loose(text: str) -> Parsed | None:
    if not re.search(r"[A-Za-z]{3}", text):
        return None
    try:
        stamp = pd.to_datetime(text, format="mixed")
    except (ValueError, OverflowError, TypeError):
        return None
    if pd.isna(stamp):
        return None
    offset = None
    if stamp.tzinfo is not None:
        offset = int(stamp.utcoffset().total_seconds() // 60)
        stamp = stamp.tz_localize(None)
    return (stamp.strftime("%Y-%m-%d %H:%M:%S"), offset)


def _ordered_pairs(walls: list[str | None]) -> int:
    seq = [w for w in walls if w is not None]
    up = sum(1 for x, y in pairwise(seq) if x <= y)
    down = sum(1 for x, y in pairwise(seq) if x >= y)
    return max(up, down)


def _span_days(walls: list[str | None]) -> float:
    seq = sorted(w for w in walls if w is not None)
    if not seq:
        return float("inf")
    return (datetime.fromisoformat(seq[-1]) - datetime.fromisoformat(seq[0])).total_seconds() / 86400


def choose_day_month_order(matches: list[re.Match], default: str) -> tuple[str, str]:
    """'dmy' or 'mdy' for the whole file, and the reason in plain words."""
    firsts = [int(m.group(1)) for m in matches]
    seconds = [int(m.group(2)) for m in matches]
    dmy_fits = sum(1 for a, b in zip(firsts, seconds) if b <= 12)
    mdy_fits = sum(1 for a, b in zip(firsts, seconds) if a <= 12)
    if dmy_fits != mdy_fits:
        order = "dmy" if dmy_fits > mdy_fits else "mdy"
        return order, "some dates only make sense that way"
    walls = {o: [(_parse_slashed(m, o) or (None,))[0] for m in matches] for o in ("dmy", "mdy")}
    pairs = {o: _ordered_pairs(w) for o, w in walls.items()}
    if pairs["dmy"] != pairs["mdy"]:
        return max(pairs, key=pairs.get), "that reading keeps the file in date order"
    spans = {o: _span_days(w) for o, w in walls.items()}
    if spans["dmy"] != spans["mdy"]:
        return min(spans, key=spans.get), "that reading gives the shorter, more likely date range"
    return default, "the file never tells, so the platform's usual order was used"


def parse_date_column(
    series: pd.Series, default_order: str = "mdy", tick: Callable[[], None] | None = None
) -> DateColumn:
    """A text column of dates/timestamps -> wall-clock text + utc offset, decided per file."""
    text = series.fillna("").astype(str).str.strip()
    codes, uniques = pd.factorize(text)  # uniques in order of first appearance
    uniq = [str(u) for u in uniques]
    slashed = {i: m for i, u in enumerate(uniq) if (m := _SLASHED.match(u))}
    order, reason = (None, "")
    if slashed:
        order, reason = choose_day_month_order(list(slashed.values()), default_order)
    results: list[Parsed | None] = []
    serials = 0
    for i, u in enumerate(uniq):
        if tick is not None and i % 5000 == 4999:
            tick()  # long files: let the caller report progress and poll cancel
        if not u:
            results.append(None)
        elif i in slashed:
            results.append(_parse_slashed(slashed[i], order))
        elif m := _ISO.match(u):
            results.append(_parse_iso(m))
        elif _SERIAL.match(u):
            parsed = _parse_serial(u)
            serials += parsed is not None
            results.append(parsed)
        else:
            results.append(_parse_loose(u))
    walls = np.array([r[0] if r else None for r in results] or [None], dtype=object)
    offsets = np.array([r[1] if r and r[1] is not None else np.nan for r in results] or [np.nan], dtype=float)
    bad = np.array([bool(u) and r is None for u, r in zip(uniq, results)] or [False], dtype=bool)
    serial_flags = np.array(
        [bool(_SERIAL.match(u)) and r is not None for u, r in zip(uniq, results)] or [False]
    )
    examples = [uniq[i] for i in slashed][:2] or [u for u in uniq if u][:2]
    return DateColumn(
        text=pd.Series(walls[codes], index=series.index, dtype=object),
        offset_minutes=pd.Series(offsets[codes], index=series.index).astype("Int64"),
        unreadable=pd.Series(bad[codes], index=series.index),
        order_used=order,
        order_reason=reason,
        excel_serials=int(np.count_nonzero(serial_flags[codes])),
        examples=examples,
    )
