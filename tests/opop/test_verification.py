"""A koperasi applies, the OPOP team decides, the koperasi hears of it and (once verified) sells."""

from sqlalchemy import func, select

from marketplace.inventory.services import create_warehouse, set_stock
from marketplace.koperasi.models import Koperasi, VerificationStatus
from marketplace.opop.documents import document_file
from marketplace.opop.models import Application, Decision, DecisionAction
from tests.mail import sent_mail
from tests.seller_fixtures import make_paid_order


def _koperasi(db, name: str) -> Koperasi:
    return db.session.scalar(select(Koperasi).where(Koperasi.name == name))


def test_application_approval_then_first_sale(app, db, client, login, make_user, make_product, team, apply):
    applicant = make_user(email="ketua@koppontren.uji.opop.id")
    login(applicant)
    page = apply().get_data(as_text=True)
    assert "Pengajuan terkirim" in page and "Menunggu verifikasi" in page
    koperasi = _koperasi(db, "Koppontren Uji 1")
    assert koperasi.status == VerificationStatus.SUBMITTED
    assert koperasi.npwp == "012345678901000" and koperasi.nib == "9120000000001"
    application = db.session.scalar(select(Application).where(Application.koperasi_id == koperasi.id))
    assert sorted(d.content_type for d in application.documents) == ["application/pdf", "image/png"]
    assert all(document_file(d).is_file() for d in application.documents)

    # the owner prepares a product; it is not for sale before verification
    product = make_product(koperasi=koperasi, name="Kopi Robusta Pemohon Baru")
    assert client.get(f"/produk/{product.slug}").status_code == 404
    assert "Tim OPOP sedang memeriksa" in client.get(f"/seller/{koperasi.slug}/").get_data(as_text=True)

    client.post("/keluar")
    login(team)
    queue = client.get("/opop/koperasi").get_data(as_text=True)
    assert "Koppontren Uji 1" in queue and "Menunggu verifikasi" in queue and ">draft<" not in queue
    detail = client.get(f"/opop/koperasi/{koperasi.id}").get_data(as_text=True)
    assert "9120000000001" in detail and "nib.pdf" in detail
    document = application.documents[0]
    downloaded = client.get(f"/opop/dokumen/{document.id}")
    assert downloaded.status_code == 200 and downloaded.data.startswith(b"%PDF")
    downloaded.close()
    before = len(sent_mail(app))
    response = client.post(f"/opop/koperasi/{koperasi.id}/keputusan", data={"action": "approve"},
                           follow_redirects=True)
    assert "Keputusan tersimpan" in response.get_data(as_text=True)
    assert koperasi.status == VerificationStatus.VERIFIED
    decision = db.session.scalar(select(Decision).where(Decision.koperasi_id == koperasi.id,
                                                        Decision.action == DecisionAction.APPROVE))
    assert decision.decided_by_id == team.id and decision.decided_at is not None
    mails = sent_mail(app)[before:]
    assert len(mails) == 1 and mails[0].to == [applicant.email] and "Terverifikasi" in mails[0].body

    # verified: the product is on sale and its first order counts on the dashboard
    assert client.get(f"/produk/{product.slug}").status_code == 200
    set_stock(product.variants[0], create_warehouse(koperasi, "Gudang Pondok"), 10, note="Stok awal")
    make_paid_order(product.variants[0], 2)
    db.session.commit()
    sales = client.get("/opop/dasbor/penjualan.csv").get_data(as_text=True)
    assert any(line.split(",")[1:3] == ["OPOP", "1"] for line in sales.splitlines())


def test_rejection_with_reason_then_reapplication(app, db, client, login, make_user, team, apply):
    applicant = make_user()
    login(applicant)
    apply(2)
    koperasi = _koperasi(db, "Koppontren Uji 2")
    client.post("/keluar")
    login(team)
    page = client.post(f"/opop/koperasi/{koperasi.id}/keputusan", data={"action": "reject", "reason": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert "Tuliskan alasannya" in page and koperasi.status == VerificationStatus.SUBMITTED
    before = len(sent_mail(app))
    reason = "Pindaian NPWP buram, unggah ulang."
    client.post(f"/opop/koperasi/{koperasi.id}/keputusan", data={"action": "reject", "reason": reason})
    assert koperasi.status == VerificationStatus.DRAFT
    mails = sent_mail(app)[before:]
    assert len(mails) == 1 and reason in mails[0].body

    client.post("/keluar")
    login(applicant)
    dashboard = client.get(f"/seller/{koperasi.slug}/").get_data(as_text=True)
    assert reason in dashboard and "Perbaiki pengajuan" in dashboard
    form = client.get("/daftar-koperasi").get_data(as_text=True)
    assert reason in form and 'value="Koppontren Uji 2"' in form
    page = apply(2, documents={"doc_npwp": (b"%PDF-1.4 jelas", "npwp-jelas.pdf")}).get_data(as_text=True)
    assert "Pengajuan terkirim" in page
    assert koperasi.status == VerificationStatus.SUBMITTED
    actions = list(db.session.scalars(select(Decision.action).where(Decision.koperasi_id == koperasi.id)
                                      .order_by(Decision.id)))
    assert actions == [DecisionAction.SUBMIT, DecisionAction.REJECT, DecisionAction.SUBMIT]


def test_second_click_is_a_no_op_with_a_message(app, db, client, login, make_koperasi, team):
    koperasi = make_koperasi(status=VerificationStatus.SUBMITTED)
    login(team)
    client.post(f"/opop/koperasi/{koperasi.id}/keputusan", data={"action": "approve"})
    before = len(sent_mail(app))
    page = client.post(f"/opop/koperasi/{koperasi.id}/keputusan", data={"action": "approve"},
                       follow_redirects=True).get_data(as_text=True)
    assert "sudah berstatus Terverifikasi" in page and "Tidak ada yang berubah" in page
    assert len(sent_mail(app)) == before
    count = db.session.scalar(select(func.count()).select_from(Decision).where(Decision.koperasi_id == koperasi.id))
    assert count == 1


def test_suspend_needs_a_reason_and_hides_the_shop(db, client, login, make_koperasi, make_product, team):
    koperasi = make_koperasi()
    product = make_product(koperasi=koperasi)
    login(team)
    client.post(f"/opop/koperasi/{koperasi.id}/keputusan", data={"action": "suspend"})
    assert koperasi.status == VerificationStatus.VERIFIED
    client.post(f"/opop/koperasi/{koperasi.id}/keputusan", data={"action": "suspend", "reason": "Pesanan telantar."})
    assert koperasi.status == VerificationStatus.SUSPENDED
    assert client.get(f"/produk/{product.slug}").status_code == 404
    client.post(f"/opop/koperasi/{koperasi.id}/keputusan", data={"action": "reinstate"})
    assert koperasi.status == VerificationStatus.VERIFIED


def test_queue_shows_labels_and_no_status_dropdown(client, login, make_koperasi, team):
    make_koperasi(name="Kop Terverifikasi Lama")
    login(team)
    page = client.get("/opop/koperasi?status=semua").get_data(as_text=True)
    assert "Kop Terverifikasi Lama" in page and "Terverifikasi" in page
    assert "<select name=\"status\"" not in page and ">verified<" not in page
