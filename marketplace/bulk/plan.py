"""Bulk catalog import, first half: check the whole file against itself and the catalogue, and plan the changes.

A row's SKU names the variant (SKUs are unique per koperasi); ``kode_produk`` names the product (its slug).
Existing SKUs update their variant, new ones create variants; new product codes create products. Nothing is
written here (``apply`` writes the plan), so an error anywhere leaves the catalog untouched.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.bulk.format import NO, STATUS_WORDS, YES, CellError, Table
from marketplace.catalog.bulk import CatalogueRows, catalogue_rows, publish_blockers_of_row
from marketplace.catalog.models import ProductStatus
from marketplace.catalog.services import parse_options, sanitise_description
from marketplace.core.errors import ValidationError
from marketplace.core.numbers import MAX_DB_INT, MAX_PRICE, MAX_STOCK, MAX_WEIGHT_GRAMS

Progress = Callable[[int, int], None]
MAX_REPORTED_ERRORS = 500


@dataclass
class PlannedVariant:
    row: int
    sku: str
    id: int | None = None
    values: dict = field(default_factory=dict)  # name, options, price, weight_grams, is_active


@dataclass
class PlannedProduct:
    first_row: int
    id: int | None = None
    code: str = ""
    values: dict = field(default_factory=dict)  # name, category_id, status, description
    value_rows: dict = field(default_factory=dict)
    variants: list[PlannedVariant] = field(default_factory=list)


@dataclass
class ImportPlan:
    products: list[PlannedProduct]
    errors: list[CellError]
    row_count: int


class ImportRejected(ValidationError):
    code = "import_rejected"

    def __init__(self, errors: list[CellError]):
        super().__init__(_("Impor dibatalkan: %(n)s kesalahan. Tidak ada yang diubah.", n=len(errors)))
        self.errors = errors


# Lazy: translated only when an error message is actually written (gettext per row costs seconds per 10,000).
_LABELS = {"harga": _l("Harga"), "berat_gram": _l("Berat"), "batas_menipis": _l("Batas stok menipis")}
_GROUPED = re.compile(r"\d{1,3}([.,])\d{3}(\1\d{3})*")


def _int(text: str, *, minimum: int, column: str, row: int, errors: list[CellError], label,
         maximum: int = MAX_DB_INT) -> int | None:
    """Whole numbers as people write them: ``25000``, ``25.000``, ``Rp 25.000``; ``25,5`` is refused."""
    cleaned = text.replace("Rp", "").replace("rp", "").replace(" ", "")
    if _GROUPED.fullmatch(cleaned.lstrip("-")):
        cleaned = cleaned.replace(".", "").replace(",", "")
    try:
        value = int(cleaned)
    except ValueError:
        errors.append(CellError(row, column, _("%(label)s \"%(text)s\" bukan bilangan bulat.", label=label, text=text)))
        return None
    if value < minimum:
        message = _("%(label)s tidak boleh negatif.", label=label) if minimum == 0 else \
            _("%(label)s minimal %(min)s.", label=label, min=minimum)
        errors.append(CellError(row, column, message))
        return None
    if value > maximum:
        errors.append(CellError(row, column, _("%(label)s maksimal %(max)s.", label=label, max=maximum)))
        return None
    return value


def plan_import(koperasi_id: int, table: Table, progress: Progress = lambda done, total: None,
                extra_columns: Callable | None = None) -> ImportPlan:
    """Checks every row against the file and the database; returns the plan and every error found."""
    ctx = catalogue_rows(koperasi_id)
    header = set(table.header)
    errors: list[CellError] = []
    groups: dict[tuple, PlannedProduct] = {}
    seen_skus: dict[str, int] = {}
    total = len(table.rows)
    for done, (row, cells) in enumerate(table.rows, start=1):
        if done % 500 == 0:
            progress(done, total)
        before = len(errors)
        sku = cells.get("sku", "").strip().upper()
        code = cells.get("kode_produk", "").strip().lower()
        name = cells.get("nama_produk", "").strip()
        if not sku:
            errors.append(CellError(row, "sku", _("SKU wajib diisi.")))
        elif len(sku) > 64:
            errors.append(CellError(row, "sku", _("SKU maksimal 64 karakter.")))
        elif sku in seen_skus:
            errors.append(CellError(row, "sku", _("SKU %(sku)s dobel: sudah dipakai di baris %(first)s.",
                                                  sku=sku, first=seen_skus[sku])))
        else:
            seen_skus[sku] = row
        existing_variant = ctx.variants.get(sku)
        if existing_variant is not None:
            owner = ctx.by_id[existing_variant.product_id]
            if code and code != owner.slug:
                errors.append(CellError(row, "kode_produk", _(
                    "SKU %(sku)s milik produk berkode %(owner)s, bukan %(code)s.",
                    sku=sku, owner=owner.slug, code=code)))
            key = ("id", owner.id)
        elif code and code in ctx.products:
            key = ("id", ctx.products[code].id)
        elif code:
            key = ("new", code)
        elif name:
            key = ("name", name.lower())
        else:
            errors.append(CellError(row, "nama_produk", _("Nama produk wajib diisi untuk produk baru.")))
            continue
        planned = groups.get(key)
        if planned is None:
            planned = groups[key] = PlannedProduct(first_row=row, id=key[1] if key[0] == "id" else None,
                                                   code=code if key[0] != "id" else ctx.by_id[key[1]].slug)
        _product_cells(planned, row, cells, header, ctx, errors)
        variant = PlannedVariant(row=row, sku=sku, id=existing_variant.id if existing_variant else None)
        _variant_cells(variant, row, cells, header, errors)
        if extra_columns is not None:
            extra_columns(variant, row, cells, errors)
        if len(errors) == before:
            planned.variants.append(variant)
        if len(errors) > MAX_REPORTED_ERRORS:
            break
    progress(total, total)
    products = list(groups.values())
    _check_products(products, ctx, errors)
    errors.sort(key=lambda e: (e.row, e.column))
    return ImportPlan(products=products, errors=errors, row_count=total)


def _product_cells(planned: PlannedProduct, row: int, cells: dict, header: set, ctx: CatalogueRows,
                   errors: list) -> None:
    def give(key: str, column: str, value) -> None:
        if key in planned.values and planned.values[key] != value:
            errors.append(CellError(row, column, _(
                "Isi kolom %(column)s berbeda dengan baris %(first)s untuk produk yang sama.",
                column=column, first=planned.value_rows[key])))
        elif key not in planned.values:
            planned.values[key], planned.value_rows[key] = value, row

    name = cells.get("nama_produk", "").strip()
    if name:
        if len(name) > 200:
            errors.append(CellError(row, "nama_produk", _("Nama produk maksimal 200 karakter.")))
        else:
            give("name", "nama_produk", name)
    if "kategori" in header and (text := cells.get("kategori", "").strip()):
        category_id = ctx.categories.get(text.lower())
        if category_id is None:
            errors.append(CellError(row, "kategori", _("Kategori \"%(text)s\" tidak dikenal.", text=text)))
        else:
            give("category_id", "kategori", category_id)
    if "status" in header and (text := cells.get("status", "").strip().lower()):
        if text not in STATUS_WORDS:
            errors.append(CellError(row, "status", _(
                "Status \"%(text)s\" tidak dikenal (draf, terbit, arsip).", text=text)))
        else:
            give("status", "status", STATUS_WORDS[text])
    if "deskripsi" in header and (text := cells.get("deskripsi", "")):
        try:
            give("description", "deskripsi", sanitise_description(text))
        except ValidationError as error:
            errors.append(CellError(row, "deskripsi", error.message))


def _variant_cells(variant: PlannedVariant, row: int, cells: dict, header: set, errors: list) -> None:
    values = variant.values
    values["price"] = _int(cells.get("harga", ""), minimum=0, column="harga", row=row, errors=errors,
                           label=_LABELS["harga"], maximum=MAX_PRICE)
    values["weight_grams"] = _int(cells.get("berat_gram", ""), minimum=1, column="berat_gram", row=row, errors=errors,
                                  label=_LABELS["berat_gram"], maximum=MAX_WEIGHT_GRAMS)
    if "nama_varian" in header:
        values["name"] = cells.get("nama_varian", "").strip()[:120]
    if "opsi" in header:
        try:
            values["options"] = parse_options(cells.get("opsi", ""))
        except ValidationError as error:
            errors.append(CellError(row, "opsi", error.message))
    if "batas_menipis" in header and (text := cells.get("batas_menipis", "").strip()):
        values["low_stock_threshold"] = _int(text, minimum=0, column="batas_menipis", row=row, errors=errors,
                                             label=_LABELS["batas_menipis"], maximum=MAX_STOCK)
    if "aktif" in header and (text := cells.get("aktif", "").strip().lower()):
        if text in YES or text in NO:
            values["is_active"] = text in YES
        else:
            errors.append(CellError(row, "aktif", _("Isi kolom aktif dengan \"ya\" atau \"tidak\".")))


def _check_products(products: list[PlannedProduct], ctx: CatalogueRows, errors: list) -> None:
    active_existing: dict[int, set[str]] = {}
    for v in ctx.variants.values():
        if v.is_active:
            active_existing.setdefault(v.product_id, set()).add(v.sku)
    for planned in products:
        if planned.id is None and "name" not in planned.values:
            errors.append(CellError(planned.first_row, "nama_produk", _("Nama produk wajib diisi untuk produk baru.")))
        if planned.values.get("status") != ProductStatus.PUBLISHED:
            continue
        active = set(active_existing.get(planned.id, set()))
        for v in planned.variants:
            if v.values.get("is_active", True):
                active.add(v.sku)
            else:
                active.discard(v.sku)
        for reason in publish_blockers_of_row(planned.id, bool(active), ctx):
            errors.append(CellError(planned.value_rows["status"], "status", reason))
