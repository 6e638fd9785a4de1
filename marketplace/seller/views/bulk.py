"""Bulk export and import pages."""

from flask import Response, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _

from marketplace.bulk import services as bulk
from marketplace.bulk.export import export_catalog
from marketplace.bulk.models import ImportJob
from marketplace.bulk.plan import ImportRejected
from marketplace.bulk.tasks import import_catalog as import_catalog_task
from marketplace.channels.expiry import platform_label
from marketplace.channels.queries import syncing_accounts
from marketplace.core.celery import enqueue
from marketplace.core.lookup import owned_or_404
from marketplace.extensions import db
from marketplace.koperasi.roles import can
from marketplace.seller.access import seller_view
from marketplace.seller.blueprint import bp, form_errors_flash
from marketplace.seller.forms import ImportForm

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _pushes_to(membership, summary: dict | None) -> list:
    """The shops a finished import's stock changes go to, when the person may open their sync log."""
    if not summary or not summary.get("stock_changed") or not can(membership, "channels"):
        return []
    return syncing_accounts(membership.koperasi_id)


@bp.get("/<slug>/impor-ekspor")
@seller_view("bulk")
def bulk_page(membership):
    return render_template("seller/bulk.html", form=ImportForm(), jobs=bulk.recent_jobs(membership.koperasi_id),
                           errors=None, summary=None, columns=bulk.COLUMNS)


@bp.get("/<slug>/ekspor.<fmt>")
@seller_view("bulk")
def bulk_export(membership, fmt: str):
    if fmt not in MIMETYPES:
        return render_template("errors/404.html"), 404
    data = export_catalog(membership.koperasi_id, fmt)
    filename = f"produk-{membership.koperasi.slug}.{fmt}"
    return Response(data, mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.post("/<slug>/impor")
@seller_view("bulk")
def bulk_import(membership):
    form = ImportForm()
    if not form.validate_on_submit():
        form_errors_flash(form)
        return redirect(url_for("seller.bulk_page", slug=membership.koperasi.slug))
    data, filename = form.file.data.read(), form.file.data.filename or "impor.csv"
    try:
        outcome = bulk.submit_import(membership, data, filename)
    except ImportRejected as rejected:
        db.session.rollback()
        return render_template("seller/bulk.html", form=form, jobs=bulk.recent_jobs(membership.koperasi_id),
                               errors=[e.as_dict() for e in rejected.errors], summary=None, columns=bulk.COLUMNS), 422
    if isinstance(outcome, ImportJob):
        job_id = outcome.id
        target = url_for("seller.import_job", slug=membership.koperasi.slug, job_id=job_id)
        db.session.commit()
        # Nothing is read between the commit and the hand-over: the request holds no transaction open while the
        # worker (or, in tests, the eager task) writes.
        enqueue(import_catalog_task, job_id, queue="default")
        return redirect(target)
    summary = outcome
    db.session.commit()
    flash(_("Impor selesai: %(rows)s baris.", rows=summary["rows"]), "success")
    return render_template("seller/bulk.html", form=ImportForm(formdata=None), jobs=bulk.recent_jobs(
        membership.koperasi_id), errors=None, summary=summary, columns=bulk.COLUMNS,
        pushes_to=_pushes_to(membership, summary), platform_label=platform_label)


@bp.get("/<slug>/impor/<int:job_id>")
@seller_view("bulk")
def import_job(membership, job_id: int):
    job = owned_or_404(ImportJob, membership.koperasi_id, job_id)
    labels = {"pending": _("Menunggu giliran"), "validating": _("Memeriksa baris"),
              "applying": _("Menyimpan semua baris"), "failed": _("Dibatalkan"), "done": _("Selesai")}
    pushes_to = _pushes_to(membership, job.summary) if job.status.value == "done" else []
    return render_template("seller/import_job.html", job=job, labels=labels, pushes_to=pushes_to,
                           platform_label=platform_label)


@bp.get("/<slug>/impor/<int:job_id>/status")
@seller_view("bulk")
def import_job_status(membership, job_id: int):
    job = owned_or_404(ImportJob, membership.koperasi_id, job_id)
    return jsonify(status=job.status.value, percent=job.percent, processed=job.processed_rows, total=job.total_rows,
                   finished=job.is_finished, error_count=len(job.errors or []))
