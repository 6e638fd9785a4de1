"""The address form tells every problem at once (it told one per submit), and keeps what was typed."""

from tests.checkout.test_checkout import _fill_cart
from tests.stock_fixtures import ADDRESS


def test_every_field_error_is_shown_at_once(client, buyer, make_stocked_product):
    _fill_cart(client, (make_stocked_product(), 1))
    response = client.post("/checkout/alamat", data={**ADDRESS, "recipient": " ", "phone": "12", "region_code": "",
                                                     "district": "", "street": "", "postal_code": "6024"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("Nama penerima wajib diisi.", "Nomor telepon tidak valid.", "Pilih kabupaten/kota.",
                    "Kecamatan wajib diisi.", "Alamat jalan wajib diisi.", "Kode pos harus 5 digit angka."):
        assert message in html, message
    assert 'value="Jagir"' in html  # what was right is kept
    assert client.get("/checkout").status_code == 302  # nothing was saved: checkout still asks for the address


def test_another_province_needs_a_typed_kabupaten_and_the_east_java_list_is_hidden(client, buyer,
                                                                                   make_stocked_product):
    _fill_cart(client, (make_stocked_product(), 1))
    response = client.post("/checkout/alamat", data={**ADDRESS, "province": "Bali", "city": "", "village": ""})
    html = response.get_data(as_text=True)
    assert "Kabupaten/kota wajib diisi." in html and "Kelurahan/desa wajib diisi." in html
    assert "Pilih kabupaten/kota." not in html
    east_java_list = html.split("data-province-only=", 1)[1].split(">", 1)[0]
    assert "hidden" in east_java_list
    assert client.post("/checkout/alamat", data={**ADDRESS, "province": "Bali", "city": "Kab. Badung"}).status_code \
        == 302
