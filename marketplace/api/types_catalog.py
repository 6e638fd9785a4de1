"""Catalogue types in Saleor's shapes. Marketplace extras (``koperasi``, ``certifications``) are extra fields."""

from datetime import date
from enum import Enum

import strawberry

from marketplace.api import read_model
from marketplace.api.context import Info
from marketplace.api.ids import to_global_id
from marketplace.api.types_common import (
    Image,
    JSONString,
    MetadataItem,
    PageInfo,
    TaxedMoney,
    TaxedMoneyRange,
    media_url,
    taxed,
)
from marketplace.api.types_translation import CategoryTranslation, LanguageCodeEnum, category_translation


@strawberry.type
class Category:
    _ref: strawberry.Private[read_model.CategoryRef]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Category", self._ref.id))

    @strawberry.field
    def name(self) -> str:
        return self._ref.name

    @strawberry.field
    def slug(self) -> str:
        return self._ref.slug

    @strawberry.field
    def translation(self, language_code: LanguageCodeEnum) -> CategoryTranslation | None:
        return category_translation(self._ref.id, self._ref.name_en, language_code)

    @strawberry.field
    def level(self, info: Info) -> int:
        return 0 if self._ref.parent_id is None else 1

    @strawberry.field
    def parent(self, info: Info) -> "Category | None":
        parent = info.context.categories().get(self._ref.parent_id) if self._ref.parent_id else None
        return Category(_ref=parent) if parent else None

    @strawberry.field
    def children(self, info: Info) -> list["Category"]:
        return [Category(_ref=c) for c in info.context.categories().values() if c.parent_id == self._ref.id]


@strawberry.type
class Koperasi:
    """Marketplace extra: the pesantren cooperative that sells the product."""

    _ref: strawberry.Private[read_model.KoperasiRef]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Koperasi", self._ref.id))

    @strawberry.field
    def name(self) -> str:
        return self._ref.name

    @strawberry.field
    def slug(self) -> str:
        return self._ref.slug

    @strawberry.field
    def region(self) -> str:
        return self._ref.region

    @strawberry.field
    def region_code(self) -> str:
        return self._ref.region_code

    @strawberry.field
    def pesantren(self) -> str:
        return self._ref.pesantren


@strawberry.enum
class CertificationKind(Enum):
    HALAL = "halal"
    PIRT = "pirt"
    BPOM = "bpom"


@strawberry.type
class Certification:
    """Marketplace extra: a valid halal (BPJPH), PIRT or BPOM registration."""

    kind: CertificationKind
    number: str
    valid_until: date | None


@strawberry.enum
class ThumbnailFormatEnum(Enum):
    ORIGINAL = "ORIGINAL"
    AVIF = "AVIF"
    WEBP = "WEBP"


@strawberry.type
class ProductMedia:
    _ref: strawberry.Private[read_model.ImageRef]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("ProductMedia", self._ref.key))

    @strawberry.field
    def url(self, size: int | None = None, format: ThumbnailFormatEnum | None = None) -> str:
        return media_url(self._ref.thumb_path if size and size <= 400 else self._ref.path)

    @strawberry.field
    def alt(self) -> str:
        return self._ref.alt

    @strawberry.field
    def type(self) -> str:
        return "IMAGE"


@strawberry.type
class VariantPricingInfo:
    on_sale: bool
    price: TaxedMoney
    price_undiscounted: TaxedMoney
    discount: TaxedMoney | None = None


@strawberry.type
class ProductPricingInfo:
    on_sale: bool
    price_range: TaxedMoneyRange | None
    price_range_undiscounted: TaxedMoneyRange | None
    discount: TaxedMoney | None = None


@strawberry.type
class ProductVariant:
    _ref: strawberry.Private[read_model.VariantRef]
    _product: strawberry.Private[read_model.ProductCard]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("ProductVariant", self._ref.id))

    @strawberry.field
    def name(self) -> str:
        return self._ref.name

    @strawberry.field
    def sku(self) -> str | None:
        return self._ref.sku

    @strawberry.field
    def quantity_available(self, info: Info, country_code: str | None = None) -> int:
        return info.context.available(self._ref.id)

    @strawberry.field
    def quantity_limit_per_customer(self) -> int | None:
        from marketplace.checkout.cart import MAX_LINE_QUANTITY

        return MAX_LINE_QUANTITY

    @strawberry.field
    def pricing(self, address: str | None = None) -> VariantPricingInfo:
        price = taxed(self._ref.price)
        return VariantPricingInfo(on_sale=False, price=price, price_undiscounted=price)

    @strawberry.field
    def weight_grams(self) -> int:
        return self._ref.weight_grams

    @strawberry.field
    def product(self) -> "Product":
        return Product.of(self._product)

    @strawberry.field
    def media(self) -> list[ProductMedia]:
        return [ProductMedia(_ref=image) for image in self._product.images[:1]]


@strawberry.type
class Product:
    _card: strawberry.Private[read_model.ProductCard]
    # plain values (no resolver call): the hottest fields of a product grid
    id: strawberry.ID
    name: str
    slug: str

    @classmethod
    def of(cls, card: read_model.ProductCard) -> "Product":
        return cls(_card=card, id=strawberry.ID(to_global_id("Product", card.id)), name=card.name, slug=card.slug)

    def _full(self, info: Info) -> read_model.ProductCard:
        return info.context.full_card(self._card)

    @strawberry.field
    def description(self, info: Info) -> JSONString | None:
        """EditorJS blocks, as Saleor stores descriptions: one paragraph per line of the seller's text."""
        lines = [line for line in self._full(info).description.splitlines() if line.strip()]
        return {"blocks": [{"type": "paragraph", "data": {"text": line}} for line in lines]}

    @strawberry.field
    def seo_title(self) -> str | None:
        return self._card.name

    @strawberry.field
    def seo_description(self, info: Info) -> str | None:
        return self._full(info).description[:300]

    @strawberry.field
    def is_available_for_purchase(self, info: Info) -> bool:
        return bool(self._full(info).variants)

    @strawberry.field
    def is_available(self, info: Info) -> bool:
        variants = self._full(info).variants
        info.context.expect_variants(v.id for v in variants)
        return any(info.context.available(v.id) > 0 for v in variants)

    @strawberry.field
    def channel(self) -> str:
        return "default-channel"

    @strawberry.field
    def rating(self) -> float | None:
        return None

    @strawberry.field
    def metadata(self) -> list[MetadataItem]:
        return []

    @strawberry.field
    def pricing(self, address: str | None = None) -> ProductPricingInfo | None:
        price_range = self._card.price_range
        if price_range is None:
            return None
        band = TaxedMoneyRange(start=taxed(price_range[0]), stop=taxed(price_range[1]))
        return ProductPricingInfo(on_sale=False, price_range=band, price_range_undiscounted=band)

    @strawberry.field
    def thumbnail(self, info: Info, size: int | None = None,
                  format: ThumbnailFormatEnum | None = None) -> Image | None:
        if not self._card.images:
            return None
        cover = self._card.images[0]
        return Image(url=info.context.media_url(cover.thumb_path if (size or 400) <= 400 else cover.path),
                     alt=cover.alt or self._card.name)

    @strawberry.field
    def media(self, info: Info) -> list[ProductMedia]:
        return [ProductMedia(_ref=image) for image in self._full(info).images]

    @strawberry.field
    def category(self, info: Info) -> Category | None:
        ref = info.context.categories().get(self._card.category_id) if self._card.category_id else None
        return Category(_ref=ref) if ref else None

    @strawberry.field
    def variants(self, info: Info) -> list[ProductVariant]:
        card = self._full(info)
        info.context.expect_variants(v.id for v in card.variants)
        return [ProductVariant(_ref=v, _product=card) for v in card.variants]

    @strawberry.field
    def default_variant(self, info: Info) -> ProductVariant | None:
        variants = self.variants(info)
        return variants[0] if variants else None

    @strawberry.field(description="Marketplace extra: the koperasi that sells this product.")
    def koperasi(self) -> Koperasi:
        return Koperasi(_ref=self._card.koperasi)

    @strawberry.field(description="Marketplace extra: valid certifications (halal, PIRT, BPOM).")
    def certifications(self, info: Info) -> list[Certification]:
        return [Certification(kind=CertificationKind(c.kind), number=c.number, valid_until=c.valid_until)
                for c in self._full(info).certifications]

    @strawberry.field(description="Marketplace extra: an OPOP flagship product (produk unggulan).")
    def is_flagship(self) -> bool:
        return self._card.is_flagship


@strawberry.type
class ProductCountableEdge:
    node: Product
    cursor: str


@strawberry.type
class ProductCountableConnection:
    edges: list[ProductCountableEdge]
    page_info: PageInfo
    total_count: int | None


@strawberry.type
class CategoryCountableEdge:
    node: Category
    cursor: str


@strawberry.type
class CategoryCountableConnection:
    edges: list[CategoryCountableEdge]
    page_info: PageInfo
    total_count: int | None


@strawberry.enum
class ProductOrderField(Enum):
    NAME = "NAME"
    PRICE = "PRICE"
    MINIMAL_PRICE = "MINIMAL_PRICE"
    CREATED_AT = "CREATED_AT"
    PUBLISHED_AT = "PUBLISHED_AT"


@strawberry.enum
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input
class ProductOrder:
    field: ProductOrderField | None = None
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input
class PriceRangeInput:
    gte: float | None = None
    lte: float | None = None


@strawberry.input
class ProductFilterInput:
    search: str | None = None
    categories: list[strawberry.ID] | None = None
    price: PriceRangeInput | None = None
    minimal_price: PriceRangeInput | None = None
    ids: list[strawberry.ID] | None = None
    koperasi: list[strawberry.ID] | None = strawberry.field(default=None, description="Marketplace extra.")
    regions: list[str] | None = strawberry.field(default=None, description="Marketplace extra: region codes.")
    halal: bool | None = strawberry.field(default=None, description="Marketplace extra: valid halal only.")

