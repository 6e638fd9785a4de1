"""Smaller stumbles of the browser walk: "Beli sekarang" goes to checkout, an out-of-range page says so instead
of "Halaman 99 dari 2", and there is a favicon."""


def test_buy_now_goes_straight_to_checkout(client, buyer, make_stocked_product):
    product = make_stocked_product()
    response = client.post("/keranjang/tambah", data={"product": product.id, "variant": product.variants[0].id,
                                                      "quantity": 1, "buy_now": "1"})
    assert response.status_code == 302 and response.location.endswith("/checkout/alamat")
    added = client.post("/keranjang/tambah", data={"product": product.id, "variant": product.variants[0].id,
                                                   "quantity": 1}, headers={"Referer": f"/produk/{product.slug}"})
    assert "/checkout" not in added.location  # the plain button stays on the page


def test_a_page_past_the_last_says_so_and_links_back(client, make_stocked_product, app, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", 2)
    for n in range(3):
        make_stocked_product(name=f"Kopi {n}")
    html = client.get("/produk?hal=99").get_data(as_text=True)
    assert "Halaman 99 dari" not in html
    assert "Halaman 99 tidak ada." in html and "hal=2" in html
    assert "Halaman 2 dari 2" in client.get("/produk?hal=2").get_data(as_text=True)


def test_a_favicon_is_served(client):
    html = client.get("/").get_data(as_text=True)
    assert 'rel="icon"' in html
    with client.get("/favicon.ico", follow_redirects=True) as response:
        assert response.status_code == 200 and b"<svg" in response.data
