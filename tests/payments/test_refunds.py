"""Refunds leave the order's transaction: cancelling a paid order commits at once (stock back, "refund pending"),
and the gateway is called afterwards by a task with no row locked. A slow gateway blocks nobody; a failing one
leaves the order "refund pending" with the reason shown to staff, and a retry finishes it.

Committed data on a SQLite file and on a scratch PostgreSQL database (the rollback fixture would hide the locks).
The gateway is replaced at the edge of the internet only (its Stripe implementation is proven against
localstripe in test_stripe_end_to_end.py)."""

import threading
import time
import zlib

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from marketplace import create_app
from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus, Variant
from marketplace.extensions import db
from marketplace.inventory.queries import available_by_variant, ledger_mismatches
from marketplace.inventory.services import set_stock
from marketplace.orders import services as orders
from marketplace.orders.models import Order, OrderStatus
from marketplace.outbox.services import dispatch_pending
from marketplace.payments.gateway import GatewayError
from marketplace.payments.models import Payment, PaymentStatus, Refund
from tests.factories import verified_koperasi
from tests.seller_fixtures import make_paid_order
from tests.services import scratch_postgres_database
from tests.stock_fixtures import sign_in, warehouse_of


class EdgeGateway:
    """Stands in for Stripe's refund endpoint: slow, failing or fine, and counting calls."""

    name = "edge"

    def __init__(self, delay: float = 0.0, fail: bool = False):
        self.delay, self.fail, self.calls = delay, fail, []

    def refund(self, intent_id: str, amount: int, idempotency_key: str) -> str:
        self.calls.append(idempotency_key)
        time.sleep(self.delay)
        if self.fail:
            raise GatewayError("gateway unreachable")
        return f"re_{idempotency_key}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def committed_app(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("refunds")
    if request.param == "sqlite":
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{base / 'refunds.db'}",
                         MEDIA_DIR=str(base / "media"), SEARCH_INDEX_DIR=str(base / "search"))
        with app.app_context():
            upgrade()
        yield app
        return
    with scratch_postgres_database() as url:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MEDIA_DIR=str(base / "media"),
                         SEARCH_INDEX_DIR=str(base / "search"))
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            db.engine.dispose()


def _paid_order(app, label: str) -> dict:
    """A koperasi with two stocked variants and a paid order (through a succeeded payment) for the first."""
    with app.app_context():
        nib = f"{7000000000000 + zlib.crc32(label.encode()) % 10**9}"
        owner_email = f"{label}@koperasi.id"
        koperasi = verified_koperasi(f"Koperasi {label}", "kab-jombang", nib, owner_email=owner_email)
        product = catalog.create_product(koperasi, f"Madu {label}", status=ProductStatus.PUBLISHED)
        sold, other = (catalog.add_variant(product, f"{label}-{n}", 50000, 500, name=str(n)) for n in (1, 2))
        for variant in (sold, other):
            set_stock(variant, warehouse_of(koperasi), 5)
        order = make_paid_order(sold, 2)
        payment = Payment(checkout_token=order.checkout_token, amount=order.total, status=PaymentStatus.SUCCEEDED,
                          intent_id=f"pi_{label}")
        db.session.add(payment)
        db.session.flush()
        order.payment_id = payment.id
        db.session.commit()
        return {"order": order.id, "number": order.number, "sold": sold.id, "other": other.id,
                "slug": koperasi.slug, "owner": db.session.scalar(select(User.id).where(User.email == owner_email))}


def _run_refund_task(app, order_id: int):
    return app.extensions["celery"].tasks["payments.refund_order"].apply(args=[order_id])


def test_a_slow_gateway_blocks_no_other_commit(committed_app):
    app = committed_app
    shop = _paid_order(app, f"slow{app.config['SQLALCHEMY_DATABASE_URI'][:5]}")
    gateway = app.extensions["payment_gateway"] = EdgeGateway(delay=8.0)
    with app.app_context():
        started = time.monotonic()
        orders.cancel_by_seller(db.session.get(Order, shop["order"]), user_id=shop["owner"], reason="Stok rusak")
        db.session.commit()
        assert time.monotonic() - started < 3.0  # the seller's click does not wait for the gateway (8 s)
        order = db.session.get(Order, shop["order"])
        assert order.status == OrderStatus.REFUND_PENDING
        assert available_by_variant([shop["sold"]])[shop["sold"]] == 5  # stock back at once
        assert gateway.calls == []  # nothing called inside the transaction

    worker = threading.Thread(target=_run_refund_task, args=(app, shop["order"]))
    worker.start()
    deadline = time.monotonic() + 10
    while not gateway.calls and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gateway.calls, "the refund task did not reach the gateway"  # it is now inside the 8-second call
    with app.app_context():
        started = time.monotonic()
        variant = db.session.get(Variant, shop["other"])
        set_stock(variant, warehouse_of(variant.product.koperasi), 9)  # another commit on the same tables
        db.session.commit()
        elapsed = time.monotonic() - started
    assert elapsed < 3.0, f"a commit waited {elapsed:.1f} s for the gateway call"
    assert worker.is_alive()  # the gateway call was still going on during that commit
    worker.join(timeout=20)
    with app.app_context():
        order = db.session.get(Order, shop["order"])
        refund = db.session.query(Refund).filter_by(order_id=order.id).one()
        assert order.status == OrderStatus.REFUNDED
        assert refund.status == "succeeded" and refund.amount == order.total
        assert db.session.get(Payment, order.payment_id).refunded_amount == order.total
        assert ledger_mismatches() == []
    assert gateway.calls == [f"opop-refund-order-{shop['order']}"]


def test_a_failing_gateway_leaves_the_order_refund_pending_for_staff_and_a_retry_finishes_it(committed_app):
    app = committed_app
    shop = _paid_order(app, f"fail{app.config['SQLALCHEMY_DATABASE_URI'][:5]}")
    gateway = app.extensions["payment_gateway"] = EdgeGateway(fail=True)
    with app.app_context():
        orders.cancel_by_seller(db.session.get(Order, shop["order"]), user_id=shop["owner"])
        db.session.commit()
        dispatch_pending()  # eager here: the outbox hands the event to the refund task, which fails and is kept
        db.session.commit()
    with app.app_context():
        db.session.rollback()
        order = db.session.get(Order, shop["order"])
        refund = db.session.query(Refund).filter_by(order_id=order.id).one()
        assert order.status == OrderStatus.REFUND_PENDING
        assert refund.status == "failed" and "gateway unreachable" in refund.last_error
        assert db.session.get(Payment, order.payment_id).refunded_amount == 0

    staff = app.test_client()
    with app.app_context():
        sign_in(staff, db.session.get(User, shop["owner"]))
    page = staff.get(f"/seller/{shop['slug']}/pesanan/{shop['number']}").get_data(as_text=True)
    assert "Dana sedang dikembalikan" in page and "gateway unreachable" in page

    gateway.fail = False
    with app.app_context():
        app.extensions["celery"].tasks["payments.retry_refunds"].apply()
        db.session.commit()
    with app.app_context():
        order = db.session.get(Order, shop["order"])
        assert order.status == OrderStatus.REFUNDED
        assert db.session.get(Payment, order.payment_id).refunded_amount == order.total
    # once refunded, a late duplicate task changes nothing and calls nobody
    calls = len(gateway.calls)
    _run_refund_task(app, shop["order"])
    assert len(gateway.calls) == calls
