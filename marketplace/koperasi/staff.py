"""Koperasi staff: members and their roles, and invitations by signed link. Every change writes its audit entry
in the same transaction. Services flush; the request commits once."""

from collections.abc import Callable

from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from marketplace.accounts.models import User
from marketplace.accounts.services import normalise_email
from marketplace.core.errors import ValidationError
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.koperasi.audit import audit
from marketplace.koperasi.models import Invitation, Koperasi, Membership, Role
from marketplace.koperasi.roles import role_label
from marketplace.koperasi.services import add_member
from marketplace.mail.services import queue_mail

_INVITE_SALT = "koperasi-invitation"
INVITE_MAX_AGE = 7 * 24 * 3600


def members_of(koperasi_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.koperasi_id == koperasi_id)
            .options(joinedload(Membership.user))
            .order_by(Membership.created_at, Membership.id)
        )
    )


def open_invitations(koperasi_id: int) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.koperasi_id == koperasi_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .order_by(Invitation.created_at.desc())
        )
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_INVITE_SALT)


def invitation_token(invitation: Invitation) -> str:
    return _serializer().dumps({"i": invitation.id, "e": invitation.email})


def invite_member(actor: Membership, email: str, role: Role, accept_url: Callable[[str], str]) -> Invitation:
    """Creates an invitation and mails a signed link (``accept_url(token)``: the page that accepts it, which the
    dashboard owns). The link only works for the invited email address."""
    email = normalise_email(email)
    if not email or "@" not in email:
        raise ValidationError(_("Email tidak valid."), field="email")
    already = db.session.scalar(
        select(Membership.id).join(Membership.user)
        .where(Membership.koperasi_id == actor.koperasi_id, User.email == email)
    )
    if already:
        raise ValidationError(_("%(email)s sudah menjadi anggota koperasi ini.", email=email), field="email")
    for pending in open_invitations(actor.koperasi_id):
        if pending.email == email:
            pending.revoked_at = utcnow()
    invitation = Invitation(koperasi_id=actor.koperasi_id, email=email, role=Role(role), invited_by_id=actor.user_id)
    db.session.add(invitation)
    db.session.flush()
    koperasi = db.session.get(Koperasi, actor.koperasi_id)
    link = accept_url(invitation_token(invitation))
    body = render_template(
        "emails/koperasi_invitation.txt", koperasi=koperasi, role=role_label(role), link=link,
        inviter=actor.user, days=INVITE_MAX_AGE // 86400,
    )
    queue_mail(email, _("Undangan bergabung dengan %(name)s", name=koperasi.name), body)
    audit(actor, "member.invite", email, role=str(role))
    return invitation


def invitation_from_token(token: str) -> Invitation:
    try:
        data = _serializer().loads(token, max_age=INVITE_MAX_AGE)
    except (BadSignature, SignatureExpired):
        raise ValidationError(_("Tautan undangan tidak valid atau sudah kedaluwarsa.")) from None
    invitation = db.session.get(Invitation, data.get("i"))
    if invitation is None or invitation.email != data.get("e") or not invitation.is_open:
        raise ValidationError(_("Tautan undangan tidak valid atau sudah dipakai."))
    return invitation


def accept_invitation(token: str, user: User) -> Membership:
    invitation = invitation_from_token(token)
    if normalise_email(user.email) != invitation.email:
        raise ValidationError(
            _("Undangan ini untuk %(email)s. Masuklah dengan akun email tersebut.", email=invitation.email)
        )
    existing = db.session.scalar(
        select(Membership).where(Membership.koperasi_id == invitation.koperasi_id, Membership.user_id == user.id)
    )
    membership = existing or add_member(invitation.koperasi, user, invitation.role)
    invitation.accepted_at = utcnow()
    audit(membership, "member.join", user.email, role=str(membership.role))
    db.session.flush()
    return membership


def revoke_invitation(actor: Membership, invitation: Invitation) -> None:
    if invitation.is_open:
        invitation.revoked_at = utcnow()
        audit(actor, "member.invite_revoke", invitation.email)
    db.session.flush()


def _owner_count(koperasi_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Membership)
        .where(Membership.koperasi_id == koperasi_id, Membership.role == Role.OWNER)
    ) or 0


def change_role(actor: Membership, member: Membership, role: Role) -> Membership:
    role = Role(role)
    if member.role == Role.OWNER and role != Role.OWNER and _owner_count(member.koperasi_id) <= 1:
        raise ValidationError(_("Koperasi harus punya minimal satu pemilik."), field="role")
    old = member.role
    member.role = role
    audit(actor, "member.role", member.user.email, old=str(old), new=str(role))
    db.session.flush()
    return member


def remove_member(actor: Membership, member: Membership) -> None:
    if member.role == Role.OWNER and _owner_count(member.koperasi_id) <= 1:
        raise ValidationError(_("Pemilik terakhir tidak bisa dikeluarkan."))
    audit(actor, "member.remove", member.user.email, role=str(member.role))
    db.session.delete(member)
    db.session.flush()
