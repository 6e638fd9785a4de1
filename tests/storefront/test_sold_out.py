"""Sold out, as a buyer meets it: the card and the page say "Habis", a sold-out variant is neither preselected
nor choosable, and a product with nothing left cannot be put in the cart."""

import re

from tests.stock_fixtures import set_stock, warehouse_of


def _radio(html: str, variant_id: int) -> str:
    return re.search(rf'<input type="radio" name="variant" value="{variant_id}"[^>]*>', html).group(0)


def test_a_sold_out_variant_is_not_preselected_and_cannot_be_chosen(client, db, make_stocked_product):
    product = make_stocked_product(stock=(0, 5, 3), name="Sarung Tenun")
    first, second, third = (v.id for v in product.variants)
    html = client.get(f"/produk/{product.slug}").get_data(as_text=True)
    assert "disabled" in _radio(html, first) and "checked" not in _radio(html, first)
    assert "checked" in _radio(html, second) and "disabled" not in _radio(html, second)
    assert "checked" not in _radio(html, third) and "disabled" not in _radio(html, third)
    assert "Habis" in html and "Stok 5" in html
    # The cached page follows stock at once: the first variant restocked is the one preselected again.
    set_stock(product.variants[0], warehouse_of(product.koperasi), 2)
    db.session.commit()
    html = client.get(f"/produk/{product.slug}").get_data(as_text=True)
    assert "checked" in _radio(html, first) and "checked" not in _radio(html, second)


def test_a_product_with_nothing_left_says_habis_everywhere_and_cannot_be_bought(client, make_stocked_product):
    product = make_stocked_product(stock=(0, 0), name="Madu Kosong")
    html = client.get(f"/produk/{product.slug}").get_data(as_text=True)
    assert all("disabled" in _radio(html, v.id) and "checked" not in _radio(html, v.id) for v in product.variants)
    buttons = re.findall(r"<button class=\"btn[^\"]*\"[^>]*>", html.split('class="buy-row"', 1)[1].split("</form>")[0])
    assert len(buttons) == 2 and all("disabled" in b for b in buttons)
    card = client.get("/produk").get_data(as_text=True).split("Madu Kosong", 1)[1].split("</article>", 1)[0]
    assert "Habis" in card
