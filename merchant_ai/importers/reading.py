"""Opening an export: encoding, delimiter, header row, and reading it in chunks of text.

Everything is read as text (ids like `00123` and zips like `'02134` stay verbatim); cleaning
comes later. Files are read in chunks so a long import reports progress and can be
cancelled between chunks, and memory stays flat.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from merchant_ai.errors import BadInputError

CHUNK_ROWS = 25_000
_SAMPLE_BYTES = 256 * 1024
_DELIMITERS = [",", ";", "\t", "|"]
_EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
_USUAL_LEGACY = ["cp1252", "gb18030", "big5", "cp932", "cp949", "cp1251", "cp1250", "cp1254", "cp1253"]


@dataclass
class Sniffed:
    path: Path
    sha256: str
    size_bytes: int
    is_excel: bool
    encoding: str
    delimiter: str
    header: list[str]
    header_line: int = 0  # lines to skip before the header (title lines, `sep=;`)
    encoding_note: str = ""  # plain words when the encoding was not plain UTF-8
    preview_rows: list[list[str]] = field(default_factory=list)


def _hash_and_check_utf8(path: Path, limit: int | None = None) -> tuple[str, int, int | None]:
    """sha256 of the file, its size, and the byte offset of the first invalid UTF-8 (or None).

    With `limit`, only that many bytes are looked at (a quick look for the file chooser) and
    the hash is left empty.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    bad_at: int | None = None
    offset = 0
    with path.open("rb") as handle:
        while block := handle.read(min(1 << 20, limit - offset) if limit else 1 << 20):
            digest.update(block)
            if bad_at is None:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as exc:
                    bad_at = offset + exc.start
            offset += len(block)
        size = path.stat().st_size
    if bad_at is None and offset == size:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            bad_at = offset
    return ("" if limit else digest.hexdigest()), size, bad_at


def _guess_legacy_encoding(path: Path, bad_at: int) -> str:
    """Best legacy encoding for a file that is not UTF-8, judged on its non-ASCII parts."""
    from charset_normalizer import from_bytes

    with path.open("rb") as handle:
        head = handle.read(_SAMPLE_BYTES)
        handle.seek(max(0, bad_at - _SAMPLE_BYTES // 2))
        around = handle.read(_SAMPLE_BYTES)
    matches = list(from_bytes(head + b"\n" + around))
    if not matches:
        raise BadInputError(f"{path.name} does not look like a text export (its characters cannot be read).")
    # Short exports fit many code pages about equally well; among the near-best, prefer the
    # ones shop software actually writes (Windows Western, then Chinese, Japanese, ...).
    least_chaos = min(m.chaos for m in matches)
    plausible = [codecs.lookup(m.encoding).name for m in matches if m.chaos <= least_chaos + 0.05]
    for preferred in _USUAL_LEGACY:
        if preferred in plausible:
            return preferred
    name = plausible[0]
    # latin-1 decodes anything; Windows shops write cp1252 (its superset for € and quotes)
    return "cp1252" if name in ("latin-1", "iso8859-1", "iso8859-15") else name


def _detect_encoding(path: Path, head: bytes, bad_at: int | None) -> tuple[str, str]:
    if head.startswith(codecs.BOM_UTF8):
        damaged = "rows read from a file with some invalid characters (they were replaced)"
        return "utf-8-sig", "" if bad_at is None else damaged
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "rows converted from UTF-16 text (Excel's 'Unicode text')"
    if b"\x00" in head:
        raise BadInputError(f"{path.name} is not a text export (it looks like a binary file).")
    if bad_at is None:
        return "utf-8", ""
    encoding = _guess_legacy_encoding(path, bad_at)
    return encoding, f"rows converted from the older '{encoding}' encoding (not UTF-8)"


def _pick_delimiter(lines: list[str]) -> str:
    best, best_score = ",", -1.0
    for delimiter in _DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not counts or max(counts) < 2:
            continue
        mode, freq = Counter(counts).most_common(1)[0]
        score = freq * mode
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _text_lines(path: Path, encoding: str) -> list[str]:
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE_BYTES)
    text = sample.decode(encoding, errors="replace")
    lines = text.splitlines()
    if len(sample) == _SAMPLE_BYTES and lines:
        lines = lines[:-1]  # the last line may be cut in half
    return lines[:60]


def sniff(path: str | Path, *, whole_file: bool = True) -> Sniffed:
    """Encoding, delimiter and header of an export; BadInputError for unusable files.

    `whole_file=False` is the quick look (first 256 KB, no hash) for showing a file before
    importing it; the import itself always reads the whole file.
    """
    path = Path(path)
    if path.is_dir():
        raise BadInputError(f"{path} is a folder; choose the export file inside it.")
    if not path.is_file():
        raise BadInputError(f"There is no file at {path}.")
    sha, size, bad_at = _hash_and_check_utf8(path, None if whole_file else _SAMPLE_BYTES)
    if size == 0:
        raise BadInputError(f"{path.name} is empty.")
    with path.open("rb") as handle:
        head = handle.read(8192)
    if head.startswith(b"PK\x03\x04"):
        if path.suffix.lower() not in _EXCEL_SUFFIXES and path.suffix.lower() != "":
            raise BadInputError(f"{path.name} is a compressed file; unzip it and import the export inside.")
        from merchant_ai.importers.excel import sniff_excel

        return sniff_excel(path, sha, size)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadInputError(
            f"{path.name} is an old Excel (.xls) file; save it as .xlsx or CSV and import that."
        )
    encoding, note = _detect_encoding(path, head, bad_at)
    lines = [line for line in _text_lines(path, encoding)]
    skip = 0
    delimiter = None
    while skip < len(lines) and not lines[skip].strip():
        skip += 1
    if skip < len(lines) and (m := re.match(r"^\ufeff?sep=(.)\s*$", lines[skip])):
        delimiter = m.group(1)
        skip += 1
    body = lines[skip:]
    if not body:
        raise BadInputError(f"{path.name} has no header row.")
    try:
        delimiter = delimiter or _pick_delimiter(body[:30])
        rows = list(csv.reader(body[:30], delimiter=delimiter))
    except csv.Error as exc:
        raise BadInputError(f"{path.name} cannot be read as a table ({exc}).") from exc
    widths = Counter(len(r) for r in rows if any(c.strip() for c in r))
    if not widths:
        raise BadInputError(f"{path.name} has no header row.")
    usual = widths.most_common(1)[0][0]
    # a title line or two above the header: the header is the first row as wide as the data
    first = next((i for i, r in enumerate(rows[:10]) if len(r) == usual and any(c.strip() for c in r)), 0)
    header = [c.replace("\ufeff", "").strip() for c in rows[first]]
    if len(header) < 2 or not any(header):
        raise BadInputError(f"{path.name} has only one column; it does not look like a shop export.")
    return Sniffed(
        path=path,
        sha256=sha,
        size_bytes=size,
        is_excel=False,
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        header_line=skip + first,
        encoding_note=note,
        preview_rows=[r + [""] * (len(header) - len(r)) for r in rows[first + 1 : first + 21]],
    )


@dataclass
class Chunk:
    frame: pd.DataFrame  # text columns named by source column index
    first_row_number: int  # spreadsheet row number of the chunk's first row (header = 1)
    fraction_read: float


@dataclass
class ReadStats:
    malformed_lines: int = 0
    malformed_examples: list[str] = field(default_factory=list)


def read_chunks(
    sniffed: Sniffed, column_indexes: list[int], stats: ReadStats, chunk_rows: int = CHUNK_ROWS
) -> Iterator[Chunk]:
    """The chosen columns as text, chunk by chunk. Malformed lines are counted in `stats`."""
    if sniffed.is_excel:
        from merchant_ai.importers.excel import read_excel_chunks

        yield from read_excel_chunks(sniffed, column_indexes, chunk_rows)
        return
    width = len(sniffed.header)
    wanted = sorted(set(column_indexes))
    with sniffed.path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=sniffed.encoding, errors="replace", newline="")
        for _ in range(sniffed.header_line + 1):
            _skip_record(text)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            # All columns are parsed (not `usecols`): only then does pandas notice a line with
            # more cells than the header (an unquoted delimiter in a text) and leave it out,
            # instead of silently shifting its values. Measured cost: ~1 s per 100k lines.
            row_number = 2
            try:
                reader = pd.read_csv(
                    text,
                    sep=sniffed.delimiter,
                    header=None,
                    names=list(range(width)),
                    dtype=str,
                    keep_default_na=False,
                    na_filter=False,
                    chunksize=chunk_rows,
                    on_bad_lines="warn",
                    engine="c",
                    skip_blank_lines=True,
                )
                for frame in reader:
                    frame = frame[wanted]
                    frame.index = pd.RangeIndex(row_number, row_number + len(frame))
                    _collect_warnings(caught, stats)
                    yield Chunk(frame, row_number, min(raw.tell() / max(sniffed.size_bytes, 1), 1.0))
                    row_number += len(frame)
            except pd.errors.EmptyDataError:
                return
            except (pd.errors.ParserError, ValueError, UnicodeDecodeError, csv.Error) as exc:
                raise BadInputError(
                    f"{sniffed.path.name} cannot be read as a table near row "
                    f"{row_number}: {str(exc).splitlines()[0]}"
                ) from exc
            _collect_warnings(caught, stats)


def _skip_record(text: io.TextIOBase) -> None:
    """Skip one CSV record (a quoted header cell may span lines)."""
    line = text.readline()
    while line.count('"') % 2 == 1:
        more = text.readline()
        if not more:
            break
        line += more


def _collect_warnings(caught: list, stats: ReadStats) -> None:
    for item in caught:
        for found in re.findall(r"Skipping line (\d+)", str(item.message)):
            stats.malformed_lines += 1
            if len(stats.malformed_examples) < 3:
                stats.malformed_examples.append(f"data line {found}")
    caught.clear()
