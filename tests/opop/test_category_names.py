"""The OPOP team names the shared categories in Indonesian and English (/opop/kategori); English pages use the
English name at once (the page cache is keyed by the catalogue version the rename bumps)."""

import re

from marketplace.catalog import services as catalog


def visible_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_the_team_sets_an_english_name_and_english_pages_show_it(client, db, login, make_user, make_product):
    food = catalog.create_category("Makanan Olahan")
    coffee = catalog.create_category("Kopi Bubuk", parent=food)
    db.session.commit()
    product = make_product(name="Kopi Tubruk Jember", category=coffee)
    client.get("/bahasa/en")
    assert "Home › Makanan Olahan › Kopi Bubuk" in visible_text(client.get(f"/produk/{product.slug}"))  # cached

    login(make_user(is_opop_admin=True))
    page = visible_text(client.get("/opop/kategori"))
    assert "Makanan Olahan" in page and coffee.slug in page
    response = client.post(f"/opop/kategori/{coffee.id}", data={"name": " Kopi  Bubuk ", "name_en": "Ground Coffee"})
    assert response.status_code == 302 and response.location.endswith(f"#kategori-{coffee.id}")
    db.session.refresh(coffee)
    assert (coffee.name, coffee.name_en, coffee.slug) == ("Kopi Bubuk", "Ground Coffee", "kopi-bubuk")
    assert "Category name saved." in visible_text(client.get("/opop/kategori"))

    assert "Home › Makanan Olahan › Ground Coffee" in visible_text(client.get(f"/produk/{product.slug}"))
    client.get("/bahasa/id")
    assert "Beranda › Makanan Olahan › Kopi Bubuk" in visible_text(client.get(f"/produk/{product.slug}"))


def test_a_category_needs_an_indonesian_name(client, db, login, make_user):
    category = catalog.create_category("Anyaman Bambu", name_en="Bamboo Weaving")
    db.session.commit()
    login(make_user(is_opop_admin=True))
    client.post(f"/opop/kategori/{category.id}", data={"name": "  ", "name_en": "x" * 121})
    assert "Nama kategori wajib diisi." in visible_text(client.get("/opop/kategori"))
    client.post(f"/opop/kategori/{category.id}", data={"name": "Anyaman", "name_en": "x" * 121})
    assert "maksimal 120 karakter" in visible_text(client.get("/opop/kategori"))
    db.session.refresh(category)
    assert (category.name, category.name_en) == ("Anyaman Bambu", "Bamboo Weaving")
    assert client.post("/opop/kategori/999999", data={"name": "X"}).status_code == 302


def test_search_finds_products_by_the_new_english_name(client, db, search_dir, login, make_user, make_product):
    from marketplace.outbox.services import dispatch_pending

    food = catalog.create_category("Makanan Olahan")
    coffee = catalog.create_category("Kopi Bubuk", parent=food)
    db.session.commit()
    make_product(name="Tubruk Jember Asli", category=coffee)
    dispatch_pending()
    db.session.commit()
    assert "Tubruk Jember Asli" not in visible_text(client.get("/cari?q=beverage"))
    login(make_user(is_opop_admin=True))
    client.post(f"/opop/kategori/{food.id}", data={"name": "Makanan Olahan", "name_en": "Beverage Corner"})
    dispatch_pending()  # the outbox re-indexes the products under the renamed category (eager Celery in tests)
    db.session.commit()
    assert "Tubruk Jember Asli" in visible_text(client.get("/cari?q=beverage"))
