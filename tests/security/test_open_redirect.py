"""Every next= goes through one check: browsers drop tabs and newlines and read backslashes as slashes, so
"/\t/evil.example" is "//evil.example" to them."""

import pytest

from tests.factories import PASSWORD

ATTACKS = ["/%09/evil.example", "/%0a/evil.example", "/%0d%0a/evil.example", "//evil.example", "/\\evil.example",
           "https:evil.example", "https://evil.example", "/%5Cevil.example", "%2F%2Fevil.example",
           "javascript:alert(1)", "/%00/evil.example"]


def _stays_on_site(response) -> bool:
    """Sent home, or (for a NUL byte) refused outright."""
    return response.status_code == 400 or (response.status_code == 302 and response.headers["Location"] == "/")


@pytest.mark.parametrize("target", ATTACKS)
def test_language_switch_stays_on_site(client, target):
    response = client.get(f"/bahasa/id?next={target}")
    assert _stays_on_site(response)


@pytest.mark.parametrize("target", ATTACKS)
def test_login_stays_on_site(client, make_user, target):
    user = make_user()
    response = client.post(f"/masuk?next={target}", data={"email": user.email, "password": PASSWORD})
    assert _stays_on_site(response)


def test_a_local_next_is_kept(client, make_user):
    user = make_user()
    response = client.post("/masuk?next=/keranjang%3Fa%3D1", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/keranjang?a=1"
    assert client.get("/bahasa/en?next=/produk").headers["Location"] == "/produk"
