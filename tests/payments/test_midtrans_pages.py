"""The Midtrans pages over HTTP (test client): the webhook refuses anything not signed with our server key, the
QR image is drawn by our own app for the buyer only, and the VA page shows the bank, number, amount and the
deadline in WIB, readable without JavaScript."""

import json
from datetime import datetime

import pytest
from PIL import Image

from marketplace.payments.models import PaymentStatus
from tests.payments import midtrans_fixtures
from tests.payments.midtrans_fixtures import note
from tests.stock_fixtures import sign_in

cart = midtrans_fixtures.cart  # the fixture, shared with the other Midtrans tests


def _post(client, body):
    return client.post("/pembayaran/webhook/midtrans", data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("body", [{"order_id": "x"}, "not a dict", None])
def test_the_webhook_refuses_unsigned_bodies(client, cart, body):
    response = client.post("/pembayaran/webhook/midtrans", data=json.dumps(body) if body else b"{",
                           content_type="application/json")
    assert response.status_code == 403
    assert cart["payment"].status == PaymentStatus.PENDING


def test_the_webhook_refuses_a_wrong_signature_and_applies_a_right_one_once(client, cart):
    forged = note(cart["qris"], "settlement", key="SB-Mid-server-guess")
    assert _post(client, forged).status_code == 403
    assert cart["payment"].status == PaymentStatus.PENDING
    wrong_amount = note(cart["qris"], "settlement", amount=1000)
    assert _post(client, wrong_amount).status_code == 400
    assert cart["payment"].status == PaymentStatus.PENDING
    good = _post(client, note(cart["qris"], "settlement"))
    assert (good.status_code, good.json["outcome"]) == (200, "paid")
    again = _post(client, note(cart["qris"], "settlement"))
    assert (again.status_code, again.json["outcome"]) == (200, "duplicate")
    assert cart["payment"].status == PaymentStatus.SUCCEEDED


def test_the_qr_image_is_ours_and_only_for_the_buyer(client, cart, make_user, db):
    payment, order = cart["payment"], cart["order"]
    owner = make_user(name="Pemilik QR")
    order.user_id = owner.id
    payment.details = {**payment.details, "qr_string": "00020101021226620014COM.GO-JEK.WWW0118936009143",
                       "expires_at": datetime(2026, 12, 4, 13, 0).isoformat(), "group": "qris"}
    db.session.commit()
    stranger = make_user(name="Orang Lain")
    sign_in(client, stranger)
    assert client.get(f"/pembayaran/{payment.checkout_token}/qris.png").status_code == 404
    sign_in(client, owner)
    response = client.get(f"/pembayaran/{payment.checkout_token}/qris.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "no-store" in response.headers["Cache-Control"]
    from io import BytesIO

    assert Image.open(BytesIO(response.data)).size[0] >= 150
    page = client.get(f"/pembayaran/{payment.checkout_token}").get_data(as_text=True)
    assert f'src="/pembayaran/{payment.checkout_token}/qris.png"' in page
    assert "4 Des 2026 20:00 WIB" in page  # 13:00 UTC shown in WIB, without JavaScript
    assert "Cek status pembayaran" in page


def test_the_va_page_shows_bank_number_amount_and_steps(client, cart, make_user, db, app, monkeypatch):
    payment, order = cart["payment"], cart["order"]
    owner = make_user(name="Pemilik VA")
    order.user_id = owner.id
    payment.method = "va_bni"
    payment.details = {"charge": cart["va"].order_ref, "bank": "BNI", "va_number": "9881234567890123",
                       "expires_at": datetime(2026, 12, 5, 1, 30).isoformat(), "group": "va"}
    db.session.commit()
    sign_in(client, owner)
    monkeypatch.setitem(app.config, "MIDTRANS_API_BASE", "http://127.0.0.1:9")  # the status check fails: said so
    page = client.get(f"/pembayaran/{payment.checkout_token}").get_data(as_text=True)
    assert "tidak bisa dihubungi" in page
    for text in ("Virtual Account BNI", "9881234567890123", 'data-copy="9881234567890123"', "5 Des 2026 08:30 WIB",
                 "BNI Mobile Banking", "Virtual Account Billing", "js/paycode.js"):
        assert text in page, text
    assert "Rp " in page and "<script>" not in page

