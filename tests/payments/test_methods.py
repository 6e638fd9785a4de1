"""The payment-method seam: the buyer picks how to pay while the orders are unpaid; a method that is not offered
for this cart is refused with its reason and changes nothing; switching stops the method left behind (a pending
virtual account is cancelled before another is opened); nothing can be picked once the cart is paid."""

import pytest

from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from marketplace.inventory.services import set_stock
from marketplace.payments import methods, services
from marketplace.payments.models import Payment, PaymentStatus
from tests.factories import verified_koperasi
from tests.seller_fixtures import make_paid_order
from tests.stock_fixtures import warehouse_of


@pytest.fixture
def unpaid(db):
    koperasi = verified_koperasi("Kopontren Metode", "kab-jombang", "9100000005051")
    product = catalog.create_product(koperasi, "Sarung Tenun Metode", status=ProductStatus.PUBLISHED)
    variant = catalog.add_variant(product, "SARUNG-MTD-1", 150000, 600)
    set_stock(variant, warehouse_of(koperasi), 5)
    order = make_paid_order(variant, 1, paid=False)
    payment = Payment(checkout_token=order.checkout_token, amount=order.total)
    db.session.add(payment)
    db.session.flush()
    order.payment_id = payment.id
    db.session.flush()
    return payment


@pytest.fixture
def recorded_methods():
    calls = []
    saved = dict(methods._METHODS)

    def make(code, reason=None):
        methods.register(methods.Method(
            code=code, label=code, group="va", gateway="edge", template="payments/methods/card.html",
            unavailable=lambda payment, orders: reason,
            start=lambda payment, orders: calls.append(("start", code)),
            stop=lambda payment: calls.append(("stop", code))))

    make("uji_va")
    make("uji_qris")
    make("uji_tutup", reason="Tidak tersedia untuk pesanan ini.")
    yield calls
    methods._METHODS.clear()
    methods._METHODS.update(saved)


def test_picking_a_method_starts_it_and_switching_stops_the_old_one(unpaid, recorded_methods):
    services.choose_method(unpaid, "uji_va")
    assert (unpaid.method, unpaid.gateway) == ("uji_va", "edge")
    services.choose_method(unpaid, "uji_va")  # picked again: nothing new is opened
    services.choose_method(unpaid, "uji_qris")
    assert recorded_methods == [("start", "uji_va"), ("stop", "uji_va"), ("start", "uji_qris")]
    assert unpaid.method == "uji_qris"


@pytest.mark.parametrize("code, message", [("uji_tutup", "Tidak tersedia untuk pesanan ini."),
                                           ("tidak-ada", "Metode pembayaran tidak valid.")])
def test_a_method_not_offered_is_refused_and_changes_nothing(unpaid, recorded_methods, code, message):
    with pytest.raises(services.PaymentFailed, match=message):
        services.choose_method(unpaid, code)
    assert unpaid.method is None and recorded_methods == []


def test_nothing_can_be_picked_once_paid(unpaid, recorded_methods):
    assert services.record_success(unpaid, unpaid.amount) == "paid"
    assert unpaid.status == PaymentStatus.SUCCEEDED
    with pytest.raises(services.PaymentFailed):
        services.choose_method(unpaid, "uji_va")
    assert recorded_methods == []


def test_success_needs_the_payment_s_own_amount(unpaid):
    assert services.record_success(unpaid, unpaid.amount - 1) == "amount_mismatch"
    assert unpaid.status == PaymentStatus.PENDING
    assert services.record_success(unpaid, unpaid.amount) == "paid"
    assert services.record_success(unpaid, unpaid.amount) == "already_paid"


def test_a_method_without_an_api_refund_waits_for_finance_staff(unpaid, recorded_methods):
    from marketplace.orders import services as orders
    from marketplace.orders.models import OrderStatus
    from marketplace.payments import refunds
    from marketplace.payments.gateway import ManualRefund
    from marketplace.payments.tasks import refund_order

    def by_hand(payment, amount, key):
        raise ManualRefund("Dana VA dikembalikan lewat transfer bank.")

    methods.register(methods.Method(code="uji_manual", label="uji", group="va", gateway="edge",
                                    template="payments/methods/card.html", unavailable=lambda p, o: None,
                                    refund=by_hand))
    services.choose_method(unpaid, "uji_manual")
    services.record_success(unpaid, unpaid.amount)
    (order,) = services.orders_of(unpaid)
    orders.request_refund(order, "Dibatalkan koperasi")
    assert refund_order(order.id) is False
    refund = refunds.refund_of_order(order.id)
    assert (refund.status, order.status) == ("manual", OrderStatus.REFUND_PENDING)
    assert "transfer bank" in refund.last_error
    assert order.id not in refunds.pending_refund_order_ids()  # the periodic retry leaves it to people
    assert refunds.manual_refunds(order.koperasi_id) == [refund]
    assert refunds.confirm_manual_refund(refund, "BCA 123") is True
    assert (refund.status, order.status) == ("succeeded", OrderStatus.REFUNDED)
    assert refunds.manual_refunds(order.koperasi_id) == []
