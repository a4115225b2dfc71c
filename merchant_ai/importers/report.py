"""What an import did, for the shop owner: counts, what was fixed, what was skipped and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

TABLE_WORDS = {"orders": "Orders", "lines": "Order lines", "products": "Products", "customers": "Customers",
               "messages": "Messages", "reviews": "Reviews"}


@dataclass
class Notes:
    """Collects skipped rows and automatic fixes while a file is cleaned."""

    skipped: dict[str, dict] = field(default_factory=dict)
    fixes: dict[str, dict] = field(default_factory=dict)

    def skip(self, reason: str, count: int, examples: list) -> None:
        if count <= 0:
            return
        entry = self.skipped.setdefault(reason, {"reason": reason, "count": 0, "examples": []})
        entry["count"] += int(count)
        entry["examples"] = (entry["examples"] + [str(e) for e in examples])[:3]

    def fix(self, what: str, count: int, examples: list | None = None) -> None:
        if count <= 0:
            return
        entry = self.fixes.setdefault(what, {"what": what, "count": 0, "examples": []})
        entry["count"] += int(count)
        entry["examples"] = (entry["examples"] + [str(e) for e in (examples or [])])[:3]


def row_examples(row_numbers, limit: int = 3) -> list[str]:
    """'row 12'-style examples from spreadsheet row numbers (the header is row 1)."""
    return [f"row {n}" for n in list(row_numbers)[:limit]]


def _counts() -> dict[str, int]:
    return {"imported": 0, "updated": 0}


@dataclass
class ImportReport:
    file: str
    format: str
    format_label: str = ""
    rows_read: int = 0
    orders: dict = field(default_factory=_counts)
    lines: dict = field(default_factory=_counts)
    products: dict = field(default_factory=_counts)
    customers: dict = field(default_factory=_counts)
    messages: dict = field(default_factory=_counts)
    reviews: dict = field(default_factory=_counts)
    skipped: list = field(default_factory=list)
    fixes: list = field(default_factory=list)
    seconds: float = 0.0
    import_id: int | None = None
    already_imported: bool = False
    finished_at: str = field(default_factory=lambda: datetime.now().strftime("%Y-%m-%d %H:%M"))

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def rows_skipped(self) -> int:
        return sum(int(s["count"]) for s in self.skipped)

    def to_text(self) -> str:
        """The plain report a shop owner can read and save."""
        label = self.format_label or self.format
        out = [f"Import of {self.file} ({label}), {self.finished_at}"]
        if self.already_imported:
            out += [
                "",
                f"This exact file was already imported (import #{self.import_id}).",
                "Nothing was changed, so nothing is counted twice.",
            ]
            return "\n".join(out) + "\n"
        out.append(f"Read {self.rows_read:,} rows in {self.seconds:.1f} seconds.")
        out.append("")
        width = max(len(w) for w in TABLE_WORDS.values())
        for key, word in TABLE_WORDS.items():
            counts = getattr(self, key)
            if counts["imported"] or counts["updated"]:
                out.append(
                    f"  {word + ':':<{width + 1}} {counts['imported']:>8,} new, "
                    f"{counts['updated']:>6,} updated"
                )
        if not any(getattr(self, k)["imported"] or getattr(self, k)["updated"] for k in TABLE_WORDS):
            out.append("  Nothing new: everything in this file was already in your store.")
        if self.fixes:
            out += ["", "Fixed automatically (nothing to do for you):"]
            for fix in self.fixes:
                what = fix["what"][:1].upper() + fix["what"][1:]
                out.append(f"  - {what}: {fix['count']:,}{_examples(fix['examples'])}")
        if self.skipped:
            out += ["", f"Left out ({self.rows_skipped:,} rows):"]
            for skip in self.skipped:
                out.append(
                    f"  - {skip['count']:,} {_rows(skip['count'])}: {skip['reason']}"
                    f"{_examples(skip['examples'])}"
                )
        else:
            out += ["", "No rows were left out."]
        if self.import_id is not None:
            out += [
                "",
                (
                    f"This is import #{self.import_id}. You can undo it at any time; "
                    "your store then returns exactly to how it was before."
                ),
            ]
        return "\n".join(out) + "\n"


def _rows(count: int) -> str:
    return "row" if count == 1 else "rows"


def _examples(examples: list) -> str:
    return f". For example: {', '.join(examples)}" if examples else ""
