"""Mailed links come from PUBLIC_BASE_URL: a request with a forged Host header must not make the marketplace mail a
victim a valid token on the attacker's host."""

import re

from tests.factories import PASSWORD
from tests.mail import sent_mail

EVIL = {"Host": "evil.example"}


def _links(body: str) -> list[str]:
    return re.findall(r"https?://[^\s]+", body)


def test_reset_link_ignores_the_host_header(app, client, make_user):
    user = make_user()
    client.post("/lupa-sandi", data={"email": user.email}, headers=EVIL)
    mail = [m for m in sent_mail(app) if m.to == [user.email]][-1]
    links = _links(mail.body)
    assert links and all(link.startswith(app.config["PUBLIC_BASE_URL"] + "/atur-sandi/") for link in links)
    assert "evil.example" not in mail.body


def test_invitation_link_ignores_the_host_header(app, client, make_shop):
    shop = make_shop()
    client.post("/masuk", data={"email": shop.owner.email, "password": PASSWORD}, headers=EVIL)
    client.post(f"/seller/{shop.koperasi.slug}/anggota/undang", data={"email": "tamu@contoh.id", "role": "stock"},
                headers=EVIL)
    mail = [m for m in sent_mail(app) if m.to == ["tamu@contoh.id"]][-1]
    assert "evil.example" not in mail.body
    assert any(link.startswith(app.config["PUBLIC_BASE_URL"] + "/undangan-koperasi/") for link in _links(mail.body))


def test_order_link_is_on_the_public_site(app, db, make_shop):
    from marketplace.orders.notifications import send_order_confirmations

    shop = make_shop()

    class Event:
        payload = {"order_id": shop.order.id}

    with app.test_request_context("/", headers=EVIL):
        send_order_confirmations([Event()])
        db.session.commit()
    mail = [m for m in sent_mail(app) if shop.order.number in m.subject][-1]
    assert f"{app.config['PUBLIC_BASE_URL']}/pesanan/{shop.order.number}" in mail.body
    assert "evil.example" not in mail.body
