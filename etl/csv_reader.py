"""Read a .csv or .txt report into rows of strings, as Excel and LibreOffice write them.

Encoding, decided on evidence, never guessed:

- a byte-order mark says UTF-8 (Excel's "CSV UTF-8") or UTF-16 (Excel's "Unicode Text",
  tab-separated);
- without one, the bytes must be valid UTF-8, or else Windows-1258 (Vietnamese Windows,
  Excel's plain "CSV" on a Vietnamese system), accepted only when the text it decodes to
  is Vietnamese: letters with Vietnamese marks, đ, punctuation. Text in the legacy TCVN3
  (ABC) or VNI fonts also decodes in Windows-1258, but to letters such as "µ", "¸", "Ç",
  "ä", and is refused rather than misread.

Windows-1258 writes tone marks as separate characters; all text is NFC-normalised so that
names compare equal to the catalogue's.

Separator: ``,``, ``;`` or tab, the one that splits the most cells into rows of one
width (title lines above the header have fewer separators and do not decide it; a
semicolon file with decimal commas is not split at the commas). Quoted fields may hold
separators, quotes ("") and line breaks; an unbalanced quote is refused, since it would
swallow the rows after it.

Cells stay strings exactly as written: "3.093" stays "3.093" and :mod:`etl.values`
decides what it means. Rows are padded with "" to one width, as calamine returns them;
blank lines at the end and empty columns at the right are dropped.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections import Counter

from etl.errors import ReadError

SEPARATORS = ("\t", ";", ",")  # on a tie, the earlier wins
_SNIFF_CHARS = 256 * 1024
_NOT_TEXT = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff")
_VIETNAMESE_VOWELS = frozenset("aeiouyAEIOUY")
# grave, acute, tilde, hook, dot below; circumflex, breve, horn
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
_PUNCTUATION = frozenset({"Pd", "Pi", "Pf", "Po", "Ps", "Pe", "Zs", "Sc", "Sm"})
_SYMBOLS = frozenset("°©®™№")
_MAX_ODD_SHARE = 0.02  # of the non-ASCII characters, in genuine Windows-1258 text


def read_text_rows(data: bytes, *, max_cells: int, sheet: str) -> list[list[str]]:
    """The cells of a text file; raises :class:`ReadError` when it cannot be read for sure."""
    text = decode(data)
    return parse(text, sniff_separator(text), max_cells=max_cells, sheet=sheet)


def decode(data: bytes) -> str:
    """The file's text, NFC; raises ``file_not_text`` or ``file_encoding_unknown``."""
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[len(codecs.BOM_UTF8) :], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16")
    elif data.startswith(_NOT_TEXT) or b"\x00" in data:
        raise ReadError("file_not_text")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _windows_1258(data)
    if "\x00" in text:  # UTF-32, or binary after a lucky byte-order mark
        raise ReadError("file_not_text")
    return unicodedata.normalize("NFC", text)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError("file_encoding_unknown") from exc


def _windows_1258(data: bytes) -> str:
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError as exc:
        raise ReadError("file_encoding_unknown") from exc
    if not looks_vietnamese(text):
        raise ReadError("file_encoding_unknown")
    return text


def looks_vietnamese(text: str) -> bool:
    """Whether the non-ASCII characters of NFC text are Vietnamese letters and punctuation."""
    counts = Counter(ch for ch in text if not ch.isascii())
    total = sum(counts.values())
    odd = sum(n for ch, n in counts.items() if not _plausible(ch))
    return odd <= _MAX_ODD_SHARE * total


def _plausible(ch: str) -> bool:
    if ch in "đĐ" or ch in _SYMBOLS or unicodedata.category(ch) in _PUNCTUATION:
        return True
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    return base in _VIETNAMESE_VOWELS and bool(marks) and set(marks) <= _VIETNAMESE_MARKS


def sniff_separator(text: str) -> str:
    """The separator that gives the most cells in rows of a common width."""
    sample = text[:_SNIFF_CHARS]
    best, best_score = ",", 0
    for separator in SEPARATORS:
        score = _consistent_cells(sample, separator, cut=len(text) > len(sample))
        if score > best_score:
            best, best_score = separator, score
    return best


def _consistent_cells(sample: str, separator: str, *, cut: bool) -> int:
    """Cells in the rows of the best-filled width of two or more, splitting at ``separator``."""
    try:
        records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=separator))
    except csv.Error:
        return 0
    if cut:  # the last record may be cut short
        records = records[:-1]
    widths = Counter(len(record) for record in records if len(record) > 1)
    return max((width * count for width, count in widths.items()), default=0)


def parse(text: str, separator: str, *, max_cells: int, sheet: str) -> list[list[str]]:
    """Rectangular rows of strings; refuses unbalanced quotes and too many cells."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows: list[list[str]] = []
    cells = width = 0
    try:
        for record in reader:
            cells += len(record)
            width = max(width, len(record))
            if cells > max_cells:
                raise ReadError(
                    "sheet_too_many_cells", sheet=sheet, rows=len(rows), cols=width, limit=max_cells
                )
            rows.append(record)
    except csv.Error as exc:
        raise ReadError("file_csv_malformed", sheet=sheet, line=reader.line_num) from exc
    return _rectangle(rows, max_cells=max_cells, sheet=sheet)


def _rectangle(rows: list[list[str]], *, max_cells: int, sheet: str) -> list[list[str]]:
    used = [_used_width(row) for row in rows]
    while used and used[-1] == 0:
        used.pop()
    width = max(used, default=0)
    if len(used) * width > max_cells:
        raise ReadError(
            "sheet_too_many_cells", sheet=sheet, rows=len(used), cols=width, limit=max_cells
        )
    return [row[:width] + [""] * (width - len(row)) for row in rows[: len(used)]]


def _used_width(row: list[str]) -> int:
    for index in range(len(row) - 1, -1, -1):
        if row[index] != "":
            return index + 1
    return 0
