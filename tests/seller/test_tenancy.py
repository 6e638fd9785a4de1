"""I6 tenancy, measured: every seller route, walked from the URL map (so a new route cannot be forgotten), with
another koperasi's ids, GET and POST with a valid CSRF token → 404 and nothing changed; and each role reaches
only its own pages."""

import io

import pytest

from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import Role
from tests.factories import PASSWORD
from tests.seller_fixtures import add_payment_rows, png_bytes

# Routes of the seller package that are not under /seller/<slug>/ (they have their own tests).
UNSCOPED = {"seller.index", "seller_invite.accept"}
NON_ID_ARGUMENTS = {"slug": None, "fmt": "csv", "platform": "shopee", "action": "kirim"}


def seller_rules(app):
    """Everything under /seller/, whichever blueprint registered it, plus the seller package's other routes."""
    rules = [r for r in app.url_map.iter_rules()
             if r.rule.startswith("/seller/") or r.endpoint.split(".")[0] in ("seller", "seller_invite")]
    assert len(rules) > 20, "the seller routes were not found"
    return rules


def form_data(token: str, other_ids: dict) -> dict:
    """Valid input for every dashboard form at once, so that a route that forgot its scoping would change
    something; the other koperasi's ids ride along as form fields too."""
    return {
        "csrf_token": token, "status": "archived", "direction": "down", "role": "admin", "email": "baru@uji.test",
        "name": "Diubah", "category_id": "0", "description": "diubah", "sku": "SKU-BARU-1", "variant_name": "v",
        "options": "", "price": "1000", "weight_grams": "10", "is_active": "y", "kind": "pirt",
        "number": "123456789012345", "valid_until": "2031-01-01", "mode": "jadikan", "quantity": "0",
        "reason": "masuk", "note": "uji", "threshold": "99", "region_code": "kab-malang", "address": "Jl. Baru",
        "courier": "pos", "tracking_number": "JNE0123456789",
        "variant": str(other_ids.get("variant_id", "")), "warehouse": str(other_ids.get("warehouse_id", "")),
        "image": (io.BytesIO(png_bytes()), "a.png"),
        "file": (io.BytesIO(b"nama_produk,sku,harga,berat_gram\nX,SKU-X-1,1000,10\n"), "x.csv"),
        **{name: str(value) for name, value in other_ids.items() if name.endswith("_id")},
    }


def url_for_rule(rule, slug: str, ids: dict) -> str:
    values = {}
    for name in rule.arguments:
        if name == "slug":
            values[name] = slug
        elif name in NON_ID_ARGUMENTS:
            values[name] = NON_ID_ARGUMENTS[name]
        else:
            assert name in ids, f"{rule.endpoint}: unknown URL argument {name!r}; teach the tenancy test its ids"
            values[name] = ids[name]
    return rule.build(values, append_unknown=False)[1]


def login_with_csrf(client, csrf, user):
    response = client.post("/masuk", data={"csrf_token": csrf("/masuk"), "email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_every_seller_route_hides_other_koperasi(app, client, csrf, make_shop, snapshot):
    mine, theirs = add_payment_rows(make_shop("Koperasi Kita")), add_payment_rows(make_shop("Koperasi Tetangga"))
    login_with_csrf(client, csrf, mine.owner)
    token = csrf(f"/seller/{mine.koperasi.slug}/produk")
    before = snapshot()
    checked = 0
    for rule in seller_rules(app):
        if rule.endpoint in UNSCOPED:
            continue
        assert "slug" in rule.arguments, f"{rule.rule} is not scoped by the koperasi slug"
        id_names = sorted(set(rule.arguments) - set(NON_ID_ARGUMENTS))
        cases = [(theirs.koperasi.slug, mine.ids())]  # a koperasi I am not a member of
        if id_names:
            cases.append((mine.koperasi.slug, theirs.ids()))  # my koperasi, their ids
            for name in id_names if len(id_names) > 1 else []:  # one foreign id among my own
                cases.append((mine.koperasi.slug, {**mine.ids(), name: theirs.ids()[name]}))
        for slug, ids in cases:
            url = url_for_rule(rule, slug, ids)
            for method in sorted(rule.methods & {"GET", "POST"}):
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data=form_data(token, theirs.ids()), content_type="multipart/form-data")
                assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
                checked += 1
    assert checked > 40
    assert snapshot() == before


def test_foreign_koperasi_slug_answers_like_a_missing_one(client, login, make_shop):
    mine, theirs = make_shop(), make_shop()
    login(mine.owner)
    assert client.get(f"/seller/{theirs.koperasi.slug}/").status_code == 404
    assert client.get("/seller/tidak-ada-koperasi/").status_code == 404


ALL = set(Role)
# path after /seller/<slug> -> roles that may open it (the owner always may); the spec the code must meet
ROLE_SPEC = [
    ("/anggota", {Role.OWNER}), ("/undangan", {Role.OWNER}), ("/log", {Role.OWNER}),
    ("/produk", {Role.OWNER, Role.ADMIN, Role.CATALOG}),
    ("/impor", {Role.OWNER, Role.ADMIN, Role.CATALOG}), ("/ekspor", {Role.OWNER, Role.ADMIN, Role.CATALOG}),
    ("/stok", {Role.OWNER, Role.ADMIN, Role.STOCK}), ("/gudang", {Role.OWNER, Role.ADMIN, Role.STOCK}),
    ("/pesanan", {Role.OWNER, Role.ADMIN, Role.ORDERS}),
    ("/laporan", {Role.OWNER, Role.ADMIN, Role.FINANCE}),
    ("/kanal", {Role.OWNER, Role.ADMIN}),
    ("/pembayaran", {Role.OWNER, Role.ADMIN, Role.FINANCE}),
]


def allowed_roles(path: str, slug: str) -> set[Role]:
    rest = path.split(f"/seller/{slug}", 1)[1]
    if rest == "/":
        return ALL
    for prefix, roles in ROLE_SPEC:
        if rest.startswith(prefix):
            return roles
    pytest.fail(f"{path}: no role rule for this page; add it to ROLE_SPEC")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_only_its_pages(app, db, make_shop, make_staff, role, snapshot):
    shop = add_payment_rows(make_shop())
    user = make_staff(name=f"Staf {role.value}")
    koperasi_services.add_member(shop.koperasi, user, role)
    client = app.test_client()
    assert client.post("/masuk", data={"email": user.email, "password": PASSWORD}).status_code == 302
    before = snapshot()
    reached, refused = set(), set()
    for rule in seller_rules(app):
        if rule.endpoint in UNSCOPED:
            continue
        url = url_for_rule(rule, shop.koperasi.slug, shop.ids())
        allowed = role in allowed_roles(url, shop.koperasi.slug)
        if "GET" in rule.methods:
            status = client.get(url).status_code
            if allowed:
                assert status in (200, 302), f"{role}: GET {url} answered {status}"
                reached.add(rule.endpoint)
            else:
                assert status == 403, f"{role}: GET {url} answered {status}, expected 403 (no access)"
                refused.add(rule.endpoint)
        elif not allowed:
            status = client.post(url, data=form_data("", {}), content_type="multipart/form-data").status_code
            assert status == 403, f"{role}: POST {url} answered {status}, expected 403 (no access)"
            refused.add(rule.endpoint)
    assert "seller.overview" in reached
    if refused:  # the member is told why, in words, not "not found"
        page = client.get(f"/seller/{shop.koperasi.slug}/anggota").get_data(as_text=True)
        assert "Tidak ada akses" in page and "Peran Anda di koperasi ini" in page
    assert snapshot() == before
    if role == Role.OWNER:
        assert not refused
    else:
        assert "seller.members" in refused and "seller.audit_log" in refused
