"""Carts: a guest's cart lives under a token kept in the session cookie, a logged-in buyer's under their account;
logging in merges the guest cart into the account's. Quantities are limited by what is available."""

import secrets
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from marketplace.catalog.models import Product, ProductStatus, Variant
from marketplace.checkout.models import Cart, CartLine
from marketplace.core.errors import NotFound, ValidationError
from marketplace.extensions import db
from marketplace.inventory.queries import available_by_variant
from marketplace.koperasi.models import Koperasi, VerificationStatus

MAX_LINE_QUANTITY = 999


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _open_cart_query():
    return select(Cart).where(Cart.completed_at.is_(None)).options(
        selectinload(Cart.lines).joinedload(CartLine.variant).joinedload(Variant.product)
    )


def find_cart(user_id: int | None, token: str | None) -> Cart | None:
    """The buyer's open cart: the account's when logged in, otherwise the guest cart of the cookie token."""
    if user_id:
        return db.session.scalar(_open_cart_query().where(Cart.user_id == user_id).order_by(Cart.id.desc()))
    if token:
        return db.session.scalar(_open_cart_query().where(Cart.token == token, Cart.user_id.is_(None)))
    return None


def get_or_create_cart(user_id: int | None, token: str | None) -> Cart:
    cart = find_cart(user_id, token)
    if cart is None:
        cart = Cart(token=new_token(), user_id=user_id, shipping_choices={})
        db.session.add(cart)
        db.session.flush()
    return cart


def _buyable_variant(variant_id: int) -> Variant:
    variant = db.session.scalar(
        select(Variant).join(Product).join(Koperasi, Koperasi.id == Product.koperasi_id)
        .where(Variant.id == variant_id, Variant.is_active.is_(True), Product.status == ProductStatus.PUBLISHED,
               Koperasi.status == VerificationStatus.VERIFIED)
        .options(joinedload(Variant.product))
    )
    if variant is None:
        raise NotFound(_("Produk tidak ditemukan atau tidak dijual lagi."))
    return variant


def max_units_per_variant() -> int:
    """What one buyer may hold of one variant: a checkout holds stock from everyone else while it is open."""
    return min(MAX_LINE_QUANTITY, current_app.config.get("CHECKOUT_MAX_UNITS_PER_VARIANT", MAX_LINE_QUANTITY))


def _check_quantity(cart: Cart, variant: Variant, quantity: int) -> None:
    if quantity <= 0:
        raise ValidationError(_("Jumlah harus lebih dari 0."), field="quantity")
    limit = max_units_per_variant()
    if quantity > limit:
        raise ValidationError(_("Jumlah maksimal %(n)s per produk.", n=limit), field="quantity")
    available = available_by_variant([variant.id], exclude_token=cart.token)[variant.id]
    if quantity > available:
        if available == 0:
            raise ValidationError(_("Maaf, stok %(name)s sedang habis.", name=variant.product.name), field="quantity")
        raise ValidationError(
            _("Stok tidak cukup: %(name)s tersisa %(n)s.", name=variant.product.name, n=available), field="quantity"
        )


def add_to_cart(cart: Cart, variant_id: int, quantity: int, product_id: int | None = None) -> CartLine:
    """Adds units (to an existing line if the variant is already in the cart)."""
    variant = _buyable_variant(variant_id)
    if product_id is not None and variant.product_id != product_id:
        raise NotFound(_("Varian tidak ditemukan pada produk ini."))
    line = next((line for line in cart.lines if line.variant_id == variant.id), None)
    total = quantity + (line.quantity if line else 0)
    if quantity <= 0:
        raise ValidationError(_("Jumlah harus lebih dari 0."), field="quantity")
    _check_quantity(cart, variant, total)
    if line is None:
        line = CartLine(cart=cart, variant=variant, quantity=total, price_when_added=variant.price)
        db.session.add(line)
    else:
        line.quantity = total
    db.session.flush()
    return line


def _line_of(cart: Cart, line_id: int) -> CartLine:
    line = next((line for line in cart.lines if line.id == line_id), None)
    if line is None:
        raise NotFound(_("Barang tidak ada di keranjang Anda."))
    return line


def update_line(cart: Cart, line_id: int, quantity: int) -> CartLine | None:
    """Sets a line's quantity; 0 removes it."""
    line = _line_of(cart, line_id)
    if quantity == 0:
        return remove_line(cart, line_id)
    _check_quantity(cart, line.variant, quantity)
    line.quantity = quantity
    db.session.flush()
    return line


def remove_line(cart: Cart, line_id: int) -> None:
    line = _line_of(cart, line_id)
    cart.lines.remove(line)
    db.session.delete(line)
    db.session.flush()


def merge_guest_cart(guest_token: str | None, user_id: int) -> Cart | None:
    """At login: the guest cart's lines move into the account's cart (quantities add up)."""
    guest = find_cart(None, guest_token)
    if guest is None or not guest.lines:
        return find_cart(user_id, None)
    cart = get_or_create_cart(user_id, None)
    for guest_line in list(guest.lines):
        line = next((line for line in cart.lines if line.variant_id == guest_line.variant_id), None)
        if line is None:
            cart.lines.append(CartLine(variant_id=guest_line.variant_id, quantity=guest_line.quantity,
                                       price_when_added=guest_line.price_when_added))
        else:
            line.quantity = min(MAX_LINE_QUANTITY, line.quantity + guest_line.quantity)
    db.session.delete(guest)
    db.session.flush()
    return cart


@dataclass
class SummaryLine:
    line: CartLine
    variant: Variant
    unit_price: int
    available: int

    @property
    def price_changed(self) -> bool:
        return self.unit_price != self.line.price_when_added

    @property
    def total(self) -> int:
        return self.unit_price * self.line.quantity

    @property
    def short(self) -> bool:
        return self.line.quantity > self.available


@dataclass
class KoperasiGroup:
    koperasi: Koperasi
    lines: list[SummaryLine] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def weight_grams(self) -> int:
        return sum(line.variant.weight_grams * line.line.quantity for line in self.lines)


@dataclass
class CartSummary:
    cart: Cart
    groups: list[KoperasiGroup]

    @property
    def subtotal(self) -> int:
        return sum(group.subtotal for group in self.groups)

    @property
    def item_count(self) -> int:
        return sum(line.line.quantity for group in self.groups for line in group.lines)

    @property
    def has_price_changes(self) -> bool:
        return any(line.price_changed for group in self.groups for line in group.lines)

    @property
    def has_shortages(self) -> bool:
        return any(line.short for group in self.groups for line in group.lines)


def summarise(cart: Cart, with_availability: bool = True) -> CartSummary:
    """The cart as the buyer should see it now: current prices (flagging changes since adding), availability,
    one group per koperasi (each becomes its own shipment and order). Completion skips availability: the
    allocation rechecks it under the lock anyway."""
    variant_ids = [line.variant_id for line in cart.lines]
    if with_availability:
        available = available_by_variant(variant_ids, exclude_token=cart.token)
    else:
        available = {variant_id: line.quantity for variant_id, line in zip(variant_ids, cart.lines, strict=True)}
    koperasi = {k.id: k for k in db.session.scalars(
        select(Koperasi).where(Koperasi.id.in_({line.variant.koperasi_id for line in cart.lines})))}
    groups: dict[int, KoperasiGroup] = {}
    for line in cart.lines:
        variant = line.variant
        buyable = variant.is_active and variant.product.status == ProductStatus.PUBLISHED
        group = groups.setdefault(variant.koperasi_id, KoperasiGroup(koperasi[variant.koperasi_id]))
        group.lines.append(SummaryLine(line, variant, variant.price, available[variant.id] if buyable else 0))
    ordered = sorted(groups.values(), key=lambda g: g.koperasi.name)
    return CartSummary(cart, ordered)


def cart_item_count(user_id: int | None, token: str | None) -> int:
    """Units in the open cart (the top bar's badge, on every page): one aggregate query, no cart objects."""
    if user_id:
        cart = select(Cart.id).where(Cart.completed_at.is_(None), Cart.user_id == user_id).order_by(Cart.id.desc())
    elif token:
        cart = select(Cart.id).where(Cart.completed_at.is_(None), Cart.token == token, Cart.user_id.is_(None))
    else:
        return 0
    return db.session.scalar(select(func.coalesce(func.sum(CartLine.quantity), 0))
                             .where(CartLine.cart_id == cart.limit(1).scalar_subquery())) or 0
