"""From a platform's order to ours: read the order from the partner (never trusting a push's body for its state),
translate states and lines, and hand it to ``orders.import_partner_order``. Partner calls happen before any row is
locked; the import that follows is one short transaction."""

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select

from marketplace.catalog.models import Variant
from marketplace.channels import adapters
from marketplace.channels.adapters.base import ChannelAdapter, ChannelError, PartnerOrder
from marketplace.channels.client import account_client
from marketplace.channels.events import partner_moved_stock
from marketplace.channels.models import ChannelAccount, ChannelListing
from marketplace.extensions import db
from marketplace.orders.models import OrderStatus
from marketplace.orders.partner import ImportResult, PartnerLine, PartnerOrderData, import_partner_order

T = TypeVar("T")

# The platforms' words for an order's state, in ours. ON_HOLD is TikTok's paid-but-cancellable hour.
STATUS_MAP = {
    "shopee": {"UNPAID": OrderStatus.UNPAID, "READY_TO_SHIP": OrderStatus.PACKING, "PROCESSED": OrderStatus.PACKING,
               "INVOICE_PENDING": OrderStatus.PACKING, "RETRY_SHIP": OrderStatus.PACKING,
               "IN_CANCEL": OrderStatus.PACKING, "SHIPPED": OrderStatus.SHIPPED,
               "TO_CONFIRM_RECEIVE": OrderStatus.SHIPPED, "COMPLETED": OrderStatus.COMPLETED,
               "CANCELLED": OrderStatus.CANCELLED, "TO_RETURN": OrderStatus.COMPLETED},
    "tiktok": {"UNPAID": OrderStatus.UNPAID, "ON_HOLD": OrderStatus.PACKING, "AWAITING_SHIPMENT": OrderStatus.PACKING,
               "PARTIALLY_SHIPPING": OrderStatus.PACKING, "AWAITING_COLLECTION": OrderStatus.PACKING,
               "IN_TRANSIT": OrderStatus.SHIPPED, "DELIVERED": OrderStatus.SHIPPED,
               "COMPLETED": OrderStatus.COMPLETED, "CANCELLED": OrderStatus.CANCELLED},
}

class UnknownPartnerStatus(ChannelError):
    """A state word we have no mapping for: the order is left for the next poll rather than guessed at."""

def call_partner(account: ChannelAccount, call: Callable[[ChannelAdapter], T]) -> T:
    """Every pull call goes through the channels client: the shop's shared call budget, tokens refreshed ahead of
    expiry and once on refusal, jittered retries on 429/5xx/timeouts, an account marked expired when its
    authorisation is gone."""
    return account_client(account).call(call)


def fetch_orders(account: ChannelAccount, order_ids: list[str]) -> list[PartnerOrder]:
    """Details in the platform's batch size; no database lock is held while this runs."""
    size = adapters.ADAPTERS[str(account.platform)][0].max_order_detail_batch
    found: list[PartnerOrder] = []
    for start in range(0, len(order_ids), size):
        batch = order_ids[start:start + size]
        found.extend(call_partner(account, lambda adapter, batch=batch: adapter.get_orders(batch)))
    return found

def to_order_data(account: ChannelAccount, remote: PartnerOrder) -> PartnerOrderData:
    platform = str(account.platform)
    status = STATUS_MAP[platform].get(remote.status)
    if status is None:
        raise UnknownPartnerStatus(f"unknown order status {remote.status!r}", code="unknown_status")
    lines = []
    for line in remote.lines:
        lines.extend(_resolve_line(account, line))
    shipping = _shipping_cost(remote, lines)
    return PartnerOrderData(platform=platform, external_id=remote.order_id, koperasi_id=account.koperasi_id,
                            status=status, partner_status=remote.status, updated_at=remote.update_time, lines=lines,
                            account_id=account.id, buyer_name=_buyer(remote.raw), shipping_cost=shipping,
                            courier=platform)

def _resolve_line(account: ChannelAccount, line) -> list[PartnerLine]:
    """The listing links a partner item to our variant (or bundle); an unlinked listing falls back to the SKU.
    A bundle becomes one line per part, so the parts' stock is what gets allocated."""
    listing = db.session.scalar(select(ChannelListing).where(
        ChannelListing.account_id == account.id, ChannelListing.item_id == line.item_id,
        ChannelListing.model_id == line.model_id))
    if listing is not None and listing.is_linked and listing.bundle is not None:
        parts = listing.bundle.components
        return [PartnerLine(sku=part.variant.sku, quantity=line.quantity * part.quantity,
                            unit_price=line.price // part.quantity if index == 0 else 0,
                            name=f"{line.name} ({part.variant.product.name})", variant_id=part.variant_id,
                            weight_grams=part.variant.weight_grams) for index, part in enumerate(parts)]
    variant = listing.variant if listing is not None and listing.is_linked else None
    if variant is None and line.sku:
        variant = db.session.scalar(select(Variant).where(Variant.koperasi_id == account.koperasi_id,
                                                          Variant.sku == line.sku))
    return [PartnerLine(sku=line.sku or f"{line.item_id}/{line.model_id}", quantity=line.quantity,
                        unit_price=line.price, name=line.name,
                        variant_id=variant.id if variant is not None else None,
                        weight_grams=variant.weight_grams if variant is not None else 0)]

def _shipping_cost(remote: PartnerOrder, lines: list[PartnerLine]) -> int:
    goods = sum(line.unit_price * line.quantity for line in lines)
    return max(0, remote.total - goods) if remote.total else 0

def _buyer(raw: dict) -> str:
    address = raw.get("recipient_address") or {}
    return str(address.get("name") or raw.get("buyer_username") or raw.get("buyer_name") or "")[:120]

def import_remote(account: ChannelAccount, remote: PartnerOrder) -> ImportResult:
    """Imports the order; when it is new or moved (the platform took units at order time, gave them back on a
    cancel), its listings on this account are pushed again: the partner's figure moved by itself."""
    data = to_order_data(account, remote)
    result = import_partner_order(data)
    if result.created or result.changed:
        partner_moved_stock(account.id, {line.variant_id for line in data.lines if line.variant_id is not None})
    return result
