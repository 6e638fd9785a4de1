"""The seller blueprint and what every dashboard view shares."""

from flask import Blueprint, flash, g
from flask_login import current_user, login_required

from marketplace.core.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.koperasi.roles import can, role_label
from marketplace.koperasi.services import memberships_of

bp = Blueprint("seller", __name__, url_prefix="/seller")


@bp.before_request
@login_required
def _require_login():
    return None


@bp.context_processor
def _dashboard_globals():
    membership = g.get("membership")
    if membership is None:
        return {"role_label": role_label}
    others = [m for m in memberships_of(current_user) if m.koperasi_id != membership.koperasi_id]
    return {
        "membership": membership,
        "koperasi": membership.koperasi,
        "can": lambda area: can(membership, area),
        "other_memberships": others,
        "role_label": role_label,
    }


def fail(form, error: DomainError) -> None:
    """Rolls back whatever the service did, then shows the message next to its field (or at the top). A foreign
    or missing object stays a 404."""
    db.session.rollback()
    if isinstance(error, NotFound):
        raise error
    field = getattr(form, error.field, None) if (form is not None and error.field) else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


def form_errors_flash(form) -> None:
    for name, errors in form.errors.items():
        label = getattr(getattr(form, name, None), "label", None)
        for error in errors:
            flash(f"{label.text}: {error}" if label else str(error), "error")
