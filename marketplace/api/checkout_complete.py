"""checkoutComplete: Saleor's single call becomes the web's two steps, in separate transactions so that no row
stays locked during a gateway call: (1) the checkout service makes one order per koperasi and one payment
(idempotent on the checkout token), commit; (2) the payments service charges the payment method the client
created with checkoutPaymentCreate, commit after each gateway answer. A declined card leaves the orders unpaid:
the client creates another payment and completes again, which finds the same orders."""

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.api.checkout_flow import find_cart, state_of
from marketplace.api.errors import CheckoutErrorCode as Code
from marketplace.api.errors import Refused
from marketplace.api.ids import to_global_id
from marketplace.checkout import services as checkout
from marketplace.checkout.cart import summarise
from marketplace.checkout.models import Cart
from marketplace.core.errors import ValidationError
from marketplace.core.money import format_rupiah
from marketplace.extensions import db
from marketplace.inventory.errors import InsufficientStock
from marketplace.orders.models import Order
from marketplace.payments import services as payments
from marketplace.payments.gateway import GatewayError
from marketplace.payments.models import PaymentStatus


def _choices(cart: Cart) -> dict[str, str]:
    """Every shipment needs its delivery method; the total must be what the client paid for."""
    if not cart.lines:
        raise Refused(Code.NO_LINES, _("Keranjang Anda masih kosong."), "lines")
    if not cart.address:
        raise Refused(Code.SHIPPING_ADDRESS_NOT_SET, _("Isi alamat pengiriman terlebih dahulu."), "shippingAddress")
    summary = summarise(cart, with_availability=False)
    quotes = checkout.quotes(cart, summary)
    wanted = cart.shipping_choices or {}
    missing = [g.koperasi.name for g in summary.groups
               if not any(o.courier.value == wanted.get(str(g.koperasi.id)) for o in quotes[g.koperasi.id].options)]
    if missing:
        raise Refused(Code.SHIPPING_METHOD_NOT_SET,
                      _("Pilih kurir untuk pesanan dari %(name)s.", name=", ".join(missing)), "deliveryMethodId")
    state = state_of(cart)
    if state is None or not state.payment_token:
        raise Refused(Code.CHECKOUT_NOT_FULLY_PAID, _("Buat pembayaran (checkoutPaymentCreate) terlebih dahulu."),
                      "payment")
    total = checkout.grand_total(summary, quotes)
    if state.payment_amount is not None and state.payment_amount != total:
        raise Refused(Code.CHECKOUT_NOT_FULLY_PAID,
                      _("Jumlah pembayaran harus sama dengan total, %(total)s.", total=format_rupiah(total)),
                      "payment")
    return {str(g.koperasi.id): wanted[str(g.koperasi.id)] for g in summary.groups}


def _make_orders(token: str, user: User) -> checkout.CheckoutResult:
    done = checkout.existing_result(token)
    if done is not None:
        if any(order.user_id != user.id for order in done.orders):
            raise Refused(Code.NOT_FOUND, _("Checkout tidak ditemukan."), "id")
        return done
    cart = find_cart(token, user)
    if cart.user_id is None:
        cart.user_id = user.id  # a guest checkout completed by a logged-in buyer becomes theirs
    try:
        result = checkout.complete_checkout(cart, user, _choices(cart))
        db.session.commit()
    except Refused:
        db.session.rollback()
        raise
    except InsufficientStock as error:
        db.session.rollback()
        raise Refused(Code.INSUFFICIENT_STOCK, error.message, "lines",
                      [to_global_id("ProductVariant", s.variant_id) for s in error.shortages]) from None
    except ValidationError as error:
        db.session.rollback()
        raise Refused(Code.INVALID, error.message, error.field) from None
    except IntegrityError:
        db.session.rollback()  # a twin request completed this checkout first
        result = checkout.existing_result(token)
        if result is None:
            raise
    return result


def _charge(result: checkout.CheckoutResult) -> None:
    payment = result.payment
    if payment.status == PaymentStatus.SUCCEEDED:
        return
    state = state_of_token(payment.checkout_token)
    if state is None or not state.payment_token:
        raise Refused(Code.CHECKOUT_NOT_FULLY_PAID, _("Buat pembayaran (checkoutPaymentCreate) terlebih dahulu."),
                      "payment")
    try:
        payments.ensure_intent(payment)
        db.session.commit()
        payments.pay(payment, state.payment_token)
        db.session.commit()
        payments.refresh(payment)
        db.session.commit()
    except GatewayError:
        db.session.rollback()
        raise Refused(Code.PAYMENT_ERROR, _("Layanan pembayaran sedang tidak bisa dihubungi. Coba lagi sebentar "
                                            "lagi."), "payment") from None
    except ValidationError as error:
        db.session.rollback()
        raise Refused(Code.PAYMENT_ERROR, error.message, "payment") from None
    if payment.status == PaymentStatus.FAILED:
        state = state_of_token(payment.checkout_token)
        state.payment_token = None  # this payment method is spent; the client creates a new payment
        db.session.commit()
        raise Refused(Code.PAYMENT_ERROR, payment.failure_message or _("Kartu ditolak."), "payment")


def state_of_token(token: str):
    from sqlalchemy import select

    from marketplace.api.models import ApiCheckoutState

    return db.session.scalar(select(ApiCheckoutState).where(ApiCheckoutState.checkout_token == token))


def complete(token: str, user: User) -> list[Order]:
    result = _make_orders(token, user)
    _charge(result)
    orders = payments.orders_of(result.payment)
    for order in orders:
        db.session.refresh(order)
    return orders

