"""The catalogue as the API reads it: the shared catalogue read model (``marketplace.catalog.read_model``, the
same frozen cards and details the storefront pages show), put into the few shapes the resolvers use. Listings
carry card data only; a product's full data (variants, media, description) is read on demand."""

from dataclasses import dataclass
from datetime import date

from marketplace.catalog import queries
from marketplace.catalog import read_model as catalogue
from marketplace.catalog.models import Category, Product
from marketplace.core.regions import region_label
from marketplace.storefront.search import search_products
from search_index import SearchRequest


@dataclass(frozen=True)
class ImageRef:
    key: str
    path: str
    thumb_path: str
    alt: str


@dataclass(frozen=True)
class VariantRef:
    id: int
    product_id: int
    name: str
    sku: str
    price: int
    weight_grams: int


@dataclass(frozen=True)
class CategoryRef:
    id: int
    name: str
    slug: str
    parent_id: int | None
    name_en: str = ""


@dataclass(frozen=True)
class KoperasiRef:
    id: int
    name: str
    slug: str
    region_code: str
    region: str
    pesantren: str


@dataclass(frozen=True)
class CertificationRef:
    kind: str
    number: str
    valid_until: date | None


@dataclass(frozen=True)
class ProductCard:
    id: int
    slug: str
    name: str
    description: str
    is_flagship: bool
    category_id: int | None
    koperasi: KoperasiRef
    images: tuple[ImageRef, ...]
    variants: tuple[VariantRef, ...]
    certifications: tuple[CertificationRef, ...]
    # A listing card carries only what a grid shows (price range, cover); the rest is loaded on demand.
    complete: bool = True
    listed_price_range: tuple[int, int] | None = None

    @property
    def price_range(self) -> tuple[int, int] | None:
        if not self.complete:
            return self.listed_price_range
        prices = [v.price for v in self.variants]
        return (min(prices), max(prices)) if prices else None


@dataclass(frozen=True)
class ProductPage:
    items: list[ProductCard]
    total: int


def _koperasi(ref: catalogue.KoperasiRef) -> KoperasiRef:
    return KoperasiRef(ref.id, ref.name, ref.slug, ref.region_code, region_label(ref.region_code), ref.pesantren_name)


def koperasi_ref(koperasi) -> KoperasiRef:
    return KoperasiRef(koperasi.id, koperasi.name, koperasi.slug, koperasi.region_code,
                       region_label(koperasi.region_code), koperasi.pesantren.name)


def _from_card(card: catalogue.ProductCard) -> ProductCard:
    cover = card.cover
    images = (ImageRef(f"{card.id}.0", cover.path, cover.thumb_path, cover.alt),) if cover else ()
    return ProductCard(id=card.id, slug=card.slug, name=card.name, description="", is_flagship=card.is_flagship,
                       category_id=card.category_id, koperasi=_koperasi(card.koperasi), images=images, variants=(),
                       certifications=(), complete=False, listed_price_range=(card.price_min, card.price_max))


def _from_detail(detail: catalogue.ProductDetail) -> ProductCard:
    return ProductCard(
        id=detail.id, slug=detail.slug, name=detail.name, description=detail.description or "",
        is_flagship=detail.is_flagship, category_id=detail.category.id if detail.category else None,
        koperasi=_koperasi(detail.koperasi),
        images=tuple(ImageRef(f"{detail.id}.{n}", i.path, i.thumb_path, i.alt) for n, i in enumerate(detail.images)),
        variants=tuple(VariantRef(v.id, detail.id, v.label, v.sku, v.price, v.weight_grams) for v in detail.variants),
        certifications=tuple(CertificationRef(c.kind.value, c.number, c.valid_until) for c in detail.certifications
                             if c.is_valid),
    )


_SORTS = {("NAME", "ASC"): "nama", ("PRICE", "ASC"): "termurah", ("PRICE", "DESC"): "termahal",
          ("CREATED_AT", "DESC"): "terbaru", ("PUBLISHED_AT", "DESC"): "terbaru"}
SUPPORTED_SORTS = tuple(_SORTS)


def _window(offset: int, limit: int) -> tuple[int, int, int]:
    """(page, per_page, skip): pages of the listing that cover [offset, offset + limit). Clients page with one
    page size, so offsets usually fall on a page boundary and the covering page is exactly the window."""
    if limit and offset % limit == 0:
        return offset // limit + 1, limit, 0
    return 1, offset + limit, offset


def list_products(offset: int, limit: int, *, category_ids: list[int] | None = None, sort: tuple[str, str] | None,
                  search: str = "", koperasi_id: int | None = None, region_codes: list[str] | None = None,
                  halal_only: bool = False, price_min: int | None = None,
                  price_max: int | None = None) -> ProductPage:
    """Published products of verified koperasi, ``limit`` of them from ``offset``. Text goes to the search
    interface (ranked, or by the requested sort); everything else to the catalogue listing."""
    page, per_page, skip = _window(offset, limit)
    if search.strip():
        request = SearchRequest(text=" ".join(search.split())[:200], category_ids=tuple(category_ids or ()),
                                region_codes=tuple(region_codes or ()), halal_only=halal_only, price_min=price_min,
                                price_max=price_max, sort=_SORTS.get(sort, "relevansi") if sort else "relevansi",
                                page=page, per_page=per_page, facets=False, highlight=False)
        found = search_products(request)
        cards = [card for card, _hit in found.items]
        if koperasi_id:
            cards = [c for c in cards if c.koperasi.id == koperasi_id]
        return ProductPage([_from_card(c) for c in cards[skip:skip + limit]], found.page.total)
    filters = catalogue.ListingFilters(category_ids=category_ids or [], koperasi_id=koperasi_id,
                                       region_codes=region_codes or [], halal_only=halal_only, price_min=price_min,
                                       price_max=price_max, sort=_SORTS.get(sort, "terbaru") if sort else "terbaru")
    listing = catalogue.list_cards(filters, page, per_page)
    return ProductPage([_from_card(c) for c in listing.items[skip:skip + limit]], listing.total)


def product_by_slug(slug: str) -> ProductCard | None:
    detail = catalogue.product_detail(slug)
    return _from_detail(detail) if detail else None


def product_by_id(product_id: int) -> ProductCard | None:
    card = catalogue.product_cards([product_id]).get(product_id)
    return product_by_slug(card.slug) if card else None


def cards_by_ids(product_ids: list[int]) -> dict[int, ProductCard]:
    """Full data of visible products (a page's products when a client asks for their variants, a checkout's
    lines)."""
    result = {}
    for product_id, card in catalogue.product_cards(product_ids).items():
        full = product_by_slug(card.slug)
        if full is not None:
            result[product_id] = full
    return result


def card_of(product: Product) -> ProductCard:
    """A product no longer on sale, still shown where a buyer has it in a checkout."""
    return ProductCard(
        id=product.id, slug=product.slug, name=product.name, description=product.description or "",
        is_flagship=product.is_flagship, category_id=product.category_id, koperasi=koperasi_ref(product.koperasi),
        images=(), variants=tuple(VariantRef(v.id, v.product_id, v.label, v.sku, v.price, v.weight_grams)
                                  for v in product.variants if v.is_active), certifications=())


def _category(category: Category) -> CategoryRef:
    return CategoryRef(category.id, category.name, category.slug, category.parent_id, category.name_en)


def categories() -> list[CategoryRef]:
    return [_category(c) for c in queries.all_categories()]


def category_ids_with_children(category_ids: list[int]) -> list[int]:
    """A category filter matches the category and its subcategories, as on the storefront."""
    wanted = set(category_ids)
    return sorted(wanted | {c.id for c in categories() if c.parent_id in wanted})
