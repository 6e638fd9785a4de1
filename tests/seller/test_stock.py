"""Stock pages: the variant × warehouse table, adjustments with a reason through inventory (ledger), the readable
history, low stock and warehouses."""

from sqlalchemy import func, select

from marketplace.inventory.models import Stock, StockMovement, Warehouse
from marketplace.inventory.queries import available_by_variant, ledger_mismatches
from marketplace.koperasi.models import AuditEntry


def on_hand(db, variant, warehouse) -> int:
    return db.session.scalar(select(Stock.quantity).where(Stock.variant_id == variant.id,
                                                          Stock.warehouse_id == warehouse.id))


def test_adjust_with_reason_writes_the_ledger_and_the_audit_log(client, db, login, make_shop):
    shop = make_shop()
    login(shop.owner)
    url = f"/seller/{shop.koperasi.slug}/stok/{shop.variant.id}"
    w = str(shop.warehouse.id)
    client.post(url, data={"warehouse_id": w, "mode": "tambah", "quantity": "12", "reason": "masuk",
                           "note": "panen Oktober"})
    client.post(url, data={"warehouse_id": w, "mode": "kurangi", "quantity": "3", "reason": "rusak"})
    client.post(url, data={"warehouse_id": w, "mode": "jadikan", "quantity": "25", "reason": "opname"})
    assert on_hand(db, shop.variant, shop.warehouse) == 25
    page = client.get(url).get_data(as_text=True)
    # newest first, each with the count right after it
    assert page.index("Stok opname (hitung ulang)") < page.index("Rusak atau kedaluwarsa") < page.index(
        "Barang masuk / hasil produksi: panen Oktober")
    assert "stok 25" in page and "stok 29" in page and "stok 32" in page and "Stok awal" in page
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.koperasi_id == shop.koperasi.id)).all()
    assert actions.count("stock.adjust") == 3
    assert ledger_mismatches() == []


def test_adjustments_that_would_break_stock_are_refused(client, db, login, make_shop, snapshot):
    shop = make_shop()
    login(shop.owner)
    url = f"/seller/{shop.koperasi.slug}/stok/{shop.variant.id}"
    before = snapshot()
    page = client.post(url, data={"warehouse_id": str(shop.warehouse.id), "mode": "kurangi", "quantity": "50",
                                  "reason": "hilang"}).get_data(as_text=True)
    assert "hanya 20" in page
    page = client.post(url, data={"warehouse_id": str(shop.warehouse.id), "mode": "jadikan", "quantity": "1",
                                  "reason": "opname"}).get_data(as_text=True)
    assert "sudah dipesan" in page  # 2 units belong to the shop's paid order
    assert snapshot() == before


def test_foreign_warehouse_in_the_form_is_404(client, db, login, make_shop, snapshot):
    shop, other = make_shop(), make_shop()
    login(shop.owner)
    before = snapshot()
    response = client.post(f"/seller/{shop.koperasi.slug}/stok/{shop.variant.id}", data={
        "warehouse_id": str(other.warehouse.id), "mode": "tambah", "quantity": "5", "reason": "masuk"})
    assert response.status_code == 404
    assert snapshot() == before


def test_stock_table_low_stock_and_threshold(client, db, login, make_shop, make_product):
    shop = make_shop()
    login(shop.owner)
    slug = shop.koperasi.slug
    empty = make_product(koperasi=shop.koperasi, name="Madu Klanceng Kosong")
    table = client.get(f"/seller/{slug}/stok/").get_data(as_text=True)
    assert "Gudang Pondok" in table and shop.variant.sku in table and empty.variants[0].sku in table
    low = client.get(f"/seller/{slug}/stok/?menipis=1").get_data(as_text=True)
    assert empty.variants[0].sku in low and shop.variant.sku not in low  # 18 available > 5
    client.post(f"/seller/{slug}/stok/{shop.variant.id}/batas", data={"threshold": "18"})
    low = client.get(f"/seller/{slug}/stok/?menipis=1").get_data(as_text=True)
    assert shop.variant.sku in low
    overview = client.get(f"/seller/{slug}/").get_data(as_text=True)
    assert "Stok menipis (2)" in overview
    assert available_by_variant([shop.variant.id])[shop.variant.id] == 18


def test_warehouses_create_edit_and_no_deactivation_with_promised_units(client, db, login, make_shop):
    shop = make_shop()
    login(shop.owner)
    slug = shop.koperasi.slug
    client.post(f"/seller/{slug}/gudang/baru", data={"name": "Toko Alun-Alun", "region_code": "kota-malang",
                                                     "address": "Jl. Merdeka 1"})
    shop_in_town = db.session.scalar(select(Warehouse).where(Warehouse.name == "Toko Alun-Alun"))
    assert shop_in_town.koperasi_id == shop.koperasi.id and shop_in_town.region_code == "kota-malang"
    page = client.post(f"/seller/{slug}/gudang/{shop.warehouse.id}", data={
        "name": "Gudang Pondok", "region_code": "kab-jember", "address": ""}).get_data(as_text=True)
    assert "masih menyimpan 2 unit" in page
    assert db.session.get(Warehouse, shop.warehouse.id).is_active
    client.post(f"/seller/{slug}/gudang/{shop_in_town.id}", data={
        "name": "Toko Alun-Alun Malang", "region_code": "kota-malang", "address": "Jl. Merdeka 1"})
    assert not db.session.get(Warehouse, shop_in_town.id).is_active
    assert db.session.scalar(select(func.count()).select_from(StockMovement).where(
        StockMovement.stock_id.in_(select(Stock.id).where(Stock.warehouse_id == shop_in_town.id)))) == 0
