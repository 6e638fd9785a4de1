"""Carts for the COD and manual-transfer tests: one payment over the orders of one or more shops (from
``make_shop``), a buyer who can log in, and each koperasi's payment settings."""

import itertools
from datetime import timedelta

import pytest

from marketplace.core.timeutil import utcnow
from marketplace.payments.models import Payment
from marketplace.payments.transfer_models import KoperasiPaymentSettings
from tests.seller_fixtures import make_paid_order

_carts = itertools.count(1)


def accept(db, shop, *, cod: bool = True, cod_max: int | None = 500_000, bank: bool = True) -> None:
    """The koperasi's payment settings, written as the settings page would leave them."""
    db.session.merge(KoperasiPaymentSettings(
        koperasi_id=shop.koperasi.id, cod_enabled=cod, cod_max_amount=cod_max,
        bank_name="BCA" if bank else None, bank_account_number="8831234567" if bank else None,
        bank_account_holder=f"Kopontren {shop.koperasi.name}" if bank else None))
    db.session.commit()


@pytest.fixture
def make_cart(db, make_user):
    """(payment, orders, buyer): one unpaid order per shop (quantity × Rp 25.000 + Rp 10.000 shipping), all in one
    payment, due in an hour, as checkout leaves them."""
    def make(*shops, quantity: int = 1, buyer=None):
        buyer = buyer or make_user(name="Siti Pembeli")
        token = f"cart-cod-{next(_carts)}"
        orders = []
        for shop in shops:
            order = make_paid_order(shop.variant, quantity, paid=False, recipient="Siti Pembeli")
            order.checkout_token, order.user_id, order.email = token, buyer.id, buyer.email
            order.payment_due_at = utcnow() + timedelta(hours=1)
            orders.append(order)
        payment = Payment(checkout_token=token, amount=sum(order.total for order in orders))
        db.session.add(payment)
        db.session.flush()
        for order in orders:
            order.payment_id = payment.id
        db.session.commit()
        return payment, orders, buyer

    return make
