"""Members: the owner invites by a signed email link, sets and removes roles; staff switch between koperasi;
every staff action lands in the audit log the owner reads."""

import re

from sqlalchemy import func, select

from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import AuditEntry, Membership, Role
from tests.factories import PASSWORD
from tests.mail import sent_mail


def invitation_to(app, email: str):
    return [mail for mail in sent_mail(app) if mail.to == [email]][-1]


def last_invitation_path(app, email: str) -> str:
    body = invitation_to(app, email).body
    match = re.search(r"https?://[^/\s]+(/undangan-koperasi/\S+)", body)
    assert match, body
    return match.group(1)


def role_of(db, user, koperasi) -> Role | None:
    return db.session.scalar(
        select(Membership.role).where(Membership.user_id == user.id, Membership.koperasi_id == koperasi.id)
    )


def test_owner_invites_and_the_invited_person_joins_with_that_role(app, client, db, login, make_shop, make_staff):
    shop = make_shop()
    newcomer = make_staff(name="Santri Baru")
    login(shop.owner)
    response = client.post(f"/seller/{shop.koperasi.slug}/anggota/undang",
                           data={"email": newcomer.email.upper(), "role": "stock"}, follow_redirects=True)
    assert "Undangan terkirim" in response.get_data(as_text=True)
    mail = invitation_to(app, newcomer.email)
    assert shop.koperasi.name in mail.subject
    path = last_invitation_path(app, newcomer.email)

    other = app.test_client()  # the invited person, in their own browser
    other.post("/masuk", data={"email": newcomer.email, "password": PASSWORD})
    assert "Terima undangan" in other.get(path).get_data(as_text=True)
    assert other.post(path).status_code == 302
    assert role_of(db, newcomer, shop.koperasi) == Role.STOCK
    assert other.get(f"/seller/{shop.koperasi.slug}/produk").status_code == 403  # stock staff: no catalog
    # the link is single use
    assert other.post(path).status_code == 400


def test_invitation_link_works_only_for_the_invited_email(app, client, db, login, make_shop, make_staff):
    shop = make_shop()
    login(shop.owner)
    client.post(f"/seller/{shop.koperasi.slug}/anggota/undang", data={"email": "tamu@contoh.id", "role": "admin"})
    path = last_invitation_path(app, "tamu@contoh.id")
    stranger = make_staff()
    intruder = app.test_client()
    intruder.post("/masuk", data={"email": stranger.email, "password": PASSWORD})
    page = intruder.post(path, follow_redirects=True).get_data(as_text=True)
    assert "Undangan ini untuk tamu@contoh.id" in page
    assert role_of(db, stranger, shop.koperasi) is None
    # a tampered token is refused
    assert intruder.get(path[:-3] + "xyz").status_code == 400
    # anonymous visitors are sent to log in first
    assert app.test_client().get(path).status_code == 302


def test_revoked_invitation_no_longer_works(app, client, db, login, make_shop, make_staff):
    shop = make_shop()
    invited = make_staff()
    login(shop.owner)
    client.post(f"/seller/{shop.koperasi.slug}/anggota/undang", data={"email": invited.email, "role": "orders"})
    path = last_invitation_path(app, invited.email)
    from marketplace.koperasi.staff import open_invitations

    pending = [i for i in open_invitations(shop.koperasi.id) if i.email == invited.email]
    client.post(f"/seller/{shop.koperasi.slug}/undangan/{pending[0].id}/batal")
    guest = app.test_client()
    guest.post("/masuk", data={"email": invited.email, "password": PASSWORD})
    assert guest.get(path).status_code == 400
    assert role_of(db, invited, shop.koperasi) is None


def test_owner_changes_and_removes_roles_but_never_the_last_owner(client, db, login, make_shop):
    shop = make_shop()
    member_user = shop.member.user
    login(shop.owner)
    slug = shop.koperasi.slug
    client.post(f"/seller/{slug}/anggota/{shop.member.id}/peran", data={"role": "finance"})
    assert role_of(db, member_user, shop.koperasi) == Role.FINANCE
    owner_membership = db.session.scalar(select(Membership).where(
        Membership.user_id == shop.owner.id, Membership.koperasi_id == shop.koperasi.id))
    page = client.post(f"/seller/{slug}/anggota/{owner_membership.id}/peran", data={"role": "admin"},
                       follow_redirects=True).get_data(as_text=True)
    assert "minimal satu pemilik" in page
    assert role_of(db, shop.owner, shop.koperasi) == Role.OWNER
    client.post(f"/seller/{slug}/anggota/{shop.member.id}/hapus")
    assert role_of(db, member_user, shop.koperasi) is None


def test_staff_in_two_koperasi_switch_between_them(client, login, make_shop, make_staff):
    staff = make_staff()
    first, second = make_shop("Kop Pertama"), make_shop("Kop Kedua")
    koperasi_services.add_member(first.koperasi, staff, Role.CATALOG)
    koperasi_services.add_member(second.koperasi, staff, Role.ORDERS)
    login(staff)
    page = client.get(f"/seller/{first.koperasi.slug}/").get_data(as_text=True)
    assert "Ganti koperasi" in page and f"/seller/{second.koperasi.slug}/" in page
    assert client.get(f"/seller/{second.koperasi.slug}/").status_code == 200
    assert "terakhir dibuka" in client.get("/seller/").get_data(as_text=True)


def test_every_staff_action_is_in_the_owner_audit_log(client, db, login, make_shop, make_staff):
    shop = make_shop()
    catalog_staff = shop.member.user
    login(catalog_staff)
    slug = shop.koperasi.slug
    client.post(f"/seller/{slug}/produk/{shop.product.id}", data={"name": "Kopi Nama Baru", "category_id": "0",
                                                                  "description": ""})
    client.post(f"/seller/{slug}/produk/{shop.product.id}/status", data={"status": "archived"})
    assert client.get(f"/seller/{slug}/log").status_code == 403  # only the owner reads the log
    entries = db.session.execute(select(AuditEntry.action, AuditEntry.user_id, AuditEntry.subject)
                                 .where(AuditEntry.koperasi_id == shop.koperasi.id).order_by(AuditEntry.id)).all()
    assert [(a, u) for a, u, _ in entries] == [
        ("product.update", catalog_staff.id), ("product.status", catalog_staff.id)]
    login(shop.owner)
    log = client.get(f"/seller/{slug}/log").get_data(as_text=True)
    assert "product.status" in log and "Kopi Nama Baru" in log and catalog_staff.name in log
    # a refused action writes nothing
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    client.post(f"/seller/{slug}/produk/{shop.product.id}/varian",
                data={"sku": shop.product.variants[1].sku, "price": "1000", "weight_grams": "10"})
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before
