"""Staff see only the koperasi they belong to; the OPOP pages are the OPOP team's alone."""

from marketplace.catalog.models import ProductStatus
from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import Role, VerificationStatus


def test_staff_of_a_cannot_open_koperasi_b(client, login, make_user, make_koperasi, make_product):
    staff_a = make_user()
    koperasi_a = make_koperasi(owner=staff_a)
    koperasi_b = make_koperasi()
    secret = make_product(koperasi=koperasi_b, name="Draf Rahasia Koperasi B", status=ProductStatus.DRAFT)
    login(staff_a)
    own = client.get(f"/seller/{koperasi_a.slug}/")
    assert own.status_code == 200
    other = client.get(f"/seller/{koperasi_b.slug}/")
    assert other.status_code == 404
    assert secret.name not in other.get_data(as_text=True)
    # a koperasi that does not exist looks the same as one the user may not see
    assert client.get("/seller/tidak-ada/").status_code == 404


def test_seller_pages_need_login(client, make_koperasi):
    koperasi = make_koperasi()
    response = client.get(f"/seller/{koperasi.slug}/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_staff_see_their_drafts(client, login, make_user, make_koperasi, make_product):
    owner = make_user()
    koperasi = make_koperasi(owner=owner)
    draft = make_product(koperasi=koperasi, name="Produk Masih Draf", status=ProductStatus.DRAFT)
    login(owner)
    assert draft.name in client.get(f"/seller/{koperasi.slug}/").get_data(as_text=True)


def test_member_of_two_koperasi_chooses(client, login, make_user, make_koperasi):
    staff = make_user()
    first, second = make_koperasi(name="Kop Satu"), make_koperasi(name="Kop Dua")
    koperasi_services.add_member(first, staff, Role.CATALOG)
    koperasi_services.add_member(second, staff, Role.ORDERS)
    login(staff)
    page = client.get("/seller/").get_data(as_text=True)
    assert "Kop Satu" in page and "Kop Dua" in page


def test_opop_pages_are_hidden_from_everyone_else(client, login, make_user, make_koperasi):
    koperasi = make_koperasi(status=VerificationStatus.SUBMITTED)
    login(make_user())
    assert client.get("/opop/koperasi").status_code == 404
    assert client.post(f"/opop/koperasi/{koperasi.id}/keputusan", data={"action": "approve"}).status_code == 404
    assert koperasi.status == VerificationStatus.SUBMITTED


def test_opop_team_verifies_a_koperasi(client, login, make_user, make_koperasi, make_product):
    koperasi = make_koperasi(status=VerificationStatus.SUBMITTED)
    product = make_product(koperasi=koperasi, name="Sambal Baru Terverifikasi")
    assert product.name not in client.get("/produk").get_data(as_text=True)
    login(make_user(is_opop_admin=True))
    response = client.post(f"/opop/koperasi/{koperasi.id}/keputusan", data={"action": "approve"})
    assert response.status_code == 302
    assert koperasi.status == VerificationStatus.VERIFIED
    assert product.name in client.get("/produk").get_data(as_text=True)


def test_opop_refuses_an_illegal_jump(client, login, make_user, make_koperasi):
    koperasi = make_koperasi(status=VerificationStatus.DRAFT)
    login(make_user(is_opop_admin=True))
    page = client.post(f"/opop/koperasi/{koperasi.id}/keputusan", data={"action": "approve"},
                       follow_redirects=True).get_data(as_text=True)
    assert "tidak berlaku" in page
    assert koperasi.status == VerificationStatus.DRAFT
