"""Checkout: hold the cart's stock while the buyer fills in the address, then complete — one order per koperasi,
one payment for the whole cart. Completion is idempotent on the cart's token: a retried or double-clicked request
returns the orders it already made."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.catalog.models import ProductStatus
from marketplace.checkout import addresses, shipping
from marketplace.checkout.cart import CartSummary, max_units_per_variant, summarise
from marketplace.checkout.models import Cart
from marketplace.core.errors import ValidationError
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory import services as inventory
from marketplace.koperasi.models import VerificationStatus
from marketplace.orders import services as orders_service
from marketplace.orders.models import Order, OrderLine, OrderStatus
from marketplace.payments.models import Payment

_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class PriceChanged(ValidationError):
    code = "price_changed"


@dataclass
class ShipmentQuote:
    koperasi_id: int
    options: list[shipping.ShippingOption]
    chosen: shipping.ShippingOption | None


@dataclass
class CheckoutResult:
    orders: list[Order]
    payment: Payment
    created: bool


def _requests(cart: Cart) -> list[inventory.LineRequest]:
    return [inventory.LineRequest(line.variant_id, line.quantity) for line in cart.lines]


def _check_hold_limits(cart: Cart) -> None:
    """One account cannot take a variant's whole stock (or a shop's) off the shelf for the reservation time."""
    per_variant = max_units_per_variant()
    for line in cart.lines:
        if line.quantity > per_variant:
            raise ValidationError(_("Jumlah %(name)s maksimal %(n)s per pembeli. Kurangi jumlahnya di keranjang.",
                                    name=line.variant.product.name, n=per_variant), field="quantity")
    total_cap = current_app.config.get("CHECKOUT_MAX_UNITS", 200)
    if sum(line.quantity for line in cart.lines) > total_cap:
        raise ValidationError(_("Satu pesanan paling banyak %(n)s barang. Kurangi jumlahnya di keranjang.",
                                n=total_cap), field="quantity")


def begin_checkout(cart: Cart) -> CartSummary:
    """Holds every line of the cart for the reservation time (refreshed on each visit). Raises
    InsufficientStock listing every short line."""
    if not cart.lines:
        raise ValidationError(_("Keranjang Anda masih kosong."))
    _check_hold_limits(cart)
    inventory.reserve_stock(cart.token, _requests(cart))
    return summarise(cart)


def save_address(cart: Cart, user: User, data: dict) -> dict:
    address = addresses.clean_address(data)
    cart.address = address
    addresses.remember_address(user.id, address)
    db.session.flush()
    return address


def quotes(cart: Cart, summary: CartSummary) -> dict[int, ShipmentQuote]:
    """Courier options per koperasi for the cart's address, priced from that koperasi's rate table."""
    result = {}
    for group in summary.groups:
        options = shipping.options_for(group.koperasi.id, group.koperasi.region_code, cart.address or {},
                                       group.weight_grams)
        wanted = (cart.shipping_choices or {}).get(str(group.koperasi.id))
        chosen = next((o for o in options if o.courier.value == wanted), options[0] if options else None)
        result[group.koperasi.id] = ShipmentQuote(group.koperasi.id, options, chosen)
    return result


def grand_total(summary: CartSummary, shipment_quotes: dict[int, ShipmentQuote]) -> int:
    return summary.subtotal + sum(q.chosen.price for q in shipment_quotes.values() if q.chosen)


def _still_sold(variant, koperasi) -> bool:
    return (variant.is_active and variant.product.status == ProductStatus.PUBLISHED
            and koperasi.status == VerificationStatus.VERIFIED)


def _order_number(now: datetime) -> str:
    return f"OP{now:%y%m%d}-" + "".join(secrets.choice(_NUMBER_ALPHABET) for _i in range(6))


def existing_result(token: str) -> CheckoutResult | None:
    orders = list(db.session.scalars(
        select(Order).where(Order.checkout_token == token).order_by(Order.id).options(selectinload(Order.lines))
    ))
    if not orders:
        return None
    payment = db.session.scalar(select(Payment).where(Payment.checkout_token == token))
    return CheckoutResult(orders, payment, created=False)


def complete_checkout(cart: Cart, user: User, choices: dict[str, str], note: str = "",
                      seen_subtotal: int | None = None) -> CheckoutResult:
    """Turns the cart into orders (one per koperasi, state *belum bayar*) and one pending payment. Prices,
    shipping and totals come from the server. Stock is locked last, so the hot rows are held only for the
    allocation and the commit. A twin request racing this one fails on the unique (checkout token, koperasi)
    order key; the caller then answers with ``existing_result``. The payment intent is created afterwards,
    outside any lock."""
    done = existing_result(cart.token)
    if done:
        return done
    if cart.user_id != user.id:
        raise ValidationError(_("Keranjang ini bukan milik Anda."))
    if not cart.lines:
        raise ValidationError(_("Keranjang Anda masih kosong."))
    if not cart.address:
        raise ValidationError(_("Isi alamat pengiriman terlebih dahulu."), field="address")
    cart.shipping_choices = {str(k): v for k, v in choices.items()}
    with db.session.no_autoflush:  # the cart is written once, with completed_at, below
        summary = summarise(cart, with_availability=False)
        shipment_quotes = quotes(cart, summary)
    for group in summary.groups:
        quote = shipment_quotes[group.koperasi.id]
        if quote.chosen is None or quote.chosen.courier.value != choices.get(str(group.koperasi.id)):
            raise ValidationError(_("Pilih kurir untuk pesanan dari %(name)s.", name=group.koperasi.name),
                                  field="shipping")
    gone = [item.variant.product.name for group in summary.groups for item in group.lines
            if not _still_sold(item.variant, group.koperasi)]
    if gone:
        raise ValidationError(_("Produk berikut tidak dijual lagi, hapus dari keranjang: %(names)s.",
                                names=", ".join(gone)))
    total = grand_total(summary, shipment_quotes)
    if seen_subtotal is not None and seen_subtotal != summary.subtotal:
        raise PriceChanged(_("Harga berubah sejak halaman dibuka. Periksa lagi totalnya, lalu buat pesanan."))
    now = utcnow()
    payment = Payment(checkout_token=cart.token, amount=total, currency="idr")
    db.session.add(payment)
    db.session.flush()
    due = now + timedelta(minutes=current_app.config.get("ORDER_PAYMENT_MINUTES", 60))
    orders, requests = [], []
    for group in summary.groups:
        quote = shipment_quotes[group.koperasi.id]
        order = Order(number=_order_number(now), checkout_token=cart.token, koperasi_id=group.koperasi.id,
                      user_id=user.id, payment_id=payment.id, status=OrderStatus.UNPAID, email=user.email,
                      address=dict(cart.address), courier=quote.chosen.courier.value, subtotal=group.subtotal,
                      shipping_cost=quote.chosen.price, total=group.subtotal + quote.chosen.price,
                      weight_grams=group.weight_grams, note=note.strip()[:1000], payment_due_at=due)
        for item in group.lines:
            order.lines.append(OrderLine(variant_id=item.variant.id, product_name=item.variant.product.name,
                                         variant_label=item.variant.label, sku=item.variant.sku,
                                         unit_price=item.unit_price, quantity=item.line.quantity,
                                         weight_grams=item.variant.weight_grams))
        db.session.add(order)
        orders.append(order)
    for order in orders:
        orders_service.record_created(order)
    cart.completed_at = now
    db.session.flush()
    for order in orders:
        requests.extend(inventory.LineRequest(line.variant_id, line.quantity, line.id, order.number)
                        for line in order.lines)
    # Each ledger row names its own koperasi's order only: the cart's other orders belong to other tenants.
    inventory.allocate_lines(requests, token=cart.token)
    return CheckoutResult(orders, payment, created=True)
