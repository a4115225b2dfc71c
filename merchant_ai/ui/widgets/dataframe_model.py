"""A Qt table model over a pandas DataFrame that stays smooth at half a million rows.

Columns are kept as NumPy arrays; a cell is formatted only when the view asks for it (only
the visible rows). Sorting and filtering produce an array of row positions (`view order`);
nothing is copied per cell and there is no widget per cell. `compute_order` is a plain
function, so a page can run it through the task helper for very large tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # the raw value, for tests and delegates


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        return f"{value:,.2f}" if not float(value).is_integer() else f"{value:,.0f}"
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return str(pd.Timestamp(value))[:19] if not pd.isna(value) else ""
    return str(value)


def _sort_keys(values: np.ndarray, ascending: bool) -> np.ndarray:
    """Integer keys that sort like the values (missing values always last), cheap to argsort."""
    codes, _ = pd.factorize(values, sort=True, use_na_sentinel=True)
    codes = codes.astype(np.int64)
    keys = codes if ascending else -codes
    return np.where(codes < 0, np.iinfo(np.int64).max, keys)


def compute_order(frame: pd.DataFrame, *, search: str = "", column: str | None = None,
                  sort_column: str | None = None, ascending: bool = True) -> np.ndarray:
    """Row positions of `frame` that match `search` (case-insensitive, in `column` or any
    column), in sort order. Plain function: safe to run off the GUI thread."""
    mask = np.ones(len(frame), dtype=bool)
    text = search.strip().lower()
    if text:
        columns = [column] if column else list(frame.columns)
        mask[:] = False
        for name in columns:
            as_text = frame[name].astype("string").str.lower()
            mask |= as_text.str.contains(text, regex=False, na=False).to_numpy(dtype=bool)
    rows = np.flatnonzero(mask)
    if sort_column:
        keys = _sort_keys(frame[sort_column].to_numpy()[rows], ascending)
        order = np.argsort(keys, kind="stable")
        rows = rows[order]
    return rows


class DataFrameTableModel(QAbstractTableModel):
    """Read-only table model. `set_frame(df)` replaces the data; `set_order(rows)` the view."""

    def __init__(self, frame: pd.DataFrame | None = None, *, headers: dict[str, str] | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self._headers = headers or {}
        self._frame = pd.DataFrame()
        self._columns: list[np.ndarray] = []
        self._order = np.zeros(0, dtype=np.int64)
        self._sort: tuple[str | None, bool] = (None, True)
        self._search: tuple[str, str | None] = ("", None)
        if frame is not None:
            self.set_frame(frame)

    # --- data in ---------------------------------------------------------------------------
    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame.reset_index(drop=True)
        self._columns = [self._frame[c].to_numpy() for c in self._frame.columns]
        self._order = np.arange(len(self._frame), dtype=np.int64)
        self.endResetModel()
        if self._search[0] or self._sort[0]:
            self.set_order(self.compute_current_order())

    def frame(self) -> pd.DataFrame:
        return self._frame

    def set_order(self, rows: np.ndarray) -> None:
        self.layoutAboutToBeChanged.emit()
        self._order = np.asarray(rows, dtype=np.int64)
        self.layoutChanged.emit()

    def set_search(self, text: str, column: str | None = None) -> None:
        """Filter rows (recomputed immediately; for huge tables compute_order in a task)."""
        self._search = (text, column)
        self.set_order(self.compute_current_order())

    def remember_view(self, search: str, column: str | None, sort_column: str | None, ascending: bool) -> None:
        self._search, self._sort = (search, column), (sort_column, ascending)

    def compute_current_order(self) -> np.ndarray:
        return compute_order(self._frame, search=self._search[0], column=self._search[1],
                             sort_column=self._sort[0], ascending=self._sort[1])

    def view_frame(self) -> pd.DataFrame:
        """The rows currently shown, in the shown order (for export)."""
        return self._frame.iloc[self._order]

    def column_names(self) -> Sequence[str]:
        return list(self._frame.columns)

    # --- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self._columns[index.column()][self._order[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(value)
        if role == SORT_ROLE:
            return value.item() if isinstance(value, np.generic) else value
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float, np.number)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            name = str(self._frame.columns[section])
            return self._headers.get(name, name.replace("_", " "))
        return str(section + 1)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        name = str(self._frame.columns[column])
        self._sort = (name, order == Qt.SortOrder.AscendingOrder)
        self.set_order(self.compute_current_order())
