"""The OPOP journey in a real browser: a pesantren's koperasi applies with its documents, an OPOP admin finds it
in the queue and approves it, and the applicant sees the koperasi verified. Screenshots of a failing step land in
$E2E_ARTIFACTS."""

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.browser import screenshot_on_failure
from tests.factories import PASSWORD
from tests.opop.conftest import PDF, application_form
from tests.seller_fixtures import png_bytes


def _log_in(page, base, email):
    page.goto(f"{base}/masuk")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button:has-text('Masuk')")
    assert "/masuk" not in page.url, "login failed"


def test_applicant_applies_and_an_opop_admin_approves(live_app, live_server, browser, tmp_path):
    with live_app.app_context():
        for email, admin in (("pemohon-e2e@uji.opop.id", False), ("admin-e2e@opop.id", True)):
            user = User(email=email, name="Ketua Pemohon" if not admin else "Petugas OPOP", is_opop_admin=admin)
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
    (tmp_path / "nib.pdf").write_bytes(PDF)
    (tmp_path / "npwp.png").write_bytes(png_bytes())
    form = application_form(77, koperasi_name="Koppontren Peramban", region_code="kab-jombang")

    applicant = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    with screenshot_on_failure(applicant, "opop-apply"):
        _log_in(applicant, live_server, "pemohon-e2e@uji.opop.id")
        applicant.goto(f"{live_server}/daftar-koperasi")
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

    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    with screenshot_on_failure(admin, "opop-approve"):
        _log_in(admin, live_server, "admin-e2e@opop.id")
        admin.goto(f"{live_server}/opop/koperasi")
        with admin.expect_navigation():
            admin.click("text=Koppontren Peramban")
        assert "nib.pdf" in admin.content()
        with admin.expect_navigation():
            admin.click("button[name=action][value=approve]")
        assert "Keputusan tersimpan" in admin.content()

    with screenshot_on_failure(applicant, "opop-approved"):
        applicant.goto(f"{live_server}/daftar-koperasi")
        assert "Menunggu verifikasi" not in applicant.content()
        with live_app.app_context():
            from sqlalchemy import select

            from marketplace.koperasi.models import Koperasi, VerificationStatus

            status = db.session.scalar(select(Koperasi.status).where(Koperasi.name == "Koppontren Peramban"))
        assert status == VerificationStatus.VERIFIED
