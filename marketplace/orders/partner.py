"""Orders placed on a partner marketplace (Shopee, TikTok Shop) become orders here, exactly once.

The partner is the source of truth for an imported order's status: we mirror it (forward only) and move stock the
same way our own checkout does, through inventory, so the other channels learn the new availability from the same
``stock.changed`` events. This module knows no platform: the channels domain maps a platform's order to
``PartnerOrderData`` (resolving SKUs to variants) and calls ``import_partner_order``.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from marketplace.core.errors import ValidationError
from marketplace.core.locking import lock_rows
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory import services as inventory
from marketplace.inventory.errors import InsufficientStock
from marketplace.inventory.models import MovementReason
from marketplace.orders.models import Order, OrderLine, OrderStatus, OrderStatusChange, PartnerFlag, PartnerOrder
from marketplace.outbox import services as outbox

# How far along an order is; a partner order only ever moves forward (late, out-of-order news changes nothing).
_RANK = {OrderStatus.UNPAID: 0, OrderStatus.PACKING: 1, OrderStatus.SHIPPED: 2, OrderStatus.COMPLETED: 3,
         OrderStatus.CANCELLED: 4, OrderStatus.REFUND_PENDING: 4, OrderStatus.REFUNDED: 4}
PLATFORM_NAMES = {"shopee": "Shopee", "tiktok": "TikTok Shop"}


@dataclass(frozen=True)
class PartnerLine:
    sku: str
    quantity: int
    unit_price: int
    name: str = ""
    variant_id: int | None = None  # None: the SKU matched nothing here
    weight_grams: int = 0


@dataclass(frozen=True)
class PartnerOrderData:
    platform: str
    external_id: str
    koperasi_id: int
    status: OrderStatus  # the partner's state in our words
    partner_status: str  # the partner's own word for it (READY_TO_SHIP, AWAITING_SHIPMENT, ...)
    updated_at: int  # the partner's update_time, unix seconds
    lines: list[PartnerLine] = field(default_factory=list)
    account_id: int | None = None
    buyer_name: str = ""
    address: dict = field(default_factory=dict)
    shipping_cost: int = 0
    courier: str = ""
    tracking_number: str = ""


@dataclass
class ImportResult:
    order: Order
    created: bool
    changed: bool


def import_partner_order(data: PartnerOrderData) -> ImportResult:
    """Creates the order the first time (platform, external id) is seen, otherwise mirrors its newer state. A
    webhook and a poll delivering the same order at once meet at the unique key: the loser re-reads the winner's
    row and applies its news to it."""
    _validate(data)
    _take_write_lock()
    existing = _find(data.platform, data.external_id)
    if existing is None:
        try:
            with db.session.begin_nested():
                order = _create(data)
            return ImportResult(order, created=True, changed=True)
        except IntegrityError:
            existing = _find(data.platform, data.external_id)
            if existing is None:
                raise
    return _apply(existing, data)


def _validate(data: PartnerOrderData) -> None:
    if not data.platform or not data.external_id or len(data.external_id) > 64:
        raise ValidationError(_("Pesanan mitra tanpa nomor yang sah."))
    for line in data.lines:
        if line.quantity <= 0 or line.unit_price < 0:
            raise ValidationError(_("Baris pesanan mitra %(sku)s tidak sah.", sku=line.sku))


def _take_write_lock() -> None:
    """SQLite has no row locks: take the database's write lock before reading, as inventory does, so two
    importers of one order run one after the other instead of failing on a stale snapshot."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(update(PartnerOrder).where(PartnerOrder.id == -1).values(id=PartnerOrder.id))


def _find(platform: str, external_id: str) -> PartnerOrder | None:
    return db.session.scalar(select(PartnerOrder).where(PartnerOrder.platform == platform,
                                                        PartnerOrder.external_id == external_id))


def _create(data: PartnerOrderData) -> Order:
    now = utcnow()
    known = [line for line in data.lines if line.variant_id is not None]
    unknown = [line for line in data.lines if line.variant_id is None]
    subtotal = sum(line.unit_price * line.quantity for line in data.lines)
    weight = sum(line.weight_grams * line.quantity for line in known)
    address = dict(data.address) | ({"recipient": data.buyer_name} if data.buyer_name else {})
    order = Order(number=_number(data), checkout_token=f"partner:{data.platform}:{data.external_id}"[:64],
                  koperasi_id=data.koperasi_id, status=OrderStatus.UNPAID, email="",
                  address=address,
                  courier=(data.courier or data.platform)[:16], subtotal=subtotal, shipping_cost=data.shipping_cost,
                  total=subtotal + data.shipping_cost, weight_grams=weight,
                  created_at=now)
    for line in known:
        order.lines.append(OrderLine(variant_id=line.variant_id, product_name=(line.name or line.sku)[:200],
                                     variant_label="", sku=line.sku[:64], unit_price=line.unit_price,
                                     quantity=line.quantity, weight_grams=line.weight_grams))
    order.partner = PartnerOrder(platform=data.platform, external_id=data.external_id, account_id=data.account_id,
                                 partner_status=data.partner_status[:32], partner_updated_at=data.updated_at,
                                 flag=PartnerFlag.UNKNOWN_SKU if unknown else None,
                                 unmatched=[{"sku": u.sku, "name": u.name, "quantity": u.quantity} for u in unknown])
    db.session.add(order)
    db.session.add(OrderStatusChange(order=order, from_status=None, to_status=OrderStatus.UNPAID,
                                     note=_("Pesanan masuk dari %(channel)s", channel=channel_name(data.platform))))
    db.session.flush()
    if data.status not in (OrderStatus.CANCELLED, OrderStatus.REFUNDED) and order.lines:
        _allocate(order)
    if order.partner.flag != PartnerFlag.OUT_OF_STOCK:
        _mirror(order, data)
    db.session.flush()
    return order


def _number(data: PartnerOrderData) -> str:
    prefix = {"shopee": "SP", "tiktok": "TT"}.get(data.platform, data.platform[:2].upper())
    return f"{prefix}-{data.external_id}"[:32]


def channel_name(platform: str | None) -> str:
    return PLATFORM_NAMES.get(platform or "", (platform or "").title())


def _allocate(order: Order) -> None:
    """The same allocation our checkout uses. If another sale took the last unit first, the order is kept as
    cancelled and flagged, and the channels domain asks the platform to cancel it (``partner_order.rejected``)."""
    requests = [inventory.LineRequest(line.variant_id, line.quantity, line.id) for line in order.lines]
    try:
        with db.session.begin_nested():
            inventory.allocate_lines(requests, reference=order.partner.external_id,
                                     reason=MovementReason.PARTNER_ORDER)
    except InsufficientStock as error:
        order.partner.flag = PartnerFlag.OUT_OF_STOCK
        order.partner.cancel_requested_at = utcnow()
        _set_status(order, OrderStatus.CANCELLED, _("Stok habis: %(reason)s", reason=error.message))
        outbox.record("partner_order.rejected", order_id=order.id, platform=order.partner.platform,
                      external_id=order.partner.external_id, account_id=order.partner.account_id)


def _apply(partner: PartnerOrder, data: PartnerOrderData) -> ImportResult:
    """Newer partner news moves the order forward; older or repeated news changes nothing."""
    (partner,) = lock_rows(PartnerOrder, [partner.id])
    (order,) = lock_rows(Order, [partner.order_id])
    same_moment = data.updated_at == partner.partner_updated_at
    if data.updated_at < partner.partner_updated_at or (same_moment and _RANK[data.status] <= _RANK[order.status]):
        return ImportResult(order, created=False, changed=False)
    changed = partner.partner_status != data.partner_status[:32] or not same_moment
    partner.partner_status = data.partner_status[:32]
    partner.partner_updated_at = data.updated_at
    changed = _mirror(order, data) or changed
    db.session.flush()
    return ImportResult(order, created=False, changed=changed)


def _mirror(order: Order, data: PartnerOrderData) -> bool:
    """Moves our order to the partner's state: cancel releases the stock, shipping takes it out of the warehouse."""
    target = data.status
    if _RANK[target] <= _RANK[order.status] or _RANK[order.status] >= _RANK[OrderStatus.CANCELLED]:
        return False
    line_ids = [line.id for line in order.lines]
    channel = channel_name(data.platform)
    if target in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
        if order.status in (OrderStatus.SHIPPED, OrderStatus.COMPLETED):
            return False  # a return after shipping is handled by staff, not by a status word
        inventory.deallocate_lines(line_ids, reference=data.external_id)
        _set_status(order, OrderStatus.CANCELLED, _("Dibatalkan di %(channel)s", channel=channel))
        return True
    if order.status == OrderStatus.UNPAID:
        order.paid_at = utcnow()
        _set_status(order, OrderStatus.PACKING, _("Dibayar di %(channel)s", channel=channel))
    if _RANK[target] >= _RANK[OrderStatus.SHIPPED] and order.status == OrderStatus.PACKING:
        inventory.fulfil_lines(line_ids, reference=data.external_id)
        if data.tracking_number:
            order.tracking_number = data.tracking_number[:64]
        _set_status(order, OrderStatus.SHIPPED, _("Dikirim lewat %(channel)s", channel=channel))
    if target == OrderStatus.COMPLETED and order.status == OrderStatus.SHIPPED:
        _set_status(order, OrderStatus.COMPLETED, _("Selesai di %(channel)s", channel=channel))
    return True


def _set_status(order: Order, to: OrderStatus, note: str, at: datetime | None = None) -> None:
    db.session.add(OrderStatusChange(order=order, from_status=order.status, to_status=to, note=note[:300],
                                     created_at=at or utcnow()))
    order.status = to
    outbox.record("order.status_changed", order_id=order.id, status=to.value)


def partner_orders_needing_attention(koperasi_id: int) -> list[Order]:
    """Imported orders staff must look at: an unknown SKU, or cancelled because the stock was gone."""
    return list(db.session.scalars(
        select(Order).join(PartnerOrder).where(Order.koperasi_id == koperasi_id, PartnerOrder.flag.is_not(None))
        .order_by(Order.id.desc()).limit(200)))
