"""Imported partner orders on the order desk: their channel shown, flagged ones in their own tab with the reason,
and the desk's own pack/ship/cancel refused (the partner owns their status)."""

from marketplace.inventory.queries import available_by_variant
from marketplace.orders import partner
from marketplace.orders.models import Order, OrderStatus


def _import(shop, external_id: str, unknown: bool = False):
    lines = [partner.PartnerLine(sku=shop.variant.sku, quantity=2, unit_price=shop.variant.price,
                                 variant_id=shop.variant.id, weight_grams=shop.variant.weight_grams)]
    if unknown:
        lines.append(partner.PartnerLine(sku="SARUNG-X", quantity=1, unit_price=150000, name="Sarung Tenun"))
    data = partner.PartnerOrderData(platform="shopee", external_id=external_id, koperasi_id=shop.koperasi.id,
                                    status=OrderStatus.PACKING, partner_status="READY_TO_SHIP", updated_at=100,
                                    lines=lines, buyer_name="Rina Shopee")
    return partner.import_partner_order(data).order


def test_desk_shows_the_channel_and_flags(client, db, login, make_shop):
    shop = make_shop()
    plain = _import(shop, "2412SHOPEE01")
    flagged = _import(shop, "2412SHOPEE02", unknown=True)
    db.session.commit()
    login(shop.owner)
    slug = shop.koperasi.slug
    page = client.get(f"/seller/{slug}/pesanan").get_data(as_text=True)
    assert plain.number in page and "Shopee" in page and "Perlu dicek (1)" in page
    page = client.get(f"/seller/{slug}/pesanan?tab=perlu-dicek").get_data(as_text=True)
    assert flagged.number in page and plain.number not in page and shop.order.number not in page
    detail = client.get(f"/seller/{slug}/pesanan/{flagged.number}").get_data(as_text=True)
    assert "2412SHOPEE02" in detail and "SARUNG-X" in detail and "tidak cocok" in detail
    assert "Rina Shopee" in detail and "Batalkan pesanan" not in detail and "Tandai sudah dikemas" not in detail


def test_desk_cannot_cancel_or_ship_a_partner_order(client, db, login, make_shop):
    shop = make_shop()
    order = _import(shop, "2412SHOPEE03")
    db.session.commit()
    before = available_by_variant([shop.variant.id])[shop.variant.id]
    login(shop.owner)
    base = f"/seller/{shop.koperasi.slug}/pesanan/{order.number}"
    page = client.post(f"{base}/batal", data={"reason": "coba"}, follow_redirects=True).get_data(as_text=True)
    assert "ubah statusnya di Shopee" in page
    page = client.post(f"{base}/kirim", data={"tracking_number": "JNE0123456789"},
                       follow_redirects=True).get_data(as_text=True)
    assert "ubah statusnya di Shopee" in page
    assert db.session.get(Order, order.id).status == OrderStatus.PACKING
    assert available_by_variant([shop.variant.id])[shop.variant.id] == before
