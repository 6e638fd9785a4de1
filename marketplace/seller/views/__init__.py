"""Koperasi dashboard. Every route below /seller/<slug>/ is scoped by the koperasi slug and the user's
membership and role (see ``access.seller_view``); a koperasi the user does not belong to, an area the role does
not cover, or another koperasi's object id answers 404, exactly like something that does not exist."""

from flask import redirect, render_template, session, url_for
from flask_login import current_user

from marketplace.koperasi.services import memberships_of
from marketplace.seller import overview as overview_queries
from marketplace.seller.access import seller_view
from marketplace.seller.blueprint import bp
from marketplace.seller.views import bulk, members, orders, payments, products, stock  # noqa: F401  (routes)

__all__ = ["bp"]


@bp.get("/")
def index():
    """The koperasi chooser. Someone in one koperasi (or back in the last one used) goes straight in."""
    memberships = memberships_of(current_user)
    slugs = {m.koperasi.slug for m in memberships}
    if len(memberships) == 1:
        return redirect(url_for("seller.overview", slug=memberships[0].koperasi.slug))
    return render_template("seller/choose.html", memberships=memberships, last=session.get("seller_slug")
                           if session.get("seller_slug") in slugs else None)


@bp.get("/<slug>/")
@seller_view("overview")
def overview(membership):
    session["seller_slug"] = membership.koperasi.slug
    data = overview_queries.overview_for(membership)
    return render_template("seller/overview.html", **data)
