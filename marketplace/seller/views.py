"""Koperasi dashboard. Every route is scoped by the koperasi slug and the user's membership; a koperasi the
user does not belong to answers 404, exactly like one that does not exist."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from marketplace.catalog.queries import products_of_koperasi
from marketplace.core.pagination import parse_page
from marketplace.koperasi.services import membership_for, memberships_of

bp = Blueprint("seller", __name__, url_prefix="/seller")


@bp.before_request
@login_required
def _require_login():
    return None


@bp.get("/")
def index():
    memberships = memberships_of(current_user)
    if len(memberships) == 1:
        return redirect(url_for("seller.overview", slug=memberships[0].koperasi.slug))
    return render_template("seller/choose.html", memberships=memberships)


@bp.get("/<slug>/")
def overview(slug: str):
    membership = membership_for(current_user, slug)
    page = products_of_koperasi(membership.koperasi_id, parse_page(request.args.get("hal")))
    return render_template("seller/overview.html", membership=membership, koperasi=membership.koperasi, page=page)
