"""English mode on the dashboard: staff roles and the category picker read in English; Indonesian unchanged."""

import re

from marketplace.catalog import services as catalog
from tests.stock_fixtures import sign_in


def visible_text(response) -> str:
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_roles_are_named_in_the_visitors_language(client, make_shop):
    shop = make_shop()  # an owner, a catalogue member and a pending stock invitation
    sign_in(client, shop.owner)
    members = f"/seller/{shop.koperasi.slug}/anggota"
    page = visible_text(client.get(members))
    assert "Toko Saya · Pemilik" in page and "· Stok" in page

    client.get("/bahasa/en")
    page = visible_text(client.get(members))
    assert "My shop · Owner" in page, page[:300]
    assert f"{shop.invitation.email} · Stock" in page
    assert "Catalogue (products, import/export)" in page and "Owner (full access)" in page
    assert "Toko Saya" not in page and "· Stok" not in page


def test_the_category_picker_uses_english_names(client, db, make_shop):
    shop = make_shop()
    food = catalog.create_category("Makanan Olahan", name_en="Processed Food")
    catalog.create_category("Kopi Bubuk", parent=food, name_en="Ground Coffee")
    catalog.create_category("Anyaman Bambu")
    db.session.commit()
    sign_in(client, shop.owner)
    path = f"/seller/{shop.koperasi.slug}/produk/baru"
    assert "Makanan Olahan › Kopi Bubuk" in visible_text(client.get(path))
    client.get("/bahasa/en")
    page = visible_text(client.get(path))
    assert "Processed Food › Ground Coffee" in page and "Anyaman Bambu" in page and "Kopi Bubuk" not in page
