"""The API's checkout steps, each a call into the checkout, inventory and payments services the web pages use.
What is Saleor-specific lives here: finding a checkout by its global id for the caller, the email and payment a
client sets before completing, and turning domain refusals into Saleor's error codes."""

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.api.errors import CheckoutErrorCode as Code
from marketplace.api.errors import Refused
from marketplace.api.ids import from_global_id
from marketplace.api.models import ApiCheckoutState
from marketplace.catalog.models import Variant
from marketplace.checkout import cart as carts
from marketplace.checkout import services as checkout
from marketplace.checkout.models import Cart, CartLine
from marketplace.core.errors import NotFound, ValidationError
from marketplace.extensions import db
from marketplace.inventory.errors import InsufficientStock

GATEWAY_ID = "opop.payments.stripe"


def checkout_token(id: str | None, token: str | None) -> str:
    if id:
        return from_global_id(id, "Checkout")[:64]
    if token:
        return str(token)[:64]
    raise Refused(Code.REQUIRED, _("Checkout id wajib diisi."), "id")


def find_cart(token: str, user: User | None, *, open_only: bool = True) -> Cart:
    """The caller's checkout. A guest checkout is reachable by its secret token; one that belongs to an account
    only by that account. Anything else is simply not found."""
    query = select(Cart).where(Cart.token == token)
    if open_only:
        query = query.where(Cart.completed_at.is_(None))
    cart = db.session.scalar(query)
    if cart is None or (cart.user_id is not None and (user is None or cart.user_id != user.id)):
        raise Refused(Code.NOT_FOUND, _("Checkout tidak ditemukan."), "id")
    return cart


def state_of(cart: Cart, create: bool = False) -> ApiCheckoutState | None:
    state = db.session.scalar(select(ApiCheckoutState).where(ApiCheckoutState.checkout_token == cart.token))
    if state is None and create:
        state = ApiCheckoutState(checkout_token=cart.token)
        db.session.add(state)
        db.session.flush()
    return state


def create_checkout(user: User | None) -> Cart:
    """Saleor makes a new checkout per call; a buyer's newest open one is also their cart on the web."""
    cart = Cart(token=carts.new_token(), user_id=user.id if user else None, shipping_choices={})
    db.session.add(cart)
    db.session.flush()
    return cart


def _variant_id(value: str) -> int:
    key = from_global_id(value, "ProductVariant")
    if not key.isdigit() or len(key) > 18:
        raise Refused(Code.NOT_FOUND, _("Varian tidak ditemukan."), "variantId", [value])
    return int(key)


def _stock_refusal(error: ValidationError, variant: str) -> Refused:
    return Refused(Code.INSUFFICIENT_STOCK, error.message, "quantity", [variant])


def _check_quantity(quantity: int, variant: str, allow_zero: bool = False) -> None:
    if quantity < 0 or (quantity == 0 and not allow_zero):
        raise Refused(Code.ZERO_QUANTITY, _("Jumlah harus lebih dari 0."), "quantity", [variant])
    if quantity > carts.MAX_LINE_QUANTITY:
        raise Refused(Code.QUANTITY_GREATER_THAN_LIMIT,
                      _("Jumlah maksimal %(n)s per produk.", n=carts.MAX_LINE_QUANTITY), "quantity", [variant])


def add_lines(cart: Cart, lines: list[tuple[str, int]]) -> None:
    if not lines:
        raise Refused(Code.NO_LINES, _("Tambahkan minimal satu barang."), "lines")
    for variant, quantity in lines:
        _check_quantity(quantity, variant)
        variant_id = _variant_id(variant)
        if db.session.get(Variant, variant_id) is None:
            raise Refused(Code.NOT_FOUND, _("Varian tidak ditemukan."), "variantId", [variant])
        try:
            carts.add_to_cart(cart, variant_id, quantity)
        except NotFound as error:
            raise Refused(Code.PRODUCT_NOT_PUBLISHED, error.message, "variantId", [variant]) from None
        except ValidationError as error:
            raise _stock_refusal(error, variant) from None
    _hold_if_at_cashier(cart)


def _line_for(cart: Cart, line_id: str | None, variant: str | None) -> CartLine:
    if line_id:
        key = from_global_id(line_id, "CheckoutLine")
        line = next((line for line in cart.lines if str(line.id) == key), None)
    elif variant:
        line = next((line for line in cart.lines if line.variant_id == _variant_id(variant)), None)
    else:
        raise Refused(Code.REQUIRED, _("Isi lineId atau variantId."), "lineId")
    if line is None:
        raise Refused(Code.NOT_FOUND, _("Barang tidak ada di keranjang Anda."), "lineId")
    return line


def update_lines(cart: Cart, updates: list[tuple[str | None, str | None, int]]) -> None:
    for line_id, variant, quantity in updates:
        line = _line_for(cart, line_id, variant)
        shown = variant or line_id or ""
        _check_quantity(quantity, shown, allow_zero=True)
        try:
            carts.update_line(cart, line.id, quantity)
        except ValidationError as error:
            raise _stock_refusal(error, shown) from None
    _hold_if_at_cashier(cart)


def delete_lines(cart: Cart, line_ids: list[str]) -> None:
    for line_id in line_ids:
        carts.remove_line(cart, _line_for(cart, line_id, None).id)
    _hold_if_at_cashier(cart)


def _hold_if_at_cashier(cart: Cart) -> None:
    """Once an address is set the buyer is at the cashier: hold the lines, as the web checkout does."""
    if cart.address and cart.lines:
        hold(cart)


def hold(cart: Cart) -> None:
    try:
        checkout.begin_checkout(cart)
    except InsufficientStock as error:
        raise Refused(Code.INSUFFICIENT_STOCK, error.message, "lines",
                      [_global_variant(s.variant_id) for s in error.shortages]) from None


def _global_variant(variant_id: int) -> str:
    from marketplace.api.ids import to_global_id

    return to_global_id("ProductVariant", variant_id)


def set_email(cart: Cart, email: str) -> None:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254 or " " in email:
        raise Refused(Code.INVALID, _("Email tidak valid."), "email")
    state_of(cart, create=True).email = email
    db.session.flush()


def set_shipping_address(cart: Cart, user: User | None, data: dict) -> None:
    if user is not None:
        checkout.save_address(cart, user, data)
    else:
        from marketplace.checkout.addresses import clean_address

        cart.address = clean_address(data)
        db.session.flush()
    _hold_if_at_cashier(cart)


def set_billing_address(cart: Cart, data: dict) -> None:
    from marketplace.checkout.addresses import clean_address

    state_of(cart, create=True).billing_address = clean_address(data)
    db.session.flush()


def choose_delivery(cart: Cart, method_id: str) -> None:
    """A delivery method is one koperasi's courier: a cart from several koperasi picks one per shipment."""
    key = from_global_id(method_id, "ShippingMethod")
    koperasi_id, _sep, courier = key.partition(":")
    summary = carts.summarise(cart, with_availability=False)
    offered = checkout.quotes(cart, summary) if cart.address else {}
    quote = offered.get(int(koperasi_id)) if koperasi_id.isdigit() else None
    if not cart.address:
        raise Refused(Code.SHIPPING_ADDRESS_NOT_SET, _("Isi alamat pengiriman terlebih dahulu."), "shippingAddress")
    if quote is None or courier not in {o.courier.value for o in quote.options}:
        raise Refused(Code.INVALID_SHIPPING_METHOD, _("Kurir ini tidak tersedia untuk checkout ini."),
                      "deliveryMethodId")
    cart.shipping_choices = {**(cart.shipping_choices or {}), koperasi_id: courier}
    db.session.flush()


def create_payment(cart: Cart, gateway: str, token: str | None, amount: float | None) -> ApiCheckoutState:
    if gateway != GATEWAY_ID:
        raise Refused(Code.INVALID, _("Gateway pembayaran tidak dikenal."), "gateway")
    if not token:
        raise Refused(Code.REQUIRED, _("Token pembayaran wajib diisi."), "token")
    state = state_of(cart, create=True)
    state.payment_gateway, state.payment_token = gateway, token[:200]
    state.payment_amount = int(amount) if amount is not None else None
    db.session.flush()
    return state
