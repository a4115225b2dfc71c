"""Purchase-order drafts per vendor from the reorder suggestions, exportable to CSV and PDF."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from merchant_ai.errors import BadInputError

PO_COLUMNS = ["vendor", "sku", "title", "order_qty", "unit_cost", "line_cost", "status", "order_by"]
UNKNOWN_VENDOR = "(no vendor set)"
ROWS_PER_PAGE = 28


def purchase_order_drafts(result, vendor: str | None = None) -> pd.DataFrame:
    """One row per product to order now (suggested quantity > 0), grouped by vendor."""
    if vendor is not None:
        _require_vendor(vendor, {line.vendor for line in result.lines})
    rows = []
    for line in result.lines:
        if line.suggested_qty <= 0:
            continue
        name = line.vendor or UNKNOWN_VENDOR
        if vendor is not None and name != vendor:
            continue
        cost = line.unit_cost
        rows.append({
            "vendor": name, "sku": line.sku, "title": line.title or "", "order_qty": line.suggested_qty,
            "unit_cost": cost, "line_cost": None if cost is None else round(cost * line.suggested_qty, 2),
            "status": line.status, "order_by": line.last_order_date,
        })
    frame = pd.DataFrame(rows, columns=PO_COLUMNS)
    return frame.sort_values(["vendor", "order_by", "sku"], kind="stable", na_position="last").reset_index(drop=True)


def check_vendor(store, vendor: str | None, settings: list[tuple[str, dict]]) -> None:
    """Refuse an unknown vendor before anything is written: the store's vendors as they will be
    once this command's setting edits (which may name a vendor) are applied."""
    from merchant_ai.store import queries

    if vendor is None:
        return
    frame = queries.products(store)
    by_sku = {sku: (None if pd.isna(name) else name) for sku, name in zip(frame["sku"], frame["effective_vendor"])}
    for sku, values in settings:
        if "vendor" in values:
            by_sku[sku] = values["vendor"] or None
    _require_vendor(vendor, set(by_sku.values()))


def _require_vendor(vendor: str, vendors: set[str | None]) -> None:
    if vendor not in {name or UNKNOWN_VENDOR for name in vendors}:
        raise BadInputError(f"No product has the vendor '{vendor}'; check the spelling.")


def check_po_path(path: str | Path) -> Path:
    """The path if purchase orders can be written there (.csv or .pdf in an existing folder);
    checked before anything else is changed."""
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".pdf"):
        raise BadInputError(f"Purchase orders can be saved as .csv or .pdf, not '{path.name}'.")
    if not path.parent.exists():
        raise BadInputError(f"The folder {path.parent} does not exist.")
    return path


def export_purchase_orders(drafts: pd.DataFrame, path: str | Path, *, as_of: str = "") -> Path:
    """Write the drafts to `path`: .csv (one file, a vendor column) or .pdf (a page per vendor)."""
    path = check_po_path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            drafts.to_csv(path, index=False)
        else:
            _write_pdf(drafts, path, as_of)
    except OSError as exc:
        raise BadInputError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    return path


def _write_pdf(drafts: pd.DataFrame, path: Path, as_of: str) -> None:
    # matplotlib's PDF backend with a plain Figure: no pyplot, no extra dependency
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    with PdfPages(path) as pdf:
        if drafts.empty:
            figure = Figure(figsize=(8.27, 11.69))
            figure.text(0.08, 0.92, "Purchase orders", fontsize=16, weight="bold")
            figure.text(0.08, 0.88, "Nothing to order.", fontsize=11)
            pdf.savefig(figure)
            return
        for vendor, group in drafts.groupby("vendor", sort=True):
            for start in range(0, len(group), ROWS_PER_PAGE):
                chunk = group.iloc[start:start + ROWS_PER_PAGE]
                pdf.savefig(_page(vendor, chunk, group, as_of, last=start + ROWS_PER_PAGE >= len(group)))


def _page(vendor: str, chunk: pd.DataFrame, group: pd.DataFrame, as_of: str, *, last: bool):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.27, 11.69))  # A4 portrait
    figure.text(0.08, 0.95, f"Purchase order draft: {vendor}", fontsize=15, weight="bold")
    figure.text(0.08, 0.925, f"Prepared {as_of}" if as_of else "", fontsize=9, color="#555555")
    cells = [[row.sku, str(row.title)[:34], f"{row.order_qty:.0f}",
              "" if pd.isna(row.unit_cost) else f"{row.unit_cost:.2f}",
              "" if pd.isna(row.line_cost) else f"{row.line_cost:.2f}", row.order_by or ""]
             for row in chunk.itertuples()]
    axes = figure.add_axes((0.06, 0.1, 0.88, 0.8))
    axes.axis("off")
    table = axes.table(cellText=cells, colLabels=["SKU", "Product", "Qty", "Unit cost", "Line cost", "Order by"],
                       loc="upper center", colLoc="left", cellLoc="left",
                       colWidths=[0.16, 0.38, 0.08, 0.12, 0.13, 0.15])
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    if last:
        total = group["line_cost"].sum(min_count=1)
        units = group["order_qty"].sum()
        text = f"{len(group)} products, {units:.0f} units" + ("" if pd.isna(total) else f", total {total:,.2f}")
        figure.text(0.08, 0.06, text, fontsize=10, weight="bold")
    return figure
