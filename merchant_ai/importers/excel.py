"""XLSX exports via openpyxl (read-only, streamed), turned into the same text chunks as CSV."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from merchant_ai.errors import BadInputError


def cell_text(value) -> str:
    """A cell as the text an export would have written: whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _open(path: Path):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as exc:
        raise BadInputError(
            f"{path.name} cannot be opened as an Excel workbook: it is damaged or not really an Excel "
            "file. Open it in your spreadsheet program and save it again as .xlsx or CSV.",
            details=str(exc),
        ) from exc


def _sheet_rows(path: Path):
    book = _open(path)
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        book.close()
        raise BadInputError(f"{path.name} has no sheets.")
    return book, sheet.iter_rows(values_only=True)


def _first_row_index(rows: list[list[str]]) -> int:
    widths = [sum(1 for c in r if c.strip()) for r in rows]
    usual = max(widths) if widths else 0
    return next((i for i, w in enumerate(widths) if w >= max(2, usual * 0.6)), 0)


def sniff_excel(path: Path, sha256: str, size: int):
    """The Sniffed description of the first sheet of a workbook."""
    from merchant_ai.importers.reading import Sniffed

    book, rows = _sheet_rows(path)
    try:
        head = []
        for raw in rows:
            head.append([cell_text(v) for v in raw])
            if len(head) >= 30:
                break
    finally:
        book.close()
    if not head:
        raise BadInputError(f"{path.name} has an empty first sheet.")
    start = _first_row_index(head)
    header = [c.strip() for c in head[start]]
    while header and not header[-1]:
        header.pop()
    if len(header) < 2:
        raise BadInputError(f"{path.name} has only one column; it does not look like a shop export.")
    preview = [(r + [""] * len(header))[: len(header)] for r in head[start + 1 : start + 21]]
    return Sniffed(
        path=path,
        sha256=sha256,
        size_bytes=size,
        is_excel=True,
        encoding="xlsx",
        delimiter="",
        header=header,
        header_line=start,
        preview_rows=preview,
    )


def read_excel_chunks(sniffed, column_indexes: list[int], chunk_rows: int) -> Iterator:
    """The chosen columns of the first sheet as text chunks (see reading.read_chunks)."""
    from merchant_ai.importers.reading import Chunk

    chunk_rows = min(chunk_rows, 5_000)  # openpyxl is slow per row: report progress often
    book, rows = _sheet_rows(sniffed.path)
    sheet = book.worksheets[0]
    total = max(int(sheet.max_row or 1) - sniffed.header_line - 1, 1)
    try:
        buffer: list[list[str]] = []
        row_number = 2
        for index, raw in enumerate(rows):
            if index <= sniffed.header_line:
                continue
            values = [cell_text(raw[i]) if i < len(raw) else "" for i in column_indexes]
            if not any(values):
                continue
            buffer.append(values)
            if len(buffer) >= chunk_rows:
                yield Chunk(
                    _frame(buffer, column_indexes, row_number),
                    row_number,
                    min((row_number + len(buffer)) / total, 1.0),
                )
                row_number += len(buffer)
                buffer = []
        if buffer:
            yield Chunk(_frame(buffer, column_indexes, row_number), row_number, 1.0)
    finally:
        book.close()


def _frame(rows: list[list[str]], column_indexes: list[int], first: int) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=column_indexes, dtype=str)
    frame.index = pd.RangeIndex(first, first + len(frame))
    return frame
