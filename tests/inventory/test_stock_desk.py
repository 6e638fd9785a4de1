"""The koperasi's stock desk: a stock take goes through the inventory services and shows in the ledger."""

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.inventory.models import MovementReason, StockMovement
from marketplace.inventory.queries import available_by_variant
from marketplace.koperasi.models import Role
from marketplace.koperasi.services import add_member
from tests.stock_fixtures import sign_in, warehouse_of


def test_stock_staff_count_stock_and_read_the_ledger(client, make_user, make_stocked_product):
    product = make_stocked_product(stock=(5,))
    other = make_stocked_product()
    variant, warehouse = product.variants[0], warehouse_of(product.koperasi)
    staff = make_user()
    add_member(product.koperasi, staff, Role.STOCK)
    db.session.commit()
    sign_in(client, staff)
    url = f"/seller/{product.koperasi.slug}/stok/"
    page = client.get(url).get_data(as_text=True)
    assert variant.sku in page and "tersedia 5" in page
    client.post(url, data={"variant": variant.id, "warehouse": warehouse.id, "quantity": "12", "note": "Opname Senin"})
    assert available_by_variant([variant.id])[variant.id] == 12
    movement = db.session.scalar(select(StockMovement).order_by(StockMovement.id.desc()))
    assert (movement.reason, movement.quantity_delta, movement.user_id, movement.note) == \
        (MovementReason.ADJUSTMENT, 7, staff.id, "Opname Senin")
    client.post(url, data={"variant": variant.id, "warehouse": warehouse.id, "quantity": "-1"})
    assert "tidak boleh negatif" in client.get(url).get_data(as_text=True)
    assert available_by_variant([variant.id])[variant.id] == 12
    ledger = client.get(f"{url}{variant.id}/riwayat").get_data(as_text=True)
    assert "Opname Senin" in ledger and "+7" in ledger and "Stok awal" in ledger
    # Another koperasi's variant or warehouse is not reachable from this desk.
    response = client.post(url, data={"variant": other.variants[0].id, "warehouse": warehouse.id, "quantity": "1"})
    assert response.status_code == 404
    assert client.get(f"{url}{other.variants[0].id}/riwayat").status_code == 404
    assert client.get(f"/seller/{other.koperasi.slug}/stok/").status_code == 404
