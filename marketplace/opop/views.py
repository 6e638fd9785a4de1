"""The OPOP team's pages: verifying koperasi. Hidden (404) from everyone else."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.errors import ValidationError
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi, VerificationStatus
from marketplace.koperasi.services import change_status, koperasi_for_review

bp = Blueprint("opop", __name__, url_prefix="/opop")


@bp.before_request
@login_required
def _require_opop_team():
    if not current_user.is_opop_admin:
        abort(404)


@bp.get("/koperasi")
def koperasi_list():
    raw = request.args.get("status")
    status = VerificationStatus(raw) if raw in {s.value for s in VerificationStatus} else None
    return render_template("opop/koperasi.html", koperasi_list=koperasi_for_review(status), status=status,
                           statuses=list(VerificationStatus))


@bp.post("/koperasi/<int:koperasi_id>/status")
def koperasi_status(koperasi_id: int):
    koperasi = db.session.get(Koperasi, koperasi_id) or abort(404)
    raw = request.form.get("status", "")
    try:
        change_status(koperasi, VerificationStatus(raw))
    except (ValueError, ValidationError) as error:
        db.session.rollback()
        flash(getattr(error, "message", _("Status tidak dikenal.")), "error")
    else:
        db.session.commit()
        flash(_("Status %(name)s sekarang %(status)s.", name=koperasi.name, status=koperasi.status.value), "success")
    return redirect(url_for("opop.koperasi_list"))
