"""Malformed numbers, bad documents and unknown decisions: a clear message, nothing created or changed."""

import pytest
from sqlalchemy import func, select

from marketplace.koperasi.models import Koperasi
from marketplace.opop.models import Application, ApplicationDocument


def _counts(db) -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Koperasi, Application,
                                                                                 ApplicationDocument))


def test_every_bad_number_is_reported_at_once(db, client, login, make_user, apply):
    login(make_user())
    before = _counts(db)
    page = apply(3, nib="12345", npwp="01.234.567", legal_entity_number="??", region_code="kab-atlantis",
                 nspp="12").get_data(as_text=True)
    for message in ("NIB harus 13 digit angka.", "NPWP harus 15 atau 16 digit angka.",
                    "Nomor badan hukum tidak dikenali", "Pilih kabupaten/kota", "NSPP harus 12 digit angka."):
        assert message in page
    assert _counts(db) == before


@pytest.mark.parametrize("payload, filename, message", [
    (b"hello, not a pdf", "akta.pdf", "Dokumen harus berupa PDF atau gambar"),
    (b"GIF89a" + b"\0" * 40, "akta.gif", "Dokumen harus berupa PDF atau gambar"),
    (b"%PDF-1.4" + b"0" * (300 * 1024), "besar.pdf", "Ukuran dokumen maksimal 256 KB"),
])
def test_bad_documents_are_refused(app, db, client, login, make_user, apply, monkeypatch, payload, filename,
                                   message):
    # a small limit keeps the request body in memory (the test client spools larger ones to a file)
    monkeypatch.setitem(app.config, "OPOP_MAX_DOCUMENT_BYTES", 256 * 1024)
    login(make_user())
    before = _counts(db)
    page = apply(4, documents={"doc_badan_hukum": (payload, filename)}).get_data(as_text=True)
    assert message in page
    assert _counts(db) == before


def test_no_documents_is_refused(db, client, login, make_user, apply):
    login(make_user())
    page = apply(5, documents={}).get_data(as_text=True)
    assert "Unggah minimal satu dokumen" in page


def test_nib_of_another_koperasi_is_refused(db, client, login, make_user, make_koperasi, apply):
    other = make_koperasi()
    login(make_user())
    page = apply(6, nib=other.nib).get_data(as_text=True)
    assert "NIB ini sudah dipakai koperasi lain." in page


def test_a_waiting_applicant_cannot_apply_twice(db, client, login, make_user, apply):
    login(make_user())
    apply(7)
    before = _counts(db)
    page = apply(8).get_data(as_text=True)
    assert "Menunggu verifikasi" in page and _counts(db) == before


def test_unknown_decision_and_koperasi(db, client, login, make_koperasi, team):
    koperasi = make_koperasi()
    login(team)
    page = client.post(f"/opop/koperasi/{koperasi.id}/keputusan", data={"action": "hapus"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Keputusan tidak dikenal." in page
    assert client.post("/opop/koperasi/999999/keputusan", data={"action": "approve"}).status_code in (302, 404)
    assert client.get("/opop/koperasi/999999").status_code == 404
    assert client.get("/opop/dokumen/999999").status_code == 404
    assert client.get("/opop/dasbor/rahasia.csv").status_code == 404
    assert client.get("/opop/koperasi?status=xyz&wilayah=zzz&angkatan=abc").status_code == 200


def test_bad_cohort_year(db, client, login, team):
    login(team)
    page = client.post("/opop/angkatan", data={"year": "19"}, follow_redirects=True).get_data(as_text=True)
    assert "Tahun angkatan harus antara 2019 dan 2100." in page
    client.post("/opop/angkatan", data={"year": "2026"})
    page = client.post("/opop/angkatan", data={"year": "2026"}, follow_redirects=True).get_data(as_text=True)
    assert "Angkatan 2026 sudah ada." in page


def test_services_refuse_anyone_but_the_team(db, make_user, make_koperasi, make_product):
    from marketplace.koperasi.models import VerificationStatus
    from marketplace.opop import curation, services

    koperasi = make_koperasi(status=VerificationStatus.SUBMITTED)
    product = make_product()
    staff = make_user()
    with pytest.raises(services.NotOpopTeam):
        services.decide(staff, koperasi.id, "approve")
    with pytest.raises(services.NotOpopTeam):
        curation.mark_flagship(staff, product.id, "Catatan kurasi")
    assert koperasi.status == VerificationStatus.SUBMITTED and not product.is_flagship
