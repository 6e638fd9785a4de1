import re

from marketplace.accounts.models import User
from tests.factories import PASSWORD
from tests.mail import sent_mail


def _count_users(db):
    return db.session.scalar(db.select(db.func.count()).select_from(User))


def test_register_creates_the_account_mails_a_welcome_and_normalises(app, client, db):
    response = client.post(
        "/daftar",
        data={"name": "Siti", "email": " Siti@Contoh.ID ", "phone": "0812-3456-7890",
              "password": "rahasia123", "confirm": "rahasia123"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/masuk"
    user = db.session.scalar(db.select(User).where(User.email == "siti@contoh.id"))
    assert user is not None and user.phone == "+6281234567890"
    assert "Selamat datang" in _sent_mail(app)[-1].subject
    client.post("/masuk", data={"email": "siti@contoh.id", "password": "rahasia123"})
    assert "Siti" in client.get("/akun").get_data(as_text=True)


def test_invalid_registration_shows_indonesian_errors_and_saves_nothing(client, db):
    before = _count_users(db)
    response = client.post("/daftar", data={"name": "", "email": "bukan-email", "password": "pendek", "confirm": "x"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nama wajib diisi." in html
    assert "Email tidak valid." in html
    assert "Kata sandi minimal 8 karakter." in html
    assert _count_users(db) == before


def test_a_taken_email_gets_the_same_answer_and_its_owner_is_told(app, client, db, make_user):
    make_user(email="ada@uji.opop.id")
    before = _count_users(db)
    form = {"name": "B", "password": "rahasia123", "confirm": "rahasia123"}
    taken = client.post("/daftar", data={**form, "email": "ADA@uji.opop.id"}, follow_redirects=True)
    free = client.post("/daftar", data={**form, "email": "baru@uji.opop.id"}, follow_redirects=True)
    assert "Periksa email Anda" in taken.get_data(as_text=True)
    assert taken.get_data(as_text=True) == free.get_data(as_text=True)
    assert _count_users(db) == before + 1
    owner_mail = [m for m in _sent_mail(app) if m.to == ["ada@uji.opop.id"]][-1]
    assert "sudah punya akun" in owner_mail.body


def test_invalid_phone_is_refused(client, db):
    response = client.post("/daftar", data={"name": "B", "email": "b@uji.opop.id", "phone": "12",
                                           "password": "rahasia123", "confirm": "rahasia123"})
    assert "Nomor telepon tidak valid." in response.get_data(as_text=True)


def test_login_wrong_password_then_right_then_logout(client, make_user):
    user = make_user()
    bad = client.post("/masuk", data={"email": user.email, "password": "salah-sekali"})
    assert "Email atau kata sandi salah." in bad.get_data(as_text=True)
    assert client.get("/akun").status_code == 302  # still anonymous
    assert client.post("/masuk", data={"email": user.email, "password": PASSWORD}).status_code == 302
    assert client.get("/akun").status_code == 200
    client.post("/keluar")
    assert client.get("/akun").status_code == 302


def test_login_refuses_open_redirect(client, make_user):
    user = make_user()
    response = client.post("/masuk?next=//evil.example/x", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_password_reset_by_emailed_link(app, client, make_user):
    user = make_user(email="lupa@uji.opop.id")
    response = client.post("/lupa-sandi", data={"email": "lupa@uji.opop.id"})
    assert response.status_code == 302
    sent = _sent_mail(app)
    assert sent and sent[-1].to == ["lupa@uji.opop.id"]
    path = re.search(r"https?://[^/\s]+(/atur-sandi/\S+)", sent[-1].body).group(1)
    assert client.post(path, data={"password": "sandiBaru99", "confirm": "sandiBaru99"}).status_code == 302
    assert client.post("/masuk", data={"email": user.email, "password": "sandiBaru99"}).status_code == 302
    # single use: once the password changed, the same link no longer opens the form
    assert client.get(path).status_code == 302


def test_reset_for_unknown_email_reveals_nothing(app, client):
    before = len(_sent_mail(app))
    response = client.post("/lupa-sandi", data={"email": "tidak-ada@uji.opop.id"}, follow_redirects=True)
    assert "Jika email terdaftar" in response.get_data(as_text=True)
    assert len(_sent_mail(app)) == before


def _sent_mail(app):
    return sent_mail(app)
