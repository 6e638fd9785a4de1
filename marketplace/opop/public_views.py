"""Pages outside the team's area: the public transparency page (no login, aggregates and organisations only)
and the application form a koperasi fills in."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.errors import DomainError
from marketplace.extensions import db
from marketplace.opop import dashboard, services
from marketplace.opop.forms import ApplicationForm

public_bp = Blueprint("opop_public", __name__)

_DOCUMENT_FIELDS = {"doc_nib": "nib", "doc_badan_hukum": "badan_hukum", "doc_npwp": "npwp"}


@public_bp.get("/opop")
def transparency():
    return render_template("opop/public.html", **dashboard.public_page())


def _input(form: ApplicationForm) -> services.ApplicationInput:
    documents = []
    for field_name, kind in _DOCUMENT_FIELDS.items():
        upload = request.files.get(field_name)
        if upload and upload.filename:
            with upload.stream:  # large uploads are spooled to a temporary file: close it now
                documents.append((kind, upload.filename, upload.read()))
    contacts = [{"role": role, "name": (getattr(form, f"{role}_name").data or "").strip(),
                 "phone": (getattr(form, f"{role}_phone").data or "").strip()}
                for role in ("chair", "treasurer") if getattr(form, f"{role}_name").data]
    return services.ApplicationInput(
        pesantren_name=form.pesantren_name.data or "", region_code=form.region_code.data or "",
        koperasi_name=form.koperasi_name.data or "", nib=form.nib.data or "",
        legal_entity_number=form.legal_entity_number.data or "", npwp=form.npwp.data or "",
        phone=form.phone.data or "", address=form.address.data or "", nspp=form.nspp.data or "",
        leader=form.leader.data or "", contacts=contacts, documents=documents)


def _prefill(form: ApplicationForm, application) -> None:
    koperasi, pesantren = application.koperasi, application.koperasi.pesantren
    values = {"pesantren_name": pesantren.name, "nspp": pesantren.nspp, "leader": pesantren.leader,
              "region_code": koperasi.region_code, "address": koperasi.address, "koperasi_name": koperasi.name,
              "nib": koperasi.nib, "legal_entity_number": koperasi.legal_entity_number, "npwp": koperasi.npwp,
              "phone": koperasi.phone}
    for contact in application.contacts or []:
        values[f"{contact.get('role')}_name"] = contact.get("name")
        values[f"{contact.get('role')}_phone"] = contact.get("phone")
    for name, value in values.items():
        if name in form and not form[name].data:
            form[name].data = value or ""


@public_bp.route("/daftar-koperasi", methods=["GET", "POST"])
@login_required
def apply():
    existing = services.application_of(current_user)
    form = ApplicationForm()
    can_apply = existing is None or existing.koperasi.status.value == "draft"
    if request.method == "POST" and can_apply and form.validate():
        try:
            application = services.submit_application(current_user, _input(form))
        except services.ApplicationInvalid as error:
            db.session.rollback()
            for name, message in error.errors.items():
                target = form["doc_nib"] if name == "documents" else form[name] if name in form else None
                if target is not None:
                    target.errors = [*target.errors, message]
            flash(error.message, "error")
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Pengajuan terkirim. Tim OPOP akan memeriksa data dan dokumen Anda."), "success")
            return redirect(url_for("opop_public.apply", kirim=application.id))
    elif request.method == "GET" and existing is not None:
        _prefill(form, existing)
    decision = services.last_decision(existing.koperasi_id) if existing else None
    return render_template("opop/apply.html", form=form, existing=existing, can_apply=can_apply,
                           decision=decision, status_label=services.status_label)
