"""Bulk export: the whole catalogue of a koperasi in the import's own columns, so export → import changes
nothing."""

from marketplace.bulk import format as bulk_format
from marketplace.bulk.format import COLUMNS, STATUS_NAMES
from marketplace.bulk.stock import stock_export
from marketplace.catalog import bulk as catalog_bulk
from marketplace.catalog.services import format_options


def export_rows(koperasi_id: int) -> tuple[list[str], list[list]]:
    """Every variant of the koperasi, grouped by product, with its on-hand count per warehouse."""
    categories = catalog_bulk.category_slugs()
    stock_columns, warehouse_ids, counts = stock_export(koperasi_id)
    out = [[slug, name, categories.get(category_id, ""), STATUS_NAMES[status], description, sku, vname,
            format_options(options), price, grams, "ya" if active else "tidak", threshold,
            *(counts.get((variant_id, w), 0) for w in warehouse_ids)]
           for slug, name, category_id, status, description, variant_id, sku, vname, options, price, grams, active,
           threshold in catalog_bulk.export_rows(koperasi_id)]
    return list(COLUMNS) + stock_columns, out


def export_catalog(koperasi_id: int, fmt: str) -> bytes:
    header, rows = export_rows(koperasi_id)
    return bulk_format.write_xlsx(header, rows) if fmt == "xlsx" else bulk_format.write_csv(header, rows)
