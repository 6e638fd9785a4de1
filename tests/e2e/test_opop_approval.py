"""The OPOP journey in a real browser: a pesantren's koperasi applies with its documents, an OPOP admin finds it
in the queue and approves it, and the applicant sees the koperasi verified. The `journey` fixture (tests/live.py)
saves a screenshot of each person's page when the test fails."""

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi, VerificationStatus
from tests.factories import PASSWORD
from tests.opop.conftest import PDF, application_form
from tests.seller_fixtures import png_bytes


def test_applicant_applies_and_an_opop_admin_approves(journey, tmp_path):
    live_app = journey.app
    with live_app.app_context():
        for email, admin in (("pemohon-e2e@uji.opop.id", False), ("admin-e2e@opop.id", True)):
            user = User(email=email, name="Ketua Pemohon" if not admin else "Petugas OPOP", is_opop_admin=admin)
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
    (tmp_path / "nib.pdf").write_bytes(PDF)
    (tmp_path / "npwp.png").write_bytes(png_bytes())
    form = application_form(77, koperasi_name="Koppontren Peramban", region_code="kab-jombang")

    applicant = journey.page(phone=True)
    journey.log_in(applicant, "pemohon-e2e@uji.opop.id")
    applicant.goto(f"{journey.base}/daftar-koperasi")
    for name, value in form.items():
        if name == "region_code":
            applicant.select_option(f"select[name={name}]", value)
        elif value:
            applicant.fill(f"[name={name}]", value)
    applicant.set_input_files("input[name=doc_nib]", str(tmp_path / "nib.pdf"))
    applicant.set_input_files("input[name=doc_npwp]", str(tmp_path / "npwp.png"))
    with applicant.expect_navigation():
        applicant.click("button:has-text('Kirim pengajuan')")
    assert "Pengajuan terkirim" in applicant.content()

    admin = journey.page(phone=False)
    journey.log_in(admin, "admin-e2e@opop.id")
    admin.goto(f"{journey.base}/opop/koperasi")
    with admin.expect_navigation():
        admin.click("text=Koppontren Peramban")
    assert "nib.pdf" in admin.content()
    with admin.expect_navigation():
        admin.click("button[name=action][value=approve]")
    assert "Keputusan tersimpan" in admin.content()

    applicant.goto(f"{journey.base}/daftar-koperasi")
    assert "Menunggu verifikasi" not in applicant.content()
    with live_app.app_context():
        status = db.session.scalar(select(Koperasi.status).where(Koperasi.name == "Koppontren Peramban"))
    assert status == VerificationStatus.VERIFIED
