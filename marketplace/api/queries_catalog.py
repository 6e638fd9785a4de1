"""Catalogue queries: channels, products (paged, filtered, searched), one product, categories."""

import strawberry

from marketplace.api import read_model
from marketplace.api.context import Info
from marketplace.api.errors import bad_input
from marketplace.api.ids import int_id, offset_cursor
from marketplace.api.paging import page_info, window
from marketplace.api.types_catalog import (
    Category,
    CategoryCountableConnection,
    CategoryCountableEdge,
    Product,
    ProductCountableConnection,
    ProductCountableEdge,
    ProductFilterInput,
    ProductOrder,
    ProductOrderField,
)
from marketplace.api.types_common import CHANNEL_SLUG, DEFAULT_CHANNEL, Channel, check_channel


def _sort(sort_by: ProductOrder | None) -> tuple[str, str] | None:
    if sort_by is None or sort_by.field is None:
        return None
    field = "PRICE" if sort_by.field == ProductOrderField.MINIMAL_PRICE else sort_by.field.value
    wanted = (field, sort_by.direction.value)
    if wanted not in read_model.SUPPORTED_SORTS:
        supported = ", ".join(f"{f} {d}" for f, d in read_model.SUPPORTED_SORTS)
        raise bad_input(f"Sorting by {wanted[0]} {wanted[1]} is not supported; supported: {supported}.")
    return wanted


def _price_bounds(filter: ProductFilterInput) -> tuple[int | None, int | None]:
    band = filter.price or filter.minimal_price
    if band is None:
        return None, None
    low = int(band.gte) if band.gte is not None else None
    high = int(band.lte) if band.lte is not None else None
    if (low is not None and low < 0) or (high is not None and high < 0):
        raise bad_input("Price bounds must not be negative.")
    return low, high


def _filter_args(filter: ProductFilterInput | None) -> dict:
    if filter is None:
        return {}
    if filter.ids is not None:
        raise bad_input("Filtering products by ids is not supported; use product(id:) for one product.")
    args: dict = {"search": (filter.search or "")[:200]}
    if filter.categories:
        args["category_ids"] = read_model.category_ids_with_children(
            [int_id(c, "Category") for c in filter.categories])
    if filter.koperasi:
        if len(filter.koperasi) > 1:
            raise bad_input("Filter by one koperasi at a time.")
        args["koperasi_id"] = int_id(filter.koperasi[0], "Koperasi")
    if filter.regions:
        args["region_codes"] = list(filter.regions)
    args["halal_only"] = bool(filter.halal)
    args["price_min"], args["price_max"] = _price_bounds(filter)
    return args


@strawberry.type
class CatalogQuery:
    @strawberry.field
    def channel(self, slug: str | None = None, id: strawberry.ID | None = None) -> Channel | None:
        if id is not None:
            return DEFAULT_CHANNEL if int_id(id, "Channel") == 1 else None
        return DEFAULT_CHANNEL if slug in (None, CHANNEL_SLUG) else None

    @strawberry.field
    def channels(self) -> list[Channel]:
        return [DEFAULT_CHANNEL]

    @strawberry.field
    def products(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
                 before: str | None = None, channel: str | None = None, filter: ProductFilterInput | None = None,
                 where: ProductFilterInput | None = None, search: str | None = None,
                 sort_by: ProductOrder | None = None) -> ProductCountableConnection:
        check_channel(channel)
        args = _filter_args(filter or where)
        if search:
            args["search"] = search[:200]
        sort = _sort(sort_by)
        total = None
        if last is not None and before is None:
            total = read_model.list_products(0, 1, sort=sort, **args).total
        span = window(first, after, last, before, total)
        page = read_model.list_products(span.offset, max(1, span.limit), sort=sort, **args)
        items = page.items[:span.limit]
        edges = [ProductCountableEdge(node=Product.of(card), cursor=offset_cursor(span.offset + n))
                 for n, card in enumerate(items)]
        info.context.expect_full(card.id for card in items)
        return ProductCountableConnection(edges=edges, page_info=page_info(span.offset, len(items), page.total),
                                          total_count=page.total)

    @strawberry.field
    def product(self, info: Info, id: strawberry.ID | None = None, slug: str | None = None,
                channel: str | None = None) -> Product | None:
        check_channel(channel)
        if (id is None) == (slug is None):
            raise bad_input("Provide exactly one of `id` or `slug`.")
        card = read_model.product_by_id(int_id(id, "Product")) if id is not None else \
            read_model.product_by_slug(slug[:220])
        return Product.of(card) if card else None

    @strawberry.field
    def categories(self, info: Info, first: int | None = None, after: str | None = None,
                   last: int | None = None, before: str | None = None,
                   level: int | None = None) -> CategoryCountableConnection:
        refs = list(info.context.categories().values())
        if level is not None:
            refs = [c for c in refs if (c.parent_id is None) == (level == 0)] if level in (0, 1) else []
        span = window(first, after, last, before, len(refs))
        items = refs[span.offset:span.offset + span.limit]
        edges = [CategoryCountableEdge(node=Category(_ref=ref), cursor=offset_cursor(span.offset + n))
                 for n, ref in enumerate(items)]
        return CategoryCountableConnection(edges=edges, page_info=page_info(span.offset, len(items), len(refs)),
                                           total_count=len(refs))

    @strawberry.field
    def category(self, info: Info, id: strawberry.ID | None = None, slug: str | None = None) -> Category | None:
        if (id is None) == (slug is None):
            raise bad_input("Provide exactly one of `id` or `slug`.")
        categories = info.context.categories()
        if id is not None:
            ref = categories.get(int_id(id, "Category"))
        else:
            ref = next((c for c in categories.values() if c.slug == slug), None)
        return Category(_ref=ref) if ref else None
