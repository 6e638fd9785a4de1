"""The region filter of the listings offers the kabupaten/kota that have products (it offered only "Semua
wilayah"), and choosing one narrows the list."""

import re


def _options(html: str) -> list[str]:
    select = html.split('name="wilayah"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"', select)


def test_listing_offers_the_regions_with_products_and_filters_by_them(client, make_koperasi, make_product,
                                                                      make_category):
    kopi = make_category("Kopi")
    make_product(koperasi=make_koperasi(region_code="kab-malang"), name="Kopi Dampit", category=kopi)
    make_product(koperasi=make_koperasi(region_code="kota-surabaya"), name="Kopi Suroboyo", category=kopi)
    make_koperasi(region_code="kab-jember")  # a koperasi without products is no reason to offer Jember
    for path in ("/produk", f"/kategori/{kopi.slug}"):
        html = client.get(path).get_data(as_text=True)
        assert _options(html) == ["", "kab-malang", "kota-surabaya"], path
        narrowed = client.get(f"{path}?wilayah=kab-malang").get_data(as_text=True)
        assert "Kopi Dampit" in narrowed and "Kopi Suroboyo" not in narrowed
        assert 'value="kab-malang" selected' in narrowed
