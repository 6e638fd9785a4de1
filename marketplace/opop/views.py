"""The OPOP team's pages: the verification queue, decisions, cohorts, flagship curation and the programme
dashboard. Hidden (404) from everyone else, signed in or not, so nobody can probe what exists."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from marketplace.catalog import queries as catalog_queries
from marketplace.catalog import services as catalog
from marketplace.core.errors import DomainError
from marketplace.core.regions import REGIONS_BY_CODE
from marketplace.extensions import db
from marketplace.koperasi.models import VerificationStatus
from marketplace.opop import curation, dashboard, queue, services
from marketplace.opop.documents import document_file
from marketplace.opop.forms import CategoryNameForm, CohortForm, DecisionForm, FlagshipForm
from marketplace.opop.models import DecisionAction

bp = Blueprint("opop", __name__, url_prefix="/opop")


@bp.before_request
def _require_opop_team():
    if not current_user.is_authenticated or not current_user.is_opop_admin:
        abort(404)


def _commit_or_flash(work, success: str) -> bool:
    """Runs one service call; a domain error rolls back, is shown, and changes nothing."""
    try:
        work()
    except services.AlreadyDecided as error:
        db.session.rollback()
        flash(error.message, "info")
        return False
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() else None


@bp.get("/koperasi")
def koperasi_list():
    raw = request.args.get("status", VerificationStatus.SUBMITTED.value)
    status = VerificationStatus(raw) if raw in {s.value for s in VerificationStatus} else None
    region = request.args.get("wilayah") if request.args.get("wilayah") in REGIONS_BY_CODE else None
    rows = queue.queue(status, region, _int_arg("angkatan"))
    return render_template("opop/queue.html", rows=rows, status=status, region=region,
                           cohort_id=_int_arg("angkatan"), cohorts=services.cohorts(),
                           totals=dashboard.stats.status_totals(), statuses=list(VerificationStatus),
                           status_label=services.status_label)


@bp.get("/koperasi/<int:koperasi_id>")
def application(koperasi_id: int):
    detail = queue.application_detail(koperasi_id)
    form = DecisionForm()
    form.cohort_id.choices = [SelectChoice("", "—")] + [SelectChoice(str(c.id), c.name) for c in services.cohorts()]
    if detail["application"] and detail["application"].cohort_id:
        form.cohort_id.data = str(detail["application"].cohort_id)
    return render_template("opop/application.html", form=form, status_label=services.status_label,
                           rules=services.RULES, actions=DecisionAction, **detail)


@bp.post("/koperasi/<int:koperasi_id>/keputusan")
def decide(koperasi_id: int):
    form = DecisionForm()
    raw_cohort = request.form.get("cohort_id", "")
    cohort_id = int(raw_cohort) if raw_cohort.isdigit() else None
    if not form.validate():
        flash(_("Formulir kedaluwarsa; muat ulang halaman dan coba lagi."), "error")
    else:
        _commit_or_flash(lambda: services.decide(current_user, koperasi_id, form.action.data or "",
                                                 form.reason.data or "", cohort_id),
                         _("Keputusan tersimpan dan koperasi diberi tahu lewat email."))
    return redirect(url_for("opop.application", koperasi_id=koperasi_id))


@bp.post("/koperasi/<int:koperasi_id>/angkatan")
def set_cohort(koperasi_id: int):
    raw = request.form.get("cohort_id", "")
    if DecisionForm().validate():
        _commit_or_flash(lambda: services.set_cohort(koperasi_id, int(raw) if raw.isdigit() else None),
                         _("Angkatan tersimpan."))
    return redirect(url_for("opop.application", koperasi_id=koperasi_id))


@bp.get("/dokumen/<int:document_id>")
def document(document_id: int):
    found = queue.document(document_id)
    path = document_file(found)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=found.content_type, download_name=found.filename, as_attachment=False)


@bp.route("/angkatan", methods=["GET", "POST"])
def cohorts():
    form = CohortForm()
    if request.method == "POST" and form.validate():
        if _commit_or_flash(lambda: services.create_cohort(form.year.data, form.name.data or ""),
                            _("Angkatan dibuat.")):
            return redirect(url_for("opop.cohorts"))
    return render_template("opop/cohorts.html", form=form, cohorts=dashboard.stats.in_cohorts())


@bp.get("/kategori")
def categories():
    return render_template("opop/categories.html", tree=catalog_queries.category_tree(), form=CategoryNameForm())


@bp.post("/kategori/<int:category_id>")
def rename_category(category_id: int):
    form = CategoryNameForm()
    if form.validate():
        _commit_or_flash(lambda: catalog.rename_category(category_id, form.name.data, form.name_en.data),
                         _("Nama kategori disimpan."))
    return redirect(url_for("opop.categories") + f"#kategori-{category_id}")


@bp.get("/unggulan")
def flagship():
    query = request.args.get("q", "")
    only = request.args.get("hanya") == "1"
    return render_template("opop/flagship.html", rows=curation.curation_list(query, only), query=query,
                           only=only, form=FlagshipForm(), flagship_now=dashboard.stats.flagship_now(),
                           target=dashboard.stats.FLAGSHIP_TARGET)


@bp.post("/unggulan/<int:product_id>")
def mark_flagship(product_id: int):
    form = FlagshipForm()
    if form.validate():
        _commit_or_flash(lambda: curation.mark_flagship(current_user, product_id, form.note.data or ""),
                         _("Produk ditandai sebagai produk unggulan."))
    return redirect(request.referrer if _same_site(request.referrer) else url_for("opop.flagship"))


@bp.post("/unggulan/<int:product_id>/lepas")
def unmark_flagship(product_id: int):
    form = FlagshipForm()
    if form.validate():
        _commit_or_flash(lambda: curation.unmark_flagship(current_user, product_id, form.note.data or ""),
                         _("Tanda produk unggulan dilepas."))
    return redirect(request.referrer if _same_site(request.referrer) else url_for("opop.flagship"))


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url) and "/opop/" in url


@bp.get("/dasbor")
def programme_dashboard():
    return render_template("opop/dashboard.html", table_names=dashboard.TABLE_NAMES, **dashboard.dashboard())


@bp.get("/dasbor/<name>.csv")
def export(name: str):
    if name not in dashboard.TABLE_NAMES:
        abort(404)
    return Response(dashboard.csv_bytes(name), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="opop-{name}.csv"'})
