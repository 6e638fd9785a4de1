"""The bulk catalog file: one row per variant, product columns repeated on each row of the product.

Reading turns a CSV (UTF-8, comma or the semicolon that Indonesian Excel writes) or an XLSX sheet into a header
and rows of strings; writing produces the same columns, so an export imports back without changes.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _

from marketplace.catalog.models import ProductStatus

PRODUCT_COLUMNS = ["kode_produk", "nama_produk", "kategori", "status", "deskripsi"]
VARIANT_COLUMNS = ["sku", "nama_varian", "opsi", "harga", "berat_gram", "aktif", "batas_menipis"]
COLUMNS = PRODUCT_COLUMNS + VARIANT_COLUMNS
REQUIRED_COLUMNS = ["nama_produk", "sku", "harga", "berat_gram"]
STOCK_PREFIX = "stok_"

STATUS_WORDS = {"draf": ProductStatus.DRAFT, "terbit": ProductStatus.PUBLISHED, "arsip": ProductStatus.ARCHIVED}
STATUS_WORDS.update({s.value: s for s in ProductStatus})
STATUS_NAMES = {ProductStatus.DRAFT: "draf", ProductStatus.PUBLISHED: "terbit", ProductStatus.ARCHIVED: "arsip"}
YES = {"ya", "y", "1", "true", "aktif", "yes"}
NO = {"tidak", "t", "0", "false", "nonaktif", "no", "n"}


@dataclass
class CellError:
    row: int  # as in a spreadsheet: the header is row 1
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, format, header)."""

    def __init__(self, errors: list[CellError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, column -> text)


def _normalise_header(cell) -> str:
    return str(cell or "").strip().lower().replace(" ", "_")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


MAX_ROWS = 20_000  # rows of data in one file; a 548 KB XLSX can hold a million
MAX_COLUMNS = 200


def _read_csv(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError([CellError(1, "", _(
            "Berkas bukan teks UTF-8. Di Excel pilih Simpan Sebagai → \"CSV UTF-8 (dipisah koma)\"."))]) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            yield [_unneutralise(cell) for cell in row[:MAX_COLUMNS + 1]]
    except csv.Error as error:
        raise ImportFileError([CellError(1, "", _("Format CSV rusak: %(error)s", error=str(error)))]) from None


def _read_xlsx(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file; all mean the same to the seller
        raise ImportFileError([CellError(1, "", _("Berkas XLSX tidak bisa dibaca."))]) from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            yield [_cell_text(v) for v in row]
    finally:
        workbook.close()


class TooManyRows(ImportFileError):
    """More data rows than the reader was asked to take."""


def _too_many_rows(max_rows: int) -> TooManyRows:
    return TooManyRows([CellError(1, "", _(
        "Berkas terlalu banyak baris (maksimal %(n)s baris produk). Bagi menjadi beberapa berkas.", n=max_rows))])


def read_table(data: bytes, filename: str = "", max_rows: int = MAX_ROWS) -> Table:
    """Reads row by row and stops at the cap, so a huge file costs no more than a file of ``max_rows``."""
    if not data.strip():
        raise ImportFileError([CellError(1, "", _("Berkas kosong."))])
    is_xlsx = filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"
    raw = _read_xlsx(data) if is_xlsx else _read_csv(data)
    try:
        return _table(raw, max_rows)
    finally:
        raw.close()


def _table(raw: Iterator[list[str]], max_rows: int) -> Table:
    first = list(next(raw, None) or [])
    while first and not str(first[-1] or "").strip():
        first.pop()
    if not first:
        raise ImportFileError([CellError(1, "", _("Berkas kosong."))])
    if len(first) > MAX_COLUMNS:
        raise ImportFileError([CellError(1, "", _("Terlalu banyak kolom (maksimal %(n)s).", n=MAX_COLUMNS))])
    header = [_normalise_header(c) for c in first]
    while header and not header[-1]:
        header.pop()
    errors = []
    for name in REQUIRED_COLUMNS:
        if name not in header:
            errors.append(CellError(1, name, _("Kolom wajib \"%(name)s\" tidak ada di baris judul.", name=name)))
    seen = set()
    for name in header:
        if name in seen:
            errors.append(CellError(1, name, _("Kolom \"%(name)s\" muncul dua kali.", name=name)))
        seen.add(name)
        if name not in COLUMNS and not name.startswith(STOCK_PREFIX):
            errors.append(CellError(1, name or "?", _(
                "Kolom \"%(name)s\" tidak dikenal. Kolom yang dipakai: %(cols)s, dan stok_<gudang>.",
                name=name, cols=", ".join(COLUMNS))))
    if errors:
        raise ImportFileError(errors)
    rows = []
    for index, values in enumerate(raw, start=2):
        if index > 2 * max_rows + 1:  # blank rows count too, or a million of them would be read
            raise _too_many_rows(max_rows)
        cells = [_cell_text(v) for v in values]
        if not any(cells):
            continue
        if len(rows) == max_rows:
            raise _too_many_rows(max_rows)
        if len(cells) > len(header) and any(cells[len(header):]):
            raise ImportFileError([CellError(index, "", _(
                "Baris %(row)s punya %(n)s kolom, padahal judul hanya %(m)s kolom. Periksa pemisah kolom.",
                row=index, n=len(cells), m=len(header)))])
        rows.append((index, {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)}))
    return Table(header=header, rows=rows)


# A cell starting with one of these is run as a formula by Excel or LibreOffice (=HYPERLINK(...) leaks data).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value):
    """CSV has no "text" type: a leading apostrophe makes a spreadsheet show the text instead of running it, and
    the reader takes it off again, so an export still imports back unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _unneutralise(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def write_csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_neutralise(v) for v in row] for row in rows)
    # A BOM makes Excel open the UTF-8 file with the right characters; the reader strips it.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(header: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Produk")
    sheet.append(header)

    def text_cell(value):
        # A text starting with "=" would become a formula in Excel; keep it text (and the round trip exact).
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell

    def clean(value):
        # XLSX cannot hold control characters (openpyxl refuses the whole file); they were never visible anyway.
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    for row in rows:
        row = [clean(v) for v in row]
        sheet.append([text_cell(v) if isinstance(v, str) and v.startswith("=") else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
