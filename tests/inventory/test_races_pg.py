"""No oversell under contention, on real PostgreSQL: 50 buyers at once, each on its own connection, going through
the real checkout endpoint. Committed data on a scratch database (the rollback fixture would hide the races)."""

import threading
import time
import zlib

import pytest
from flask_migrate import upgrade
from sqlalchemy import bindparam, func, select, text

from marketplace import create_app
from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from marketplace.checkout import cart as carts
from marketplace.checkout.addresses import clean_address
from marketplace.extensions import db
from marketplace.inventory.models import Stock, StockMovement
from marketplace.inventory.queries import ledger_mismatches
from marketplace.inventory.services import set_stock
from marketplace.orders.models import Order
from tests.factories import verified_koperasi
from tests.services import scratch_postgres_database
from tests.stock_fixtures import ADDRESS, sign_in, warehouse_of

BUYERS = 50


@pytest.fixture(scope="module")
def race_app(tmp_path_factory):
    with scratch_postgres_database() as url:
        base = tmp_path_factory.mktemp("race")
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MEDIA_DIR=str(base / "media"),
                         SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 5, "max_overflow": BUYERS + 5})
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            db.engine.dispose()


def _prepare(app, label: str, stock: dict[str, int], orders_of_lines) -> tuple[list, list[int]]:
    """A koperasi with one variant per ``stock`` key; BUYERS buyers whose carts hold the lines
    ``orders_of_lines(i)`` (variant keys in the order they were added). Returns signed-in clients and tokens."""
    with app.app_context():
        nib = f"{6000000000000 + zlib.crc32(label.encode()) % 10**9}"
        koperasi = verified_koperasi(f"Koperasi {label}", "kab-jombang", nib, legal_entity_number="AHU-R")
        product = catalog.create_product(koperasi, f"Kopi {label}", status=ProductStatus.PUBLISHED)
        warehouse = warehouse_of(koperasi)
        variants = {}
        for key, quantity in stock.items():
            variants[key] = catalog.add_variant(product, f"{label}-{key}", 25000, 250, name=key)
            set_stock(variants[key], warehouse, quantity)
        users = [User(email=f"{label}{i}@pesantren.id", name=f"Pembeli {i}", password_hash="-") for i in range(BUYERS)]
        db.session.add_all(users)
        db.session.flush()
        address = clean_address(ADDRESS)
        tokens = []
        for i, user in enumerate(users):
            cart = carts.get_or_create_cart(user.id, None)
            for key in orders_of_lines(i):
                carts.add_to_cart(cart, variants[key].id, 1)
            cart.address = address
            tokens.append(cart.token)
        db.session.commit()
        clients = []
        for user in users:
            client = app.test_client()
            sign_in(client, user)
            clients.append(client)
        return clients, tokens, koperasi.id, [v.id for v in variants.values()]


def _race(clients, tokens, koperasi_id, variant_ids, app, hold_only: bool = False):
    barrier = threading.Barrier(len(clients) + 1)
    results: list = [None] * len(clients)
    lowest = {"available": 10**9}
    done = threading.Event()

    def buy(i):
        barrier.wait()
        if hold_only:  # opening the checkout page puts a hold on the stock
            response = clients[i].get("/checkout")
        else:
            response = clients[i].post(f"/checkout/{tokens[i]}/selesai", data={f"kurir_{koperasi_id}": "jne"})
        results[i] = (response.status_code, response.get_data(as_text=True))

    query = text("SELECT min(quantity - quantity_allocated) FROM stock WHERE variant_id IN :ids").bindparams(
        bindparam("ids", expanding=True))

    def watch():
        # Available units as any reader sees them, sampled throughout the race: must never go below zero.
        with app.app_context():
            engine = db.engine
        with engine.connect() as connection:
            barrier.wait()
            while not done.is_set():
                value = connection.execute(query, {"ids": variant_ids}).scalar()
                lowest["available"] = min(lowest["available"], value)
                connection.rollback()
                time.sleep(0.002)

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(len(clients))]
    watcher = threading.Thread(target=watch)
    for thread in [*threads, watcher]:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    done.set()
    watcher.join(timeout=10)
    return results, lowest["available"]


def _check_outcome(app, results, lowest, variant_ids, koperasi_id):
    codes = [code for code, _body in results]
    assert codes.count(302) == 10, codes
    refused = [body for code, body in results if code == 409]
    assert len(refused) == 40 and all("stok tidak cukup" in body for body in refused)
    assert lowest >= 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order).where(Order.koperasi_id == koperasi_id)) == 10
        for stock in db.session.scalars(select(Stock).where(Stock.variant_id.in_(variant_ids))):
            assert (stock.quantity, stock.quantity_allocated) == (10, 10)
            moved = db.session.execute(select(func.sum(StockMovement.quantity_delta),
                                              func.sum(StockMovement.allocated_delta))
                                       .where(StockMovement.stock_id == stock.id)).one()
            assert tuple(moved) == (10, 10)
        assert ledger_mismatches() == []


def test_fifty_buyers_one_hot_variant_exactly_ten_orders(race_app):
    clients, tokens, koperasi_id, variant_ids = _prepare(race_app, "hot", {"A": 10}, lambda i: ["A"])
    results, lowest = _race(clients, tokens, koperasi_id, variant_ids, race_app)
    _check_outcome(race_app, results, lowest, variant_ids, koperasi_id)


def test_two_hot_variants_bought_in_opposite_orders_do_not_deadlock(race_app):
    clients, tokens, koperasi_id, variant_ids = _prepare(
        race_app, "pair", {"A": 10, "B": 10}, lambda i: ["A", "B"] if i % 2 else ["B", "A"])
    results, lowest = _race(clients, tokens, koperasi_id, variant_ids, race_app)
    assert not [body for code, body in results if code >= 500]
    _check_outcome(race_app, results, lowest, variant_ids, koperasi_id)


def test_a_checkout_submitted_five_times_at_once_makes_one_order_set(race_app):
    clients, tokens, koperasi_id, variant_ids = _prepare(race_app, "twice", {"A": 10}, lambda i: ["A"])
    buyer_clients = []
    with race_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "twice0@pesantren.id"))
        for _ in range(5):
            client = race_app.test_client()
            sign_in(client, user)
            buyer_clients.append(client)
    results, _lowest = _race(buyer_clients, [tokens[0]] * 5, koperasi_id, variant_ids, race_app)
    assert {code for code, _body in results} == {302}
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order).where(Order.koperasi_id == koperasi_id)) == 1
        stock = db.session.scalar(select(Stock).where(Stock.variant_id == variant_ids[0]))
        assert stock.quantity_allocated == 1 and ledger_mismatches() == []


def test_fifty_buyers_opening_checkout_get_exactly_ten_holds(race_app):
    from marketplace.inventory.models import Reservation

    clients, tokens, koperasi_id, variant_ids = _prepare(race_app, "holds", {"A": 10}, lambda i: ["A"])
    results, _lowest = _race(clients, tokens, koperasi_id, variant_ids, race_app, hold_only=True)
    codes = [code for code, _body in results]
    assert codes.count(200) == 10 and codes.count(302) == 40, codes
    with race_app.app_context():
        held = db.session.scalar(select(func.sum(Reservation.quantity)).where(Reservation.variant_id == variant_ids[0]))
        assert held == 10
