"""Every OPOP team route, walked from the URL map, is hidden (404) from anonymous visitors, buyers and koperasi
staff, for GET and POST alike; the team reaches every page; the public page needs no login and shows no person."""

import pytest

from marketplace.koperasi.models import VerificationStatus

TEAM_ENDPOINT_PREFIX = "opop."


def _team_routes(app, ids: dict) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(TEAM_ENDPOINT_PREFIX):
            continue
        path = rule.build({name: ids[name] for name in rule.arguments}, append_unknown=False)[1]
        routes += [(method, path) for method in sorted(rule.methods & {"GET", "POST"})]
    return routes


@pytest.fixture
def ids(db, make_koperasi, make_product, make_user, make_category, login, client, apply):
    applicant = make_user()
    login(applicant)
    apply(21)
    client.post("/keluar")
    from sqlalchemy import select

    from marketplace.opop.models import ApplicationDocument

    document = db.session.scalar(select(ApplicationDocument).limit(1))
    koperasi = document.application.koperasi
    product = make_product()
    category = make_category("Kategori Rahasia Uji")
    return {"koperasi_id": koperasi.id, "document_id": document.id, "product_id": product.id, "name": "koperasi",
            "category_id": category.id, "koperasi": koperasi, "product": product, "category": category}


def test_the_walk_covers_every_team_page(app, ids):
    routes = _team_routes(app, ids)
    assert len(routes) >= 11
    assert {p for _, p in routes} >= {"/opop/koperasi", "/opop/dasbor", "/opop/unggulan", "/opop/angkatan"}


@pytest.mark.parametrize("who", ["anonymous", "buyer", "koperasi staff"])
def test_nobody_else_reaches_a_team_route(app, db, client, login, make_user, make_koperasi, ids, who):
    if who == "buyer":
        login(make_user(name="Pembeli Biasa"))
    elif who == "koperasi staff":
        staff = make_user(name="Pengurus Koperasi")
        make_koperasi(owner=staff)
        login(staff)
    for method, path in _team_routes(app, ids):
        data = {"action": "approve", "note": "Catatan kurasi uji", "year": "2030", "cohort_id": ""}
        response = client.open(path, method=method, data=data if method == "POST" else None)
        assert response.status_code == 404, (who, method, path, response.status_code)
        response.close()
    assert ids["koperasi"].status == VerificationStatus.SUBMITTED
    assert not ids["product"].is_flagship
    assert ids["category"].name == "Kategori Rahasia Uji"


def test_the_team_reaches_every_page(app, client, login, make_user, ids):
    login(make_user(is_opop_admin=True))
    for method, path in _team_routes(app, ids):
        if method == "GET":
            response = client.get(path)
            assert response.status_code == 200, path
            response.close()


def test_public_page_needs_no_login_and_names_no_person(db, client, make_koperasi, make_user):
    owner = make_user(name="Nama Pribadi Pengurus", email="pribadi@uji.opop.id", phone="+6281200000099")
    koperasi = make_koperasi(name="Koppontren Transparan", owner=owner)
    koperasi.pesantren.leader = "KH. Nama Pengasuh Pribadi"
    koperasi.phone = "+6281299999999"
    db.session.commit()
    page = client.get("/opop").get_data(as_text=True)
    assert "Koppontren Transparan" in page and "Kabupaten Jember" in page and "<svg" in page
    for private in ("Nama Pribadi Pengurus", "pribadi@uji.opop.id", "6281200000099", "KH. Nama Pengasuh Pribadi",
                    "6281299999999", koperasi.nib):
        assert private not in page


def test_application_form_needs_login(client):
    response = client.get("/daftar-koperasi")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
