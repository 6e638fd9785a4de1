"""The pages around a manual transfer, over HTTP: the buyer sees the account, the exact amount and the deadline,
uploads a proof and sees "menunggu konfirmasi"; the proof is served only to that buyer and to the koperasi's
finance staff (owner, admin, finance: other roles 403, other koperasi 404); finance staff confirm, reject and
confirm manual refunds; the settings form validates and audits."""

import io

from sqlalchemy import select

from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import AuditEntry, Role
from marketplace.orders.models import OrderStatus
from marketplace.payments import services
from marketplace.payments.models import Payment, PaymentStatus
from marketplace.payments.transfer_models import KoperasiPaymentSettings, TransferProof
from tests.payments.cod_transfer_fixtures import accept
from tests.seller_fixtures import png_bytes


def _upload(client, token, data=None, name="bukti.png"):
    return client.post(f"/pembayaran/{token}/bukti", data={"proof": (io.BytesIO(data or png_bytes()), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_buyer_transfers_uploads_and_finance_staff_confirm(client, db, login, make_shop, make_cart, make_user,
                                                           make_staff):
    shop, other = make_shop("Koppontren Transfer"), make_shop("Koppontren Lain")
    accept(db, shop)
    payment, (order,), buyer = make_cart(shop)
    token = payment.checkout_token
    login(buyer)
    client.post(f"/pembayaran/{token}/metode", data={"method": "transfer"})
    page = client.get(f"/pembayaran/{token}").get_data(as_text=True)
    assert "8831234567" in page and "BCA" in page and "Rp 35.000" in page and "Bayar sebelum" in page
    page = _upload(client, token, b"teks biasa", "bukti.txt").get_data(as_text=True)
    assert "JPEG/PNG atau PDF" in page and db.session.scalar(select(TransferProof.id)) is None
    page = _upload(client, token).get_data(as_text=True)
    assert "Menunggu konfirmasi" in page
    assert "Ganti metode pembayaran" not in page and 'id="card-form"' not in page  # no second way to pay now
    proof = db.session.scalar(select(TransferProof))
    assert client.get(f"/pembayaran/{token}/bukti/{proof.id}").data == png_bytes()
    login(make_user(name="Pembeli Lain"))
    assert client.get(f"/pembayaran/{token}/bukti/{proof.id}").status_code == 404

    clerk, finance, stranger = make_staff(name="Staf Pesanan"), make_staff(name="Bendahara"), make_staff()
    koperasi_services.add_member(shop.koperasi, clerk, Role.ORDERS)
    koperasi_services.add_member(shop.koperasi, finance, Role.FINANCE)
    koperasi_services.add_member(other.koperasi, stranger, Role.FINANCE)
    db.session.commit()
    slug, base = shop.koperasi.slug, f"/seller/{shop.koperasi.slug}/pembayaran"
    login(stranger)  # another koperasi's finance staff: as if nothing existed
    assert client.get(base).status_code == 404
    assert client.get(f"/seller/{other.koperasi.slug}/pembayaran/bukti/{proof.id}").status_code == 404
    assert client.post(f"/seller/{other.koperasi.slug}/pembayaran/bukti/{proof.id}/konfirmasi").status_code == 404
    login(clerk)  # the koperasi's order staff: no access
    assert client.get(base).status_code == 403
    assert client.post(f"{base}/bukti/{proof.id}/konfirmasi").status_code == 403
    assert db.session.get(Payment, payment.id).status == PaymentStatus.PENDING

    login(finance)
    page = client.get(base).get_data(as_text=True)
    assert order.number in page and f"/seller/{slug}/pembayaran/bukti/{proof.id}" in page
    assert client.get(f"{base}/bukti/{proof.id}").data == png_bytes()
    client.post(f"{base}/bukti/{proof.id}/konfirmasi")
    client.post(f"{base}/bukti/{proof.id}/konfirmasi")
    db.session.expire_all()
    assert db.session.get(Payment, payment.id).status == PaymentStatus.SUCCEEDED
    assert services.orders_of(payment)[0].status == OrderStatus.PACKING
    assert "Tidak ada transfer yang menunggu" in client.get(base).get_data(as_text=True)
    login(buyer)
    assert "Pembayaran diterima" in client.get(f"/pembayaran/{token}").get_data(as_text=True)


def test_finance_staff_reject_with_a_reason_and_the_buyer_sees_it(client, db, login, make_shop, make_cart):
    shop = make_shop()
    accept(db, shop)
    payment, _orders, buyer = make_cart(shop)
    token = payment.checkout_token
    login(buyer)
    client.post(f"/pembayaran/{token}/metode", data={"method": "transfer"})
    _upload(client, token)
    proof = db.session.scalar(select(TransferProof))
    login(shop.owner)
    base = f"/seller/{shop.koperasi.slug}/pembayaran"
    client.post(f"{base}/bukti/{proof.id}/tolak", data={"reason": ""})
    assert db.session.get(TransferProof, proof.id).status == "waiting"
    client.post(f"{base}/bukti/{proof.id}/tolak", data={"reason": "Nominal kurang Rp 5.000"})
    assert db.session.get(TransferProof, proof.id).status == "rejected"
    login(buyer)
    page = client.get(f"/pembayaran/{token}").get_data(as_text=True)
    assert "Nominal kurang Rp 5.000" in page and "Kirim bukti transfer" in page
    assert "Menunggu konfirmasi" in _upload(client, token).get_data(as_text=True)


def test_payment_settings_are_validated_and_audited(client, db, login, make_shop, make_staff):
    shop = make_shop()
    finance = make_staff(name="Bendahara")
    koperasi_services.add_member(shop.koperasi, finance, Role.FINANCE)
    db.session.commit()
    login(finance)
    url = f"/seller/{shop.koperasi.slug}/pembayaran/pengaturan"
    response = client.post(url, data={"cod_enabled": "y", "cod_max_amount": "", "bank_name": "BCA",
                                      "bank_account_number": "12ab", "bank_account_holder": "Koperasi"})
    assert response.status_code == 400 and "Isi batas nilai pesanan COD" in response.get_data(as_text=True)
    response = client.post(url, data={"cod_enabled": "y", "cod_max_amount": "Rp 500.000", "bank_name": "BCA",
                                      "bank_account_number": "12ab", "bank_account_holder": "Koperasi"})
    assert response.status_code == 400 and "Nomor rekening harus" in response.get_data(as_text=True)
    assert db.session.get(KoperasiPaymentSettings, shop.koperasi.id) is None
    response = client.post(url, data={"cod_enabled": "y", "cod_max_amount": "Rp 500.000",
                                      "bank_name": "BSI (Bank Syariah Indonesia)",
                                      "bank_account_number": "7123 4567 89", "bank_account_holder": "Kopontren Uji"})
    assert response.status_code == 302
    settings = db.session.get(KoperasiPaymentSettings, shop.koperasi.id)
    assert (settings.cod_enabled, settings.cod_max_amount, settings.bank_account_number) == (True, 500000,
                                                                                             "7123456789")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "payments.settings"))
    assert entry.user_id == finance.id and entry.details["changes"]["cod_max_amount"] == [None, 500000]
    page = client.get(f"/seller/{shop.koperasi.slug}/pembayaran").get_data(as_text=True)
    assert 'value="7123456789"' in page
