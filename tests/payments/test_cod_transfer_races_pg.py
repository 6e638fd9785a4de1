"""Races on PostgreSQL, each click on its own connection at the same instant (committed data on a scratch
database: the rollback fixture would hide the race): several finance staff confirm one transfer proof — paid
once, one "order.paid" per order; two koperasi record the last two COD cash receipts — the payment is settled
exactly once, by whichever comes last."""

import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from marketplace.extensions import db
from marketplace.inventory.services import set_stock
from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import Membership, Role
from marketplace.orders import services as orders
from marketplace.outbox.models import OutboxEvent
from marketplace.payments import cod, services, transfer
from marketplace.payments.models import Payment, PaymentStatus
from marketplace.payments.transfer_models import KoperasiPaymentSettings, TransferProof
from tests.factories import verified_koperasi
from tests.seller_fixtures import make_paid_order, png_bytes
from tests.services import scratch_postgres_database
from tests.stock_fixtures import warehouse_of

CLICKS = 6


@pytest.fixture(scope="module")
def race_app(tmp_path_factory):
    with scratch_postgres_database() as url:
        base = tmp_path_factory.mktemp("cod-race")
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MEDIA_DIR=str(base / "media"),
                         SQLALCHEMY_ENGINE_OPTIONS={"pool_size": CLICKS + 2})
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            db.engine.dispose()


def _shop(n: int, staff: int):
    koperasi = verified_koperasi(f"Koppontren Balapan {n}", "kab-kediri", f"97880000000{n:02d}",
                                 legal_entity_number=f"AHU-R{n}")
    product = catalog.create_product(koperasi, f"Kopi Balapan {n}", status=ProductStatus.PUBLISHED)
    variant = catalog.add_variant(product, f"RACE-{n}", 25000, 250)
    set_stock(variant, warehouse_of(koperasi), 50)
    db.session.add(KoperasiPaymentSettings(koperasi_id=koperasi.id, cod_enabled=True, cod_max_amount=500000,
                                           bank_name="BCA", bank_account_number="8830000000",
                                           bank_account_holder=koperasi.name))
    members = []
    for i in range(staff):
        user = User(email=f"keuangan{n}-{i}@balapan.uji", name=f"Keuangan {i}", password_hash="-")
        db.session.add(user)
        db.session.flush()
        members.append(koperasi_services.add_member(koperasi, user, Role.FINANCE).id)
    return variant, members


def _cart(token: str, *variants) -> Payment:
    made = []
    for variant in variants:
        order = make_paid_order(variant, 1, paid=False)
        order.checkout_token = token
        made.append(order)
    payment = Payment(checkout_token=token, amount=sum(o.total for o in made))
    db.session.add(payment)
    db.session.flush()
    for order in made:
        order.payment_id = payment.id
    db.session.flush()
    return payment


def _at_once(app, work, args_list) -> list[str]:
    barrier, outcomes = threading.Barrier(len(args_list)), []

    def run(*args):
        with app.app_context():
            try:
                barrier.wait()
                outcomes.append(work(*args))
                db.session.commit()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _paid_events(order_ids) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxEvent).where(
        OutboxEvent.topic == "order.paid", OutboxEvent.payload["order_id"].as_integer().in_(order_ids)))


def test_simultaneous_confirmations_pay_once(race_app):
    with race_app.app_context():
        variant, members = _shop(1, CLICKS)
        payment = _cart("race-transfer", variant)
        services.choose_method(payment, "transfer")
        proof_id = transfer.submit_proof(payment, None, png_bytes()).id
        db.session.commit()
        payment_id, order_ids = payment.id, [o.id for o in services.orders_of(payment)]

    def confirm(member_id):
        actor = db.session.get(Membership, member_id)
        return transfer.confirm(actor, db.session.get(TransferProof, proof_id))

    outcomes = _at_once(race_app, confirm, [(m,) for m in members])
    assert sorted(outcomes) == ["already_confirmed"] * (CLICKS - 1) + ["paid"]
    with race_app.app_context():
        assert db.session.get(Payment, payment_id).status == PaymentStatus.SUCCEEDED
        assert _paid_events(order_ids) == 1


def test_the_last_two_cod_receipts_at_once_settle_the_payment_once(race_app):
    with race_app.app_context():
        (first, (owner_a, *_a)), (second, (owner_b, *_b)) = _shop(2, 1), _shop(3, 1)
        payment = _cart("race-cod", first, second)
        services.choose_method(payment, "cod")
        for order in services.orders_of(payment):
            orders.ship(order, f"JNE{order.id:010d}")
        db.session.commit()
        payment_id = payment.id
        pairs = [(owner_a, o.id) if o.koperasi_id == first.koperasi_id else (owner_b, o.id)
                 for o in services.orders_of(payment)]

    def collect(member_id, order_id):
        from marketplace.orders.models import Order

        return cod.collect_cash(db.session.get(Membership, member_id), db.session.get(Order, order_id))

    outcomes = _at_once(race_app, collect, pairs)
    assert sorted(outcomes) == ["paid", "waiting"]
    with race_app.app_context():
        payment = db.session.get(Payment, payment_id)
        assert payment.status == PaymentStatus.SUCCEEDED and payment.amount == 2 * 35000
