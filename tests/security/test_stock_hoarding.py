"""One account cannot take a variant off the shelf: a checkout's hold is capped in units and is not renewed by
reopening the checkout page (before, a new account held all 80 units and renewed the hold forever)."""

from sqlalchemy import select

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory.models import Reservation
from marketplace.inventory.queries import available_by_variant
from tests.stock_fixtures import ADDRESS


def _add(client, product, quantity):
    return client.post("/keranjang/tambah", data={"product": product.id, "variant": product.variants[0].id,
                                                  "quantity": quantity}, follow_redirects=True)


def _hold_expiry(token_holder_variant):
    return db.session.scalar(select(Reservation.expires_at).where(Reservation.variant_id == token_holder_variant))


def test_one_buyer_cannot_hold_a_whole_variant(client, buyer, make_stocked_product):
    product = make_stocked_product(stock=(80,))
    page = _add(client, product, 80).get_data(as_text=True)
    assert "Jumlah maksimal 50 per produk" in page
    client.post("/checkout/alamat", data=ADDRESS)
    client.get("/checkout")
    assert available_by_variant([product.variants[0].id])[product.variants[0].id] == 80


def test_the_cap_is_checked_when_the_hold_is_made(app, client, buyer, make_stocked_product):
    product = make_stocked_product(stock=(80,))
    _add(client, product, 40)
    app.config["CHECKOUT_MAX_UNITS_PER_VARIANT"] = 30
    try:
        client.post("/checkout/alamat", data=ADDRESS)
        page = client.get("/checkout", follow_redirects=True).get_data(as_text=True)
    finally:
        app.config["CHECKOUT_MAX_UNITS_PER_VARIANT"] = 50
    assert "maksimal 30 per pembeli" in page
    assert available_by_variant([product.variants[0].id])[product.variants[0].id] == 80


def test_reopening_checkout_does_not_extend_the_hold(client, buyer, make_stocked_product):
    product = make_stocked_product(stock=(80,))
    _add(client, product, 10)
    client.post("/checkout/alamat", data=ADDRESS)
    client.get("/checkout")
    variant_id = product.variants[0].id
    first = _hold_expiry(variant_id)
    assert first is not None and first > utcnow()
    db.session.execute(Reservation.__table__.update().values(expires_at=utcnow().replace(microsecond=0)
                                                             + (first - utcnow()) / 3))
    db.session.commit()
    shortened = _hold_expiry(variant_id)
    client.get("/checkout")
    assert _hold_expiry(variant_id) == shortened  # not pushed back to a fresh 15 minutes
    assert available_by_variant([variant_id])[variant_id] == 70
