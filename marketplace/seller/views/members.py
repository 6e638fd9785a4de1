"""Members, roles, invitations and the audit log (owner only), plus accepting an invitation."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.errors import ValidationError
from marketplace.core.lookup import owned_or_404
from marketplace.core.pagination import parse_page
from marketplace.core.urls import public_url
from marketplace.extensions import db
from marketplace.koperasi import staff as services
from marketplace.koperasi.audit import audit_log as read_audit_log
from marketplace.koperasi.models import Invitation, Membership
from marketplace.koperasi.roles import role_label
from marketplace.seller.access import seller_view
from marketplace.seller.blueprint import bp, fail, form_errors_flash
from marketplace.seller.forms import ActionForm, InviteForm, RoleForm

# Accepting an invitation happens before the person is a member, so it cannot sit under /seller/<slug>/.
invite_bp = Blueprint("seller_invite", __name__)


def _accept_url(token: str) -> str:
    return public_url("seller_invite.accept", token=token)


@bp.get("/<slug>/anggota")
@seller_view("members")
def members(membership):
    return render_template(
        "seller/members.html",
        members=services.members_of(membership.koperasi_id),
        invitations=services.open_invitations(membership.koperasi_id),
        invite_form=InviteForm(),
        role_form=RoleForm(),
        action_form=ActionForm(),
    )


@bp.post("/<slug>/anggota/undang")
@seller_view("members")
def invite(membership):
    form = InviteForm()
    if not form.validate_on_submit():
        form_errors_flash(form)
        return redirect(url_for("seller.members", slug=membership.koperasi.slug))
    try:
        services.invite_member(membership, form.email.data, form.role.data, _accept_url)
    except ValidationError as error:
        fail(None, error)
    else:
        db.session.commit()
        flash(_("Undangan terkirim ke %(email)s.", email=form.email.data), "success")
    return redirect(url_for("seller.members", slug=membership.koperasi.slug))


@bp.post("/<slug>/anggota/<int:member_id>/peran")
@seller_view("members")
def change_role(membership, member_id: int):
    member = owned_or_404(Membership, membership.koperasi_id, member_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            services.change_role(membership, member, form.role.data)
        except ValidationError as error:
            fail(None, error)
        else:
            db.session.commit()
            flash(_("Peran %(name)s diubah.", name=member.user.name), "success")
    else:
        form_errors_flash(form)
    return redirect(url_for("seller.members", slug=membership.koperasi.slug))


@bp.post("/<slug>/anggota/<int:member_id>/hapus")
@seller_view("members")
def remove_member(membership, member_id: int):
    member = owned_or_404(Membership, membership.koperasi_id, member_id)
    if ActionForm().validate_on_submit():
        try:
            services.remove_member(membership, member)
        except ValidationError as error:
            fail(None, error)
        else:
            db.session.commit()
            flash(_("Anggota dikeluarkan."), "success")
    return redirect(url_for("seller.members", slug=membership.koperasi.slug))


@bp.post("/<slug>/undangan/<int:invitation_id>/batal")
@seller_view("members")
def revoke_invitation(membership, invitation_id: int):
    invitation = owned_or_404(Invitation, membership.koperasi_id, invitation_id)
    if ActionForm().validate_on_submit():
        services.revoke_invitation(membership, invitation)
        db.session.commit()
        flash(_("Undangan dibatalkan."), "success")
    return redirect(url_for("seller.members", slug=membership.koperasi.slug))


@bp.get("/<slug>/log")
@seller_view("audit")
def audit_log(membership):
    page = read_audit_log(membership.koperasi_id, parse_page(request.args.get("hal")))
    return render_template("seller/audit.html", page=page)


@invite_bp.route("/undangan-koperasi/<token>", methods=["GET", "POST"])
def accept(token: str):
    if not current_user.is_authenticated:
        flash(_("Masuk atau daftar dulu dengan email yang diundang, lalu buka tautan undangan lagi."), "success")
        return redirect(url_for("accounts.login", next=request.path))
    try:
        invitation = services.invitation_from_token(token)
    except ValidationError as error:
        return render_template("seller/invitation.html", error=error.message, invitation=None), 400
    form = ActionForm()
    if form.validate_on_submit():
        try:
            membership = services.accept_invitation(token, current_user)
        except ValidationError as error:
            fail(None, error)
        else:
            db.session.commit()
            flash(_("Selamat bergabung dengan %(name)s.", name=membership.koperasi.name), "success")
            return redirect(url_for("seller.overview", slug=membership.koperasi.slug))
    return render_template("seller/invitation.html", invitation=invitation, form=form, error=None,
                           role=role_label(invitation.role))
