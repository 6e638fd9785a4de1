"""What a listing should show: the push rule applied to what a buyer here can still buy.

available (the variant's, or a bundle's scarcest part) → 0 if the product may not be published here (an expired
halal/PIRT/BPOM certificate, archived) → minus the reserve held back → a percentage or at most a fixed number →
within the partners' 0–99,999."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.catalog.models import Product, ProductStatus, Variant
from marketplace.catalog.services import publish_blockers
from marketplace.channels.models import ChannelAccount, ChannelBundleComponent, ShareKind
from marketplace.extensions import db
from marketplace.inventory.queries import available_by_variant

MAX_PARTNER_STOCK = 99_999


@dataclass(frozen=True)
class Rule:
    reserve: int
    share_kind: ShareKind
    share_value: int

    def apply(self, available: int) -> int:
        units = max(0, available - self.reserve)
        if self.share_kind == ShareKind.PERCENT:
            units = units * min(100, self.share_value) // 100
        elif self.share_kind == ShareKind.FIXED:
            units = min(units, self.share_value)
        return min(units, MAX_PARTNER_STOCK)


def rule_for(listing, account: ChannelAccount) -> Rule:
    """``listing``: a ChannelListing or a row of its table (the pusher reads rows)."""
    reserve = listing.reserve if listing.reserve is not None else account.reserve
    if listing.share_kind is not None:
        return Rule(reserve, ShareKind(listing.share_kind), listing.share_value or 0)
    return Rule(reserve, ShareKind(account.share_kind), account.share_value)


def _sellable(product_ids: set[int]) -> set[int]:
    """Products that may be shown to buyers here (and so on partners): not archived, no expired certificate."""
    if not product_ids:
        return set()
    products = db.session.scalars(select(Product).where(Product.id.in_(product_ids))
                                  .options(selectinload(Product.certifications), selectinload(Product.variants)))
    return {p.id for p in products if p.status != ProductStatus.ARCHIVED and not publish_blockers(p)}


def available_for(listings: list) -> dict[int, int]:
    """Units available for each linked listing (listing id → units), before its rule."""
    components: dict[int, list[tuple[int, int]]] = defaultdict(list)
    bundle_ids = {listing.bundle_id for listing in listings if listing.bundle_id is not None}
    if bundle_ids:
        for bundle_id, variant_id, quantity in db.session.execute(
                select(ChannelBundleComponent.bundle_id, ChannelBundleComponent.variant_id,
                       ChannelBundleComponent.quantity).where(ChannelBundleComponent.bundle_id.in_(bundle_ids))):
            components[bundle_id].append((variant_id, quantity))
    variant_ids = {listing.variant_id for listing in listings if listing.variant_id is not None}
    variant_ids |= {variant_id for parts in components.values() for variant_id, _q in parts}
    available = available_by_variant(sorted(variant_ids))
    product_of = dict(db.session.execute(
        select(Variant.id, Variant.product_id).where(Variant.id.in_(variant_ids))).all()) if variant_ids else {}
    sellable = _sellable(set(product_of.values()))

    def units(variant_id: int) -> int:
        return available.get(variant_id, 0) if product_of.get(variant_id) in sellable else 0

    result = {}
    for listing in listings:
        if listing.variant_id is not None:
            result[listing.id] = units(listing.variant_id)
        elif listing.bundle_id is not None:
            parts = components.get(listing.bundle_id) or []
            result[listing.id] = min((units(v) // q for v, q in parts), default=0)
    return result


def target_values(listings: list, account: ChannelAccount) -> dict[int, int]:
    """What each linked listing should show on the partner now."""
    available = available_for(listings)
    return {listing.id: rule_for(listing, account).apply(available[listing.id]) for listing in listings
            if listing.id in available}
